// A password never reaches the output of `dts check`, however the spec around it is wrong: each
// case is a mistake people make, and every output format is searched for the secret.
import { describe, expect, it } from "vitest";
import { compile, diagnosticFormats, renderDiagnostics } from "../../src/compiler/index.js";
import { isSecretKey } from "../../src/compiler/secrets/keys.js";
import { redactMessage } from "../../src/compiler/secrets/redact.js";

const secret = "hunter2secret";

function spec(sourceLines: string, destinationLines = ""): string {
  return `pipeline "p" {
  source mysql {
    host = "db.internal"
    user = "replicator"
${sourceLines}
  }
  destination kafka {
    brokers = ["k:9092"]
    topic   = "orders.changes"
${destinationLines}  }
  database "shop" {}
}
`;
}

const auth = (line: string) => `    auth {\n      mechanism = plain\n      username  = "svc"\n${line}\n    }\n`;

/** [what went wrong, the spec, the strings that must not appear] */
const mistakes: [string, string, string[]][] = [
  ["a typo in the key", spec(`    pasword = "${secret}"`), [secret]],
  ["passwd", spec(`    passwd = "${secret}"`), [secret]],
  ["pass_word", spec(`    pass_word = "${secret}"`), [secret]],
  ["two letters swapped", spec(`    passowrd = "${secret}"`), [secret]],
  ["upper case", spec(`    PASSWORD = "${secret}"`), [secret]],
  ["a Kafka client's name for it", spec("", auth(`      sasl_password = "${secret}"`)), [secret]],
  ["a typo in the auth block", spec("", auth(`      pasword = "${secret}"`)), [secret]],
  ["the key twice", spec(`    password = "${secret}"\n    password = "${secret}"`), [secret]],
  ["an unterminated string", spec(`    password = "${secret}`), [secret]],
  ["single quotes", spec(`    password = '${secret}'`), [secret]],
  ["an unterminated single quote", spec(`    password = '${secret}`), [secret]],
  ["single quotes around words", spec(`    password = 'hunter2 xyzzy9'`), ["hunter2", "xyzzy9"]],
  ["a list", spec(`    password = ["${secret}"]`), [secret]],
  ["an unknown function", spec(`    password = foo("${secret}")`), [secret]],
  ["a colon", spec(`    password : "${secret}"`), [secret]],
  ["no '='", spec(`    password "${secret}"`), [secret]],
  ["a bare word", spec(`    password = ${secret}`), [secret]],
  ["a short bare word, which masking by value would leave alone", spec(`    password = Zq9`), ["Zq9"]],
  ["a bare word with a stray character", spec(`    password = hunter2!xyzzy9`), ["hunter2", "xyzzy9"]],
  ["a long bare word", spec(`    password = ${secret.repeat(4)}`), [secret]],
  ["env() without quotes", spec(`    password = env(${secret})`), [secret]],
  ["a map", spec(`    password = { value = "${secret}" }`), [secret]],
  ["the value on the next line, and a syntax error after it", spec(`    password =\n      "${secret}" }`), [secret]],
  ["a number", spec(`    password = 1234567890123`), ["1234567890123"]],
  ["an escaped quote inside", spec(`    pasword = "hunter2\\"secret"`), ['hunter2\\"secret', 'hunter2"secret']],
  ["a URL with a password", spec("", `    schema_registry = "htp://admin:${secret}@registry:8081"\n`), [secret]],
  ["CRLF line endings", spec(`    pasword = "${secret}"`).replace(/\n/g, "\r\n"), [secret]],
  ["'=' on the next line", spec(`    password\n      = "${secret}"`), [secret]],
  ["a comment before '='", spec(`    password /* rotated */ = "${secret}"`), [secret]],
  ["triple quotes", spec(`    password = """${secret}"""`), [secret]],
  // A URL parser takes the user part to the last '@' of the authority: spaces, quotes and '@' belong to the password.
  ["a URL password with a space", spec("", `    schema_registry = "http://admin:hunter2 ${secret}@registry:8081"\n`), ["hunter2", secret]],
  ["a URL password with a raw '@'", spec("", `    schema_registry = "http://admin:hunter2@${secret}@registry:8081"\n`), ["hunter2", secret]],
  ["a URL password with an escaped quote", spec("", `    schema_registry = "http://admin:hunter2\\"${secret}@registry:8081"\n`), ["hunter2", secret]],
  ["a URL password with a stray '%'", spec("", `    schema_registry = "http://admin:hunter2%${secret}@registry:8081"\n`), ["hunter2", secret]],
];

function outputs(text: string): string[] {
  const result = compile([{ file: "s.dts", text }]);
  expect(result.diagnostics.length, "the mistake is reported").toBeGreaterThan(0);
  const texts = new Map([["s.dts", text]]);
  return diagnosticFormats.map((format) => renderDiagnostics(result.diagnostics, format, texts));
}

