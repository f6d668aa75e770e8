import { defineConfig } from "vitest/config";

// Two projects: `unit` needs no servers and stays fast; `integration` runs against the real
// MariaDB and Kafka of scripts/stack, which its global setup brings up when they are not running.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
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
    ],
  },
});
