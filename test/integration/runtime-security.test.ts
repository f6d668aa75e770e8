// The producer on the stack's SASL_SSL listener: SCRAM-SHA-256 and SCRAM-SHA-512 over TLS with
// the stack's CA file, gzip compression; plus the clear failure for a wrong password. The other
// codecs are in compression-codecs.test.ts.
import { describe, expect, it } from "vitest";
import type { KafkaDestination } from "../../src/generated/plan.js";
import { decodeChanges, pipelinePlan, readSettled, rule, startInProcess, stackEnv, uniqueName } from "./runtime-helpers.js";
import { useTestDatabase } from "./test-database.js";

describe("Kafka security and compression", () => {
  const { database, db } = useTestDatabase("rt_sec", (database) => [
    `CREATE TABLE ${database}.t (id INT PRIMARY KEY, v VARCHAR(8))`,
  ]);

  const secured = (mechanism: "scram-sha-256" | "scram-sha-512", password: { env: string } = { env: "KAFKA_SCRAM_PASSWORD" }) => {
    const env = stackEnv();
    return (destination: KafkaDestination) => {
      destination.brokers = (env.KAFKA_SASL_BROKERS as string).split(",") as KafkaDestination["brokers"];
      destination.auth = { mechanism, username: { env: "KAFKA_SCRAM_USER" }, password };
      destination.tls = { enabled: true, caFile: env.KAFKA_CA_FILE as string };
      destination.compression = "gzip";
    };
  };

  it.each(["scram-sha-256", "scram-sha-512"] as const)("delivers over SASL_SSL with %s and gzip", async (mechanism) => {
    const topic = uniqueName(`rt-${mechanism}`);
    const plan = pipelinePlan(uniqueName("sec"), topic, [rule(database, "t")]);
    secured(mechanism)((plan.pipelines[0] as { destination: KafkaDestination }).destination);
    const runtime = await startInProcess(plan);
    try {
      await db().query(`INSERT INTO ${database}.t VALUES (${mechanism.slice(-3)}, '${mechanism.slice(-3)}')`);
      const changes = decodeChanges("canal-json", await readSettled(topic, 1));
      expect(changes.map((c) => c.after?.v)).toEqual([mechanism.slice(-3)]);
    } finally {
      expect((await runtime.stop()).phase).toBe("stopped");
    }
  });

  it("fails at once, without retrying, when the SCRAM password is wrong", async () => {
    process.env.DTS_TEST_WRONG_PASSWORD = "not-the-password";
    const plan = pipelinePlan(uniqueName("badauth"), uniqueName("rt-badauth"), [rule(database, "t")]);
    secured("scram-sha-512", { env: "DTS_TEST_WRONG_PASSWORD" })((plan.pipelines[0] as { destination: KafkaDestination }).destination);
    const failure = await startInProcess(plan).catch((error: Error) => error);
    expect((failure as Error).message).toMatch(/cannot connect to Kafka.*(SASL|[Aa]uthentication)/);
    expect((failure as Error).message).not.toContain("not-the-password");
  });
});
