// Where a session's stream opens from a checkpoint: file and offset on the server that wrote
// it; the GTID position on another server of the topology; a clear refusal when the checkpoint
// has no GTID position to move with.
import { describe, expect, it } from "vitest";
import type { Checkpoint } from "../../src/runtime/checkpoint/checkpoint.js";
import { RuntimeError } from "../../src/runtime/errors.js";
import { streamOpening } from "../../src/runtime/session/start-position.js";
import { readFileSync } from "node:fs";
import { compile } from "../../src/compiler/index.js";
import type { Pipeline } from "../../src/generated/plan.js";

const pipeline = compile([{ file: "specs/minimal.dts", text: readFileSync("specs/minimal.dts", "utf8") }]).plan?.pipelines[0] as Pipeline;
const checkpoint = (position: Checkpoint["position"], sourceServerId?: number): Checkpoint => ({
  version: 1, pipeline: "p", position, eventTimeSeconds: 0, partitionCounts: {}, updatedAt: "2026-11-30T00:00:00Z", ...(sourceServerId === undefined ? {} : { sourceServerId }),
});
const binlogs = [{ name: "mariadb-bin.000001", size: 100_000 }];
const written = { file: "mariadb-bin.000001", offset: 5_000, gtidSet: "0-1-42" };

describe("resuming from a checkpoint", () => {
  it("uses file and offset on the server that wrote it (or when the checkpoint does not say)", () => {
    for (const serverId of [1, null]) {
      expect(streamOpening(pipeline, checkpoint(written, 1), null, { binlogs, serverId }).start).toEqual({ kind: "position", file: "mariadb-bin.000001", offset: 5_000 });
    }
    expect(streamOpening(pipeline, checkpoint(written), null, { binlogs, serverId: 2 }).start).toEqual({ kind: "position", file: "mariadb-bin.000001", offset: 5_000 });
  });

  it("keeps skipping what came before a start_from timestamp when it resumes there", () => {
    const at = Date.parse("2026-12-01T23:40:00Z");
    const fromTimestamp = { ...pipeline, initialSync: { ...pipeline.initialSync, data: false }, source: { ...pipeline.source, startFrom: { kind: "timestamp", epochMillis: at } } } as Pipeline;
    expect(streamOpening(fromTimestamp, null, null, { binlogs, serverId: 1 }).skipBeforeSeconds).toBe(at / 1000);
    expect(streamOpening(fromTimestamp, checkpoint(written, 1), null, { binlogs, serverId: 1 }).skipBeforeSeconds).toBe(at / 1000);
    expect(streamOpening({ ...fromTimestamp, source: pipeline.source }, checkpoint(written, 1), null, { binlogs, serverId: 1 }).skipBeforeSeconds).toBeNull();
  });

  it("skips nothing when its checkpoint reached the start_from timestamp: a later change with an older time is sent", () => {
    const at = Date.parse("2026-12-01T23:40:00Z");
    const fromTimestamp = { ...pipeline, initialSync: { ...pipeline.initialSync, data: false }, source: { ...pipeline.source, startFrom: { kind: "timestamp", epochMillis: at } } } as Pipeline;
    const past = { ...checkpoint(written, 1), eventTimeSeconds: at / 1000 };
    expect(streamOpening(fromTimestamp, past, null, { binlogs, serverId: 1 }).skipBeforeSeconds).toBeNull();
    expect(streamOpening(fromTimestamp, { ...past, eventTimeSeconds: at / 1000 - 1 }, null, { binlogs, serverId: 1 }).skipBeforeSeconds).toBe(at / 1000);
  });

  it("uses the GTID position on another server, even one whose binlog files have the same names", () => {
    expect(streamOpening(pipeline, checkpoint(written, 1), null, { binlogs, serverId: 2 }).start).toEqual({ kind: "gtid", gtidSet: "0-1-42" });
  });

  it("resumes MySQL by its GTID set whenever the checkpoint has one, so later checkpoints keep it", () => {
    const mysqlSet = "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-23";
    const onMysql = { file: "binlog.000007", offset: 1557, gtidSet: mysqlSet };
    expect(streamOpening(pipeline, checkpoint(onMysql, 1), null, { binlogs, serverId: 1, isMariaDb: false }).start).toEqual({ kind: "gtid", gtidSet: mysqlSet });
    // Without GTIDs (gtid_mode OFF) MySQL resumes by file and offset; MariaDB always does on its own server.
    expect(streamOpening(pipeline, checkpoint({ ...onMysql, gtidSet: null }, 1), null, { binlogs: [{ name: "binlog.000007", size: 9_000 }], serverId: 1, isMariaDb: false }).start).toMatchObject({ kind: "position" });
    expect(streamOpening(pipeline, checkpoint(written, 1), null, { binlogs, serverId: 1, isMariaDb: true }).start).toMatchObject({ kind: "position" });
  });

  it("opens an initial sync's stream at its start, seeded with MySQL's executed GTID set read with the position", () => {
    const withData = { ...pipeline, initialSync: { ...pipeline.initialSync, data: true } };
    const prepared = { tables: [], progress: {} as never, startPoint: { file: "binlog.000007", offset: 1557, executedGtids: "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-23" }, resumed: false };
    expect(streamOpening(withData, null, prepared, { binlogs, serverId: 1, isMariaDb: false }).start).toEqual({ kind: "position", file: "binlog.000007", offset: 1557, gtidSeed: "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-23" });
  });

  it("refuses to guess on another server when the checkpoint has no GTID position", () => {
    const opening = () => streamOpening(pipeline, checkpoint({ ...written, gtidSet: null }, 1), null, { binlogs, serverId: 2 });
    expect(opening).toThrow(RuntimeError);
    expect(opening).toThrow(/server_id 1, this is server_id 2.*no GTID position/);
  });

  it("on another server, checks first that its binlog holds the GTID position: a replica behind is waited for", () => {
    const replica = { binlogs, serverId: 2, isMariaDb: true, address: "127.0.0.1:3402", binlogGtids: "", logsReplicated: true };
    const opening = () => streamOpening(pipeline, checkpoint(written, 1), null, replica);
    expect(opening).toThrow(/127\.0\.0\.1:3402 \(server_id 2\) has not yet logged .*lacks GTID 0-1-42/);
    expect(streamOpening(pipeline, checkpoint(written, 1), null, { ...replica, binlogGtids: "0-1-42" }).start).toEqual({ kind: "gtid", gtidSet: "0-1-42", heldByServer: true });
    expect(() => streamOpening(pipeline, checkpoint(written, 1), null, { ...replica, logsReplicated: false })).toThrow(/log_slave_updates = OFF/);
  });

  it("checks a start_from GTID position the same way", () => {
    const fromGtid = { ...pipeline, initialSync: { ...pipeline.initialSync, data: false }, source: { ...pipeline.source, startFrom: { kind: "gtid", gtidSet: "0-1-42" } } } as Pipeline;
    expect(() => streamOpening(fromGtid, null, null, { binlogs, serverId: 1, binlogGtids: "0-1-40" })).toThrow(/lacks GTID 0-1-42/);
    expect(streamOpening(fromGtid, null, null, { binlogs, serverId: 1, binlogGtids: "0-1-42" }).start).toEqual({ kind: "gtid", gtidSet: "0-1-42", heldByServer: true });
  });
});
