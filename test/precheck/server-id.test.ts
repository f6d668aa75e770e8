import { describe, expect, it } from "vitest";
import { checkServerId } from "../../src/precheck/server-id.js";
import { facts, pipeline, plan } from "./fixtures.js";

const env = { DB_HOST: "db.internal" };

describe("server id", () => {
  it("passes for an id unique on the source", () => {
    expect(checkServerId(facts(), plan(pipeline()), 0, env)).toMatchObject({ status: "pass" });
  });

  it("fails when the server's own server_id is 0 or equal to the pipeline's", () => {
    expect(checkServerId(facts({}, { server_id: "0" }), plan(pipeline()), 0, env).reason).toMatch(/server_id is 0/);
    expect(checkServerId(facts({}, { server_id: "5001" }), plan(pipeline()), 0, env).reason).toMatch(/source's own server_id/);
  });

  it("fails when another pipeline reads the same source with the same id, after resolving env refs", () => {
    const other = pipeline({ name: "shop-eu" });
    other.source = { ...other.source, host: { env: "DB_HOST" } };
    const result = checkServerId(facts(), plan(pipeline(), other), 0, env);
    expect(result.status).toBe("fail");
    expect(result.reason).toContain('"shop-eu"');
    const elsewhere = pipeline({ name: "hr" });
    elsewhere.source = { ...elsewhere.source, host: "hr-db.internal" };
    expect(checkServerId(facts(), plan(pipeline(), elsewhere), 0, env).status).toBe("pass");
  });

  it("fails when a connected replica uses the id, and warns when replicas cannot be listed", () => {
    const busy = facts({ replicas: { ok: true, value: [{ serverId: 5001, host: "replica-2", port: 3306 }] } });
    expect(checkServerId(busy, plan(pipeline()), 0, env).reason).toContain("replica-2:3306");
    const denied = facts({ replicas: { ok: false, error: "Access denied; you need the REPLICATION MASTER ADMIN privilege" } });
    expect(checkServerId(denied, plan(pipeline()), 0, env).status).toBe("warn");
  });
});
