// The initial sync against the real stack: tables written during their own snapshot (inserts,
// updates, key moves and deletes landing in chunks already read and not yet read, stretched by
// a small chunk size and a throttle) end with Kafka's latest row per key equal to the table, the
// CREATE TABLE records come before the rows, and streaming simply goes on afterwards.
import { describe, expect, it } from "vitest";
import { readSettled, readStatus, rootConnection, rule, stopChild, topicSize, uniqueName } from "./runtime-helpers.js";
import { useTestDatabase } from "./test-database.js";
import { logLines, readCheckpoint, replay, snapshotPlan, spawnRuntime, tableRows, waitForPhase } from "./snapshot-helpers.js";

describe("initial sync under concurrent writes", () => {
  const { database, db } = useTestDatabase("snap_mix", (database) => {
    const items = Array.from({ length: 6000 }, (_, i) => `(${(i + 1) * 2}, 0, 'n${i}', '2024-01-01 00:00:00.${String(i % 1000).padStart(3, "0")}', REPEAT('x', 255))`);
    const names = Array.from({ length: 800 }, (_, i) => `('${nameFor(i)}', 0)`);
    return [
      `CREATE TABLE ${database}.items (id INT PRIMARY KEY, v INT NOT NULL, note VARCHAR(40), at DATETIME(3), pad CHAR(255) NOT NULL DEFAULT '')`,
      `CREATE TABLE ${database}.names (name VARCHAR(40) COLLATE utf8mb4_general_ci PRIMARY KEY, v INT NOT NULL)`,
      `INSERT INTO ${database}.items VALUES ${items.join(",")}`,
      `INSERT INTO ${database}.names VALUES ${names.join(",")}`,
    ];
  });

  it("ends with Kafka's latest row per key equal to each table", async () => {
    const topic = uniqueName("snap-mix");
    const plan = snapshotPlan(uniqueName("mix"), topic, [rule(database, null)], { chunkSize: 400, parallelism: 2, throttle: { rowsPerSecond: 3000, bytesPerSecond: null } });
    const runtime = spawnRuntime(plan);
    let stopWriting = false;
    try {
      // Four writers from the runtime's start until a little into the stream; the chunks are
      // large enough that writes land between a chunk's SELECT and its high watermark. Started
      // only once the snapshot showed, on a loaded machine they missed most of its windows.
      let writes = 0;
      const writer = async (seed: number) => {
        const connection = await rootConnection();
        // Four writers moving keys take gap locks against each other; like any application,
        // retry the statement InnoDB rolled back (nothing of it reached the binlog).
        const query = (sql: string, values?: unknown[]) => retryOnLockConflict(() => connection.query(sql, values));
        let random = seed;
        const next = (n: number) => ((random = (random * 1103515245 + 12345) % 2147483648), random % n);
        let extra = 0;
        try {
          while (extra < 20 && !stopWriting) {
            if (readStatus(runtime.stateDir)?.phase === "streaming") extra++;
            const id = next(12_800) + 1;
            const n = writes++;
            switch (next(5)) {
              case 0:
                await query(`INSERT IGNORE INTO ${database}.items (id, v, note, at) VALUES (${id}, ${n}, 'ins', NOW(3))`);
                break;
              case 1:
                await query(`UPDATE ${database}.items SET v = ${n}, note = 'upd' WHERE id = ${id}`);
                break;
              case 2:
                await query(`UPDATE IGNORE ${database}.items SET id = ${next(12_800) + 1}, v = ${n} WHERE id = ${id}`);
                break;
              case 3:
                await query(`DELETE FROM ${database}.items WHERE id = ${id}`);
                break;
              default: {
                await query(`INSERT INTO ${database}.names VALUES (?, ?) ON DUPLICATE KEY UPDATE v = ?`, [nameFor(next(1000)), n, n]);
                if (next(3) === 0) await query(`DELETE FROM ${database}.names WHERE name = ?`, [nameFor(next(1000))]);
              }
            }
          }
        } finally {
          await connection.end();
        }
      };
      const writing = Promise.all([1, 2, 3, 4].map((seed) => writer(seed * 7919)));
      await waitForPhase(runtime, "snapshotting", 60_000);
      await writing;
      expect(writes).toBeGreaterThan(200);
      await waitForPhase(runtime, "streaming", 120_000);
      // Every change is now in the binlog; wait until the topic stops growing and compare.
      const messages = await readSettled(topic, await topicSize(topic), 120_000);
      for (const table of ["items", "names"]) {
        const { info, rows } = await tableRows(db(), database, table);
        const topicState = replay(messages, info);
        const missing = [...rows].filter(([k, v]) => topicState.latest.get(k) !== v).slice(0, 5);
        const extraKeys = [...topicState.latest.keys()].filter((k) => !rows.has(k)).slice(0, 5);
        expect({ table, missing, extraKeys }).toEqual({ table, missing: [], extraKeys: [] });
        expect(topicState.latest.size).toBe(rows.size);
        // The schema record of the table precedes its first snapshot row.
        const create = topicState.ddl.find((d) => d.sql.includes(`CREATE TABLE \`${table}\``));
        expect(create).toBeDefined();
        expect(create!.index).toBeLessThan(topicState.firstInitIndex);
      }
      const checkpoint = readCheckpoint(runtime.stateDir);
      expect(checkpoint?.snapshot?.complete).toBe(true);
      const lines = logLines(runtime);
      expect(lines.filter((l) => l.msg === "snapshot chunk read").length).toBeGreaterThan(6000 / 400);
      // Some chunks really were corrected by changes between their SELECT and high watermark.
      const windowChanges = lines.filter((l) => l.msg === "snapshot chunk reconciled").reduce((sum, l) => sum + Number(l.windowChanges), 0);
      expect(windowChanges).toBeGreaterThan(0);
    } finally {
      stopWriting = true; // should the runtime never reach the stream
      await stopChild(runtime);
    }
  });
});

