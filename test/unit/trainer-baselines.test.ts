import { describe, it, expect } from 'vitest';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  packCorpus,
  popularityBaseline,
  cooccurrenceBaseline,
  sessionKnnBaseline,
  evaluateRecommender,
} from '../../src/trainer/baselines.js';
import { readSessions, readPrefixTarget, preprocess, indexRows } from '../../src/trainer/sessions.js';

/**
 * Five training sessions over six items, oldest first:
 *   s0: 0 1 2    s1: 1 2 3    s2: 0 2    s3: 3 4    s4: 2 1 5
 * Clicks: item 2 ×4, 1 ×3, 0 ×2, 3 ×2, 4 ×1, 5 ×1 → popularity order 2, 1, 0, 3, 4, 5 (ties: lower index).
 */
const SESSIONS = [
  [0, 1, 2],
  [1, 2, 3],
  [0, 2],
  [3, 4],
  [2, 1, 5],
];
const corpus = packCorpus(SESSIONS, 6);

describe('packCorpus', () => {
  it('builds the inverted index oldest first, and the popularity order', () => {
    const sessionsOf = (i: number) => Array.from(corpus.itemSessions.subarray(corpus.itemOffsets[i]!, corpus.itemOffsets[i + 1]!));
    expect(sessionsOf(2)).toEqual([0, 1, 2, 4]);
    expect(sessionsOf(3)).toEqual([1, 3]);
    expect(Array.from(corpus.popular)).toEqual([2, 1, 0, 3, 4, 5]);
    expect(() => packCorpus([[0, 7]], 6)).toThrow(RangeError);
  });
});

describe('popularity', () => {
  it('is the most clicked items whatever the prefix', () => {
    const pop = popularityBaseline(corpus);
    expect(pop.recommend([5], 4)).toEqual([2, 1, 0, 3]);
    expect(pop.recommend([], 6)).toEqual([2, 1, 0, 3, 4, 5]);
  });
});

describe('item co-occurrence (AR)', () => {
  it('counts items within the window of every occurrence of the last item, then fills with popular items', () => {
    // Occurrences of 2: s0 → 0, 1; s1 → 1, 3; s2 → 0; s4 → 1, 5. Counts: 1:3, 0:2, 3:1, 5:1 (3 before 5:
    // more popular). Filled with 2, then 4.
    expect(cooccurrenceBaseline(corpus).recommend([4, 2], 6)).toEqual([1, 0, 3, 5, 2, 4]);
  });
  it('respects the window', () => {
    // Window 1 around 2: s0 → 1; s1 → 1, 3; s2 → 0; s4 → 1. Counts 1:3, 0:1, 3:1 (0 before 3: equal
    // popularity, lower index).
    expect(cooccurrenceBaseline(corpus, { window: 1 }).recommend([2], 6)).toEqual([1, 0, 3, 2, 4, 5]);
  });
  it('counts the item itself where it repeats within the window (this reproduces the README reference)', () => {
    const c = packCorpus([[0, 0, 1]], 2);
    // Occurrence 1 of item 0 sees 0 and 1; occurrence 2 sees 0 and 1: 0:2, 1:2; tie → more popular 0.
    expect(cooccurrenceBaseline(c).recommend([0], 2)).toEqual([0, 1]);
  });
});

describe('SKNN', () => {
  // Prefix [0, 2]: candidates s0, s1, s2, s4. Cosine similarities: s0 = 2/√6 = 0.8165, s1 = 1/√6 = 0.4082,
  // s2 = 2/√4 = 1, s4 = 1/√6. Item scores: 2 = 2.633, 0 = 1.8165, 1 = 1.633, 3 = 5 = 0.4082 (3 is more popular).
  it('ranks by summed neighbour similarity', () => {
    expect(sessionKnnBaseline(corpus, 'sknn').recommend([0, 2], 6)).toEqual([2, 0, 1, 3, 5, 4]);
  });
  it('keeps only the k most similar neighbours', () => {
    // k = 2: s2 (1) and s0 (0.8165): 0 = 2 = 1.8165 (2 first: more popular), 1 = 0.8165; filled with 3, 4, 5.
    expect(sessionKnnBaseline(corpus, 'sknn', { k: 2 }).recommend([0, 2], 6)).toEqual([2, 0, 1, 3, 4, 5]);
  });
  it('keeps only the most recent candidates', () => {
    // sampleSize 2: of s0, s1, s2, s4 the two most recent, s2 and s4: 2 = 1.4082, 0 = 1, 1 = 5 = 0.4082.
    expect(sessionKnnBaseline(corpus, 'sknn', { sampleSize: 2 }).recommend([0, 2], 6)).toEqual([2, 0, 1, 5, 3, 4]);
    // perItem 1: the most recent session of 0 (s2) and of 2 (s4): the same two.
    expect(sessionKnnBaseline(corpus, 'sknn', { perItem: 1 }).recommend([0, 2], 6)).toEqual([2, 0, 1, 5, 3, 4]);
  });
});

