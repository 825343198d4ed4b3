/**
 * The simple methods that any shipped model must beat, exactly as ../shared/data/README.md defines them:
 * popularity, item co-occurrence (AR, window 10), SKNN and V-SKNN (session kNN, k = 100, 500 most recent
 * candidate sessions). They live in the evaluator and are never shipped.
 *
 * Conventions shared by all of them:
 * - training sessions are in time order: a later session is more recent;
 * - every list is filled up to its length with the most popular training items not already in it;
 * - equal scores are ordered by popularity (more clicks first), then by item index, so results are
 *   deterministic;
 * - items already in the prefix are ranked like any other item (the protocol does not remove them).
 *
 * Speed: sessions are packed into typed arrays with an inverted index item → sessions sorted by recency,
 * and every query reuses preallocated score buffers; a query touches only the candidate sessions.
 */
import { RankingCurve, type RankingReport } from './evaluate.js';

/** Training sessions packed into typed arrays, with the inverted index the neighbourhood methods need. */
export interface SessionCorpus {
  numItems: number;
  numSessions: number;
  /** Events of session s: items[offsets[s] .. offsets[s+1]). */
  offsets: Int32Array;
  items: Int32Array;
  /** Distinct items of session s: distinctItems[distinctOffsets[s] .. distinctOffsets[s+1]). */
  distinctOffsets: Int32Array;
  distinctItems: Int32Array;
  /** Sessions containing item i, oldest first (each once): itemSessions[itemOffsets[i] .. itemOffsets[i+1]). */
  itemOffsets: Int32Array;
  itemSessions: Int32Array;
  /** Clicks per item. */
  counts: Float64Array;
  /** Items by popularity, most clicked first (ties: lower index first). */
  popular: Int32Array;
  /** popularityRank[item] = position of the item in `popular`. */
  popularityRank: Int32Array;
}

export function packCorpus(sessions: readonly (readonly number[])[], numItems: number): SessionCorpus {
  const S = sessions.length;
  const offsets = new Int32Array(S + 1);
  for (let s = 0; s < S; s++) offsets[s + 1] = offsets[s]! + sessions[s]!.length;
  const items = new Int32Array(offsets[S]!);
  const counts = new Float64Array(numItems);
  const distinctOffsets = new Int32Array(S + 1);
  const distinctTmp: number[] = [];
  const stamp = new Int32Array(numItems).fill(-1);
  for (let s = 0; s < S; s++) {
    const sess = sessions[s]!;
    for (let j = 0; j < sess.length; j++) {
      const it = sess[j]!;
      if (!(it >= 0 && it < numItems && Number.isInteger(it))) throw new RangeError(`session ${s} holds item ${it}, outside 0..${numItems - 1}`);
      items[offsets[s]! + j] = it;
      counts[it]!++;
      if (stamp[it] !== s) {
        stamp[it] = s;
        distinctTmp.push(it);
      }
    }
    distinctOffsets[s + 1] = distinctTmp.length;
  }
  const distinctItems = Int32Array.from(distinctTmp);
  // Inverted index by counting sort: sessions are visited oldest first, so each item's list is sorted.
  const itemOffsets = new Int32Array(numItems + 1);
  for (const it of distinctItems) itemOffsets[it + 1]!++;
  for (let i = 0; i < numItems; i++) itemOffsets[i + 1]! += itemOffsets[i]!;
  const fill = itemOffsets.slice(0, numItems);
  const itemSessions = new Int32Array(distinctItems.length);
  for (let s = 0; s < S; s++) for (let j = distinctOffsets[s]!; j < distinctOffsets[s + 1]!; j++) itemSessions[fill[distinctItems[j]!]!++] = s;
  const popular = Int32Array.from({ length: numItems }, (_, i) => i).sort((a, b) => counts[b]! - counts[a]! || a - b);
  const popularityRank = new Int32Array(numItems);
  popular.forEach((it, r) => (popularityRank[it] = r));
  return { numItems, numSessions: S, offsets, items, distinctOffsets, distinctItems, itemOffsets, itemSessions, counts, popular, popularityRank };
}

/** A method that returns a best-first list of exactly `k` distinct items for a prefix. */
export interface SessionRecommender {
  readonly name: string;
  recommend(prefix: readonly number[], k: number): number[];
}

