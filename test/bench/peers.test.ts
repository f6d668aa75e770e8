// --peers: both peers by default, a chosen subset, none, and a clear refusal of unknown names.
import { describe, expect, it } from "vitest";
import { choosePeers } from "../../bench/peer/peers.js";

describe("choosePeers", () => {
  it("runs Maxwell and Debezium with JSON unless told otherwise; Avro on request", () => {
    expect(choosePeers(undefined, false)).toEqual(["maxwell", "debezium"]);
    expect(choosePeers("debezium,debezium-avro", false)).toEqual(["debezium", "debezium-avro"]);
    expect(choosePeers("debezium", false)).toEqual(["debezium"]);
    expect(choosePeers("debezium, maxwell,debezium", false)).toEqual(["debezium", "maxwell"]);
  });

  it("runs none for --peers none or --skip-peer", () => {
    expect(choosePeers("none", false)).toEqual([]);
    expect(choosePeers(undefined, true)).toEqual([]);
  });

  it("names the peers it knows when given another", () => {
    expect(choosePeers("maxwell,canal", false)).toBe('unknown peer "canal"; choose from maxwell, debezium, debezium-avro, or none');
    expect(choosePeers(",", false)).toMatch(/needs at least one/);
  });
});
