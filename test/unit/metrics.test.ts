import { describe, it, expect } from 'vitest';
import { auc, logLoss, calibration, RankingMetrics, rankOf } from '../../src/trainer/metrics.js';
import { rng } from './helpers.js';

/** AUC from its definition: the share of (positive, negative) pairs ordered right, ties counting half. */
function pairwiseAuc(scores: number[], labels: number[]): number {
  let good = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (!labels[i]) continue;
    for (let j = 0; j < scores.length; j++) {
      if (labels[j]) continue;
      pairs++;
      good += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return good / pairs;
}

describe('auc', () => {
  it('matches hand-worked examples', () => {
    // positives 0.35 and 0.8; negatives 0.1 and 0.4: 3 of 4 pairs ordered right
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
    expect(auc([0.1, 0.2, 0.3, 0.4], [0, 0, 1, 1])).toBe(1);
    expect(auc([0.4, 0.3, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
  });

  it('counts ties as half', () => {
    // pairs: (0.6,0.2)=1, (0.6,0.6)=½, (0.9,0.2)=1, (0.9,0.6)=1 → 3.5 / 4
    expect(auc([0.2, 0.6, 0.6, 0.9], [0, 1, 0, 1])).toBeCloseTo(0.875, 12);
    expect(auc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBeCloseTo(0.5, 12);
  });

  it('is NaN with only one class', () => {
    expect(auc([0.1, 0.2], [1, 1])).toBeNaN();
    expect(auc([0.1, 0.2], [0, 0])).toBeNaN();
  });

  it('matches the pairwise definition on random data with many ties', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const r = rng(seed);
      const n = 5 + Math.floor(r() * 60);
      const scores = Array.from({ length: n }, () => Math.floor(r() * 6) / 5);
      const labels = Array.from({ length: n }, (_, i) => (i < 2 ? i : r() < 0.4 ? 1 : 0)); // both classes present
      expect(auc(scores, labels), `seed ${seed}`).toBeCloseTo(pairwiseAuc(scores, labels), 12);
      expect(auc(Float32Array.from(scores), Uint8Array.from(labels))).toBeCloseTo(pairwiseAuc(Array.from(Float32Array.from(scores)), labels), 12);
    }
  });
});

describe('logLoss', () => {
  it('is the mean binary cross-entropy', () => {
    expect(logLoss([0.9, 0.2], [1, 0])).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 12);
    expect(logLoss([0.5, 0.5, 0.5], [1, 0, 1])).toBeCloseTo(Math.log(2), 12);
    expect(logLoss([0.3], [1])).toBeCloseTo(-Math.log(0.3), 12);
  });

  it('clips probabilities so that certainty is finite', () => {
    expect(logLoss([0], [1])).toBeCloseTo(-Math.log(1e-7), 9);
    expect(logLoss([1], [0])).toBeCloseTo(-Math.log(1e-7), 6);
    expect(logLoss([1], [1])).toBeLessThan(1e-6);
  });
});

describe('calibration', () => {
  it('computes ECE over equal-width bins, by hand', () => {
    // bin 0: {0.05}→ mean 0.05, rate 0; bin 1: {0.15, 0.12} → mean 0.135, rate 0.5; bin 9: {0.95} → mean 0.95, rate 1
    // ECE = ¼·0.05 + ½·0.365 + ¼·0.05 = 0.2075
    const { ece, bins } = calibration([0.05, 0.15, 0.12, 0.95], [0, 1, 0, 1]);
    expect(ece).toBeCloseTo(0.2075, 12);
    expect(bins).toHaveLength(10);
    expect(bins.map((b) => b.count)).toEqual([1, 2, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(bins[1]!.meanPredicted).toBeCloseTo(0.135, 12);
    expect(bins[1]!.observedRate).toBe(0.5);
    expect(bins[9]!.lo).toBeCloseTo(0.9, 12);
    expect(bins[9]!.hi).toBe(1);
  });

  it('is 0 when predictions match observed rates, and puts p = 1 in the last bin', () => {
    expect(calibration([0.25, 0.25, 0.25, 0.25], [1, 0, 0, 0]).ece).toBeCloseTo(0, 12);
    const c = calibration([1, 1], [1, 1], 4);
    expect(c.bins.map((b) => b.count)).toEqual([0, 0, 0, 2]);
    expect(c.ece).toBeCloseTo(0, 12);
    // all wrong with certainty: ECE 1
    expect(calibration([0, 1], [1, 0]).ece).toBeCloseTo(1, 12);
  });
});

describe('RankingMetrics and rankOf', () => {
  it('rankOf is 1-based, 0 when absent', () => {
    expect(rankOf([5, 3, 9], 5)).toBe(1);
    expect(rankOf([5, 3, 9], 9)).toBe(3);
    expect(rankOf([5, 3, 9], 4)).toBe(0);
    expect(rankOf([], 4)).toBe(0);
  });

  it('computes HR@k and MRR@k by hand', () => {
    const m = new RankingMetrics(3);
    expect(m.hr).toBe(0);
    expect(m.mrr).toBe(0);
    for (const rank of [1, 0, 2, 4, 3]) m.add(rank);
    expect(m.count).toBe(5);
    expect(m.hr).toBeCloseTo(3 / 5, 12); // ranks 1, 2, 3 are within 3
    expect(m.mrr).toBeCloseTo((1 + 1 / 2 + 1 / 3) / 5, 12); // rank 4 is beyond k: contributes 0
  });
});
