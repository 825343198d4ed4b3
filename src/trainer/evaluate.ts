/**
 * Offline evaluation of an exported model through the browser's own scoring module (engine/score.ts) and
 * top-k (engine/topk.ts), on tfjs-core's CPU backend: what is measured is what ships.
 */
import type { ScoringModel } from '../engine/score.js';
import { scoreSessions } from '../engine/score.js';
import { topK } from '../engine/topk.js';
import { RankingMetrics, rankOf } from './metrics.js';

export interface EvalRow {
  prefix: readonly number[];
  target: number;
}

export interface RankingReport {
  rows: number;
  hr20: number;
  mrr20: number;
  /** HR@k for k = 1..maxK (index k-1). */
  hrCurve: number[];
}

/** Accumulates HR@1..maxK and MRR@20 from best-first lists. */
export class RankingCurve {
  private readonly hitsAt: Float64Array;
  readonly at20 = new RankingMetrics(20);
  constructor(readonly maxK = 50) {
    // HR@20 and MRR@20 are read from the same list: it must reach rank 20.
    if (maxK < 20) throw new RangeError(`RankingCurve: maxK must be at least 20 (got ${maxK})`);
    this.hitsAt = new Float64Array(maxK);
  }
  add(list: readonly number[], target: number): void {
    const rank = rankOf(list, target);
    this.at20.add(rank);
    if (rank > 0 && rank <= this.maxK) this.hitsAt[rank - 1]!++;
  }
  report(): RankingReport {
    const n = this.at20.count;
    let cum = 0;
    const hrCurve = Array.from(this.hitsAt, (h) => (cum += h) / Math.max(n, 1));
    return { rows: n, hr20: this.at20.hr, mrr20: this.at20.mrr, hrCurve };
  }
}

/** Ranks every item for each row's prefix with the shipped scoring code and scores the target's rank. */
export async function evaluateModel(model: ScoringModel, rows: readonly EvalRow[], opts: { batchSize?: number; maxK?: number; onProgress?: (done: number) => void } = {}): Promise<RankingReport> {
  const curve = new RankingCurve(opts.maxK ?? 50);
  const batch = opts.batchSize ?? 256;
  const N = model.numItems;
  for (let start = 0; start < rows.length; start += batch) {
    const chunk = rows.slice(start, start + batch);
    const scores = await scoreSessions(model, chunk.map((r) => r.prefix));
    chunk.forEach((r, b) => {
      const list = topK(scores, curve.maxK, undefined, b * N, N).map((s) => s.index);
      curve.add(list, r.target);
    });
    opts.onProgress?.(Math.min(start + batch, rows.length));
  }
  return curve.report();
}
