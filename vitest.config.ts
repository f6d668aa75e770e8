import { defineConfig } from "vitest/config";

// Three projects: `unit` needs no servers and stays fast; `integration` runs against the real
// MariaDB and Kafka of scripts/stack, which its global setup brings up when they are not running;
// `faults` (npm run test:faults) kills and restarts things for minutes, so npm test leaves it out.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          // The scaling and fuzz checks time inputs 32 times apart; on a busy 2-core CI machine
          // (integration tests run beside them) that takes longer than vitest's default 5 s.
          testTimeout: 30_000,
          exclude: ["test/integration/**", "test/faults/**", "node_modules/**"],
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          globalSetup: ["test/integration/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: "faults",
          include: ["test/faults/**/*.test.ts"],
          globalSetup: ["test/integration/global-setup.ts"],
          testTimeout: 900_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
