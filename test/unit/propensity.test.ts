import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { featureVector, propensityBatch, explainPropensity } from '../../src/engine/propensity.js';
import type { PropensitySpec } from '../../src/model/format.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const spec: PropensitySpec = {
  features: [
    { name: 'product_views', description: 'product pages viewed', transform: 'log1p', mean: 1, std: 2 },
    { name: 'weekend', description: 'weekend', transform: 'identity', mean: 0.25, std: 0.5 },
    { name: 'month_Nov', description: 'November', transform: 'identity', mean: 0.1, std: 0.3 },
  ],
  bias: -0.5,
  trainedOn: 'hand-made',
};
const weights = new Float32Array([0.8, -1.2, 0.4]);
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** By hand, in float64: x = ((transform(raw) - mean) / std), logit = b + Σ w·x. */
function byHand(raw: Record<string, number>): { x: number[]; p: number } {
  const views = raw.product_views ?? 0;
  const x = [(Math.log(1 + Math.max(views, 0)) - 1) / 2, ((raw.weekend ?? 0) - 0.25) / 0.5, ((raw.month_Nov ?? 0) - 0.1) / 0.3];
  const w = [0.8, -1.2, 0.4];
  return { x, p: sigmoid(-0.5 + x.reduce((s, v, i) => s + v * w[i]!, 0)) };
}

describe('featureVector', () => {
  it('applies log1p, then standardizes; a missing feature counts as raw 0', () => {
    const x = featureVector(spec, { product_views: 3, weekend: 1 });
    expect(x[0]).toBeCloseTo((Math.log(4) - 1) / 2, 6);
    expect(x[1]).toBeCloseTo(1.5, 6);
    expect(x[2]).toBeCloseTo(-1 / 3, 6); // month_Nov missing → (0 - 0.1) / 0.3
    expect(x).toHaveLength(3);
  });

  it('clamps negative raw values before log1p and ignores unknown keys', () => {
    const x = featureVector(spec, { product_views: -5, other: 99 });
    expect(x[0]).toBeCloseTo(-0.5, 6); // log1p(0) = 0 → (0 - 1) / 2
  });
});

describe('explainPropensity', () => {
  it('gives sigmoid(bias + Σ contributions), each contribution = weight × standardized value', async () => {
    const raw = { product_views: 3, weekend: 1, month_Nov: 1 };
    const r = await explainPropensity(spec, weights, raw);
    const hand = byHand(raw);
    expect(r.probability).toBeCloseTo(hand.p, 6);
    expect(r.bias).toBe(-0.5);
    expect(r.features.map((f) => f.name)).toEqual(['product_views', 'weekend', 'month_Nov']);
    expect(r.features.map((f) => f.description)).toEqual(['product pages viewed', 'weekend', 'November']);
    expect(r.features.map((f) => f.raw)).toEqual([3, 1, 1]);
    r.features.forEach((f, i) => {
      expect(f.value).toBeCloseTo(hand.x[i]!, 6);
      expect(f.weight).toBe(weights[i]);
      expect(f.contribution).toBeCloseTo(weights[i]! * hand.x[i]!, 6);
    });
    const logit = r.bias + r.features.reduce((s, f) => s + f.contribution, 0);
    expect(sigmoid(logit)).toBeCloseTo(r.probability, 6);
  });

  it('reports raw 0 for a missing feature', async () => {
    const r = await explainPropensity(spec, weights, {});
    expect(r.features.map((f) => f.raw)).toEqual([0, 0, 0]);
    expect(r.probability).toBeCloseTo(byHand({}).p, 6);
  });
});

describe('propensityBatch', () => {
  it('scores several rows at once, each as computed by hand, and leaks no tensors', async () => {
    const rows: Record<string, number>[] = [{ product_views: 0 }, { product_views: 40, weekend: 1 }, { product_views: 3, month_Nov: 1 }, { weekend: 0, month_Nov: 0, product_views: 1000 }];
    const before = tf.memory().numTensors;
    const p = await propensityBatch(spec, weights, rows);
    expect(tf.memory().numTensors).toBe(before);
    expect(p).toHaveLength(rows.length);
    rows.forEach((r, i) => expect(p[i]!, `row ${i}`).toBeCloseTo(byHand(r).p, 6));
    // more views → higher probability (the views weight is positive)
    expect(p[3]!).toBeGreaterThan(p[0]!);
  });
});

describe('terms: range indicators and products', () => {
  it('computes an indicator of a range of the transformed value, and a product of two factors', () => {
    const s: PropensitySpec = {
      features: [
        { name: 'page_value', description: 'pv > 0', transform: 'identity', above: 0, mean: 0, std: 1 },
        { name: 'page_value', description: 'pv in (5, 10]', transform: 'identity', above: 5, upTo: 10, mean: 0, std: 1 },
        { name: 'page_value', description: 'log1p(pv) above 2', transform: 'log1p', above: 2, mean: 0, std: 1 },
        { name: 'page_value', description: 'log1p(pv) × exit', transform: 'log1p', times: { name: 'exit_rate', transform: 'identity' }, mean: 0.5, std: 2 },
        { name: 'page_value', description: 'pv > 0 × log1p(views)', transform: 'identity', above: 0, times: { name: 'product_views', transform: 'log1p' }, mean: 0, std: 1 },
      ],
      bias: 0,
      trainedOn: 'hand-made',
    };
    const at = (raw: Record<string, number>) => Array.from(featureVector(s, raw));
    expect(at({})).toEqual([0, 0, 0, -0.25, 0]);
    expect(at({ page_value: 5, exit_rate: 0.5, product_views: 3 })).toEqual([1, 0, 0, Math.fround((Math.log1p(5) * 0.5 - 0.5) / 2), Math.fround(Math.log(4))]);
    expect(at({ page_value: 10 })).toEqual([1, 1, 1, -0.25, 0]); // log1p(10) = 2.40 > 2; 10 is inside (5, 10]
    expect(at({ page_value: 10.5 })[1]).toBe(0);
    expect(at({ page_value: -1 })[0]).toBe(0);
    // a name that is an Object.prototype member reads as missing, never as a function
    const proto: PropensitySpec = { ...s, features: [{ name: 'constructor', description: '', transform: 'identity', above: 0, mean: 0, std: 1 }] };
    expect(Array.from(featureVector(proto, {}))).toEqual([0]);
  });
});
