// Topics the pipeline creates: with the spec's partition count, except a topic the checkpoint
// knows, which comes back with the count it had so that keys keep their partitions.
import type { Admin } from "kafkajs";
import { describe, expect, it } from "vitest";
import { ensureTopics } from "../../src/runtime/sink/topics.js";
import type { Logger } from "../../src/runtime/logger.js";

function fakeAdmin(existing: string[]) {
  const created: { topic: string; numPartitions?: number }[] = [];
  const admin = { listTopics: async () => existing, createTopics: async ({ topics }: { topics: typeof created }) => (created.push(...topics), true) };
  return { admin: admin as unknown as Admin, created };
}

const settings = { enabled: true, partitions: 4, replicationFactor: 1 };

describe("ensureTopics", () => {
  it("creates a recorded topic that was deleted with the recorded partition count, and says so", async () => {
    const { admin, created } = fakeAdmin(["kept"]);
    const warnings: string[] = [];
    const log = { warn: (_: object, msg: string) => warnings.push(msg) } as unknown as Logger;
    await ensureTopics(admin, ["kept", "deleted", "new"], settings, { recorded: { kept: 3, deleted: 2 }, log });
    expect(created.map((t) => [t.topic, t.numPartitions])).toEqual([
      ["deleted", 2],
      ["new", 4],
    ]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("created again, with the partition counts the checkpoint recorded");
  });

  it("creates nothing when every topic exists", async () => {
    const { admin, created } = fakeAdmin(["a"]);
    await ensureTopics(admin, ["a"], settings);
    expect(created).toEqual([]);
  });
});
