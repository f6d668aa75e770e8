// Runs test files in memory against in-memory specs, for the spec-test suites.
import { readFileSync } from "node:fs";
import { runTestFile, type FileReport } from "../../src/spec-test/index.js";

/** A spec small enough to read in a test: one pipeline, one selected table. */
export const shopSpec = `pipeline "shop" {
  format    = dts-avro
  partition = primary-key-hash

  source mysql {
    host     = "db"
    user     = "u"
    password = env("P")
    timezone = "+08:00"
  }

  destination kafka {
    brokers = ["k:9092"]
    topic   = "shop.orders"
  }

  database "shop" {
    table "orders" {
      filter = (status = 'paid')

      columns {
        exclude = ["note"]
      }
    }
  }
}
`;

export const ordersTable = `  table "shop.orders" {
    create = "CREATE TABLE orders (id INT NOT NULL PRIMARY KEY, status ENUM('new','paid') NOT NULL, total DECIMAL(8,2), note TEXT, at TIMESTAMP)"
  }
`;

/** Runs `text` as t.test.dts against the given specs (by path), or t.dts = shopSpec. */
export function runText(text: string, specs: Record<string, string> = { "t.dts": shopSpec }, file = "t.test.dts"): Promise<FileReport> {
  return runTestFile(file, text, (path) => specs[path] ?? null);
}

/** Diagnostics as `line:col CODE message`. */
export function diagnosticLines(report: FileReport): string[] {
  return report.diagnostics.map((d) => `${d.span.file}:${d.span.line}:${d.span.column} ${d.code} ${d.message}`);
}

export const readText = (path: string) => readFileSync(path, "utf8");
