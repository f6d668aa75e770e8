// The command a refused run is told to stop the holder of its state folder with: `dts stop` for
// a lone run, the process itself for a group worker (dts stop does not address workers, so a
// second worker started with the same --worker-id was sent to a command that finds nothing).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { preparePlan } from "../../src/cli/run.js";
import type { LockOwner } from "../../src/runtime/checkpoint/state-lock.js";

const spec = `pipeline "orders" {
  source mysql {
    host     = "db.internal"
    user     = "dts"
    password = env("MYSQL_PASSWORD")
  }
  destination kafka {
    brokers = ["kafka.internal:9092"]
    topic   = "orders"
  }
  checkpoint {
    topic = "orders.checkpoints"
  }
  database "shop" {}
}
`;

describe("the stop command a refused run names", () => {
  const file = join(mkdtempSync(join(tmpdir(), "dts-prepare-")), "orders.dts");
  writeFileSync(file, spec);
  const owner = { pid: 4242, pipeline: "orders" } as LockOwner;

  it("is dts stop for a lone run", () => {
    expect(preparePlan(undefined, [file], undefined, null)?.stopCommand(owner)).toBe(`dts stop --pipeline orders ${file}`);
  });

  it("is the worker's process for a group worker", () => {
    const group = { identity: { group: "g", worker: "w1" }, sessionTimeoutMs: 10_000 };
    expect(preparePlan(undefined, [file], undefined, group)?.stopCommand(owner)).toBe("kill -TERM 4242");
  });
});
