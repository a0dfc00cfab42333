import { readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
/** What the worker image runs (see the Dockerfile): the worker, and the workflow bundle it builds. */
const WORKER_ENTRIES = ['src/worker/main.ts', 'src/worker/build-bundle.ts', 'src/workflows/index.ts'];
/** The local demo's entry points, the only modules in src/ allowed to reach the test doubles. */
const DEMO_ENTRIES = [
  'src/client/demo.ts',
  'src/client/local-stack.ts',
  'src/client/score.ts',
  'src/client/calibrate.ts',
];
const TEST_DOUBLE = /^(simulator|feedgen)\//;
const OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.Preserve,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
};

/** The repository's own modules one file imports (static, type-only and dynamic alike). */
function localImports(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(ts.sys.readFile(file) ?? '', true, true);
  const found: string[] = [];
  for (const { fileName } of importedFiles) {
    const resolved = ts.resolveModuleName(fileName, file, OPTIONS, ts.sys).resolvedModule;
    if (resolved && !resolved.isExternalLibraryImport) found.push(path.resolve(resolved.resolvedFileName));
  }
  return found;
}

/** Every module of this repository reachable from the entries, as paths from the root. */
function importGraph(entries: readonly string[]): string[] {
  const seen = new Set<string>();
  const queue = entries.map((entry) => path.join(ROOT, entry));
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    queue.push(...localImports(file));
  }
  return [...seen].map((file) => path.relative(ROOT, file));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => path.join(dir, name));
}

describe('import graph', () => {
  it("the worker's import graph holds no simulator or feed-generator module", () => {
    const graph = importGraph(WORKER_ENTRIES);
    // The walk is real: the worker reads feeds with src/feed's parser.
    expect(graph).toContain(path.join('src', 'feed', 'parse.ts'));
    expect(graph.filter((file) => TEST_DOUBLE.test(file))).toEqual([]);
  });

  it("the walk follows the demo's dynamic imports into the simulator and the generator", () => {
    const graph = importGraph(['src/client/demo.ts']);
    expect(graph).toContain(path.join('simulator', 'index.ts'));
    expect(graph).toContain(path.join('feedgen', 'generate.ts'));
  });

  it("only the local demo's entry points in src/ import the simulator or the feed generator", () => {
    const importers = sourceFiles('src').filter((file) =>
      localImports(path.join(ROOT, file)).some((target) => TEST_DOUBLE.test(path.relative(ROOT, target))),
    );
    expect(importers.filter((file) => !DEMO_ENTRIES.includes(file))).toEqual([]);
  });
});