describe("initial sync of a table read in one pass, under concurrent writes", () => {
  // A DOUBLE key cannot be paged through exactly, so the table is read in one SELECT, which sees
  // the table as it was when it began; changes made during the read must reach Kafka after it.
  const { database, db } = useTestDatabase("snap_onepass", (database) => [
    `CREATE TABLE ${database}.prices (id DOUBLE PRIMARY KEY, v INT NOT NULL, pad CHAR(200) NOT NULL DEFAULT '')`,
    `INSERT INTO ${database}.prices (id, v) VALUES ${Array.from({ length: 4000 }, (_, i) => `(${i}.5, 0)`).join(",")}`,
  ]);

  it("sends the changes made during the read after its rows: no stale row, no deleted row back", async () => {
    const topic = uniqueName("snap-onepass");
    const plan = snapshotPlan(uniqueName("onepass"), topic, [rule(database, "prices")], { chunkSize: 200, throttle: { rowsPerSecond: 1500, bytesPerSecond: null } });
    const runtime = spawnRuntime(plan);
    let stopWriting = false;
    try {
      const connection = await rootConnection();
      let writes = 0;
      const writing = (async () => {
        try {
          // Rows late in the read's order change early in it, so the SELECT sends them after.
          for (let n = 1; !stopWriting && readStatus(runtime.stateDir)?.phase !== "streaming"; n++) {
            const id = 3999 - (n % 4000);
            await connection.query(n % 3 === 0 ? `DELETE FROM ${database}.prices WHERE id = ${id}.5` : `UPDATE ${database}.prices SET v = ${n} WHERE id = ${id}.5`);
            writes++;
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
        } finally {
          await connection.end();
        }
      })();
      await waitForPhase(runtime, "streaming", 120_000);
      await writing;
      expect(writes).toBeGreaterThan(50);
      const messages = await readSettled(topic, await topicSize(topic), 120_000);
      const { info, rows } = await tableRows(db(), database, "prices");
      const topicState = replay(messages, info);
      const wrong = [...rows].filter(([k, v]) => topicState.latest.get(k) !== v).slice(0, 5);
      const back = [...topicState.latest.keys()].filter((k) => !rows.has(k)).slice(0, 5);
      expect({ wrong, back }).toEqual({ wrong: [], back: [] });
    } finally {
      stopWriting = true;
      await stopChild(runtime);
    }
  });
});

describe("initial sync of a key holding bytes its charset cannot show", () => {
  // The server sends the bytes 0x80 and 0x81 of an ascii column as '?': a chunk starting after
  // 'a?' found the same rows again, and the copy sent them for ever.
  const { database } = useTestDatabase("snap_badkey", (database) => [
    `CREATE TABLE ${database}.t (k VARCHAR(8) CHARACTER SET ascii NOT NULL PRIMARY KEY, v INT NOT NULL)`,
    "SET SESSION sql_mode = ''",
    `INSERT INTO ${database}.t VALUES ('a', 1), (X'6180', 2), (X'6181', 3), ('b', 4)`,
  ]);

  it("stops with an error naming the table and the key instead of copying the same rows again and again", async () => {
    const plan = snapshotPlan(uniqueName("badkey"), uniqueName("snap-badkey"), [rule(database, "t")], { chunkSize: 1 });
    const runtime = spawnRuntime(plan);
    try {
      expect(await runtime.exited).toBe(1);
      expect(runtime.stderr()).toContain(`initial sync of ${database}.t cannot page past key`);
    } finally {
      await stopChild(runtime);
    }
  });
});

/** Runs a statement again while InnoDB picks it as a deadlock victim or its lock wait times out. */
async function retryOnLockConflict<T>(statement: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await statement();
    } catch (error) {
      const errno = (error as { errno?: number }).errno;
      if ((errno !== 1213 && errno !== 1205) || attempt >= 20) throw error;
    }
  }
}

