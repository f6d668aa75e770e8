// Benchmark: compile one generated spec selecting 1,000 tables, each with a topic, a row filter,
// a column list and a partition override. Goal: under 1 s. Run: npx tsx bench/compile.ts
import { performance } from "node:perf_hooks";
import { compile, formatSource } from "../src/compiler/index.js";

function generateSpec(tables: number, perDatabase = 100): string {
  const lines = [
    'pipeline "bench" {',
    "  format    = canal-json",
    "  partition = table-hash",
    "  source mysql {",
    '    host     = "db"',
    '    user     = env("U")',
    '    password = env("P")',
    "  }",
    "  destination kafka {",
    '    brokers = ["k1:9092", "k2:9092"]',
    '    topic   = "bench.all"',
    "  }",
  ];
  for (let d = 0; d * perDatabase < tables; d++) {
    lines.push(`  database "db_${d}" {`);
    for (let t = d * perDatabase; t < Math.min(tables, (d + 1) * perDatabase); t++) {
      lines.push(
        `    table "table_${t}" { # table ${t}`,
        `      topic     = "bench.t${t}"`,
        `      partition = columns("tenant_id", "id")`,
        `      filter    = (status IN ('paid', 'shipped') AND amount >= ${t}.5 AND deleted_at IS NULL)`,
        "      columns {",
        '        exclude = ["secret", "internal_note"]',
        '        rename  = { amount = "amount_cents" }',
        "      }",
        "    }",
      );
    }
    lines.push("  }");
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

function time(label: string, runs: number, fn: () => void): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)] ?? 0;
  process.stdout.write(`${label}: median ${median.toFixed(1)} ms, slowest ${(samples[samples.length - 1] ?? 0).toFixed(1)} ms over ${runs} runs\n`);
  return median;
}

const text = generateSpec(1000);
process.stdout.write(`spec: 1000 tables, ${text.split("\n").length} lines, ${(text.length / 1024).toFixed(0)} KiB\n`);

const coldStart = performance.now();
const first = compile([{ file: "bench.dts", text }]);
process.stdout.write(`compile, cold (includes parser and ajv set-up): ${(performance.now() - coldStart).toFixed(1)} ms\n`);
if (!first.plan || first.plan.pipelines[0]?.objects.length !== 1000) {
  process.stderr.write(`benchmark spec did not compile: ${JSON.stringify(first.diagnostics.slice(0, 3))}\n`);
  process.exit(1);
}
const median = time("compile", 10, () => compile([{ file: "bench.dts", text }]));
time("fmt", 10, () => formatSource("bench.dts", text));
process.stdout.write(median < 1000 ? "goal met: under 1 s\n" : "goal missed: 1 s or more\n");
