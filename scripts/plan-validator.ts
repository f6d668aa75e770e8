// Part of `npm run build`: writes the plan schema's validator as standalone code to
// dist/plan-validator.cjs, which the built CLI loads instead of compiling the schema at start.
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { standaloneValidatorSource } from "../src/compiler/validate-plan.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
writeFileSync(join(root, "dist/plan-validator.cjs"), standaloneValidatorSource());
