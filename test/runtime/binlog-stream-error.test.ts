// Why an open binlog stream broke, as the pipeline acts on it: a purged binlog and a takeover by
// another client with the same server_id are final, connection trouble is retried.
import { describe, expect, it } from "vitest";
import { RuntimeError } from "../../src/runtime/errors.js";
import { wrapStreamError } from "../../src/runtime/source/binlog-stream-error.js";

describe("wrapStreamError", () => {
  it("stops, without retrying, when another client took the stream over with this server_id (MariaDB's words)", () => {
    const error = wrapStreamError(Object.assign(new Error("A slave with the same server_uuid/server_id is already connected; the first event 'mariadb-bin.000038' at 7691909"), { errno: 1236 }));
    expect(error).toMatchObject({ code: "fenced", retriable: false });
    expect(error.problemCode).toBe("DTS5015");
    expect(error.hint).toMatch(/server_id/);
  });

  it("keeps a purged binlog final and a dropped connection retriable", () => {
    expect(wrapStreamError(Object.assign(new Error("Could not find first log file name in binary log index file"), { errno: 1236 }))).toMatchObject({ code: "binlog-purged", retriable: false });
    expect(wrapStreamError(Object.assign(new Error("Connection lost: The server closed the connection."), { code: "PROTOCOL_CONNECTION_LOST" }))).toMatchObject({ code: "source-stream", retriable: true });
    const judged = new RuntimeError("source-settings", "x");
    // A GTID the server lacks may also never have reached it: the message says both, the hint how to list servers.
    const missing = wrapStreamError(Object.assign(new Error("Error: connecting slave requested to start from GTID 0-2-12811, which is not in the master's binlog"), { errno: 1236 }));
    expect(missing).toMatchObject({ code: "binlog-purged", retriable: false });
    expect(missing.message).toContain("or this server never had those transactions");
    expect(missing.hint).toContain("list the current primary first");
    expect(wrapStreamError(judged)).toBe(judged);
  });

  it("says that the source did not learn that the client reads event checksums, instead of calling the binlog purged", () => {
    // MariaDB's words; MySQL 8.0.26 and later say "Replica … source".
    for (const text of [
      "Slave can not handle replication events with the checksum that master is configured to log; the first event 'mariadb-bin.000024' at 1895, the last event read from 'mariadb-bin.000024' at 4, the last byte read from 'mariadb-bin.000024' at 256.",
      "Replica can not handle replication events with the checksum that source is configured to log; the first event 'binlog.000002' at 157",
    ]) {
      const error = wrapStreamError(Object.assign(new Error(text), { errno: 1236 }));
      expect(error).toMatchObject({ code: "source-connect", retriable: false });
      expect(error.message).toContain("did not learn that this client reads them");
      expect(error.hint).toMatch(/proxy/);
    }
  });
});
