import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { addRepeatScores, scoreSessions, recommendIndices, type ScoringModel } from '../../src/engine/score.js';
import { evaluateModel } from '../../src/trainer/evaluate.js';
import type { SessionEncoderSpec } from '../../src/model/format.js';
import { rng, randomFloats } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/**
 * Hand-worked: 4 items, dim 2, target embeddings all 0 so that a session scores by bias alone:
 * bias = [0, 0.5, 0, 1]. Repeat term weight 2, decay 0.5; session [2, 0, 2] (oldest first, n = 3):
 *   item 2: p = 0 → 2 · 0.5² = 0.5, p = 2 → 2 · 0.5⁰ = 2   → +2.5
 *   item 0: p = 1 → 2 · 0.5¹ = 1                           → +1
 * scores = [1, 0.5, 2.5, 1] → ranking 2, 0, 3, 1 (ties to the lower index); without the term: 3, 1, 0, 2.
 */
function handModel(repeat?: SessionEncoderSpec['repeat']) {
  const encoder: SessionEncoderSpec = { type: 'decay-pool', decay: 0.8, maxLength: 2, ...(repeat ? { repeat } : {}) };
  const query = tf.tensor2d([1, 0, 0, 1, 1, 1, -1, 0], [4, 2]);
  const model: ScoringModel = { encoder, numItems: 4, query, target: tf.zeros([4, 2]) as tf.Tensor2D, bias: tf.tensor1d([0, 0.5, 0, 1]) };
  return { model, dispose: () => [model.query, model.target, model.bias!].forEach((t) => t.dispose()) };
}

describe('the repeat term (SessionEncoderSpec.repeat)', () => {
  it('adds weight · decay^(steps back) per occurrence, over the whole session (hand-worked)', async () => {
    const { model, dispose } = handModel({ weight: 2, decay: 0.5 });
    try {
      expect(Array.from(await scoreSessions(model, [[2, 0, 2]]))).toEqual([1, 0.5, 2.5, 1]);
      expect((await recommendIndices(model, [2, 0, 2], 4)).map((s) => s.index)).toEqual([2, 0, 3, 1]);
      // Not limited to the encoder's maxLength (2): item 3 five steps back still gets 2 · 0.5⁵ = 0.0625.
      expect(Array.from(await scoreSessions(model, [[3, 1, 1, 1, 1, 1]]))).toEqual([0, 0.5 + 2 * (1 + 0.5 + 0.25 + 0.125 + 0.0625), 0, 1 + 2 * 0.03125]);
      // Excluded items stay excluded.
      expect((await recommendIndices(model, [2, 0, 2], 2, new Set([2]))).map((s) => s.index)).toEqual([0, 3]);
      // Empty sessions: bias only.
      expect(Array.from(await scoreSessions(model, [[]]))).toEqual([0, 0.5, 0, 1]);
    } finally {
      dispose();
    }
    const none = handModel();
    try {
      expect(Array.from(await scoreSessions(none.model, [[2, 0, 2]]))).toEqual([0, 0.5, 0, 1]);
      expect((await recommendIndices(none.model, [2, 0, 2], 4)).map((s) => s.index)).toEqual([3, 1, 0, 2]);
    } finally {
      none.dispose();
    }
  });

  it('is applied row by row in a batch, and by the offline evaluation (same function)', async () => {
    const r = rng(11);
    const n = 30;
    const d = 5;
    const encoder: SessionEncoderSpec = { type: 'decay-pool', decay: 0.6, maxLength: 3, repeat: { weight: 0.7, decay: 0.9 } };
    const model: ScoringModel = { encoder, numItems: n, query: tf.tensor2d(randomFloats(r, n * d), [n, d]), target: tf.tensor2d(randomFloats(r, n * d), [n, d]), bias: null };
    const plain: ScoringModel = { ...model, encoder: { type: 'decay-pool', decay: 0.6, maxLength: 3 } };
    try {
      const sessions = [[1, 2, 1, 5, 1], [], [29], [4, 4, 4, 4, 4, 4, 7]];
      const batch = await scoreSessions(model, sessions);
      const base = await scoreSessions(plain, sessions);
      const want = Float32Array.from(base);
      addRepeatScores(encoder.repeat, sessions, want, n);
      expect(Array.from(batch)).toEqual(Array.from(want));
      for (let s = 0; s < sessions.length; s++) {
        const alone = await scoreSessions(model, [sessions[s]!]);
        expect(Array.from(alone)).toEqual(Array.from(batch.subarray(s * n, (s + 1) * n)));
        for (let j = 0; j < n; j++) {
          const occ = sessions[s]!.flatMap((it, p) => (it === j ? [0.7 * 0.9 ** (sessions[s]!.length - 1 - p)] : []));
          expect(batch[s * n + j]! - base[s * n + j]!).toBeCloseTo(occ.reduce((a, b) => a + b, 0), 5);
        }
      }
      // The evaluation harness ranks with scoreSessions, so the term moves a repeated target up.
      const rows = [{ prefix: [1, 2, 1, 5, 1], target: 1 }];
      const withTerm = await evaluateModel({ ...model, encoder: { ...encoder, repeat: { weight: 100, decay: 0.9 } } }, rows);
      expect(withTerm.hrCurve[0]).toBe(1);
    } finally {
      [model.query, model.target].forEach((t) => t.dispose());
    }
  });

  it('addRepeatScores: ignores unknown indices, a weight of 0 and an absent term; honours the row offset', () => {
    const scores = new Float64Array(8);
    addRepeatScores({ weight: 1, decay: 0.5 }, [[-1, 3, 4, 1]], scores, 4, 4);
    expect(Array.from(scores)).toEqual([0, 0, 0, 0, 0, 1, 0, 0.25]);
    addRepeatScores({ weight: 0, decay: 0.5 }, [[0]], scores, 4);
    addRepeatScores(undefined, [[0]], scores, 4);
    expect(scores[0]).toBe(0);
  });
});
