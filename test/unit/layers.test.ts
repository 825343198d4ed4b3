/**
 * The layers point one way (docs/architecture.md): lib ← events ← store; lib ← model ← engine; nothing in
 * the browser SDK imports the trainer. Here the import graph is read from the sources (static and dynamic
 * imports, type imports included: a type import is still a dependency of the design), followed through
 * every relative import, and checked for what each layer must never reach.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve(__dirname, '../../src');

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)|typeof import\('([^']+)'\)/g)) {
    specs.push((m[1] ?? m[2] ?? m[3])!);
  }
  return specs;
}

/** Every module reachable from `start` (relative imports followed; bare package names listed as reached). */
function reach(start: string): Set<string> {
  const seen = new Set<string>();
  const todo = [start];
  while (todo.length) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of importsOf(file)) {
      if (!spec.startsWith('.')) {
        seen.add(`package:${spec}`);
        continue;
      }
      todo.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
    }
  }
  return seen;
}

const filesIn = (dir: string) =>
  readdirSync(join(SRC, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(SRC, dir, f));

const offenders = (dir: string, forbidden: (reached: string) => boolean) =>
  filesIn(dir).flatMap((f) => [...reach(f)].filter(forbidden).map((r) => `${relative(SRC, f)} → ${r.startsWith('package:') ? r : relative(SRC, r)}`));

const isTf = (r: string) => r.startsWith('package:@tensorflow/');
const under = (dir: string) => (r: string) => r.startsWith(join(SRC, dir) + '/');

describe('layers', () => {
  it('reads the import graph it checks (the engine does reach TensorFlow.js and the model layer)', () => {
    const engine = [...reach(join(SRC, 'engine/index.ts'))];
    expect(engine.some(isTf)).toBe(true);
    expect(engine.some(under('model'))).toBe(true);
  });

  it('the model format layer needs neither TensorFlow.js nor the engine', () => {
    expect(offenders('model', (r) => isTf(r) || under('engine')(r))).toEqual([]);
  });

  it('events, store and lib reach neither TensorFlow.js, the model, the engine nor the trainer', () => {
    for (const dir of ['events', 'store', 'lib']) {
      expect(offenders(dir, (r) => isTf(r) || under('model')(r) || under('engine')(r) || under('trainer')(r))).toEqual([]);
    }
  });

  it('no browser module imports the trainer', () => {
    for (const dir of ['model', 'engine', 'events', 'store', 'lib']) expect(offenders(dir, under('trainer'))).toEqual([]);
    expect([...reach(join(SRC, 'index.ts')), ...reach(join(SRC, 'standalone.ts'))].filter(under('trainer'))).toEqual([]);
  });
});
