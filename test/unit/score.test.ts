import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { positionWeights, packSessions, scoreSessions, recommendIndices, type ScoringModel } from '../../src/engine/score.js';
import type { SessionEncoderSpec } from '../../src/model/format.js';
import { rng, randomFloats } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('positionWeights', () => {
  const enc: SessionEncoderSpec = { type: 'decay-pool', decay: 0.5, maxLength: 3 };
  it('weighs the most recent item 1 and each step back by decay, over the last maxLength items', () => {
    expect(Array.from(positionWeights(enc, 0))).toEqual([]);
    expect(Array.from(positionWeights(enc, 1))).toEqual([1]);
    expect(Array.from(positionWeights(enc, 2))).toEqual([0.5, 1]);
    expect(Array.from(positionWeights(enc, 5))).toEqual([0.25, 0.5, 1]);
    expect(Array.from(positionWeights({ ...enc, decay: 1 }, 4))).toEqual([1, 1, 1]);
    const w = positionWeights({ ...enc, decay: 0.9, maxLength: 10 }, 3);
    expect(Array.from(w)).toEqual([Math.fround(0.81), Math.fround(0.9), 1]);
  });
});

describe('packSessions', () => {
  const enc: SessionEncoderSpec = { type: 'decay-pool', decay: 0.5, maxLength: 3 };
  it('pads short sessions with weight 0 and keeps the most recent items of long ones', () => {
    const { idx, w, L } = packSessions(enc, [[7], [1, 2, 3, 4, 5], [], [8, 9]]);
    expect(L).toBe(3);
    expect(Array.from(idx)).toEqual([7, 0, 0, 3, 4, 5, 0, 0, 0, 8, 9, 0]);
    expect(Array.from(w)).toEqual([1, 0, 0, 0.25, 0.5, 1, 0, 0, 0, 0.5, 1, 0]);
  });

  it('uses the longest session as L when shorter than maxLength, and at least 1', () => {
    expect(packSessions(enc, [[1], [2, 3]]).L).toBe(2);
    const empty = packSessions(enc, [[], []]);
    expect(empty.L).toBe(1);
    expect(Array.from(empty.w)).toEqual([0, 0]);
    expect(packSessions(enc, []).idx.length).toBe(0);
  });
});

/** Plain-JS reference: v = Σ_j w_j·query[i_j] over the last maxLength items; score[item] = v·target[item] + bias[item]. */
function naiveScores(q: Float32Array, t: Float32Array, bias: Float32Array | null, n: number, d: number, enc: SessionEncoderSpec, session: readonly number[]): number[] {
  const recent = session.slice(Math.max(0, session.length - enc.maxLength));
  const v = new Array<number>(d).fill(0);
  recent.forEach((item, j) => {
    const weight = enc.decay ** (recent.length - 1 - j);
    for (let c = 0; c < d; c++) v[c]! += weight * q[item * d + c]!;
  });
  return Array.from({ length: n }, (_, item) => {
    let s = bias ? bias[item]! : 0;
    for (let c = 0; c < d; c++) s += v[c]! * t[item * d + c]!;
    return s;
  });
}

function makeModel(n: number, d: number, enc: SessionEncoderSpec, seed: number, withBias = true) {
  const r = rng(seed);
  const q = randomFloats(r, n * d);
  const t = randomFloats(r, n * d);
  const b = withBias ? randomFloats(r, n, -0.5, 0.5) : null;
  const model: ScoringModel = {
    encoder: enc,
    numItems: n,
    query: tf.tensor2d(q, [n, d]),
    target: tf.tensor2d(t, [n, d]),
    bias: b ? tf.tensor1d(b) : null,
  };
  const dispose = () => [model.query, model.target, model.bias].forEach((x) => x?.dispose());
  return { model, q, t, b, dispose };
}

