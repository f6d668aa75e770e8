// specReloader reads the specs again through the run's compile and answers for the running
// pipeline: the new pipeline and how to apply it, or why not (the pipeline runs on unchanged).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { compile } from "../../src/compiler/index.js";
import { specReloader, type Recompiled } from "../../src/reload/index.js";
import { resolveConnections, type RunningPipeline } from "../../src/runtime/index.js";
import { edit, shop } from "./helpers.js";

function recompiled(text: string): Recompiled {
  const result = compile([{ file: "shop.dts", text }]);
  return result.plan ? { plan: result.plan, literalSecrets: result.literalSecrets } : { diagnostics: result.diagnostics.map((d) => `shop.dts(${d.span.line},${d.span.column}): ${d.message}`).join("\n") };
}

function running(text: string): RunningPipeline {
  const compiled = recompiled(text);
  if ("diagnostics" in compiled) throw new Error(compiled.diagnostics);
  return { pipeline: compiled.plan.pipelines[0]!, connections: resolveConnections(compiled.plan, 0, compiled.literalSecrets) };
}

/** The verdict for `current` when the spec files now hold `text`. */
const reloadTo = (text: string, current = running(shop), allowBreaking = false) => specReloader(() => recompiled(text))(current, allowBreaking);

describe("specReloader", () => {
  beforeEach(() => {
    vi.stubEnv("DB_USER", "replica");
    vi.stubEnv("DB_PASSWORD", "secret");
  });
  afterEach(() => vi.unstubAllEnvs());

  it("answers a live change with the new pipeline and what changed", async () => {
    const next = edit(shop, "(status = 'paid')", "(status = 'shipped')");
    const verdict = await reloadTo(next);
    expect(verdict).toMatchObject({ ok: true, how: "live", changes: ["shop.orders: filter changed"] });
    if (verdict.ok) expect(verdict.pipeline.objects[0].filter?.text).toContain("shipped");
  });

  it("finds nothing changed in the same specs and the same secrets", async () => {
    expect(await reloadTo(shop)).toMatchObject({ ok: true, how: "unchanged", changes: [] });
  });

  it("restarts on a changed secret value though the specs are the same, and carries the new connections", async () => {
    const current = running(shop);
    vi.stubEnv("DB_PASSWORD", "rotated");
    const verdict = await reloadTo(shop, current);
    expect(verdict).toMatchObject({ ok: true, how: "restart" });
    if (verdict.ok) expect(verdict.connections.source.options.password).toBe("rotated");
  });

  it("refuses specs that do not compile, with their diagnostics", async () => {
    const verdict = await reloadTo(edit(shop, "format       = dts-avro", "format = dts-avrox"));
    expect(verdict).toMatchObject({ ok: false, hint: expect.stringContaining("dts check") });
    if (!verdict.ok) expect(verdict.reason).toMatch(/^the specs do not compile:\nshop\.dts\(3,\d+\): .*dts-avrox/);
  });

  it("refuses when the specs no longer hold the running pipeline", async () => {
    const verdict = await reloadTo(edit(shop, 'pipeline "shop"', 'pipeline "other"'));
    expect(verdict).toEqual({ ok: false, reason: "the specs no longer hold pipeline shop", hint: "stop it with dts stop --pipeline shop, or put it back" });
  });

  it("refuses when a secret can no longer be resolved", async () => {
    const current = running(shop);
    vi.stubEnv("DB_PASSWORD", undefined);
    const verdict = await reloadTo(shop, current);
    expect(verdict).toMatchObject({ ok: false, reason: expect.stringContaining("DB_PASSWORD"), hint: "fix the secret references and reload again" });
  });

  it("refuses a breaking change unless it is allowed, then restarts on it", async () => {
    const next = edit(shop, "format       = dts-avro", "format = canal-json");
    const refused = await reloadTo(next);
    expect(refused).toMatchObject({ ok: false, reason: expect.stringContaining("message format changes"), hint: expect.stringContaining("--allow-breaking") });
    const allowed = await reloadTo(next, running(shop), true);
    expect(allowed).toMatchObject({ ok: true, how: "restart", changes: ["format changed"] });
    if (allowed.ok) expect(allowed.pipeline.format).toBe("canal-json");
  });
});
