import { describe, expect, it } from "vitest";
import type { RawRow, SourceEvent } from "../../src/runtime/source/binlog-events.js";
import { BinlogTableMap } from "../../src/runtime/source/table-map.js";
import { TransactionAssembler, type AssembledUnit } from "../../src/runtime/source/transaction-assembler.js";

const pos = (offset: number) => ({ file: "mysql-bin.000001", offset, gtidSet: `0-1-${offset}` });
const rows = (id: number): SourceEvent => ({ type: "rows", kind: "insert", database: "d", table: "t", tableMap: new BinlogTableMap("d", "t", 1, ["id"], null), rows: [{ id } as RawRow], timestampSeconds: 10 });

function feed(events: SourceEvent[]): AssembledUnit[] {
  const assembler = new TransactionAssembler();
  return events.flatMap((e) => {
    const unit = assembler.push(e);
    return unit ? [unit] : [];
  });
}

describe("TransactionAssembler", () => {
  it("releases a transaction's rows together at its commit, in order", () => {
    const units = feed([
      { type: "begin", gtid: "0-1-7", timestampSeconds: 10 },
      rows(1),
      rows(2),
      { type: "commit", xid: "42", position: pos(500), timestampSeconds: 10 },
    ]);
    expect(units).toHaveLength(1);
    const tx = units[0] as Extract<AssembledUnit, { type: "transaction" }>;
    expect(tx.gtid).toBe("0-1-7");
    expect(tx.xid).toBe("42");
    expect(tx.position).toEqual(pos(500));
    expect(tx.rows.map((r) => (r.rows as { id: number }[])[0]?.id)).toEqual([1, 2]);
  });

  it("emits nothing for a rolled-back transaction but still moves the position", () => {
    const units = feed([{ type: "begin", gtid: null, timestampSeconds: 1 }, rows(1), { type: "rollback", position: pos(300), timestampSeconds: 1 }]);
    expect(units).toEqual([{ type: "boundary", position: pos(300), timestampSeconds: 1 }]);
  });

  it("drops a transaction left open by a new begin (never committed)", () => {
    const units = feed([{ type: "begin", gtid: "0-1-1", timestampSeconds: 1 }, rows(1), { type: "begin", gtid: "0-1-2", timestampSeconds: 1 }, rows(2), { type: "commit", xid: "9", position: pos(900), timestampSeconds: 1 }]);
    expect(units).toHaveLength(1);
    const tx = units[0] as Extract<AssembledUnit, { type: "transaction" }>;
    expect(tx.gtid).toBe("0-1-2");
    expect(tx.rows).toHaveLength(1);
  });

  it("passes DDL through and ignores boundaries inside an open transaction", () => {
    const units = feed([
      { type: "boundary", position: pos(100), timestampSeconds: 1 },
      { type: "begin", gtid: null, timestampSeconds: 1 },
      { type: "boundary", position: pos(150), timestampSeconds: 1 },
      rows(1),
      { type: "commit", xid: "", position: pos(200), timestampSeconds: 1 },
      { type: "ddl", database: "d", sql: "ALTER TABLE t ADD c INT", gtid: "0-1-3", position: pos(300), timestampSeconds: 2 },
    ]);
    expect(units.map((u) => u.type)).toEqual(["boundary", "transaction", "ddl"]);
  });

  it("gives the rows of CREATE TABLE … SELECT the statement's GTID, as MariaDB and MySQL log it", () => {
    const create = { type: "ddl", database: "d", sql: "CREATE TABLE c SELECT * FROM t", position: pos(250), timestampSeconds: 2 } as const;
    const commit = { type: "commit", xid: "", position: pos(400), timestampSeconds: 2 } as const;
    const mariadb = feed([{ type: "begin", gtid: "0-1-9", timestampSeconds: 2 }, { ...create, gtid: null }, rows(1), commit]);
    const mysql = feed([{ ...create, gtid: "u:9" }, rows(1), commit]);
    expect(mariadb.map((u) => (u.type === "ddl" ? u.event.gtid : u.type === "transaction" ? u.gtid : u.type))).toEqual(["0-1-9", "0-1-9"]);
    expect(mysql.map((u) => (u.type === "ddl" ? u.event.gtid : u.type === "transaction" ? u.gtid : u.type))).toEqual(["u:9", "u:9"]);
    // rows after the DDL's transaction ended do not inherit its GTID
    const later = feed([{ ...create, gtid: "u:9" }, { type: "boundary", position: pos(300), timestampSeconds: 2 }, { type: "begin", gtid: null, timestampSeconds: 2 }, rows(2), commit]).at(-1);
    expect(later).toMatchObject({ type: "transaction", gtid: null });
  });

  it("keeps a prepared XA branch's rows until its XA COMMIT, after other transactions", () => {
    const units = feed([
      { type: "begin", gtid: "0-1-15", xaId: "1:7831:", timestampSeconds: 1 },
      rows(1),
      { type: "boundary", position: pos(680), timestampSeconds: 1 }, // XA END
      { type: "xa-prepare", xaId: "1:7831:", onePhase: false, position: pos(718), timestampSeconds: 1 },
      { type: "begin", gtid: "0-1-16", timestampSeconds: 2 },
      rows(2),
      { type: "commit", xid: "27", position: pos(953), timestampSeconds: 2 },
      { type: "xa-commit", xaId: "1:7831:", gtid: "0-1-17", position: pos(1083), timestampSeconds: 3 },
    ]);
    expect(units.map((u) => u.type)).toEqual(["xa-prepare", "transaction", "transaction"]);
    const committed = units[2] as Extract<AssembledUnit, { type: "transaction" }>;
    expect(committed.xa).toEqual({ id: "1:7831:", prepared: true });
    expect(committed.gtid).toBe("0-1-17");
    expect(committed.position).toEqual(pos(1083));
    expect(committed.rows.map((r) => (r.rows as { id: number }[])[0]?.id)).toEqual([1]);
  });

  it("sends nothing for an XA ROLLBACK and says so only for branches it prepared", () => {
    const units = feed([
      { type: "begin", gtid: "0-1-18", xaId: "1:7832:", timestampSeconds: 1 },
      rows(3),
      { type: "xa-prepare", xaId: "1:7832:", onePhase: false, position: pos(1412), timestampSeconds: 1 },
      { type: "xa-rollback", xaId: "1:7832:", gtid: "0-1-19", position: pos(1544), timestampSeconds: 1 },
      { type: "xa-rollback", xaId: "1:7833:", gtid: "0-1-20", position: pos(1600), timestampSeconds: 1 },
    ]);
    expect(units.map((u) => u.type)).toEqual(["xa-prepare", "xa-rollback", "boundary"]);
  });

  it("commits a one-phase XA branch at once (MySQL logs it as XA_PREPARE with one_phase)", () => {
    const units = feed([
      { type: "begin", gtid: null, xaId: "1:7833:", timestampSeconds: 1 },
      rows(4),
      { type: "xa-prepare", xaId: "1:7833:", onePhase: true, position: pos(2000), timestampSeconds: 1 },
    ]);
    expect(units).toHaveLength(1);
    expect((units[0] as Extract<AssembledUnit, { type: "transaction" }>).rows).toHaveLength(1);
  });

  it("marks an XA COMMIT whose prepare it never saw, with no rows", () => {
    const units = feed([{ type: "xa-commit", xaId: "1:7834:", gtid: "0-1-30", position: pos(3000), timestampSeconds: 1 }]);
    const tx = units[0] as Extract<AssembledUnit, { type: "transaction" }>;
    expect(tx.xa).toEqual({ id: "1:7834:", prepared: false });
    expect(tx.rows).toEqual([]);
  });
});
