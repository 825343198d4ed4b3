import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { mkdtemp, writeFile, rm, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AliasTable, trainSampledSoftmax, quickRankMetrics, repeatGridMetrics, bestRepeat, exampleIndex, packFlat } from '../../src/trainer/sampled.js';
import { PARTS, partRows } from '../../src/trainer/sampled-kernel.js';
import { createRng } from '../../src/trainer/rng.js';
import { preprocess, prefixRows, type RawPrefixRow } from '../../src/trainer/sessions.js';
import { trainSessionModel, exportSessionModel, evaluateModelFolder, encoderSpec, DEFAULT_SESSION_MODEL } from '../../src/trainer/session-model.js';
import { readModelFolder } from '../../src/trainer/folder.js';
import { main } from '../../src/trainer/cli.js';
import { lineChart } from '../../src/trainer/report.js';
import { progress } from '../../src/trainer/progress.js';

/** Sessions that walk a ring of 30 items: i, i+1, i+2, i+3 (mod 30); the next item is always the successor. */
function ringSessions(n: number, seed: number): string[][] {
  const r = createRng(seed);
  return Array.from({ length: n }, () => {
    const start = Math.floor(r() * 30);
    return [0, 1, 2, 3].map((k) => `p${(start + k) % 30}`);
  });
}

// Untied: one shared table scores i → j and j → i alike, and a ring's successor is directed. No repeat term:
// a ring's successor is never in the prefix, so the term could only push it down.
const SMALL = { ...DEFAULT_SESSION_MODEL, dim: 8, epochs: 3, batchSize: 32, negatives: 16, learningRate: 0.05, tied: false, recentEpochs: 0, quantization: 'float16' as const, repeatWeight: 0 };

describe('AliasTable', () => {
  it('draws in proportion to the weights', () => {
    const t = new AliasTable([1, 0, 3, 6]);
    const rng = createRng(3);
    const n = 20_000;
    const c = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) c[t.draw(rng)]!++;
    expect(c[1]).toBe(0);
    expect(c[0]! / n).toBeCloseTo(0.1, 1);
    expect(c[2]! / n).toBeCloseTo(0.3, 1);
    expect(c[3]! / n).toBeCloseTo(0.6, 1);
  });
});

describe('examples', () => {
  it('has one example per next item', () => {
    const { offsets } = packFlat([[1, 2, 3], [4], [5, 6]]);
    expect(Array.from(exampleIndex(offsets))).toEqual([0, 1, 0, 2, 4, 5]);
  });
});

describe('sampled-softmax trainer', () => {
  const prep = preprocess(ringSessions(600, 1), { minItemCount: 1 });

  it('learns a successor structure, and the same seed gives the same weights', async () => {
    const a = await trainSampledSoftmax(prep.sessions, prep.items.size, { ...SMALL, seed: 5 });
    const b = await trainSampledSoftmax(prep.sessions, prep.items.size, { ...SMALL, seed: 5 });
    expect(Array.from(a.query)).toEqual(Array.from(b.query));
    expect(Array.from(a.bias)).toEqual(Array.from(b.bias));
    expect(a.losses).toHaveLength(3);
    expect(a.losses[2]!).toBeLessThan(a.losses[0]!);
    // Successor of each item under the model: the top-scored item for the one-item session [i].
    const id = (i: number) => Number(prep.items.idOf(i).slice(1));
    let right = 0;
    for (let i = 0; i < prep.items.size; i++) {
      const m = quickRankMetrics(a, [{ prefix: [i], target: prep.items.indexOf(`p${(id(i) + 1) % 30}`) }], SMALL.decay, SMALL.maxLength);
      if (m.mrr20 === 1) right++;
    }
    expect(right).toBeGreaterThanOrEqual(27);
  });
});

