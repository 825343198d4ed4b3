/**
 * The browser's CPU path (engine/score.ts `scoreSessionCpu`, plain typed arrays, no TensorFlow.js) against
 * the trainer's tfjs scoring (`scoreSessions`, which offline evaluation runs) and a naive reference: the
 * same scores and the same top 20 on exported model files, tied and untied, with and without the repeat term.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { encodeSession, scoreSessionCpu, scoreSessions } from '../../src/engine/score.js';
import { topK } from '../../src/engine/topk.js';
import { encodeModel } from '../../src/model/encode.js';
import { decodeWeightArrays } from '../../src/model/decode.js';
import { decodeModel } from '../../src/engine/tensors.js';
import { scoringArrays } from '../../src/engine/scorer.js';
import { propensityRows } from '../../src/engine/propensity.js';
import { rng, randomFloats, smallParts, PROPENSITY_SPEC } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function exported(n: number, d: number, opts: { tied: boolean; repeat: boolean; seed: number }) {
  const r = rng(opts.seed);
  const items = Array.from({ length: n }, (_, i) => `i${i}`);
  const encoder = { type: 'decay-pool' as const, decay: 0.7, maxLength: 8, ...(opts.tied ? { tied: true } : {}), ...(opts.repeat ? { repeat: { weight: 0.8, decay: 0.6 } } : {}) };
  const model = await encodeModel({
    ...smallParts(),
    items,
    popular: items.slice(0, 10),
    dim: d,
    encoder,
    query: randomFloats(r, n * d),
    target: opts.tied ? undefined : randomFloats(r, n * d),
    bias: randomFloats(r, n, -0.2, 0.2),
    propensity: undefined,
  } as Parameters<typeof encodeModel>[0]);
  const source = { manifest: model.manifest, files: model.files };
  return { manifest: model.manifest, arrays: scoringArrays(model.manifest, decodeWeightArrays(source)), tensors: decodeModel(source) };
}

describe('the CPU path (scoreSessionCpu)', () => {
  for (const tied of [false, true]) {
    for (const repeat of [false, true]) {
      it(`gives the trainer's scores and top 20 on an exported model (tied ${tied}, repeat ${repeat})`, async () => {
        const n = 500;
        const { arrays, tensors } = await exported(n, 16, { tied, repeat, seed: tied ? 3 : 4 });
        const r = rng(5);
        const sessions = [[], [7], [1, 2, 3, 2, 1], Array.from({ length: 12 }, () => Math.floor(r() * n))];
        const batch = await scoreSessions(tensors, sessions);
        sessions.forEach((s, row) => {
          const cpu = scoreSessionCpu(arrays, s);
          let maxDiff = 0;
          for (let i = 0; i < n; i++) maxDiff = Math.max(maxDiff, Math.abs(cpu[i]! - batch[row * n + i]!));
          expect(maxDiff).toBeLessThan(1e-5);
          expect(topK(cpu, 20).map((x) => x.index)).toEqual(topK(batch, 20, undefined, row * n, n).map((x) => x.index));
        });
        tensors.dispose();
      });
    }
  }

  it('scores every item exactly as one dot product per item, for any item count (four at a time, then the rest) and without a bias', () => {
    const r = rng(9);
    const dim = 5;
    for (const numItems of [1, 2, 3, 4, 5, 7, 8, 9, 13]) {
      for (const withBias of [true, false]) {
        const query = randomFloats(r, numItems * dim);
        const target = randomFloats(r, numItems * dim);
        const bias = withBias ? randomFloats(r, numItems, -0.2, 0.2) : null;
        const m = { encoder: { type: 'decay-pool' as const, decay: 0.7, maxLength: 8 }, numItems, dim, query, target, bias };
        const session = [numItems - 1, 0];
        const v = encodeSession(m, session);
        const expected = new Float32Array(numItems);
        for (let i = 0; i < numItems; i++) {
          let s = 0;
          for (let c = 0; c < dim; c++) s += v[c]! * target[i * dim + c]!;
          expected[i] = bias ? s + bias[i]! : s;
        }
        expect([...scoreSessionCpu(m, session)]).toEqual([...expected]);
      }
    }
  });

  it('encodes a session as the decay-weighted sum of its last maxLength query rows', () => {
    const query = new Float32Array([1, 0, 0, 1, 2, 2]);
    const enc = { type: 'decay-pool' as const, decay: 0.5, maxLength: 2 };
    expect(Array.from(encodeSession({ encoder: enc, dim: 2, query }, [2, 0, 1]))).toEqual([0.5, 1]);
    expect(Array.from(encodeSession({ encoder: enc, dim: 2, query }, []))).toEqual([0, 0]);
  });
});

describe('propensityRows (plain JavaScript)', () => {
  it('is sigmoid(w·x + b) over the standardized features', () => {
    const w = new Float32Array([0.8, -1.2]);
    const raw = { product_views: 3, weekend: 1 };
    const x = [(Math.log1p(3) - 1) / 2, (1 - 0.25) / 0.5];
    const want = 1 / (1 + Math.exp(-(0.8 * x[0]! - 1.2 * x[1]! + PROPENSITY_SPEC.bias)));
    expect(propensityRows(PROPENSITY_SPEC, w, [raw])[0]).toBeCloseTo(want, 6);
  });
});
