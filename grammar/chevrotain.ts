// Chevrotain's runtime API, loaded from the one-module build its package ships
// (lib/chevrotain.mjs). The package's entry loads its sources and lodash-es as hundreds of
// ES modules, 180 ms of every `dts` start; the bundle, the same API, loads in about 13 ms. The
// package's exports map names only the entry, so the bundle is found beside it; should a
// release not ship it, the entry is loaded instead. Types still come from "chevrotain".
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import type * as Api from "chevrotain";

async function loadChevrotain(): Promise<typeof Api> {
  const entry = pathToFileURL(createRequire(import.meta.url).resolve("chevrotain"));
  try {
    return (await import(new URL("../chevrotain.mjs", entry).href)) as typeof Api;
  } catch {
    return import("chevrotain");
  }
}

const chevrotain = await loadChevrotain();

export const { createToken, CstParser, defaultParserErrorProvider, Lexer } = chevrotain;
export type Lexer = Api.Lexer;