describe('V-SKNN', () => {
  // Prefix [0, 2, 0], n = 3: item 0 weighs max(1/3, 3/3) = 1, item 2 weighs 2/3. Similarities (plain sums):
  // s0 = 5/3, s1 = 2/3, s2 = 5/3, s4 = 2/3. Item scores: 2 = 14/3, 0 = 10/3, 1 = 3, 3 = 5 = 2/3.
  it('weighs prefix positions linearly and sums the weights', () => {
    expect(sessionKnnBaseline(corpus, 'vsknn').recommend([0, 2, 0], 6)).toEqual([2, 0, 1, 3, 5, 4]);
  });
  it('breaks similarity ties by recency', () => {
    // k = 1: s0 and s2 tie at 5/3; s2 is more recent → items 0 and 2 (2 first), then filled: 1, 3, 4, 5.
    // (Taking s0 instead would give 2, 1, 0, …)
    expect(sessionKnnBaseline(corpus, 'vsknn', { k: 1 }).recommend([0, 2, 0], 6)).toEqual([2, 0, 1, 3, 4, 5]);
  });
  it('gives an empty prefix the popularity list', () => {
    expect(sessionKnnBaseline(corpus, 'vsknn').recommend([], 3)).toEqual([2, 1, 0]);
  });
});

describe('evaluateRecommender', () => {
  it('feeds the RankingCurve: HR@k and MRR@20 from the lists', () => {
    const pop = popularityBaseline(packCorpus(Array.from({ length: 30 }, (_, i) => Array.from({ length: 30 - i }, () => i)), 30));
    // Popularity order is 0, 1, 2, …: target t has rank t + 1; target -1 (unknown item) is always a miss.
    const rows = [0, 4, 19, 25, -1].map((t) => ({ prefix: [1], target: t }));
    let progress = 0;
    const r = evaluateRecommender(pop, rows, { onProgress: (d) => (progress = d) });
    expect(r.rows).toBe(5);
    expect(r.hr20).toBeCloseTo(3 / 5, 10);
    expect(r.mrr20).toBeCloseTo((1 + 1 / 5 + 1 / 20) / 5, 10);
    expect(r.hrCurve[0]).toBeCloseTo(1 / 5, 10);
    expect(r.hrCurve[25]).toBeCloseTo(4 / 5, 10);
    expect(progress).toBe(5);
  });
});

// A CI-sized slice of the real data: the popularity baseline through the harness agrees with a direct count.
const DATA = resolve(process.env.TACIT_DATA ?? fileURLToPath(new URL('../../../shared/data', import.meta.url)), 'diginetica');
describe.skipIf(!existsSync(resolve(DATA, 'train_sessions.txt.gz')))('Diginetica slice', () => {
  it('popularity HR@20 / MRR@20 on the first test rows equal a direct count over the first training sessions', async () => {
    const raw = await readSessions(resolve(DATA, 'train_sessions.txt.gz'));
    const slice = raw.sessions.slice(0, 20_000);
    const test = (await readPrefixTarget(resolve(DATA, 'test_prefix_target.tsv'))).slice(0, 3_000);
    // Direct: count clicks per raw id, top 20 by count (ties: first seen), then score the rows.
    const count = new Map<string, number>();
    for (const s of slice) for (const id of s) count.set(id, (count.get(id) ?? 0) + 1);
    const top = [...count.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20).map(([id]) => id);
    let hits = 0;
    let rr = 0;
    for (const r of test) {
      const i = top.indexOf(r.target);
      if (i >= 0) {
        hits++;
        rr += 1 / (i + 1);
      }
    }
    const prep = preprocess(slice, { minItemCount: 1, minSessionLength: 1, dropSingleClickSessions: false });
    const rows = indexRows(test, prep.items).rows;
    const r = evaluateRecommender(popularityBaseline(packCorpus(prep.sessions, prep.items.size)), rows);
    expect(r.rows).toBe(3_000);
    expect(r.hr20).toBeCloseTo(hits / test.length, 10);
    expect(r.mrr20).toBeCloseTo(rr / test.length, 10);
    // The README's full-data reference is 0.0093 / 0.0021; a slice is in the same small range.
    expect(r.hr20).toBeGreaterThan(0);
    expect(r.hr20).toBeLessThan(0.05);
  });
});
