/**
 * The terms of the shipped propensity model, over the device features of engine/features.ts. One list serves
 * `tacit train --propensity`, the demo model and `npm run eval:shoppers`, so the evaluated model is the
 * shipped one. Each step was measured in 5-fold cross-validation on UCI Online Shoppers (docs/trainer.md):
 * the plain terms reach AUC 0.916 (ECE 0.020); the page-value indicators and bins, which a logistic model
 * cannot form from log1p(page value) alone, 0.922; log1p(page value) times each other continuous feature,
 * 0.926; the products of every pair of continuous features, 0.929.
 */
import { monthFeature, SITE_FEATURES } from '../engine/features.js';
import { trainLogistic, type FeatureDef, type TrainedLogistic } from './logistic.js';
import type { SiteTables } from '../model/format.js';

const COUNTS = ['product_views', 'product_seconds', 'account_views', 'account_seconds', 'info_views', 'info_seconds'] as const;
const RATES = ['bounce_rate', 'exit_rate', 'special_day'] as const;
/** Continuous features after their transform (log1p for counts and seconds), for the products. */
const CONTINUOUS: FeatureDef[] = [...COUNTS.map((name) => ({ name, transform: 'log1p' as const })), ...RATES.map((name) => ({ name, transform: 'identity' as const }))];

/** Edges that cut the positive values into `q` bins of about equal size (0 is left out: it has its own term). */
export function positiveQuantileEdges(values: readonly number[], q: number): number[] {
  const pos = values.filter((v) => v > 0).sort((a, b) => a - b);
  const edges: number[] = [];
  for (let i = 1; i < q && pos.length; i++) {
    const e = pos[Math.floor((i * pos.length) / q)]!;
    if (!edges.length || e > edges[edges.length - 1]!) edges.push(e);
  }
  return edges;
}

/**
 * The shipped terms. `rows` (raw device features of the training sessions) fix the page-value bin edges, so
 * that each bin holds about as many sessions; without page values in the rows (no site tables), the
 * page-value terms are constant and the trainer drops them.
 */
export function propensityTerms(rows: readonly Readonly<Record<string, number>>[], opts: { pageValueBins?: number } = {}): FeatureDef[] {
  const defs: FeatureDef[] = [...CONTINUOUS];
  defs.push({ name: 'page_value', transform: 'log1p' });
  defs.push({ name: 'returning_visitor', transform: 'identity' }, { name: 'weekend', transform: 'identity' });
  for (let m = 0; m < 12; m++) defs.push({ name: monthFeature(m), transform: 'identity' });
  // The page value's shape: raw, "any value at all", and bins of its positive values.
  defs.push({ name: 'page_value', transform: 'identity', description: 'mean page value of the pages seen (raw)' });
  defs.push({ name: 'page_value', transform: 'identity', above: 0, description: 'the session saw a page with a page value' });
  const edges = positiveQuantileEdges(rows.map((r) => r.page_value ?? 0), opts.pageValueBins ?? 8);
  [0, ...edges].forEach((lo, i) => {
    const hi = edges[i];
    defs.push({ name: 'page_value', transform: 'identity', above: lo, ...(hi !== undefined ? { upTo: hi } : {}), description: `mean page value in (${lo.toFixed(2)}, ${hi === undefined ? '∞' : hi.toFixed(2)}]` });
  });
  const pv: FeatureDef = { name: 'page_value', transform: 'log1p' };
  const positive: FeatureDef = { name: 'page_value', transform: 'identity', above: 0 };
  for (const c of CONTINUOUS) defs.push({ ...pv, times: c, description: `log1p(page value) × ${label(c)}` });
  for (const other of [{ name: 'returning_visitor', transform: 'identity' }, { name: monthFeature(10), transform: 'identity' }, { name: 'product_views', transform: 'log1p' }, { name: 'exit_rate', transform: 'identity' }] as FeatureDef[]) {
    defs.push({ ...positive, times: other, description: `page value above 0 × ${label(other)}` });
  }
  for (let i = 0; i < CONTINUOUS.length; i++) {
    for (let j = i; j < CONTINUOUS.length; j++) defs.push({ ...CONTINUOUS[i]!, times: CONTINUOUS[j]!, description: `${label(CONTINUOUS[i]!)} × ${label(CONTINUOUS[j]!)}` });
  }
  return defs;
}

const label = (f: FeatureDef) => (f.transform === 'log1p' ? `log1p(${f.name})` : f.name);

/** Training settings of the shipped model (full-batch Adam), the same in the CLI, the demo and the eval. */
export const PROPENSITY_TRAINING = { epochs: 400, learningRate: 0.05, l2: 1e-4 } as const;

/** Trains the shipped propensity model on raw device-feature rows. */
export function trainPropensity(rows: readonly Readonly<Record<string, number>>[], labels: ArrayLike<number>, trainedOn: string, site?: SiteTables): Promise<TrainedLogistic> {
  return trainLogistic(rows, labels, propensityTerms(rows), { ...PROPENSITY_TRAINING, trainedOn, ...(site ? { site } : {}) });
}

/**
 * A row as the device computes it when the model has no site tables: the page aggregates and the special
 * day are 0. Training data without per-page tables (the UCI CSV has session averages only) is learned so.
 */
export function withoutSiteFeatures(row: Readonly<Record<string, number>>): Record<string, number> {
  return { ...row, ...Object.fromEntries(SITE_FEATURES.map((f) => [f, 0])) };
}