describe('sampled-softmax trainer on two threads', () => {
  it('cuts every batch into the same row ranges whatever its size', () => {
    for (const nb of [1, 2, 7, 255, 256]) {
      const ranges = Array.from({ length: PARTS }, (_, p) => partRows(nb, p));
      expect(ranges[0]![0]).toBe(0);
      expect(ranges[PARTS - 1]![1]).toBe(nb);
      for (let p = 1; p < PARTS; p++) expect(ranges[p]![0]).toBe(ranges[p - 1]![1]);
    }
  });

  it('gives the same weights on one thread or two (the compiled trainer, which can start its worker)', async () => {
    // The worker thread runs trainer-dist/trainer/sampled-worker.js: `npm test` builds it before the unit tests.
    const dist = '../../trainer-dist/trainer/sampled.js';
    expect(existsSync(new URL(dist, import.meta.url)), 'run `npm run build:trainer` first').toBe(true);
    const compiled = (await import(/* @vite-ignore */ dist)) as typeof import('../../src/trainer/sampled.js');
    const prep = preprocess(ringSessions(900, 2), { minItemCount: 1 });
    const opts = { ...SMALL, batchSize: 64, seed: 9 };
    const one = await compiled.trainSampledSoftmax(prep.sessions, prep.items.size, { ...opts, threads: 1 });
    const two = await compiled.trainSampledSoftmax(prep.sessions, prep.items.size, { ...opts, threads: 2 });
    expect(one.threads).toBe(1);
    expect(two.threads).toBe(2);
    expect(Array.from(two.query)).toEqual(Array.from(one.query));
    expect(Array.from(two.target)).toEqual(Array.from(one.target));
    expect(Array.from(two.bias)).toEqual(Array.from(one.bias));
    expect(two.losses).toEqual(one.losses);
    // From the TypeScript sources the worker file does not exist: the parts run on this thread, same numbers.
    const src = await trainSampledSoftmax(prep.sessions, prep.items.size, { ...opts, threads: 2 });
    expect(src.threads).toBe(1);
    expect(Array.from(src.query)).toEqual(Array.from(one.query));
  });
});

describe('quickRankMetrics', () => {
  // 25 items, dim 1: query = 1 for item 0, else 0; target = 1 for item 1, else 0; bias = -i/100.
  // Session [0]: v = 1, scores: item 1 = 0.99, item 0 = 0, then -0.02, -0.03, … → 1, 0, 2, 3, …
  const N = 25;
  const model = {
    numItems: N,
    dim: 1,
    query: Float32Array.from({ length: N }, (_, i) => (i === 0 ? 1 : 0)),
    target: Float32Array.from({ length: N }, (_, i) => (i === 1 ? 1 : 0)),
    bias: Float32Array.from({ length: N }, (_, i) => -i / 100),
  };
  it('ranks like the browser scorer, ties against the target', () => {
    const r = quickRankMetrics(model, [{ prefix: [0], target: 1 }, { prefix: [0], target: 0 }, { prefix: [0], target: 24 }, { prefix: [0], target: -1 }], 1, 5);
    expect(r.hr20).toBeCloseTo(2 / 4, 10);
    expect(r.mrr20).toBeCloseTo((1 + 1 / 2) / 4, 10);
  });
  it('applies the repeat term: a prefix item gains weight · decay^(steps back)', () => {
    // Session [5, 0], decay 1: v = 1. Item 0 gets 2 · 0.5^0 = 2 → score 2 (rank 1); item 5 gets 2 · 0.5^1 = 1
    // → 0.95, below item 1 (0.99): rank 3.
    const rows = [{ prefix: [5, 0], target: 5 }, { prefix: [5, 0], target: 0 }];
    const r = quickRankMetrics(model, rows, 1, 5, { weight: 2, decay: 0.5 });
    expect(r.mrr20).toBeCloseTo((1 / 3 + 1) / 2, 10);
  });
});

describe('repeatGridMetrics', () => {
  it('gives, for every grid point, exactly what quickRankMetrics gives with that repeat term', () => {
    const r = createRng(7);
    const N = 60;
    const d = 4;
    const model = {
      numItems: N,
      dim: d,
      query: Float32Array.from({ length: N * d }, () => r() - 0.5),
      target: Float32Array.from({ length: N * d }, () => r() - 0.5),
      bias: Float32Array.from({ length: N }, () => (r() - 0.5) * 0.2),
    };
    // Prefixes with repeats; targets in and out of the prefix; one unknown target.
    const rows = Array.from({ length: 300 }, () => {
      const len = 1 + Math.floor(r() * 8);
      const prefix = Array.from({ length: len }, () => Math.floor(r() * (r() < 0.5 ? 8 : N)));
      const target = r() < 0.4 ? prefix[Math.floor(r() * len)]! : Math.floor(r() * N);
      return { prefix, target };
    });
    rows.push({ prefix: [1, 2], target: -1 });
    const grid = { weights: [0, 0.3, 1, 3], decays: [0.5, 0.9, 1] };
    const points = repeatGridMetrics(model, rows, 0.7, 5, grid);
    expect(points).toHaveLength(12);
    for (const p of points) {
      const want = quickRankMetrics(model, rows, 0.7, 5, { weight: p.weight, decay: p.decay });
      expect(p.hr20, `${p.weight}/${p.decay}`).toBeCloseTo(want.hr20, 12);
      expect(p.mrr20, `${p.weight}/${p.decay}`).toBeCloseTo(want.mrr20, 12);
    }
    const best = bestRepeat(points);
    expect(points.every((p) => p.hr20 + p.mrr20 <= best.hr20 + best.mrr20)).toBe(true);
  });
});

