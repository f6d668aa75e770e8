// Which server of the source's replication topology the pipeline reads. The spec lists them
// primary first; the pipeline stays on the one it reads until that one cannot be reached, then
// tries the next, in a circle, inside the retry window. It never moves back on its own: the
// server it left may have been demoted, or may return with transactions the topology no longer
// has. So a new run resumes on the server its checkpoint was read from while the spec lists it,
// and only a spec whose first server changed (a new primary, declared) moves it there.
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

  /** `resumeOn`: the address the checkpoint was read from, when known. */
  constructor(servers: readonly MysqlEndpoint[], resumeOn?: string) {
    if (servers.length === 0) throw new Error("a source needs at least one server");
    this.#servers = servers;
    this.resumeOn(resumeOn);
  }

  /** Moves to the server at `address` when the list has it (a checkpoint's server); else stays. */
  resumeOn(address: string | undefined): void {
    const at = address === undefined ? -1 : this.#servers.findIndex((s) => s.address === address);
    if (at >= 0) this.#at = at;
  }

  /** The server the next session connects to. */
  get current(): MysqlEndpoint {
    return this.#servers[this.#at] as MysqlEndpoint;
  }

  /**
   * A reloaded spec's servers. A new first server is a new primary: the pipeline moves there.
   * Otherwise it stays on the one it reads, when the list still has it (else the first).
   */
  adopt(servers: readonly MysqlEndpoint[]): void {
    const address = servers[0]?.address === this.#servers[0]?.address ? this.current.address : servers[0]?.address;
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
