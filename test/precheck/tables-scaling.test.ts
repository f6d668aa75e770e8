// The tables-exist precheck looks exact rules up by name, so a pipeline that lists every table
// of a large server one by one is checked in time near-linear in the tables.
import { describe, expect, it } from "vitest";
import { checkTablesExist } from "../../src/precheck/tables.js";
import { expectNearLinear } from "../scaling.js";
import { facts, pipeline, rule, tableFacts } from "./fixtures.js";

describe("tables-exist at scale", () => {
  it("is near-linear in the number of tables listed one by one", () => {
    const setup = (n: number) => {
      const names = Array.from({ length: n }, (_, i) => `t${i}`);
      return {
        source: facts({ tables: { ok: true, value: names.map((t) => tableFacts("shop", t)) }, databases: { ok: true, value: ["shop"] } }),
        spec: pipeline({ objects: names.map((t) => rule({ exact: "shop" }, { exact: t })) as never }),
      };
    };
    expectNearLinear(setup, ({ source, spec }) => expect(checkTablesExist(source, spec).status).toBe("pass"), 1000);
  });
});
