import { describe, it, expect } from 'vitest';
import { topK, type Scored } from '../../src/engine/topk.js';
import { rng } from './helpers.js';

/** The obvious implementation: filter, sort everything (score desc, index asc), cut. */
function naiveTopK(scores: ArrayLike<number>, k: number, skip?: (i: number) => boolean, offset = 0, n = scores.length - offset): Scored[] {
  const all: Scored[] = [];
  for (let i = 0; i < n; i++) {
    const v = scores[offset + i]!;
    if (Number.isNaN(v) || (skip && skip(i))) continue;
    all.push({ index: i, score: v });
  }
  all.sort((a, b) => (a.score !== b.score ? (a.score > b.score ? -1 : 1) : a.index - b.index));
  return all.slice(0, Math.max(0, k));
}

/** Random scores drawn from a small set so that ties are common, with NaN and ±Infinity sprinkled in. */
function randomScores(r: () => number, n: number): number[] {
  return Array.from({ length: n }, () => {
    const u = r();
    if (u < 0.08) return NaN;
    if (u < 0.1) return Infinity;
    if (u < 0.12) return -Infinity;
    if (u < 0.5) return Math.floor(r() * 5) / 4; // heavy ties
    return r() * 2 - 1;
  });
}

describe('topK', () => {
  it('matches a naive sort on random arrays with ties, NaN and a skip function (500 seeds)', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const r = rng(seed);
      const n = Math.floor(r() * 80);
      const scores = randomScores(r, n);
      const k = Math.floor(r() * (n + 6));
      const skipped = new Set<number>();
      for (let i = 0; i < n; i++) if (r() < 0.2) skipped.add(i);
      const skip = seed % 3 === 0 ? undefined : (i: number) => skipped.has(i);
      const asArray = seed % 2 === 0 ? scores : Float32Array.from(scores);
      const want = naiveTopK(asArray, k, skip);
      expect(topK(asArray, k, skip), `seed ${seed}`).toEqual(want);
    }
  });

  it('returns everything valid, sorted, when k exceeds n', () => {
    const got = topK([0.2, NaN, 0.9, 0.2, -1], 10);
    expect(got).toEqual([
      { index: 2, score: 0.9 },
      { index: 0, score: 0.2 },
      { index: 3, score: 0.2 },
      { index: 4, score: -1 },
    ]);
  });

  it('returns [] for k = 0, negative k, and empty input', () => {
    expect(topK([1, 2, 3], 0)).toEqual([]);
    expect(topK([1, 2, 3], -2)).toEqual([]);
    expect(topK([], 5)).toEqual([]);
    expect(topK([NaN, NaN], 2)).toEqual([]);
    expect(topK([1, 2], 2, () => true)).toEqual([]);
  });

  it('breaks ties by the lower index', () => {
    expect(topK([1, 1, 1, 1], 2).map((s) => s.index)).toEqual([0, 1]);
    expect(topK([0, 5, 5, 9, 5], 3).map((s) => s.index)).toEqual([3, 1, 2]);
  });

  it('reads only the offset/n window, with indices and skip relative to the window', () => {
    // window [3 .. 8) holds 0.1, 0.7, 0.7, 0.3, 0.9 at relative indices 0..4; skipping relative 4 drops 0.9
    const scores = [100, 100, 100, 0.1, 0.7, 0.7, 0.3, 0.9, 100, 100];
    const seen: number[] = [];
    const got = topK(scores, 3, (i) => (seen.push(i), i === 4), 3, 5);
    expect(got).toEqual([
      { index: 1, score: 0.7 },
      { index: 2, score: 0.7 },
      { index: 3, score: 0.3 },
    ]);
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4]);
    // default n: to the end
    expect(topK(scores, 2, undefined, 8)).toEqual([
      { index: 0, score: 100 },
      { index: 1, score: 100 },
    ]);
  });

  it('matches the naive sort on random windows of a batch row-major matrix', () => {
    for (let seed = 1000; seed < 1100; seed++) {
      const r = rng(seed);
      const N = 1 + Math.floor(r() * 30);
      const B = 1 + Math.floor(r() * 5);
      const scores = Float32Array.from(randomScores(r, N * B));
      const k = Math.floor(r() * (N + 2));
      for (let b = 0; b < B; b++) {
        expect(topK(scores, k, undefined, b * N, N), `seed ${seed} row ${b}`).toEqual(naiveTopK(scores, k, undefined, b * N, N));
      }
    }
  });
});