/**
 * Sparse scores → best-first list of k items: scored items by score (ties by popularity), then the most
 * popular items not already in the list. Resets the score buffer as it goes.
 */
class ScoreBuffer {
  readonly score: Float64Array;
  private readonly touched: Int32Array;
  private n = 0;
  private readonly inList: Uint8Array;
  constructor(private readonly corpus: SessionCorpus) {
    this.score = new Float64Array(corpus.numItems);
    this.touched = new Int32Array(corpus.numItems);
    this.inList = new Uint8Array(corpus.numItems);
  }
  add(item: number, value: number): void {
    if (this.score[item] === 0) {
      if (value === 0) return;
      this.touched[this.n++] = item;
    }
    this.score[item]! += value;
  }
  /** Takes the list and clears the buffer. */
  take(k: number): number[] {
    const { score } = this;
    const rank = this.corpus.popularityRank;
    const cand = Array.from(this.touched.subarray(0, this.n)).filter((i) => score[i]! > 0);
    cand.sort((a, b) => score[b]! - score[a]! || rank[a]! - rank[b]!);
    const list = cand.length > k ? cand.slice(0, k) : cand;
    for (const i of list) this.inList[i] = 1;
    for (let p = 0; list.length < k && p < this.corpus.popular.length; p++) {
      const it = this.corpus.popular[p]!;
      if (!this.inList[it]) list.push(it);
    }
    for (const i of list) this.inList[i] = 0;
    for (let t = 0; t < this.n; t++) score[this.touched[t]!] = 0;
    this.n = 0;
    return list;
  }
}

/** The k items seen most often in training, whatever the prefix. */
export function popularityBaseline(corpus: SessionCorpus): SessionRecommender {
  return {
    name: 'popularity',
    recommend: (_prefix, k) => Array.from(corpus.popular.subarray(0, Math.min(k, corpus.numItems))),
  };
}

/**
 * Item co-occurrence ("association rules"): for the last item of the prefix, how often each other item
 * appears within `window` positions of it (either side) in a training session, counted over every
 * occurrence of the last item. The counts for an item are computed on first use and cached.
 */
export function cooccurrenceBaseline(corpus: SessionCorpus, opts: { window?: number } = {}): SessionRecommender {
  const window = opts.window ?? 10;
  const buf = new ScoreBuffer(corpus);
  const cache = new Map<number, number[]>();
  const cacheLimit = 50_000;
  const { offsets, items, itemOffsets, itemSessions } = corpus;
  return {
    name: 'co-occurrence',
    recommend(prefix, k) {
      if (prefix.length === 0) return Array.from(corpus.popular.subarray(0, k));
      const last = prefix[prefix.length - 1]!;
      const hit = cache.get(last);
      if (hit && hit.length >= k) return hit.slice(0, k);
      for (let p = itemOffsets[last]!; p < itemOffsets[last + 1]!; p++) {
        const s = itemSessions[p]!;
        const a = offsets[s]!;
        const b = offsets[s + 1]!;
        for (let i = a; i < b; i++) {
          if (items[i] !== last) continue;
          const lo = Math.max(a, i - window);
          const hi = Math.min(b - 1, i + window);
          for (let j = lo; j <= hi; j++) if (j !== i) buf.add(items[j]!, 1);
        }
      }
      const list = buf.take(k);
      if (cache.size < cacheLimit) cache.set(last, list);
      return list.slice();
    },
  };
}

export interface KnnOptions {
  /** Neighbours kept. Default 100. */
  k?: number;
  /** Most recent sessions taken per distinct prefix item. Default 500. */
  perItem?: number;
  /** Most recent sessions kept of their union. Default 500. */
  sampleSize?: number;
}

/**
 * Session kNN. `weighting: 'sknn'`: every prefix item weighs 1 and a candidate's similarity is cosine on
 * distinct items: common / sqrt(|prefix| · |candidate|). `'vsknn'`: the prefix item at position p (1-based)
 * of n weighs p/n (its largest weight when repeated), and the similarity is the plain sum of the weights of
 * the prefix items the candidate contains. An item's score is the sum of the similarities of the k most
 * similar candidates that contain it.
 */
