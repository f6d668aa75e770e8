// The peers the benchmark can run beside ours, by the names --peers takes.
import type { BenchStack } from "../lib/stack.js";
import type { SystemUnderTest } from "../systems/system.js";
import { debeziumSystem } from "./debezium.js";
import { maxwellSystem } from "./maxwell.js";

const PEERS = { maxwell: maxwellSystem, debezium: debeziumSystem } as const;
export type PeerName = keyof typeof PEERS;

/** The peers named by --peers (all when it is left out, none for "none" or --skip-peer), or why the list is wrong. */
export function choosePeers(list: string | undefined, skipPeer: boolean): PeerName[] | string {
  if (skipPeer || list === "none") return [];
  if (list === undefined) return Object.keys(PEERS) as PeerName[];
  const names = list.split(",").map((name) => name.trim()).filter((name) => name !== "");
  const unknown = names.find((name) => !Object.hasOwn(PEERS, name));
  if (unknown !== undefined) return `unknown peer "${unknown}"; choose from ${Object.keys(PEERS).join(", ")}, or none`;
  if (names.length === 0) return `--peers needs at least one of ${Object.keys(PEERS).join(", ")}, or none`;
  return [...new Set(names)] as PeerName[];
}

export function peerSystem(name: PeerName, stack: BenchStack): SystemUnderTest {
  return PEERS[name](stack);
}
