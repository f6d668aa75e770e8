// Reads one secret or env-backed setting. src/runtime/connections.ts calls these for a pipeline
// (the precheck also reads other pipelines' host and port): it names the setting and where the
// spec wrote it, and hands the values to the clients. Values never
// appear in an error; the message names the reference (variable, file), not what it holds.
import { readFileSync } from "node:fs";
import type { SecretRef, SourceLocation } from "../generated/plan.js";
import { RuntimeError } from "./errors.js";

/** Values of secrets written as literals in the spec, keyed by the JSON pointer of their SecretRef (from compile()). */
export type LiteralSecrets = Record<string, string>;

/** A setting as a user knows it: "source password" and where the spec wrote it, if known. */
export interface SettingName {
  name: string;
  /** The pipeline, named when there is no origin to point at (hand-written plans). */
  pipeline: string;
  origin?: SourceLocation | undefined;
}

/** `spec.dts:5:14: source password`, or `source password of pipeline orders` without an origin. */
export function describeSetting(setting: SettingName): string {
  const { origin } = setting;
  return origin ? `${origin.file}:${origin.line}:${origin.column}: ${setting.name}` : `${setting.name} of pipeline ${setting.pipeline}`;
}

function fixTheSpec(setting: SettingName): string {
  return setting.origin ? `fix the spec at ${setting.origin.file}:${setting.origin.line}:${setting.origin.column}` : "fix the plan";
}

function isSecretRef(value: unknown): value is SecretRef {
  return typeof value === "object" && value !== null && ("env" in value || "file" in value || "literal" in value);
}

/**
 * A plain string, or a SecretRef resolved from the environment, a file (trailing newline
 * dropped), or `literal`: the value compile() kept out of the plan for it.
 */
export function resolveSecret(value: string | SecretRef | null, setting: SettingName, literal: string | undefined, env: NodeJS.ProcessEnv = process.env): string | null {
  if (value === null) return null;
  if (typeof value === "string") return value;
  const what = describeSetting({ ...setting, origin: isSecretRef(value) ? value.origin : undefined });
  if (!isSecretRef(value)) throw new RuntimeError("secret", `${what} is not a secret reference`, { hint: `write it as env("NAME") or file("path"), or ${fixTheSpec(setting)}` });
  const where = { ...setting, origin: value.origin };
  if ("env" in value) {
    const resolved = env[value.env];
    if (resolved === undefined) {
      throw new RuntimeError("secret", `${what} reads environment variable ${value.env}, which is not set`, { hint: `export ${value.env} before starting the pipeline, or ${fixTheSpec(where)}` });
    }
    return resolved;
  }
  if ("file" in value) {
    try {
      return readFileSync(value.file, "utf8").replace(/\r?\n$/, "");
    } catch (error) {
      throw new RuntimeError("secret", `${what} reads file ${value.file}, which cannot be read: ${(error as NodeJS.ErrnoException).code ?? "error"}`, { hint: `check the path and its permissions, or ${fixTheSpec(where)}` });
    }
  }
  if (literal === undefined) {
    throw new RuntimeError("secret", `${what} was written as a literal in the spec, but a compiled plan file does not carry its value`, {
      hint: "run the spec itself with `dts run <spec>`, or use env(\"VAR\") or file(\"path\") for the secret",
    });
  }
  return literal;
}

/** An EnvRef or a literal; for non-secret settings such as host and port. */
export function resolveSetting(value: string | number | { env: string; origin?: SourceLocation }, setting: SettingName, env: NodeJS.ProcessEnv = process.env): string {
  if (typeof value === "string" || typeof value === "number") return String(value);
  const resolved = env[value.env];
  if (resolved === undefined || resolved === "") {
    const where = { ...setting, origin: value.origin };
    throw new RuntimeError("config", `${describeSetting(where)} reads environment variable ${value.env}, which is not set`, { hint: `export ${value.env} before starting the pipeline, or ${fixTheSpec(where)}` });
  }
  return resolved;
}