export function sessionKnnBaseline(corpus: SessionCorpus, weighting: 'sknn' | 'vsknn', opts: KnnOptions = {}): SessionRecommender {
  const K = opts.k ?? 100;
  const perItem = opts.perItem ?? 500;
  const sampleSize = opts.sampleSize ?? 500;
  const { distinctOffsets, distinctItems, itemOffsets, itemSessions } = corpus;
  const weight = new Float64Array(corpus.numItems);
  const seen = new Int32Array(corpus.numSessions).fill(-1);
  const buf = new ScoreBuffer(corpus);
  let query = 0;
  let candidates = new Int32Array(1024);
  const sims = new Float64Array(sampleSize);
  const order = new Int32Array(sampleSize);
  return {
    name: weighting === 'sknn' ? 'sknn' : 'v-sknn',
    recommend(prefix, k) {
      query++;
      const n = prefix.length;
      if (n === 0) return Array.from(corpus.popular.subarray(0, k));
      // Prefix weights (largest weight of a repeated item) and its distinct items.
      const distinct: number[] = [];
      for (let p = 0; p < n; p++) {
        const it = prefix[p]!;
        if (it < 0) continue;
        if (weight[it] === 0) distinct.push(it);
        const w = weighting === 'sknn' ? 1 : (p + 1) / n;
        if (w > weight[it]!) weight[it] = w;
      }
      // Candidates: the perItem most recent sessions of each distinct item, union, the sampleSize most recent.
      let c = 0;
      for (const it of distinct) {
        const lo = Math.max(itemOffsets[it]!, itemOffsets[it + 1]! - perItem);
        for (let p = itemOffsets[it + 1]! - 1; p >= lo; p--) {
          const s = itemSessions[p]!;
          if (seen[s] === query) continue;
          seen[s] = query;
          if (c === candidates.length) {
            const bigger = new Int32Array(c * 2);
            bigger.set(candidates);
            candidates = bigger;
          }
          candidates[c++] = s;
        }
      }
      let cand = candidates.subarray(0, c);
      if (c > sampleSize) {
        cand.sort();
        cand = cand.subarray(c - sampleSize);
      }
      const m = cand.length;
      // Similarities.
      for (let t = 0; t < m; t++) {
        const s = cand[t]!;
        const a = distinctOffsets[s]!;
        const b = distinctOffsets[s + 1]!;
        let sum = 0;
        for (let j = a; j < b; j++) sum += weight[distinctItems[j]!]!;
        sims[t] = weighting === 'sknn' ? sum / Math.sqrt(distinct.length * (b - a)) : sum;
        order[t] = t;
      }
      // The K most similar (ties: the more recent session first).
      const ord = order.subarray(0, m);
      ord.sort((x, y) => sims[y]! - sims[x]! || cand[y]! - cand[x]!);
      const keep = Math.min(K, m);
      for (let t = 0; t < keep; t++) {
        const idx = ord[t]!;
        const sim = sims[idx]!;
        if (sim <= 0) continue;
        const s = cand[idx]!;
        for (let j = distinctOffsets[s]!; j < distinctOffsets[s + 1]!; j++) buf.add(distinctItems[j]!, sim);
      }
      for (const it of distinct) weight[it] = 0;
      return buf.take(k);
    },
  };
}

/** The four reference methods of ../shared/data/README.md, by report name. */
export function referenceBaselines(corpus: SessionCorpus): SessionRecommender[] {
  return [popularityBaseline(corpus), cooccurrenceBaseline(corpus), sessionKnnBaseline(corpus, 'sknn'), sessionKnnBaseline(corpus, 'vsknn')];
}

/** Runs a method over evaluation rows through the same `RankingCurve` as the model (HR@1..maxK, MRR@20). */
export function evaluateRecommender(
  rec: SessionRecommender,
  rows: readonly { prefix: readonly number[]; target: number }[],
  opts: { maxK?: number; onProgress?: (done: number) => void } = {},
): RankingReport {
  const curve = new RankingCurve(opts.maxK ?? 50);
  const every = Math.max(1, Math.floor(rows.length / 200));
  rows.forEach((r, i) => {
    curve.add(rec.recommend(r.prefix, curve.maxK), r.target);
    if (opts.onProgress && (i % every === every - 1 || i === rows.length - 1)) opts.onProgress(i + 1);
  });
  return curve.report();
}
