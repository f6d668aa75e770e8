// A pipeline moved to another server of its replication topology continues exactly after its
// last acknowledged transaction. The checkpoint names the server it was read from; on another
// one (a replica promoted after a failover, with its own binlog files, here even of the same
// names) it resumes by GTID position instead of file and offset.
import { describe, expect, it } from "vitest";
import { decodeChanges, pipelinePlan, readSettled, readStatus, rule, startInProcess, uniqueName } from "./runtime-helpers.js";
import { useThrowawayMariadb } from "./throwaway-mariadb.js";

const schema = "CREATE DATABASE app; CREATE TABLE app.n (id INT PRIMARY KEY, v INT NOT NULL)";

describe("moving a pipeline to a replica", () => {
  const primary = useThrowawayMariadb({ name: "move-primary", envPrefix: "MOVE_PRIMARY", setup: schema });
  const replica = useThrowawayMariadb({ name: "move-replica", envPrefix: "MOVE_REPLICA", extraArgs: ["--server-id=2", "--log-slave-updates=ON"], setup: "SELECT 1" });

  async function gtidPosition(db: ReturnType<typeof primary.db>): Promise<string> {
    const [rows] = await db.query("SELECT @@gtid_binlog_pos AS pos");
    return String((rows as { pos: string }[])[0]?.pos);
  }

  async function insert(db: ReturnType<typeof primary.db>, from: number, to: number): Promise<void> {
    for (let id = from; id <= to; id++) await db.query("INSERT INTO app.n VALUES (?, ?)", [id, id]);
  }

  it("continues on the replica after the last acknowledged transaction: nothing lost, nothing twice", async () => {
    const config = primary.db().config;
    // A replica as a backup would make it: the primary's data as of a GTID position (here the
    // schema alone), then replication from that position on.
    await replica.db().query(`RESET MASTER; SET sql_log_bin = 0; ${schema}; SET sql_log_bin = 1`);
    await replica.db().query(
      `SET GLOBAL gtid_slave_pos = '${await gtidPosition(primary.db())}'; CHANGE MASTER TO MASTER_HOST = '${config.host}', MASTER_PORT = ${config.port}, MASTER_USER = '${process.env.DTS_MOVE_PRIMARY_USER}', MASTER_PASSWORD = '${process.env.DTS_MOVE_PRIMARY_PASSWORD}', MASTER_USE_GTID = slave_pos; START SLAVE`,
    );
    const topic = uniqueName("replica-move");
    const plan = pipelinePlan(uniqueName("move"), topic, [rule("app", "n")]);
    primary.useAsSource(plan);
    let runtime = await startInProcess(plan);
    await insert(primary.db(), 1, 150);
    await readSettled(topic, 150);
    expect((await runtime.stop()).phase).toBe("stopped");
    const left = readStatus(runtime.stateDir)?.checkpoint?.position as unknown as { file: string; gtidSet: string | null };
    expect(left.gtidSet).toMatch(/^0-1-\d+$/);

    // Written while the pipeline is away; the replica must bring them.
    await insert(primary.db(), 151, 200);
    const [waited] = await replica.db().query("SELECT MASTER_GTID_WAIT(?, 30) AS result", [await gtidPosition(primary.db())]);
    expect((waited as { result: number }[])[0]?.result).toBe(0);
    // The failover: the replica becomes the primary and takes the writes.
    await replica.db().query("STOP SLAVE; RESET SLAVE ALL");

    replica.useAsSource(plan);
    runtime = await startInProcess(plan);
    await insert(replica.db(), 201, 300);
    const changes = decodeChanges("canal-json", await readSettled(topic, 300, 60_000));
    expect(changes.map((c) => Number(c.after?.id))).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    await new Promise((r) => setTimeout(r, 1500));
    const now = readStatus(runtime.stateDir)?.checkpoint?.position as unknown as { file: string; gtidSet: string | null };
    expect(now.gtidSet).toBe(await gtidPosition(replica.db()));
    expect((await runtime.stop()).phase).toBe("stopped");
  }, 120_000);
});
