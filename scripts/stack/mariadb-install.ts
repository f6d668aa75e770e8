// MariaDB comes from Debian's mariadb-server package; it is installed only when missing.
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { progress, runVisible } from "./processes.js";

function findOnPath(program: string): string | null {
  const dirs = [...(process.env.PATH ?? "").split(delimiter), "/usr/sbin", "/usr/bin", "/sbin"];
  for (const dir of dirs) {
    if (dir && existsSync(join(dir, program))) return join(dir, program);
  }
  return null;
}

export interface MariadbPrograms {
  server: string;
  installDb: string;
}

function programs(): MariadbPrograms | null {
  const server = findOnPath("mariadbd");
  const installDb = findOnPath("mariadb-install-db");
  return server && installDb ? { server, installDb } : null;
}

/** Paths of mariadbd and mariadb-install-db, installing mariadb-server with apt-get first if needed. */
export async function ensureMariadbInstalled(): Promise<MariadbPrograms> {
  const found = programs();
  if (found) return found;
  if (!findOnPath("apt-get")) {
    throw new Error("mariadbd is not installed and apt-get is missing: install MariaDB 10.11 (mariadb-server) with your package manager");
  }
  const asRoot = process.getuid?.() === 0 ? [] : ["sudo", "-n"];
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const apt = async (args: string[]) => {
    const [command, ...rest] = [...asRoot, "apt-get", ...args];
    await runVisible(command as string, rest, { env });
  };
  progress("mariadbd not found: installing mariadb-server with apt-get (one time)");
  await apt(["update"]);
  await apt(["install", "-y", "--no-install-recommends", "mariadb-server"]);
  const installed = programs();
  if (!installed) throw new Error("apt-get installed mariadb-server but mariadbd is still not found on PATH or in /usr/sbin");
  return installed;
}
