// The server-id rule over facts and resolved addresses, without a server: the ids it compares
// and where it points when the spec chose the clashing id.
import { describe, expect, it } from "vitest";
import { checkServerId, type ServerIdFacts } from "../../src/plan/index.js";
import { pipeline, plan } from "../precheck/fixtures.js";

const facts = (extra: Partial<ServerIdFacts> = {}, serverId = "1"): ServerIdFacts => ({ isMariaDb: true, variables: { server_id: serverId }, replicas: { ok: true, value: [] }, ...extra });

describe("the server-id rule", () => {
  it("passes an id that neither the server, another pipeline nor a replica uses", () => {
    expect(checkServerId(facts(), plan(pipeline()), 0, ["db:3306"])).toMatchObject({ status: "pass", fix: null });
  });

  it("fails on the server's side for server_id 0, with no place in the spec", () => {
    const result = checkServerId(facts({}, "0"), plan(pipeline()), 0, ["db:3306"]);
    expect(result).toMatchObject({ status: "fail" });
    expect(result.location).toBeUndefined();
  });

  it("points at the pipeline when its id is the server's own or another pipeline's on the same address", () => {
    expect(checkServerId(facts({}, "5001"), plan(pipeline()), 0, ["db:3306"]).location).toEqual({ file: "shop.dts", line: 1, column: 1 });
    const other = pipeline({ name: "shop-eu" });
    const clash = checkServerId(facts(), plan(pipeline(), other), 0, ["db:3306", "db:3306"]);
    expect(clash).toMatchObject({ status: "fail", location: { file: "shop.dts", line: 1 } });
    expect(clash.reason).toContain('"shop-eu"');
    expect(checkServerId(facts(), plan(pipeline(), other), 0, ["db:3306", "hr-db:3306"]).status).toBe("pass");
    expect(checkServerId(facts(), plan(pipeline(), other), 0, ["db:3306", null]).status).toBe("pass");
  });

  it("warns when the replicas cannot be listed", () => {
    expect(checkServerId(facts({ replicas: { ok: false, error: "denied" } }), plan(pipeline()), 0, ["db:3306"]).status).toBe("warn");
  });
});
