import { describe, it, expect } from 'vitest';
import { throughModelFiles, crossValidateShipped } from '../../src/trainer/propensity-eval.js';
import { trainPropensity } from '../../src/trainer/propensity-terms.js';
import { rng } from './helpers.js';

/** Sessions whose purchase depends on the page value and the product views, as in the UCI data. */
function sessions(n: number, seed: number) {
  const r = rng(seed);
  const rows: Record<string, number>[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const pv = r() < 0.3 ? r() * 50 : 0;
    const views = Math.floor(r() * 30);
    rows.push({ page_value: pv, product_views: views, product_seconds: views * 40 * r(), exit_rate: r() * 0.2, weekend: r() < 0.25 ? 1 : 0 });
    labels.push(r() < 1 / (1 + Math.exp(-(-2.5 + 0.12 * pv + 0.03 * views))) ? 1 : 0);
  }
  return { rows, labels };
}

describe('the shipped propensity model through its files', () => {
  it('reads back, through the verified loader, the spec and weights that were trained', async () => {
    const { rows, labels } = sessions(400, 3);
    const site = { pages: { keys: ['a'], value: [1], bounce: [0], exit: [0.5] }, specialDays: { dates: ['02-14'], peak: 6, width: 5 } };
    const trained = await trainPropensity(rows, labels, 'synthetic', site);
    const back = await throughModelFiles(trained);
    expect(back.spec).toEqual(trained.spec);
    expect(back.spec.site).toEqual(site);
    expect(Array.from(back.weights)).toEqual(Array.from(trained.weights));
  });

  it('cross-validates to an AUC that reflects the signal, and to chance when the labels are shuffled', async () => {
    const { rows, labels } = sessions(600, 5);
    const real = await crossValidateShipped(rows, labels, { folds: 3 });
    expect(real.auc).toBeGreaterThan(0.75);
    expect(real.features).toBeGreaterThan(5);
    const r = rng(9);
    const shuffled = labels.map((l) => ({ l, k: r() })).sort((a, b) => a.k - b.k).map((x) => x.l);
    const none = await crossValidateShipped(rows, shuffled, { folds: 3 });
    expect(none.auc).toBeLessThan(0.62);
  });
});
