// Which server of the source's replication topology the pipeline reads. The spec lists them
// primary first; the pipeline stays on the one it reads until that one cannot be reached, then
// tries the next, in a circle, inside the retry window. It never moves back on its own: the
// server it left may have been demoted, and a move costs a resume by GTID position.
import type { RuntimeError } from "../errors.js";
import type { MysqlEndpoint } from "./mysql-connection.js";

export type AfterFailure =
  /** Not the source's reach, or only one server: retry the same one after the backoff. */
  | { moved: false }
  /** Moved to `to`; `untried` when it has not failed yet in this outage, so it is worth trying at once. */
  | { moved: true; from: string; to: string; untried: boolean };

export class SourceServers {
  #servers: readonly MysqlEndpoint[];
  #at = 0;
  /** Servers that failed to connect since the last session that reached its server. */
  #failedInOutage = new Set<string>();

  constructor(servers: readonly MysqlEndpoint[]) {
    if (servers.length === 0) throw new Error("a source needs at least one server");
    this.#servers = servers;
  }

  /** The server the next session connects to. */
  get current(): MysqlEndpoint {
    return this.#servers[this.#at] as MysqlEndpoint;
  }

  /** A reloaded spec's servers; the pipeline stays on the one it reads when the list still has it. */
  adopt(servers: readonly MysqlEndpoint[]): void {
    const address = this.current.address;
    this.#servers = servers;
    this.#at = Math.max(0, servers.findIndex((s) => s.address === address));
    this.#failedInOutage.clear();
  }

  /** A session reached its server: a later failure starts a new outage. */
  reached(): void {
    this.#failedInOutage.clear();
  }

  /** After a failed session: moves on when the server could not be reached and there is another. */
  afterFailure(failure: RuntimeError): AfterFailure {
    if (this.#servers.length < 2 || failure.code !== "source-connect" || !failure.retriable) return { moved: false };
    const from = this.current.address;
    this.#failedInOutage.add(from);
    this.#at = (this.#at + 1) % this.#servers.length;
    const to = this.current.address;
    return { moved: true, from, to, untried: !this.#failedInOutage.has(to) };
  }
}
