// The CLI as a user drives it: `dts run spec.dts` in its own process (precheck first, then
// streaming, SIGTERM for a clean stop) and `dts tail spec.dts` printing the rows decoded, and
// ending quietly when the reader of its output goes away (`dts tail | head`).
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { dts, streamingSpec } from "./cli-process.js";
import { exportStackEnv, kafka, readStatus, repoRoot, uniqueName, waitForStatus } from "./runtime-helpers.js";
import { useTestDatabase } from "./test-database.js";

describe.each(["dts-avro", "canal-json"] as const)("dts run and dts tail (%s)", (format) => {
  const { database, db } = useTestDatabase("cli_e2e", (database) => [
    `CREATE TABLE ${database}.orders (id BIGINT PRIMARY KEY, status VARCHAR(16) NOT NULL, total DECIMAL(12,2))`,
  ]);
  const topic = uniqueName("cli-e2e");
  const stateDir = mkdtempSync(join(tmpdir(), "dts-cli-"));
  const spec = join(stateDir, "shop.dts");

  beforeAll(() => {
    writeFileSync(spec, streamingSpec({ name: "cli-e2e", format, database, table: "orders", topic, stateDir, tableBody: "\n      filter = (total >= 10)\n    " }));
  });

  it("streams rows from a spec file and prints them decoded", async () => {
    const env = { ...process.env, DTS_LOG_LEVEL: "info" };
    const runtime = dts(["run", spec], env);
    await waitForStatus({ stateDir: join(stateDir, "cli-e2e"), stderr: runtime.stderr }, (s) => s.phase === "streaming", 60_000);

    await db().query(`INSERT INTO ${database}.orders VALUES (1, 'new', 12.50), (2, 'new', 3.00), (3, 'paid', 99999999.99)`);
    await db().query(`UPDATE ${database}.orders SET status = 'paid' WHERE id = 1`);

    const tail = await dts(["tail", spec, "--from-beginning", "--max-messages", "3"], env).finished;
    expect(tail.code, tail.stderr).toBe(0);
    const lines = tail.stdout.trim().split("\n").map((line) => JSON.parse(line) as { topic: string; key: string | null; value: Record<string, unknown> });
    expect(lines).toHaveLength(3);
    expect(lines.every((line) => line.topic === topic)).toBe(true);
    const summary = lines.map(({ value }) =>
      format === "dts-avro"
        ? `${value.operation} ${(value.after as Record<string, string>).id} ${(value.after as Record<string, string>).total}`
        : `${value.type} ${(value.data as Record<string, string>[])[0]?.id} ${(value.data as Record<string, string>[])[0]?.total}`);
    // Row 2 fails the filter (total >= 10) and never reaches Kafka.
    expect(summary.sort()).toEqual(["INSERT 1 12.50", "INSERT 3 99999999.99", "UPDATE 1 12.50"]);
    // Keys name the row, so a compacted topic keeps the latest row per primary key.
    expect(lines.map((line) => (JSON.parse(line.key ?? "null") as unknown[]).slice(0, 2))).toEqual(lines.map(() => [database, "orders"]));

    runtime.child.kill("SIGTERM");
    const run = await runtime.finished;
    expect(run.code, run.stderr).toBe(0);
    expect(readStatus(join(stateDir, "cli-e2e"))?.phase).toBe("stopped");
    expect(run.stderr).not.toContain(process.env.MYSQL_PASSWORD);
  });
});

describe("dts tail | head", () => {
  it("ends quietly with exit 0 when the reader closes the pipe", async () => {
    exportStackEnv();
    const topic = uniqueName("cli-tail-pipe");
    const stateDir = mkdtempSync(join(tmpdir(), "dts-cli-"));
    const spec = join(stateDir, "pipe.dts");
    writeFileSync(spec, streamingSpec({ name: "tail-pipe", format: "canal-json", database: "shop", table: "orders", topic, stateDir }));
    const admin = kafka().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka().producer();
    await producer.connect();
    // Far more than a pipe holds, so the tail is still writing when the reader goes away.
    await producer.send({ topic, messages: Array.from({ length: 3000 }, (_, i) => ({ value: JSON.stringify({ id: i, pad: "x".repeat(200) }) })) });
    await producer.disconnect();
    const child = spawn(process.execPath, ["--import", "tsx", join(repoRoot, "src/cli/main.ts"), "tail", spec, "--from-beginning"], { cwd: repoRoot, env: process.env });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    // `head -1`: read the first chunk, then close the pipe.
    await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
    child.stdout.destroy();
    expect(await exited, stderr).toBe(0);
    expect(stderr).not.toMatch(/EPIPE|at .*\.js/);
  });
});