describe("secrets in diagnostics", () => {
  it.each(mistakes)("%s: no format prints the secret", (_, text, hidden) => {
    for (const output of outputs(text)) {
      for (const h of hidden) expect(output).not.toContain(h);
    }
  });

  it("masks the value in the excerpt and keeps the rest of the line", () => {
    const [text] = outputs(spec(`    pasword = "${secret}" # rotated monthly`));
    expect(text).toContain(`   5 |     pasword = "*************" # rotated monthly\n`);
  });

  it("does not echo a bare word written where a secret goes", () => {
    const [text] = outputs(spec(`    password = ${secret}`));
    expect(text).toContain('password must be env("NAME") or file("path"), not a bare word');
  });
});

/** [what, the spec, what must still be shown] */
const ordinary: [string, string, string][] = [
  ["a user name", spec(`    usr = "replicator"`), 'usr = "replicator"'],
  ["a topic in a message", spec("").replace('"orders.changes"', '"orders changes"'), '"orders changes" is not a valid Kafka topic name'],
  ["an enum word", spec("", auth(`      password  = env("KAFKA_PASSWORD")`)).replace("mechanism = plain", "mechanism = plian"), "cannot be plian"],
  ["an env() reference", spec(`    password = env("DB_PASSWORD") prot = 1`), 'password = env("DB_PASSWORD") prot = 1'],
  ["a file() reference", spec(`    password = file("/run/secrets/db") prot = 1`), 'password = file("/run/secrets/db") prot = 1'],
  ["a column called password", spec("").replace('database "shop" {}', 'database "shop" {\n    table "users" {\n      columns {\n        exclude = ["password"]\n        rename  = { password = "pw_hash" }\n      }\n    }\n  }'), 'rename  = { password = "pw_hash" }'],
];

describe("values that are not secrets", () => {
  it.each(ordinary)("%s is still shown", (_, text, shown) => {
    const [rendered] = outputs(text);
    expect(rendered).toContain(shown);
  });

  it("the language's own keys are not secret, its misspellings of password are", () => {
    const keys = ["host", "port", "user", "username", "server_id", "tls", "timezone", "start_from", "brokers", "client_id", "topic", "ddl_topic", "schema_registry", "create_topics", "compression", "mechanism", "mode", "format", "partition", "ddl", "retry_window", "initial_sync", "schema", "data", "chunk_size", "parallelism", "max_rows_per_second", "max_bytes_per_second", "directory", "rename", "filter", "include", "exclude", "partitions", "replication_factor", "position"];
    expect(keys.filter(isSecretKey)).toEqual([]);
    const typos = ["password", "Password", "pasword", "passwd", "paswd", "pass_word", "passowrd", "paswrod", "psssword", "sasl_password", "pwd", "api_key", "secret", "token"];
    expect(typos.filter((k) => !isSecretKey(k))).toEqual([]);
  });

  it("a message keeps a short value unless it is quoted, and masks a long one cut short by an ellipsis", () => {
    const pieces = { values: ["a", "hunter2secrethunter2secret"], words: [] };
    expect(redactMessage('expected a value but found "a"', pieces)).toBe('expected a value but found "*"');
    expect(redactMessage('found "hunter2secrethunt..."', pieces)).toBe('found "*****************..."');
  });
});

describe("a password in the schema registry URL", () => {
  const registryPlan = (url: string) => compile([{ file: "s.dts", text: spec("    password = env(\"P\")", `    schema_registry = "${url}"\n`) }]);

  it.each([
    ["a space", "http://svc:hunter2 xyzzy9@reg:8081/", "hunter2 xyzzy9"],
    ["a raw '@'", "http://svc:hunter2@xyzzy9@reg:8081/", "hunter2@xyzzy9"],
    ["percent-encoding", "http://svc:hunter2%40xyzzy9@reg:8081/", "hunter2@xyzzy9"],
  ])("with %s stays out of the plan whole, and logs in as the URL's user", (_, url, password) => {
    const result = registryPlan(url);
    const registry = result.plan?.pipelines[0]?.destination.schemaRegistry;
    expect(registry?.url).toBe("http://svc@reg:8081/");
    expect(JSON.stringify(result.plan)).not.toMatch(/hunter2|xyzzy9/);
    expect(Object.values(result.literalSecrets)).toContain(password);
  });

  it("with a '%' that starts no percent-encoding is a clear error, not an internal one", () => {
    const result = registryPlan("http://svc:hunter2%zz@reg:8081/");
    expect(result.diagnostics.map((d) => d.code)).toContain("DTS2032");
    expect(result.diagnostics.map((d) => d.code)).not.toContain("DTS3999");
  });
});