describe('encoderSpec', () => {
  it('writes tied and the repeat term into the manifest encoder only when they apply', () => {
    expect(encoderSpec(DEFAULT_SESSION_MODEL)).toEqual({ type: 'decay-pool', decay: 0.6, maxLength: 10, tied: true, repeat: { weight: 12, decay: 0.9 } });
    expect(encoderSpec({ ...DEFAULT_SESSION_MODEL, tied: false, repeatWeight: 0 })).toEqual({ type: 'decay-pool', decay: 0.6, maxLength: 10 });
  });
});

describe('export and evaluation through the shipped scoring code', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tacit-model-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exports a verified folder whose evaluation matches the training-time scorer', async () => {
    const prep = preprocess(ringSessions(600, 1), { minItemCount: 1 });
    const trained = await trainSessionModel(prep, { ...SMALL, seed: 2 });
    const out = join(dir, 'm');
    // SOURCE_DATE_EPOCH fixes the manifest's createdAt, so that the re-export below is byte-identical.
    process.env.SOURCE_DATE_EPOCH = '1767225600';
    const exported = await exportSessionModel(out, prep, trained);
    expect(exported.encoded.manifest.createdAt).toBe('2026-01-01T00:00:00.000Z');
    expect(existsSync(join(out, 'latest.json'))).toBe(true);
    expect(exported.bytesGzip).toBeGreaterThan(0);
    const raw: RawPrefixRow[] = prefixRows(ringSessions(40, 9)).concat([{ prefix: ['unknown'], target: 'nope' }]);
    const r = await evaluateModelFolder(out, raw);
    expect(r.rows).toBe(raw.length);
    expect(r.unknownTargets).toBe(1);
    expect(r.hrCurve[0]!).toBeGreaterThan(0.8); // the successor is ranked first almost always
    // Re-export with the same seed: the same content-addressed version.
    const again = await exportSessionModel(join(dir, 'm2'), prep, await trainSessionModel(prep, { ...SMALL, seed: 2 }));
    expect(again.encoded.manifest.modelVersion).toBe(exported.encoded.manifest.modelVersion);
    delete process.env.SOURCE_DATE_EPOCH;
  });

  it('stores a tied table once and writes the repeat term; the browser scorer applies it', async () => {
    const prep = preprocess(ringSessions(600, 1), { minItemCount: 1 });
    const config = { ...SMALL, tied: true, seed: 2 };
    const trained = await trainSessionModel(prep, config);
    const plain = await exportSessionModel(join(dir, 'tied'), prep, trained);
    const untied = await exportSessionModel(join(dir, 'untied'), prep, await trainSessionModel(prep, { ...config, tied: false }));
    const m = (await readModelFolder(join(dir, 'tied'))).manifest;
    expect(m.encoder.tied).toBe(true);
    expect(m.encoder.repeat).toBeUndefined();
    expect(m.weightsManifest[0]!.weights.map((w) => w.name)).toEqual(['items/query', 'items/bias']);
    expect(plain.encoded.files.get('weights.bin')!.byteLength).toBeLessThan(untied.encoded.files.get('weights.bin')!.byteLength * 0.6);
    // A repeat term large enough to put the prefix's items first: the successor (never in the prefix) drops
    // below the three items of a 3-item prefix, in the browser scoring code reading the exported files.
    // (Untied: a tied table cannot learn the ring's direction.)
    const rows: RawPrefixRow[] = prefixRows(ringSessions(40, 9)).filter((r) => r.prefix.length === 3);
    const base = await evaluateModelFolder(join(dir, 'untied'), rows);
    const untiedTrained = await trainSessionModel(prep, { ...config, tied: false });
    const repeatConfig = { ...config, tied: false, repeatWeight: 1000, repeatDecay: 1 };
    const withRepeat = { ...untiedTrained, config: repeatConfig, encoder: encoderSpec(repeatConfig) };
    await exportSessionModel(join(dir, 'repeat'), prep, withRepeat);
    expect((await readModelFolder(join(dir, 'repeat'))).manifest.encoder.repeat).toEqual({ weight: 1000, decay: 1 });
    const r = await evaluateModelFolder(join(dir, 'repeat'), rows);
    expect(base.hrCurve[0]!).toBeGreaterThan(0.5);
    expect(r.hrCurve[2]!).toBe(0); // three distinct prefix items outrank the successor
    expect(r.hrCurve[3]!).toBeGreaterThanOrEqual(base.hrCurve[0]!); // base rank 1 → rank 4
  });
});