describe('scoreSessions', () => {
  const enc: SessionEncoderSpec = { type: 'decay-pool', decay: 0.7, maxLength: 6 };

  it('equals the plain-JS decay-pool score for random sessions, batched', async () => {
    for (const withBias of [true, false]) {
      const n = 13;
      const d = 5;
      const { model, q, t, b, dispose } = makeModel(n, d, enc, withBias ? 11 : 12, withBias);
      const r = rng(99);
      const sessions = Array.from({ length: 9 }, (_, i) => Array.from({ length: i === 0 ? 0 : Math.floor(r() * 11) }, () => Math.floor(r() * n)));
      const got = await scoreSessions(model, sessions);
      expect(got.length).toBe(sessions.length * n);
      sessions.forEach((s, row) => {
        const want = naiveScores(q, t, b, n, d, enc, s);
        for (let i = 0; i < n; i++) expect(got[row * n + i]!, `bias ${withBias}, session ${row}, item ${i}`).toBeCloseTo(want[i]!, 4);
      });
      dispose();
    }
  });

  it('scores an empty session by the bias alone (zeros without bias)', async () => {
    const { model, b, dispose } = makeModel(6, 4, enc, 5);
    expect(Array.from(await scoreSessions(model, [[]]))).toEqual(Array.from(b!));
    dispose();
    const nb = makeModel(6, 4, enc, 5, false);
    expect(Array.from(await scoreSessions(nb.model, [[]]))).toEqual([0, 0, 0, 0, 0, 0]);
    nb.dispose();
  });

  it('gives the same row whether a session is scored alone or in a batch', async () => {
    const { model, dispose } = makeModel(7, 3, enc, 21);
    const sessions = [[1, 2, 3, 4, 5, 6, 0, 1], [3], [], [6, 6]];
    const batch = await scoreSessions(model, sessions);
    for (let s = 0; s < sessions.length; s++) {
      const alone = await scoreSessions(model, [sessions[s]!]);
      for (let i = 0; i < 7; i++) expect(batch[s * 7 + i]!).toBeCloseTo(alone[i]!, 5);
    }
    dispose();
  });
});

describe('recommendIndices', () => {
  // Hand-made: 4 items, dim 2. Items 0/1 point along x/y on the query side; the target side makes
  // item 2 answer x and item 3 answer y. Bias orders the rest.
  const enc: SessionEncoderSpec = { type: 'decay-pool', decay: 0.5, maxLength: 5 };
  const build = (): ScoringModel => ({
    encoder: enc,
    numItems: 4,
    query: tf.tensor2d([1, 0, 0, 1, 0, 0, 0, 0], [4, 2]),
    target: tf.tensor2d([0, 0, 0, 0, 5, 0, 0, 5], [4, 2]),
    bias: tf.tensor1d([0.4, 0.3, 0.2, 0.1]),
  });

  it('ranks by the session, honours k and exclude', async () => {
    const m = build();
    // session [0] → v = (1, 0) → scores 0.4, 0.3, 5.2, 0.1
    const top = await recommendIndices(m, [0], 4);
    expect(top.map((s) => s.index)).toEqual([2, 0, 1, 3]);
    expect(top[0]!.score).toBeCloseTo(5.2, 5);
    // session [1, 0] → v = 0.5·(0,1) + (1,0) = (1, 0.5) → 0.4, 0.3, 5.2, 2.6
    expect((await recommendIndices(m, [1, 0], 2)).map((s) => s.index)).toEqual([2, 3]);
    expect((await recommendIndices(m, [1, 0], 2, new Set([2, 0]))).map((s) => s.index)).toEqual([3, 1]);
    expect((await recommendIndices(m, [], 4)).map((s) => s.index)).toEqual([0, 1, 2, 3]);
    expect(await recommendIndices(m, [0], 0)).toEqual([]);
    [m.query, m.target, m.bias!].forEach((t) => t.dispose());
  });

  it('leaves the tensor count unchanged after 200 calls', async () => {
    const m = build();
    await recommendIndices(m, [0, 1], 3); // warm-up
    const before = tf.memory().numTensors;
    for (let i = 0; i < 200; i++) await recommendIndices(m, [i % 4, (i + 1) % 4, 0], 3, new Set([i % 4]));
    expect(tf.memory().numTensors).toBe(before);
    [m.query, m.target, m.bias!].forEach((t) => t.dispose());
  });
});
