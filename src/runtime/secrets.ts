// Resolves the SecretRefs of a plan at run time. Values never leave this module except to the
// client that needs them; errors name the reference (env var, file, JSON pointer), not the value.
import { readFileSync } from "node:fs";
import type { SecretRef } from "../generated/plan.js";
import { RuntimeError } from "./errors.js";

export type LiteralSecrets = Record<string, string>;

function isSecretRef(value: unknown): value is SecretRef {
  return typeof value === "object" && value !== null && ("env" in value || "file" in value || "literal" in value);
}

/**
 * A plain string, or a SecretRef resolved from the environment, a file (trailing newline
 * dropped), or the compiler's literal-secret map keyed by the ref's JSON pointer in the plan.
 */
export function resolveSecret(value: string | SecretRef | null, pointer: string, literalSecrets: LiteralSecrets, env: NodeJS.ProcessEnv = process.env): string | null {
  if (value === null) return null;
  if (typeof value === "string") return value;
  if (!isSecretRef(value)) throw new RuntimeError("secret", `${pointer} is not a secret reference`);
  if ("env" in value) {
    const resolved = env[value.env];
    if (resolved === undefined) {
      throw new RuntimeError("secret", `${pointer} reads environment variable ${value.env}, which is not set`, { hint: `export ${value.env} before starting the pipeline` });
    }
    return resolved;
  }
  if ("file" in value) {
    try {
      return readFileSync(value.file, "utf8").replace(/\r?\n$/, "");
    } catch (error) {
      throw new RuntimeError("secret", `${pointer} reads file ${value.file}, which cannot be read: ${(error as NodeJS.ErrnoException).code ?? "error"}`, { hint: "check the path and its permissions" });
    }
  }
  const literal = literalSecrets[pointer];
  if (literal === undefined) {
    throw new RuntimeError("secret", `${pointer} was written as a literal in the spec, but a compiled plan file does not carry its value`, {
      hint: "run the spec itself with `dts run <spec>`, or use env(\"VAR\") or file(\"path\") for the secret",
    });
  }
  return literal;
}

/** An EnvRef or a literal; for non-secret settings such as host and port. */
export function resolveSetting(value: string | number | { env: string }, pointer: string, env: NodeJS.ProcessEnv = process.env): string {
  if (typeof value === "string" || typeof value === "number") return String(value);
  const resolved = env[value.env];
  if (resolved === undefined || resolved === "") {
    throw new RuntimeError("config", `${pointer} reads environment variable ${value.env}, which is not set`, { hint: `export ${value.env} before starting the pipeline` });
  }
  return resolved;
}