describe('tacit CLI', () => {
  let dir: string;
  let out: string[] = [];
  let err: string[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tacit-cli-'));
    await writeFile(join(dir, 'train.txt'), ringSessions(400, 4).map((s) => s.join(' ')).join('\n') + '\n');
    await writeFile(join(dir, 'test.txt'), ringSessions(30, 5).map((s) => s.join(' ')).join('\n') + '\n');
    await writeFile(join(dir, 'bad.csv'), 'SessionId,ItemId,Time\n1,a,5\n1,b\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  async function run(...args: string[]): Promise<number> {
    out = [];
    err = [];
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
    try {
      return await main(args);
    } finally {
      o.mockRestore();
      e.mockRestore();
    }
  }

  it('prints help', async () => {
    expect(await run('--help')).toBe(0);
    expect(out.join('')).toContain('tacit train <sessions>');
    expect(await run('train', '--help')).toBe(0);
    expect(out.join('')).toContain('--min-item-count');
  });

  it('answers user mistakes with one line and exit code 2', async () => {
    const cases: [string[], string][] = [
      [['frobnicate'], 'unknown command "frobnicate"'],
      [['train', '--bogus'], "Unknown option '--bogus'"],
      [['train', join(dir, 'missing.txt'), '--out', join(dir, 'o')], 'missing.txt: no such file'],
      [['train', join(dir, 'train.txt')], 'missing --out'],
      [['train', join(dir, 'train.txt'), '--out', join(dir, 'o'), '--dim', 'big'], '--dim must be an integer'],
      [['train', join(dir, 'bad.csv'), '--out', join(dir, 'o')], 'bad.csv:3: expected 3 fields'],
      [['train', join(dir, 'train.txt'), '--out', join(dir, 'o'), '--repeat-weight=-1'], '--repeat-weight must be a number ≥ 0'],
      [['train', join(dir, 'train.txt'), '--out', join(dir, 'o'), '--repeat-decay', '1.5'], '--repeat-decay must be a number in (0, 1]'],
      [['train', join(dir, 'train.txt'), '--out', join(dir, 'o'), '--min-item-count', '100000'], 'no session is left'],
      [['train', join(dir, 'train.txt'), '--out', join(dir, 'o'), '--threads', '3'], '--threads must be 1 or 2'],
      [['evaluate', dir, join(dir, 'test.txt')], 'not a model folder'],
    ];
    for (const [args, fragment] of cases) {
      expect(await run(...args), args.join(' ')).toBe(2);
      const msg = err.join('');
      expect(msg).toContain(fragment);
      expect(msg.trim().split('\n'), msg).toHaveLength(1);
      expect(msg).not.toMatch(/\n\s+at /);
    }
  });

  it('trains a model folder and evaluates it beside the baselines', async () => {
    const model = join(dir, 'model');
    expect(await run('train', join(dir, 'train.txt'), '--out', model, '--dim', '8', '--epochs', '2', '--negatives', '16', '--untied', '--min-item-count', '1', '--quiet')).toBe(0);
    expect(out.join('')).toMatch(/model m[0-9a-f]{12}/);
    const pointer = JSON.parse(await readFile(join(model, 'latest.json'), 'utf8')) as { modelVersion: string };
    expect(pointer.modelVersion).toMatch(/^m/);
    expect(await run('evaluate', model, join(dir, 'test.txt'), '--train', join(dir, 'train.txt'), '--min-item-count', '1', '--json', '--quiet')).toBe(0);
    const res = JSON.parse(out.join('')) as { rows: number; results: Record<string, { hr20: number; hrCurve: number[] }> };
    expect(res.rows).toBe(90);
    expect(Object.keys(res.results)).toEqual(['model', 'popularity', 'co-occurrence', 'sknn', 'v-sknn']);
    expect(res.results.model!.hrCurve).toHaveLength(50);
    expect(res.results['co-occurrence']!.hr20).toBe(1); // 30 items, lists of 20: the successor always co-occurs
  });
});

describe('report pieces', () => {
  it('draws a self-contained SVG line chart', () => {
    const svg = lineChart({ title: 'HR@k <test>', xLabel: 'k', yLabel: 'HR', series: [{ name: 'a', points: [[1, 0.1], [2, 0.3]] }] });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('HR@k &lt;test&gt;');
    expect(svg).toContain('<path d="M');
    expect(svg).not.toContain('<script');
  });
  it('prints nothing for a step shorter than its delay, and a final line for a longer one', () => {
    const lines: string[] = [];
    const stream = { isTTY: false, write: (s: string) => (lines.push(s), true) } as unknown as NodeJS.WriteStream;
    const quick = progress('quick', 10, { stream });
    quick.update(5);
    quick.end();
    expect(lines).toEqual([]);
    const slow = progress('slow', 10, { stream, delayMs: 0 });
    slow.update(10);
    slow.end();
    expect(lines.join('')).toContain('slow: done in');
  });
});
