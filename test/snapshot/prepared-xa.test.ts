import { describe, expect, it } from "vitest";
import { startWithoutPreparedXa } from "../../src/runtime/snapshot/prepared-xa.js";

const point = { file: "mariadb-bin.000001", offset: 900 };

/** A server whose XA RECOVER answers come from `answers` in turn (the last repeats); null refuses. */
function server(answers: (string[] | null)[]) {
  const asked: string[] = [];
  let i = 0;
  const query = async (sql: string) => {
    asked.push(sql);
    const answer = answers[Math.min(i++, answers.length - 1)];
    if (answer === null) throw Object.assign(new Error("Access denied; you need (at least one of) the XA_RECOVER_ADMIN privilege(s)"), { errno: 1227 });
    return (answer ?? []).map((data) => ({ formatID: 1, gtrid_length: data.length, bqual_length: 0, data }));
  };
  return { query, asked };
}

function logger() {
  const lines: [string, string][] = [];
  const log = { warn: (_: unknown, msg: string) => lines.push(["warn", msg]), info: (_: unknown, msg: string) => lines.push(["info", msg]) };
  return { lines, log: log as never };
}

describe("the initial sync's start and prepared XA transactions", () => {
  it("takes the start at once when no branch is prepared before or after it", async () => {
    const { query, asked } = server([[]]);
    const { log, lines } = logger();
    let starts = 0;
    expect(await startWithoutPreparedXa(query, async () => (starts++, point), { log, stopped: () => false, pollMs: 1 })).toBe(point);
    expect([asked.length, starts, lines]).toEqual([2, 1, []]);
  });

  it("waits while a branch is prepared, before or just after the start, and says so", async () => {
    const { query } = server([["x1"], ["x1"], [], ["x2"], [], []]);
    const { log, lines } = logger();
    let starts = 0;
    expect(await startWithoutPreparedXa(query, async () => (starts++, point), { log, stopped: () => false, pollMs: 1, logEveryMs: 0 })).toBe(point);
    expect(starts).toBe(2);
    expect(lines.map(([level]) => level)).toEqual(["warn", "warn", "warn", "info"]);
    expect(lines[0]?.[1]).toMatch(/^the initial sync waits for prepared XA transactions to end/);
  });

  it("stops waiting when the session stops, and goes on with a warning where the server will not list them", async () => {
    const stoppedAfter = server([["x1"]]);
    let stop = false;
    const waiting = startWithoutPreparedXa(stoppedAfter.query, async () => point, { log: logger().log, stopped: () => stop, pollMs: 1 });
    await new Promise((r) => setTimeout(r, 20));
    stop = true;
    expect(await waiting).toBe(point);

    const { log, lines } = logger();
    expect(await startWithoutPreparedXa(server([null]).query, async () => point, { log, stopped: () => false })).toBe(point);
    expect(lines).toEqual([["warn", expect.stringContaining("XA_RECOVER_ADMIN")]]);
  });
});