/** Names whose binary order differs from utf8mb4_general_ci order, all distinct under it. */
function nameFor(i: number): string {
  const prefixes = ["a", "B", "é", "Z", "m", "Ö"];
  return `${prefixes[i % prefixes.length]}${String(Math.floor(i / prefixes.length)).padStart(3, "0")}`;
}

describe("initial sync of a table dropped while it is copied", () => {
  const { database, db } = useTestDatabase("snap_drop", (database) => [
    `CREATE TABLE ${database}.kept (id INT PRIMARY KEY)`,
    `CREATE TABLE ${database}.gone (id INT PRIMARY KEY, note VARCHAR(20))`,
    `INSERT INTO ${database}.kept VALUES ${Array.from({ length: 300 }, (_, i) => `(${i + 1})`).join(",")}`,
    `INSERT INTO ${database}.gone VALUES ${Array.from({ length: 3000 }, (_, i) => `(${i + 1}, 'row ${i + 1}')`).join(",")}`,
  ]);

  it("ends that table's copy with a warning, keeps what was sent, sends the DROP and completes the sync", async () => {
    const topic = uniqueName("snap-drop");
    const plan = snapshotPlan(uniqueName("drop"), topic, [rule(database, null)], { chunkSize: 100, parallelism: 2, throttle: { rowsPerSecond: 1000, bytesPerSecond: null } }, { ddl: "capture" });
    const runtime = spawnRuntime(plan);
    try {
      await waitForPhase(runtime, "snapshotting", 60_000);
      const deadline = Date.now() + 60_000;
      while ((readCheckpoint(runtime.stateDir)?.snapshot?.tables[`${database}.gone`]?.rowsDone ?? 0) < 300 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const { info } = await tableRows(db(), database, "gone");
      await db().query(`DROP TABLE ${database}.gone`);
      await waitForPhase(runtime, "streaming", 60_000);
      expect(readCheckpoint(runtime.stateDir)?.snapshot?.complete).toBe(true);
      const lines = logLines(runtime);
      expect(lines.find((l) => l.level === 40 && l.table === `${database}.gone`)?.msg).toMatch(/dropped or renamed while the initial sync copied it/);
      expect(lines.filter((l) => l.msg === "pipeline retrying")).toEqual([]);
      const messages = await readSettled(topic, await topicSize(topic), 60_000);
      const kept = await tableRows(db(), database, "kept");
      expect(replay(messages, kept.info).latest).toEqual(kept.rows);
      const gone = replay(messages, info);
      expect(gone.initCount.size).toBeGreaterThanOrEqual(300);
      expect(gone.ddl.some((d) => /DROP TABLE/i.test(d.sql))).toBe(true);
    } finally {
      await stopChild(runtime);
    }
  });
});
