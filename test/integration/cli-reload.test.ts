// A running pipeline takes a changed spec (SIGHUP, dts reload): a 100k-row table added while a
// busy table streams gets its own initial sync, survives a kill -9 in the middle of that copy,
// and every row of both tables arrives with no gap on the busy one; a removed table stops; a
// change that would break consumers is refused while the pipeline runs on; a table added by a
// reload that restarts the session is copied too.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dts, type CliProcess } from "./cli-process.js";
import { decodeChanges, readSettled, readStatus, uniqueName, waitForStatus, type DecodedChange, type StatusFile } from "./runtime-helpers.js";
import { useTestDatabase } from "./test-database.js";

const ADDED_ROWS = 100_000;
const SERVER_ID = 30000 + Math.floor(Math.random() * 10000);

function spec(options: { database: string; topic: string; stateDir: string; tables: string[]; format?: string; topics?: Record<string, string>; compression?: string }): string {
  return `pipeline "reload" {
  format    = ${options.format ?? "canal-json"}
  partition = primary-key-hash

  source mysql {
    host       = env("MYSQL_HOST")
    port       = env("MYSQL_PORT")
    user       = env("MYSQL_USER")
    password   = env("MYSQL_PASSWORD")
    server_id  = ${SERVER_ID}
    timezone   = "+00:00"
    start_from = initial_sync
  }

  destination kafka {
    brokers = ["${process.env.KAFKA_BROKERS}"]
    topic   = "${options.topic}"${options.compression ? `\n    compression = ${options.compression}` : ""}
    create_topics {
      partitions = 2
    }
  }

  initial_sync {
    chunk_size          = 2000
    max_rows_per_second = 15000
  }

  checkpoint {
    directory = "${options.stateDir}"
  }

  database "${options.database}" {
${options.tables.map((t) => `    table "${t}" {${options.topics?.[t] ? ` topic = "${options.topics[t]}" ` : ""}}`).join("\n")}
  }
}
`;
}

type Status = StatusFile & { snapshot?: { rowsDone: number; rowsTotal: number } | null; specChanges?: { result: string; added: string[]; removed: string[]; how: string }[] };

