// How the CLI prints a runtime error: the shape compiler diagnostics have, with the code, the
// spec's file:line:col when the cause is there, and the hint.
import { afterEach, describe, expect, it } from "vitest";
import { commands } from "../../src/cli/main.js";
import { compile } from "../../src/compiler/index.js";
import { resolveConnections } from "../../src/runtime/connections.js";
import { RuntimeError } from "../../src/runtime/errors.js";
import { runCli } from "./run-cli.js";

const spec = `pipeline "orders" {
  source mysql {
    host      = "db"
    user      = "dts"
    server_id = 7301
    password  = env("DTS_UNSET_PASSWORD")
  }
  destination kafka {
    brokers = ["k:9092"]
    topic   = "orders"
  }
  database "shop" { }
}
`;

function thrown(run: () => unknown): RuntimeError {
  try {
    run();
  } catch (error) {
    if (error instanceof RuntimeError) return error;
  }
  throw new Error("no RuntimeError");
}

describe("runtime errors on the command line", () => {
  afterEach(() => {
    delete commands.boom;
  });

  const register = (error: unknown) => {
    commands.boom = { summary: "fails", help: "Usage: dts boom", run: async () => Promise.reject(error) };
  };

  it("lead with the spec's file:line:col and the code when the spec caused them", async () => {
    const { plan, literalSecrets } = compile([{ file: "spec.dts", text: spec }]);
    if (!plan) throw new Error("the spec does not compile");
    const error = thrown(() => resolveConnections(plan, 0, literalSecrets, {}));
    expect(error.location).toEqual({ file: "spec.dts", line: 6, column: 17 });
    expect(error.message).toBe("spec.dts:6:17: source password reads environment variable DTS_UNSET_PASSWORD, which is not set");
    register(error);
    const result = await runCli("boom");
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("spec.dts:6:17: error DTS5002: source password reads environment variable DTS_UNSET_PASSWORD, which is not set\n  hint: export DTS_UNSET_PASSWORD before starting the pipeline, or fix the spec at spec.dts:6:17\n");
  });

  it("name the command and the code otherwise, with the kind's standard fix when the raiser gave none", async () => {
    register(new RuntimeError("checkpoint", "cannot read /x/orders/checkpoint.json"));
    expect((await runCli("boom")).stderr).toBe("dts boom: error DTS5011: cannot read /x/orders/checkpoint.json\n  hint: check the permissions of the state folder\n");
  });
});
