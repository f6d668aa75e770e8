// Passwords are generated once per state folder and kept there (mode 0600), so restarts and
// reused data directories keep working with the same credentials.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export function newPassword(): string {
  // Hex only: safe inside Kafka's `--add-scram` bracket syntax, SQL literals and shell files.
  return randomBytes(16).toString("hex");
}

/** Reads the JSON secrets file, creating missing entries with fresh passwords. */
export function loadSecrets<K extends string>(file: string, names: readonly K[]): Record<K, string> {
  const stored: Record<string, string> = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  let changed = false;
  for (const name of names) {
    if (typeof stored[name] !== "string") {
      stored[name] = newPassword();
      changed = true;
    }
  }
  if (changed) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  }
  return stored as Record<K, string>;
}
