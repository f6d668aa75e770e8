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

/** `source password`, or `source password of pipeline orders` when there is no origin to point at. */
export function settingName(setting: SettingName): string {
  return setting.origin ? setting.name : `${setting.name} of pipeline ${setting.pipeline}`;
}

function fixTheSpec(setting: SettingName): string {
  return setting.origin ? `fix the spec at ${setting.origin.file}:${setting.origin.line}:${setting.origin.column}` : "fix the plan";
}

/** The error about `setting`, located at its origin in the spec when the plan records one. */
function settingError(kind: "secret" | "config", setting: SettingName, problem: string, hint: string): RuntimeError {
  return new RuntimeError(kind, `${settingName(setting)} ${problem}`, { hint, ...(setting.origin ? { location: setting.origin } : {}) });
}

function unsetVariable(kind: "secret" | "config", setting: SettingName, variable: string): RuntimeError {
  return settingError(kind, setting, `reads environment variable ${variable}, which is not set`, `export ${variable} before starting the pipeline, or ${fixTheSpec(setting)}`);
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
  if (!isSecretRef(value)) throw settingError("secret", { ...setting, origin: undefined }, "is not a secret reference", `write it as env("NAME") or file("path"), or ${fixTheSpec(setting)}`);
  const where = { ...setting, origin: value.origin };
  if ("env" in value) {
    const resolved = env[value.env];
    if (resolved === undefined) throw unsetVariable("secret", where, value.env);
    return resolved;
  }
  if ("file" in value) {
    try {
      return readFileSync(value.file, "utf8").replace(/\r?\n$/, "");
    } catch (error) {
      throw settingError("secret", where, `reads file ${value.file}, which cannot be read: ${(error as NodeJS.ErrnoException).code ?? "error"}`, `check the path and its permissions, or ${fixTheSpec(where)}`);
    }
  }
  if (literal === undefined) {
    throw settingError("secret", where, "was written as a literal in the spec, but a compiled plan file does not carry its value", "run the spec itself with `dts run <spec>`, or use env(\"VAR\") or file(\"path\") for the secret");
  }
  return literal;
}

/** An EnvRef or a literal; for non-secret settings such as host and port. */
export function resolveSetting(value: string | number | { env: string; origin?: SourceLocation }, setting: SettingName, env: NodeJS.ProcessEnv = process.env): string {
  if (typeof value === "string" || typeof value === "number") return String(value);
  const resolved = env[value.env];
  if (resolved === undefined || resolved === "") throw unsetVariable("config", { ...setting, origin: value.origin }, value.env);
  return resolved;
}
