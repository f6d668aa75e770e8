// Reads SHOW GRANTS and decides whether the account may replicate and read every selected
// table (docs/operations.md, precheck). Only the grant text is parsed: it is what the server enforces, and
// it needs no access to the mysql schema. Password hashes in the text are never echoed.
import type { Pipeline } from "../generated/plan.js";
import { privilegeSynonyms, serverDialect } from "../runtime/source/server-dialect.js";
import { heartbeatTableGap } from "./heartbeat-privileges.js";
import { fail, notChecked, pass, someOf, warn, type CheckResult } from "./check-result.js";
import { accountForGrant, type SourceFacts } from "./source-facts.js";
import { qualified, selectedTables } from "./tables.js";

export interface Grant {
  /** Upper-case privilege names; "ALL" for ALL [PRIVILEGES]. Column-level privileges are left out. */
  privileges: Set<string>;
  /** "*" for every database; otherwise a name, possibly a LIKE pattern. */
  database: string;
  /** "*" for every table of the database. */
  table: string;
}

export interface ParsedGrants {
  grants: Grant[];
  /** Roles granted to the account; their privileges are not expanded. */
  roles: string[];
}

function splitPrivileges(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      parts.push(current.trim());
      current = "";
    } else current += ch;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

/** One name of a grant target: `quoted` (with `` for a backtick), *, or a bare word. */
function readName(text: string, at: number): { name: string; end: number } | null {
  if (text[at] === "*") return { name: "*", end: at + 1 };
  if (text[at] === "`") {
    let name = "";
    let i = at + 1;
    while (i < text.length) {
      if (text[i] === "`") {
        if (text[i + 1] === "`") {
          name += "`";
          i += 2;
          continue;
        }
        return { name, end: i + 1 };
      }
      name += text[i];
      i++;
    }
    return null;
  }
  const m = /^[A-Za-z0-9_$]+/.exec(text.slice(at));
  return m ? { name: m[0], end: at + m[0].length } : null;
}

export function parseGrantLine(line: string): Grant | { role: string } | null {
  const head = /^GRANT\s+(.+?)\s+ON\s+(?:(TABLE|FUNCTION|PROCEDURE|PACKAGE BODY|PACKAGE)\s+)?/i.exec(line);
  if (!head) {
    const role = /^GRANT\s+(.+?)\s+TO\s+/i.exec(line);
    return role ? { role: (role[1] as string).replace(/`/g, "") } : null;
  }
  if (head[2] && head[2].toUpperCase() !== "TABLE") return null; // routine grants do not read tables
  const start = head[0].length;
  const database = readName(line, start);
  if (!database) return null;
  let table: { name: string; end: number } | null = { name: "*", end: database.end };
  if (line[database.end] === ".") table = readName(line, database.end + 1);
  if (!table) return null;
  const privileges = new Set<string>();
  for (const raw of splitPrivileges(head[1] as string)) {
    if (raw.includes("(")) continue; // column-level: not enough to read whole rows
    const name = raw.toUpperCase().replace(/\s+/g, " ");
    privileges.add(name === "ALL PRIVILEGES" ? "ALL" : (privilegeSynonyms[name] ?? name));
  }
  // `GRANT ... ON db TO` (no dot) means db is a table of the current database; never in SHOW GRANTS.
  return { privileges, database: database.name, table: table.name };
}

export function parseGrants(lines: readonly string[]): ParsedGrants {
  const grants: Grant[] = [];
  const roles: string[] = [];
  for (const line of lines) {
    const parsed = parseGrantLine(line);
    if (parsed === null) continue;
    if ("role" in parsed) roles.push(parsed.role);
    else grants.push(parsed);
  }
  return { grants, roles };
}

/** Database names in grants are LIKE patterns: % and _ are wildcards, \_ and \% literals. */
function likeMatches(pattern: string, name: string): boolean {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === "\\" && i + 1 < pattern.length) source += (pattern[++i] as string).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    else if (ch === "%") source += ".*";
    else if (ch === "_") source += ".";
    else source += ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "su").test(name);
}

function holds(grant: Grant, privilege: string): boolean {
  return grant.privileges.has(privilege) || grant.privileges.has("ALL");
}

export function hasGlobal(parsed: ParsedGrants, privilege: string): boolean {
  return parsed.grants.some((g) => g.database === "*" && holds(g, privilege));
}

export function hasOnTable(parsed: ParsedGrants, privilege: string, database: string, table: string): boolean {
  return parsed.grants.some((g) => {
    if (!holds(g, privilege)) return false;
    if (g.database === "*") return true;
    if (g.table === "*") return likeMatches(g.database, database);
    return g.database === database && g.table === table;
  });
}

export function checkPrivileges(facts: SourceFacts, pipeline: Pipeline): CheckResult {
  if (!facts.grants.ok) return notChecked("privileges", `SHOW GRANTS failed (${facts.grants.error})`);
  const parsed = parseGrants(facts.grants.value);
  const missingGlobal: string[] = [];
  const { replicationPrivilege, monitorPrivilege: monitor } = serverDialect(facts.version);
  if (!hasGlobal(parsed, replicationPrivilege)) missingGlobal.push(replicationPrivilege);
  if (!hasGlobal(parsed, "REPLICATION CLIENT") && !hasGlobal(parsed, "BINLOG MONITOR") && !hasGlobal(parsed, "SUPER")) missingGlobal.push(monitor);
  const tables = facts.tables.ok ? selectedTables(pipeline, facts.tables.value) : [];
  const unreadable = tables.filter((t) => !hasOnTable(parsed, "SELECT", t.database, t.table)).map(qualified);
  const account = facts.currentUser || "the account";
  const grantTo = accountForGrant(facts.currentUser);
  const problems: string[] = [];
  const fixes: string[] = [];
  if (missingGlobal.length > 0) {
    problems.push(`${account} lacks ${missingGlobal.join(" and ")}`);
    fixes.push(`GRANT ${missingGlobal.join(", ")} ON *.* TO ${grantTo};`);
  }
  if (unreadable.length > 0) {
    problems.push(`${account} lacks SELECT on ${someOf(unreadable)}`);
    const databases = [...new Set(tables.filter((t) => unreadable.includes(qualified(t))).map((t) => t.database))];
    fixes.push(...databases.map((db) => `GRANT SELECT ON \`${db}\`.* TO ${grantTo};`));
  }
  const heartbeat = heartbeatTableGap((privilege, database, table) => hasOnTable(parsed, privilege, database, table), facts, pipeline, account, grantTo);
  if (heartbeat) {
    problems.push(heartbeat.problem);
    fixes.push(heartbeat.fix);
  }
  const roleNote = parsed.roles.length > 0 ? `; the account also has role(s) ${parsed.roles.join(", ")}, whose privileges were not examined` : "";
  if (problems.length > 0) {
    const reason = `${problems.join("; ")}${roleNote}`;
    const fix = `as an administrator run: ${fixes.join(" ")}`;
    return parsed.roles.length > 0 ? warn("privileges", reason, fix) : fail("privileges", reason, fix);
  }
  if (!parsed.grants.some((g) => holds(g, "SHOW VIEW"))) {
    return warn("privileges", `${account} can replicate and read the selected tables but lacks SHOW VIEW, which DTS also asks for`, `GRANT SHOW VIEW ON *.* TO ${grantTo};`);
  }
  return pass("privileges", `${account} has ${replicationPrivilege}, ${monitor} and SELECT on the ${tables.length} selected table(s)`);
}
