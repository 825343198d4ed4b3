/** Offline metrics shared by every evaluation: ranking (HR@k, MRR@k) and probability quality (AUC, log loss, ECE). */

/** 1-based rank of `target` in a best-first list, or 0 when absent. */
export function rankOf(list: readonly number[], target: number): number {
  const i = list.indexOf(target);
  return i < 0 ? 0 : i + 1;
}

/** Accumulates HR@k and MRR@k over evaluation rows. */
export class RankingMetrics {
  private rows = 0;
  private hits = 0;
  private rr = 0;
  constructor(readonly k: number) {}
  add(rank: number): void {
    this.rows++;
    if (rank > 0 && rank <= this.k) {
      this.hits++;
      this.rr += 1 / rank;
    }
  }
  get count(): number {
    return this.rows;
  }
  get hr(): number {
    return this.rows ? this.hits / this.rows : 0;
  }
  get mrr(): number {
    return this.rows ? this.rr / this.rows : 0;
  }
}

/** Area under the ROC curve by the rank-sum (Mann–Whitney) formula; ties get their average rank. */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) {
      if (labels[order[t]!]) {
        pos++;
        rankSum += avgRank;
      }
    }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Mean binary cross-entropy, probabilities clipped to [1e-7, 1 - 1e-7]. */
export function logLoss(probs: ArrayLike<number>, labels: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < probs.length; i++) {
    const p = Math.min(Math.max(probs[i]!, 1e-7), 1 - 1e-7);
    s -= labels[i] ? Math.log(p) : Math.log(1 - p);
  }
  return s / probs.length;
}

export interface CalibrationBin {
  lo: number;
  hi: number;
  count: number;
  meanPredicted: number;
  observedRate: number;
}

/** Expected calibration error over `bins` equal-width bins, with the bins for a reliability plot. */
export function calibration(probs: ArrayLike<number>, labels: ArrayLike<number>, bins = 10): { ece: number; bins: CalibrationBin[] } {
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  const cnt = new Float64Array(bins);
  for (let i = 0; i < probs.length; i++) {
    const b = Math.min(bins - 1, Math.floor(probs[i]! * bins));
    sumP[b]! += probs[i]!;
    sumY[b]! += labels[i] ? 1 : 0;
    cnt[b]!++;
  }
  let ece = 0;
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    const c = cnt[b]!;
    const mp = c ? sumP[b]! / c : 0;
    const or = c ? sumY[b]! / c : 0;
    ece += (c / probs.length) * Math.abs(mp - or);
    out.push({ lo: b / bins, hi: (b + 1) / bins, count: c, meanPredicted: mp, observedRate: or });
  }
  return { ece, bins: out };
}