describe("changing a running pipeline's spec", () => {
  const { database, db } = useTestDatabase("reload", (database) => [
    `CREATE TABLE ${database}.busy (id INT PRIMARY KEY, n INT NOT NULL)`,
    `CREATE TABLE ${database}.added (id INT PRIMARY KEY, v VARCHAR(20) NOT NULL)`,
    `INSERT INTO ${database}.added SELECT seq, CONCAT('v', seq) FROM seq.seq_1_to_${ADDED_ROWS}`,
  ]);
  const stateDir = mkdtempSync(join(tmpdir(), "dts-reload-"));
  const specFile = join(stateDir, "reload.dts");
  const pipelineDir = join(stateDir, "reload");
  const topic = uniqueName("reload");
  const env = () => ({ ...process.env, DTS_LOG_LEVEL: "info" });
  const watch = (run: CliProcess) => ({ stateDir: pipelineDir, stderr: run.stderr });
  let running: CliProcess | null = null;
  let busyWritten = 0;
  let writing = false;

  /** Inserts numbered rows into busy until stopped: the stream the reload must not interrupt. */
  async function writeBusy(): Promise<void> {
    writing = true;
    while (writing) {
      busyWritten++;
      await db().query(`INSERT INTO ${database}.busy VALUES (?, ?)`, [busyWritten, busyWritten]);
      await new Promise((r) => setTimeout(r, 3));
    }
  }

  afterAll(async () => {
    writing = false;
    running?.child.kill("SIGKILL");
  });

  it("copies an added table beside the stream, across a kill -9 in the middle of the copy", async () => {
    writeFileSync(specFile, spec({ database, topic, stateDir, tables: ["busy"] }));
    running = dts(["run", specFile], env());
    await waitForStatus(watch(running), (s) => s.phase === "streaming", 60_000);
    const writer = writeBusy();
    await new Promise((r) => setTimeout(r, 1000));

    writeFileSync(specFile, spec({ database, topic, stateDir, tables: ["busy", "added"] }));
    running.child.kill("SIGHUP");
    const copying = (await waitForStatus(watch(running), (s) => ((s as Status).snapshot?.rowsDone ?? 0) >= 20_000, 60_000)) as Status;
    expect(copying.specChanges?.at(-1)).toMatchObject({ result: "applied", how: "live", added: [`${database}.added`], removed: [] });
    expect(copying.phase).toBe("streaming");
    running.child.kill("SIGKILL");
    await running.finished;

    running = dts(["run", specFile], env());
    await waitForStatus(watch(running), (s) => s.phase === "streaming" && !(s as Status).snapshot, 90_000);
    writing = false;
    await writer;

    const changes = decodeChanges("canal-json", await readSettled(topic, busyWritten + ADDED_ROWS, 90_000));
    const ids = (table: string) => new Set(changes.filter((c) => c.table === table && c.type === "INSERT").map((c) => Number(c.after?.id)));
    const busy = ids("busy");
    const added = ids("added");
    const missing = (set: Set<number>, n: number) => Array.from({ length: n }, (_, i) => i + 1).filter((id) => !set.has(id));
    expect(missing(busy, busyWritten), "busy rows missing").toEqual([]);
    expect(missing(added, ADDED_ROWS), "added rows missing").toEqual([]);
  }, 240_000);

  it("stops a removed table at a logged position, and refuses a breaking change while streaming on", async () => {
    const run = running as CliProcess;
    writeFileSync(specFile, spec({ database, topic, stateDir, tables: ["added"] }));
    const reload = await dts(["reload", specFile], env()).finished;
    expect(reload.code, reload.stderr).toBe(0);
    expect(reload.stdout).toContain("reload: applied (live)");
    expect(reload.stdout).toContain(`no longer streamed: ${database}.busy`);
    expect(reload.stdout).toMatch(/at \S+:\d+/);

    writeFileSync(specFile, spec({ database, topic, stateDir, tables: ["added"], format: "dts-avro" }));
    const refused = await dts(["reload", specFile], env()).finished;
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain("reload: refused");
    expect(refused.stdout).toContain("message format changes");
    expect(refused.stdout).toContain("--allow-breaking");

    const before = (readStatus(pipelineDir) as Status).messagesTotal;
    await db().query(`INSERT INTO ${database}.busy VALUES (-1, -1)`);
    await db().query(`UPDATE ${database}.added SET v = 'after reload' WHERE id = 1`);
    await waitForStatus(watch(run), (s) => s.messagesTotal >= before + 1, 30_000);
    await new Promise((r) => setTimeout(r, 1500));
    const tail = decodeChanges("canal-json", await readSettled(topic, busyWritten + ADDED_ROWS + 1, 30_000));
    expect(tail.some((c) => c.table === "busy" && Number(c.after?.id) === -1), "a removed table's row was sent").toBe(false);
    expect(tail.at(-1)).toMatchObject({ table: "added", type: "UPDATE" });
    expect(tail.at(-1)?.after?.v).toBe("after reload");

    const stop = await dts(["stop", specFile], env()).finished;
    expect(stop.code, stop.stderr).toBe(0);
    expect((await run.finished).code).toBe(0);
    running = null;
  }, 120_000);

  it("syncs a table the spec selects again when the pipeline restarts on the edited spec", async () => {
    const count = (changes: DecodedChange[], table: string) => changes.filter((c) => c.table === table).length;
    const before = decodeChanges("canal-json", await readSettled(topic, 1, 30_000));
    writeFileSync(specFile, spec({ database, topic, stateDir, tables: ["added", "busy"] }));
    const run = (running = dts(["run", specFile], env()));
    await waitForStatus(watch(run), (s) => s.phase === "streaming" && !(s as Status).snapshot && s.messagesTotal >= 1, 60_000);
    const after = decodeChanges("canal-json", await readSettled(topic, 1, 30_000));
    // busy is copied whole, with the row written while it was not selected; added is not sent again.
    const tally = (changes: DecodedChange[]) => {
      const n = new Map<number, number>();
      for (const c of changes) if (c.table === "busy") n.set(Number(c.after?.id), (n.get(Number(c.after?.id)) ?? 0) + 1);
      return n;
    };
    const was = tally(before);
    const now = tally(after);
    expect([...now].filter(([id, n]) => n - (was.get(id) ?? 0) !== 1), run.stderr()).toEqual([]);
    expect(after.filter((c) => c.table === "busy" && Number(c.after?.id) === -1)).toHaveLength(1);
    expect(count(after, "added")).toBe(count(before, "added"));
    const stop = await dts(["stop", specFile], env()).finished;
    expect(stop.code, stop.stderr).toBe(0);
    running = null;
  }, 120_000);

  it("partitions an added table's copy on its own new topic as its stream: each key on one partition", async () => {
    const own = `${topic}.own`;
    const ownDir = mkdtempSync(join(tmpdir(), "dts-reload-own-"));
    const ownSpec = join(ownDir, "reload.dts");
    await db().query(`CREATE TABLE ${database}.own (id INT PRIMARY KEY, n INT NOT NULL); INSERT INTO ${database}.own SELECT seq, 0 FROM seq.seq_1_to_300`);
    writeFileSync(ownSpec, spec({ database, topic: `${topic}.main`, stateDir: ownDir, tables: ["busy"] }));
    const run = (running = dts(["run", ownSpec], env()));
    const ownWatch = { stateDir: join(ownDir, "reload"), stderr: run.stderr };
    await waitForStatus(ownWatch, (s) => s.phase === "streaming" && !(s as Status).snapshot, 60_000);
    writeFileSync(ownSpec, spec({ database, topic: `${topic}.main`, stateDir: ownDir, tables: ["busy", "own"], topics: { own } }));
    const reload = await dts(["reload", ownSpec], env()).finished;
    expect(reload.stdout, reload.stderr).toContain("reload: applied (live)");
    await waitForStatus(ownWatch, (s) => s.phase === "streaming" && !(s as Status).snapshot && (s as Status).specChanges?.length === 1, 60_000);
    await db().query(`UPDATE ${database}.own SET n = 1`);
    const messages = await readSettled(own, 600, 60_000);
    const partitions = new Map<number, Set<number>>();
    decodeChanges("canal-json", messages).forEach((c, i) => {
      const id = Number(c.after?.id);
      partitions.set(id, (partitions.get(id) ?? new Set()).add((messages[i] as { partition: number }).partition));
    });
    expect(partitions.size).toBe(300);
    expect([...partitions].filter(([, p]) => p.size > 1).map(([id]) => id), "keys on two partitions").toEqual([]);
    expect(new Set([...partitions.values()].flatMap((p) => [...p])).size, "rows spread over both partitions").toBe(2);

    // A column the table lacks is refused at the reload, not at the table's next row.
    writeFileSync(ownSpec, spec({ database, topic: `${topic}.main`, stateDir: ownDir, tables: ["busy", "own"], topics: { own } }).replace('table "own" {', 'table "own" {\n      filter = (nosuch = 1)\n     '));
    const refused = await dts(["reload", ownSpec], env()).finished;
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stdout).toContain("reload: refused");
    expect(refused.stdout).toContain(`names column nosuch, which table ${database}.own does not have`);
    await db().query(`UPDATE ${database}.own SET n = 2 WHERE id = 1`);
    await readSettled(own, 601, 30_000);
    expect(readStatus(ownWatch.stateDir)?.phase).toBe("streaming");
    const stop = await dts(["stop", ownSpec], env()).finished;
    expect(stop.code, stop.stderr).toBe(0);
    running = null;
  }, 120_000);

  it("copies a table added by a reload that needs a new session (a compression change)", async () => {
    const restartDir = mkdtempSync(join(tmpdir(), "dts-reload-restart-"));
    const restartSpec = join(restartDir, "reload.dts");
    const restartTopic = `${topic}.restart`;
    await db().query(`CREATE TABLE ${database}.late (id INT PRIMARY KEY); INSERT INTO ${database}.late SELECT seq FROM seq.seq_1_to_200`);
    writeFileSync(restartSpec, spec({ database, topic: restartTopic, stateDir: restartDir, tables: ["busy"] }));
    const run = (running = dts(["run", restartSpec], env()));
    const restartWatch = { stateDir: join(restartDir, "reload"), stderr: run.stderr };
    await waitForStatus(restartWatch, (s) => s.phase === "streaming" && !(s as Status).snapshot, 60_000);
    writeFileSync(restartSpec, spec({ database, topic: restartTopic, stateDir: restartDir, tables: ["busy", "late"], compression: "gzip" }));
    const reload = await dts(["reload", restartSpec], env()).finished;
    expect(reload.stdout, reload.stderr).toContain("reload: applied (restart)");
    await waitForStatus(restartWatch, (s) => s.phase === "streaming" && !(s as Status).snapshot && s.messagesTotal >= 200, 60_000);
    const late = decodeChanges("canal-json", await readSettled(restartTopic, 200, 30_000)).filter((c) => c.table === "late" && c.type === "INSERT");
    expect(new Set(late.map((c) => Number(c.after?.id))).size, run.stderr()).toBe(200);
    const stop = await dts(["stop", restartSpec], env()).finished;
    expect(stop.code, stop.stderr).toBe(0);
    running = null;
  }, 120_000);

  it("refuses a reload whose new Kafka credentials the broker rejects, and runs on", async () => {
    const authDir = mkdtempSync(join(tmpdir(), "dts-reload-auth-"));
    const authSpec = join(authDir, "reload.dts");
    const authTopic = `${topic}.auth`;
    writeFileSync(authSpec, spec({ database, topic: authTopic, stateDir: authDir, tables: ["busy"] }));
    const run = (running = dts(["run", authSpec], { ...env(), WRONG_KAFKA_PASSWORD: "not-the-password" }));
    const authWatch = { stateDir: join(authDir, "reload"), stderr: run.stderr };
    await waitForStatus(authWatch, (s) => s.phase === "streaming" && !(s as Status).snapshot, 60_000);
    const sasl = [
      `brokers = ["${process.env.KAFKA_SASL_BROKERS}"]`,
      `    tls     = verify("${process.env.KAFKA_CA_FILE}")`,
      `    auth {\n      mechanism = scram-sha-256\n      username  = "${process.env.KAFKA_SCRAM_USER}"\n      password  = env("WRONG_KAFKA_PASSWORD")\n    }`,
    ].join("\n");
    writeFileSync(authSpec, spec({ database, topic: authTopic, stateDir: authDir, tables: ["busy"] }).replace(`brokers = ["${process.env.KAFKA_BROKERS}"]`, sasl));
    const refused = await dts(["reload", authSpec], env()).finished;
    expect(refused.code, refused.stdout + refused.stderr).toBe(1);
    expect(refused.stdout).toContain("reload: refused");
    expect(refused.stdout).toContain("the new Kafka settings are refused");
    expect(refused.stdout).not.toContain("not-the-password");
    const before = (readStatus(authWatch.stateDir) as Status).messagesTotal;
    await db().query(`INSERT INTO ${database}.busy VALUES (-2, -2)`);
    await waitForStatus(authWatch, (s) => s.phase === "streaming" && s.messagesTotal > before, 30_000);
    const stop = await dts(["stop", authSpec], env()).finished;
    expect(stop.code, stop.stderr).toBe(0);
    running = null;
  }, 120_000);

  it("refuses to restart on a spec whose change would break consumers, pointing to --allow-breaking", async () => {
    writeFileSync(specFile, spec({ database, topic, stateDir, tables: ["added", "busy"], format: "dts-avro" }));
    const refused = await dts(["run", specFile], env()).finished;
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/reload\.dts:1:1: error DTS\d+: pipeline reload's spec changed since its last run .*message format changes/);
    expect(refused.stderr).toContain("--allow-breaking");
    expect(decodeChanges("canal-json", await readSettled(topic, 1, 10_000)).length, "nothing in another format was sent").toBeGreaterThan(0);
  }, 60_000);
});
