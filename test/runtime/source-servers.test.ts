// Which server a pipeline reads after a failure: it moves on only when the server cannot be
// reached, tries each other server at once before backing off, and never moves back by itself.
import { describe, expect, it } from "vitest";
import { RuntimeError } from "../../src/runtime/errors.js";
import type { MysqlEndpoint } from "../../src/runtime/source/mysql-connection.js";
import { SourceServers } from "../../src/runtime/source/source-servers.js";

const server = (address: string): MysqlEndpoint => ({ address, options: { host: address.split(":")[0], port: Number(address.split(":")[1]) } });
const unreachable = new RuntimeError("source-connect", "cannot connect", { retriable: true });

describe("SourceServers", () => {
  it("stays on a lone server whatever fails", () => {
    const servers = new SourceServers([server("a:1")]);
    expect(servers.afterFailure(unreachable)).toEqual({ moved: false });
    expect(servers.current.address).toBe("a:1");
  });

  it("moves only when the server cannot be reached, not when its stream breaks or it refuses the login", () => {
    const servers = new SourceServers([server("a:1"), server("b:2")]);
    expect(servers.afterFailure(new RuntimeError("source-stream", "the binlog stream broke", { retriable: true }))).toEqual({ moved: false });
    expect(servers.afterFailure(new RuntimeError("source-connect", "access denied", { retriable: false }))).toEqual({ moved: false });
    expect(servers.current.address).toBe("a:1");
  });

  it("tries every other server at once, then backs off, and keeps the one that answered", () => {
    const servers = new SourceServers([server("a:1"), server("b:2"), server("c:3")]);
    expect(servers.afterFailure(unreachable)).toEqual({ moved: true, from: "a:1", to: "b:2", untried: true });
    expect(servers.afterFailure(unreachable)).toEqual({ moved: true, from: "b:2", to: "c:3", untried: true });
    expect(servers.afterFailure(unreachable)).toEqual({ moved: true, from: "c:3", to: "a:1", untried: false });
    expect(servers.afterFailure(unreachable)).toMatchObject({ to: "b:2", untried: false });
    servers.reached();
    expect(servers.current.address).toBe("b:2");
    // A new outage: the servers that failed in the last one are worth trying at once again.
    expect(servers.afterFailure(unreachable)).toEqual({ moved: true, from: "b:2", to: "c:3", untried: true });
  });

  it("keeps reading the same server across a reload that keeps the first server, and moves to a new first one", () => {
    const servers = new SourceServers([server("a:1"), server("b:2")]);
    servers.afterFailure(unreachable);
    servers.adopt([server("a:1"), server("b:2"), server("c:3")]);
    expect(servers.current.address).toBe("b:2");
    // The primary declared again: the reload moves the pipeline back to it.
    servers.adopt([server("b:2"), server("a:1")]);
    servers.adopt([server("a:1"), server("b:2")]);
    expect(servers.current.address).toBe("a:1");
    servers.adopt([server("x:9"), server("y:8")]);
    expect(servers.current.address).toBe("x:9");
  });

  it("starts on the server a checkpoint was read from while the list has it, else on the first", () => {
    expect(new SourceServers([server("a:1"), server("b:2")], "b:2").current.address).toBe("b:2");
    expect(new SourceServers([server("a:1"), server("b:2")], "gone:3").current.address).toBe("a:1");
    expect(new SourceServers([server("a:1"), server("b:2")]).current.address).toBe("a:1");
  });
});
