// The Node versions package.json promises must be ones every direct dependency supports: a
// dependency that moved to Node 22 (chevrotain 13, the schema registry client 4.1) once slipped
// in with only an npm warning, while CI and users run Node 20.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import semver from "semver";
import { describe, expect, it } from "vitest";

interface Manifest {
  version: string;
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const root = join(import.meta.dirname, "..");
const readManifest = (dir: string) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
const project = readManifest(root);
const declared = project.engines?.node ?? "";

describe("declared Node engines", () => {
  it("is a valid range", () => {
    expect(semver.validRange(declared), `engines.node ${JSON.stringify(declared)}`).not.toBeNull();
  });

  it("is supported by every direct dependency", () => {
    const names = Object.keys({ ...project.dependencies, ...project.devDependencies });
    expect(names.length).toBeGreaterThan(0);
    const excluding = names.flatMap((name) => {
      const manifest = readManifest(join(root, "node_modules", name));
      const needs = manifest.engines?.node;
      return needs === undefined || semver.subset(declared, needs) ? [] : [`${name}@${manifest.version} needs node ${needs}`];
    });
    expect(excluding, `package.json declares node ${declared}; pick versions that support all of it`).toEqual([]);
  });
});
