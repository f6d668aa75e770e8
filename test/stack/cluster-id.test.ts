// The storage tool reads an argument starting with '-' as an option, so a cluster id that starts
// with one failed `stack:up` about one time in 64 (seen in CI as "argument --cluster-id/-t:
// expected one argument").
import { describe, expect, it } from "vitest";
import { newClusterId } from "../../scripts/stack/kafka.js";

describe("newClusterId", () => {
  it("is Kafka's 22-character Uuid text and never starts with '-'", () => {
    // 64 × 100 draws: without the redraw, about 100 of them would start with '-'.
    for (let i = 0; i < 6_400; i++) {
      const id = newClusterId();
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    }
  });
});
