// A realistic password written into a spec must never be printed: not by `dts check` in any
// format, not by `dts plan`, not by `dts fmt`'s error report. Generated the way people get it
// wrong: the key misspelt (pasword, Password), single quotes, an unterminated string, a bare
// word, in the wrong block, with other errors in the file, under --strict or not.
import fc from "fast-check";
import type { FuzzInput } from "../check-input.js";
import { assertNoViolations } from "../property.js";
import type { Properties } from "./index.js";
import type { Sandbox } from "../sandbox.js";
import { spec } from "../template.js";

/** Misspellings a "did you mean password?" would catch, so they read as meant to be a password. */
const keys = ["password", "pasword", "passwrod", "passowrd", "passsword", "pssword", "Password", "PASSWORD", "passwd", "password_"];

const forms: Record<string, (secret: string) => string> = {
  "double-quoted": (s) => `"${s}"`,
  "single-quoted": (s) => `'${s}'`,
  "unterminated": (s) => `"${s}`,
  "unterminated single-quoted": (s) => `'${s}`,
  "a bare word": (s) => s,
  "in a list": (s) => `["${s}"]`,
  "in a map": (s) => `{ value = "${s}" }`,
  "followed by junk": (s) => `"${s}" @!`,
  "with a bad escape": (s) => `"${s}\\q"`,
};

/** Where the line goes; `password = env(...)` of the template stays unless replaced. */
const places: Record<string, (line: string) => string> = {
  "the source, replacing its password": (line) => spec().replace('password = env("DB_PASSWORD")', line),
  "the source, after its password": (line) => spec({ source: line }),
  "a Kafka auth block": (line) => spec({ destination: `auth {\n  mechanism = plain\n  username  = "svc"\n  ${line}\n}` }),
  "the destination": (line) => spec({ destination: line }),
  "the pipeline": (line) => spec({ pipeline: line }),
  "a table": (line) => spec({ table: line }),
  "the top level": (line) => spec({ after: `${line}\n` }),
};

/** Other trouble in the same file, so masking is exercised on every error path. */
const damage: Record<string, (text: string, line: string) => string> = {
  none: (text) => text,
  "a syntax error above": (text) => text.replace("pipeline", "pipeline = ="),
  "an unknown attribute below": (text) => text.replace('topic = "fuzz.changes"', 'topic = "fuzz.changes"\n    topik = "x"'),
  "the file cut after the secret": (text, line) => text.slice(0, text.indexOf(line) + line.length),
  "everything on one line": (text) => text.replace(/\n/g, " "),
  "CRLF line endings": (text) => text.replace(/\n/g, "\r\n"),
};

const leak = fc.record({
  secret: fc.stringMatching(/^[A-Za-z0-9]{10}$/).map((tail) => `S3cr3t-XYZ-${tail}`),
  key: fc.constantFrom(...keys),
  form: fc.constantFrom(...Object.keys(forms)),
  place: fc.constantFrom(...Object.keys(places)),
  damage: fc.constantFrom(...Object.keys(damage)),
  strict: fc.boolean(),
});
type Leak = typeof leak extends fc.Arbitrary<infer T> ? T : never;

function build(x: Leak): FuzzInput {
  const line = `${x.key} = ${forms[x.form]!(x.secret)}`;
  const text = damage[x.damage]!(places[x.place]!(line), line);
  return { files: [{ file: "secret.dts", text }], secret: x.secret, strict: x.strict };
}

export const secretProperties: Properties = {
  "are never printed, however they are written": async (sandbox: Sandbox) => {
    await assertNoViolations("secrets", leak, async (x) => (await sandbox.check(build(x))).violations, build, {
      numRuns: 200,
      describe: (x) => `${x.key} = ${forms[x.form]!(x.secret)} (${x.form}) in ${x.place}, damage: ${x.damage}${x.strict ? ", --strict" : ""}`,
    });
  },
};
