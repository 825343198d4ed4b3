import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { evaluateModel, RankingCurve, type EvalRow } from '../../src/trainer/evaluate.js';
import type { ScoringModel } from '../../src/engine/score.js';
import { rng } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/**
 * 25 items, dim 2, decay 0.5. Query side: item 0 = (1, 0), item 1 = (0, 1), the rest 0. Target side:
 * item 2 = (5, 0), item 3 = (0, 5), the rest 0. Bias: items 0..3 = 0.4, 0.3, 0.2, 0.1; item i ≥ 4 = -1 - i/100.
 * Rankings (best first):
 *   session []     → scores = bias                      → 0, 1, 2, 3, 4, 5, …, 24
 *   session [0]    → v = (1, 0): item 2 = 5.2            → 2, 0, 1, 3, 4, …, 24
 *   session [1]    → v = (0, 1): item 3 = 5.1            → 3, 0, 1, 2, 4, …, 24
 *   session [1, 0] → v = (1, 0.5): 2 = 5.2, 3 = 2.6      → 2, 3, 0, 1, 4, …, 24
 */
function handModel(): ScoringModel {
  const n = 25;
  const q = new Float32Array(n * 2);
  const t = new Float32Array(n * 2);
  q.set([1, 0, 0, 1], 0);
  t.set([5, 0, 0, 5], 4);
  const bias = Float32Array.from({ length: n }, (_, i) => (i < 4 ? [0.4, 0.3, 0.2, 0.1][i]! : -1 - i / 100));
  return {
    encoder: { type: 'decay-pool', decay: 0.5, maxLength: 5 },
    numItems: n,
    query: tf.tensor2d(q, [n, 2]),
    target: tf.tensor2d(t, [n, 2]),
    bias: tf.tensor1d(bias),
  };
}

const ROWS: EvalRow[] = [
  { prefix: [0], target: 2 }, // rank 1
  { prefix: [1], target: 0 }, // rank 2
  { prefix: [], target: 3 }, // rank 4
  { prefix: [1, 0], target: 1 }, // rank 4
  { prefix: [0], target: 24 }, // rank 25: outside the top 20
  { prefix: [], target: 4 }, // rank 5
];

describe('evaluateModel', () => {
  it('gives the HR@20, MRR@20 and HR curve worked out by hand', async () => {
    const m = handModel();
    const r = await evaluateModel(m, ROWS);
    expect(r.rows).toBe(6);
    expect(r.hr20).toBeCloseTo(5 / 6, 6);
    expect(r.mrr20).toBeCloseTo((1 + 1 / 2 + 1 / 4 + 1 / 4 + 0 + 1 / 5) / 6, 6);
    expect(r.hrCurve).toHaveLength(50);
    const want = (k: number) => [1, 2, 4, 4, 25, 5].filter((rank) => rank <= k).length / 6;
    r.hrCurve.forEach((hr, i) => expect(hr, `HR@${i + 1}`).toBeCloseTo(want(i + 1), 6));
    [m.query, m.target, m.bias!].forEach((t) => t.dispose());
  });

  it('gives the same report for any batch size, and reports progress', async () => {
    const m = handModel();
    const whole = await evaluateModel(m, ROWS);
    for (const batchSize of [1, 2, 4, 100]) {
      const done: number[] = [];
      const r = await evaluateModel(m, ROWS, { batchSize, onProgress: (d) => done.push(d) });
      expect(r.hr20).toBeCloseTo(whole.hr20, 12);
      expect(r.mrr20).toBeCloseTo(whole.mrr20, 12);
      expect(r.hrCurve).toEqual(whole.hrCurve);
      expect(done[done.length - 1]).toBe(ROWS.length);
      expect(done).toHaveLength(Math.ceil(ROWS.length / batchSize));
    }
    [m.query, m.target, m.bias!].forEach((t) => t.dispose());
  });

  it('leaks no tensors', async () => {
    const m = handModel();
    const before = tf.memory().numTensors;
    await evaluateModel(m, ROWS, { batchSize: 4 });
    expect(tf.memory().numTensors).toBe(before);
    [m.query, m.target, m.bias!].forEach((t) => t.dispose());
  });

  it('reports zeros for no rows', async () => {
    const m = handModel();
    const r = await evaluateModel(m, []);
    expect(r).toMatchObject({ rows: 0, hr20: 0, mrr20: 0 });
    [m.query, m.target, m.bias!].forEach((t) => t.dispose());
  });
});

describe('RankingCurve', () => {
  it('is monotone, within [0, 1], and agrees with HR@20 at k = 20', () => {
    const r = rng(5);
    const curve = new RankingCurve(30);
    for (let row = 0; row < 300; row++) {
      const list = Array.from({ length: 30 }, (_, i) => (i * 7 + row) % 40); // 30 distinct ids of 40
      curve.add(list, Math.floor(r() * 40));
    }
    const rep = curve.report();
    expect(rep.rows).toBe(300);
    expect(rep.hrCurve).toHaveLength(30);
    for (let k = 1; k < rep.hrCurve.length; k++) expect(rep.hrCurve[k]!).toBeGreaterThanOrEqual(rep.hrCurve[k - 1]!);
    expect(rep.hrCurve[0]!).toBeGreaterThanOrEqual(0);
    expect(rep.hrCurve[29]!).toBeLessThanOrEqual(1);
    expect(rep.hrCurve[19]).toBeCloseTo(rep.hr20, 12);
    expect(rep.hrCurve[29]!).toBeGreaterThan(rep.hrCurve[0]!);
  });

  it('counts hits by hand', () => {
    expect(() => new RankingCurve(3)).toThrow(RangeError); // HR@20 needs lists of 20
    const c = new RankingCurve(20);
    c.add([7, 8, 9], 7); // rank 1
    c.add([7, 8, 9], 9); // rank 3
    c.add([7, 8, 9], 1); // miss
    c.add([8, 7], 7); // rank 2
    const rep = c.report();
    expect(rep.hrCurve.slice(0, 3)).toEqual([1 / 4, 2 / 4, 3 / 4]);
    expect(rep.hrCurve[19]).toBe(3 / 4);
    expect(rep.hr20).toBe(3 / 4);
    expect(rep.mrr20).toBeCloseTo((1 + 1 / 3 + 1 / 2) / 4, 12);
  });
});
