/**
 * Builds the demo shop's model through the same path as `tacit train`: simulated sessions over the
 * DummyJSON catalog (see simulate.ts for why and how) go through `preprocess`, `trainSessionModel` and
 * `exportSessionModel` (trainer/session-model.ts) like a sessions file does, with the repeat term chosen on
 * a validation split; propensity weights are trained on the real UCI Online Shoppers data. The exported
 * folder is then read back and evaluated through the shipped scoring code.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simulateSessions, type CatalogProduct } from './simulate.js';
import { parseShoppersCsv, InputError } from './shoppers.js';
import { trainPropensity, withoutSiteFeatures } from './propensity-terms.js';
import { readModelFolder } from './folder.js';
import { decodeWeightArrays } from '../model/decode.js';
import { TENSORS } from '../model/format.js';
import { propensityBatch } from '../engine/propensity.js';
import { auc } from './metrics.js';
import { createRng, shuffle } from './rng.js';
import { preprocess, prefixRows, splitByTime } from './sessions.js';
import { DEFAULT_SESSION_MODEL, trainSessionModel, exportSessionModel, evaluateModelFolder, evaluateBaselines, withRepeat, type SessionModelConfig } from './session-model.js';
import { repeatGridMetrics, bestRepeat } from './sampled.js';
import { catalogFor } from './catalog.js';

export interface DemoModelOptions {
  /** The shared data folder (holds catalog-dummyjson/ and online-shoppers/). */
  data: string;
  /** Output folder, e.g. demo/cdn/models/demo. */
  out: string;
  seed?: number;
  log?: (line: string) => void;
  /** Overrides of DEMO_SESSION_MODEL (for measuring alternatives; the shipped demo uses none). */
  config?: Partial<SessionModelConfig>;
}

export interface DemoModelResult {
  modelVersion: string;
  items: number;
  hr20: number;
  mrr20: number;
  popularityHr20: number;
  /** The repeat term chosen on the validation split. */
  repeat: { weight: number; decay: number };
  propensityAuc: number;
  weightsBytes: number;
  trainSeconds: number;
}

/**
 * The demo's training configuration: `tacit train`'s defaults, with a table of 32 dimensions stored as
 * float16 (194 products need no more) and separate query and target tables. Untied was chosen on the
 * validation split (MRR@20 0.3704 against 0.3123 tied, HR@20 0.8177 against 0.8202; docs/trainer.md has
 * the runs): 12 kB more weights, which a catalog this small can afford.
 */
export const DEMO_SESSION_MODEL: SessionModelConfig = { ...DEFAULT_SESSION_MODEL, dim: 32, tied: false, quantization: 'float16', seed: 7 };

/** Simulated sessions (string ids) over the catalog file, the catalog's ids, and its product records. */
async function demoSessions(data: string, seed: number): Promise<{ items: string[]; sessions: string[][]; products: Record<string, unknown>[] }> {
  const catalogFile = join(data, 'catalog-dummyjson', 'products.json');
  const raw = JSON.parse(await readFile(catalogFile, 'utf8')) as unknown;
  const list = Array.isArray(raw) ? raw : (raw as { products?: unknown[] }).products;
  if (!Array.isArray(list)) throw new InputError(`${catalogFile}: expected an array of products`);
  const catalog: CatalogProduct[] = list.map((p: { id: unknown; category: unknown; price: unknown; rating?: unknown }, i) => {
    if (p.id === undefined || typeof p.category !== 'string' || typeof p.price !== 'number') {
      throw new InputError(`${catalogFile}: product #${i} needs id, category and a numeric price`);
    }
    return { id: String(p.id), category: p.category, price: p.price, rating: typeof p.rating === 'number' ? p.rating : 3 };
  });
  return { items: catalog.map((p) => p.id), sessions: simulateSessions(catalog, { sessions: 12_000, seed }), products: list as Record<string, unknown>[] };
}

export async function buildDemoModel(opts: DemoModelOptions): Promise<DemoModelResult> {
  const log = opts.log ?? (() => {});
  const config: SessionModelConfig = { ...DEMO_SESSION_MODEL, ...(opts.seed === undefined ? {} : { seed: opts.seed }), ...opts.config };
  const seed = config.seed;

  // 1. Sessions: simulated, in time order; the last 10% are held out for the test, the 10% before them for
  //    validation (the repeat term), as `tacit train --validation 0.1 --test …` would split them.
  const { items, sessions, products } = await demoSessions(opts.data, seed);
  const { train: trainRaw, validation: testRaw } = splitByTime(sessions, 0.1);
  // Every product of the catalog stays in the model (no count threshold): the shop shows them all.
  const prep = preprocess(trainRaw, { minItemCount: 1, allowedItems: new Set(items) });
  const { train, validation } = splitByTime(prep.sessions, 0.1);
  log(`simulated ${sessions.length} sessions over ${items.length} products (${train.length} train, ${validation.length} validation, ${testRaw.length} test); ${prep.items.size} products in the model`);

  // 2. Recommender: the one trainer, then the repeat term chosen on the validation rows.
  const validationRows = prefixRows(validation);
  const trained = await trainSessionModel({ ...prep, sessions: train }, config, {
    onEpoch: (e, loss) => log(`recommender epoch ${e + 1}: loss ${loss.toFixed(4)}`),
  });
  const best = bestRepeat(repeatGridMetrics(trained.result, validationRows, config.decay, config.maxLength));
  log(`recommender trained in ${trained.result.seconds.toFixed(1)} s; repeat term on validation: weight ${best.weight}, decay ${best.decay} (HR@20 ${best.hr20.toFixed(4)}, MRR@20 ${best.mrr20.toFixed(4)})`);
  const chosen = withRepeat(trained, best);

  // 3. Propensity on the real UCI data, mapped to on-device features; 20% held out, stratified.
  const uciFile = join(opts.data, 'online-shoppers', 'online_shoppers_intention.csv');
  const uci = parseShoppersCsv(await readFile(uciFile, 'utf8'), uciFile);
  const rng = createRng(seed);
  const pos = shuffle(uci.filter((r) => r.label === 1), rng);
  const neg = shuffle(uci.filter((r) => r.label === 0), rng);
  const heldOut = [...pos.slice(0, Math.round(pos.length * 0.2)), ...neg.slice(0, Math.round(neg.length * 0.2))];
  const fit = [...pos.slice(Math.round(pos.length * 0.2)), ...neg.slice(Math.round(neg.length * 0.2))];
  // The demo model carries no site tables yet: the device computes page value, bounce and exit rates and
  // the special day as 0, so the weights are learned with those features at 0 too (the trainer drops them).
  const noSite = (r: (typeof uci)[number]) => withoutSiteFeatures(r.device);
  const lr = await trainPropensity(
    fit.map(noSite),
    fit.map((r) => r.label),
    `UCI Online Shoppers Purchasing Intention, ${fit.length} sessions (on-device features; no site tables)`,
  );

  // 4. Export, as `tacit train --catalog` does, with the public catalog feed the demo pages'
  // <tacit-recommendations> cards show. No image URLs: the demo draws its pictures locally and requests
  // nothing outside its two origins.
  const feed = catalogFor(
    products.map((p) => ({ id: p.id, title: p.title, url: `product.html?id=${encodeURIComponent(String(p.id))}`, price: p.price, category: p.category, availabilityStatus: p.availabilityStatus })),
    prep.items.ids,
    'USD',
  );
  log(feed.summary);
  const exported = await exportSessionModel(opts.out, prep, chosen, {
    propensity: { spec: lr.spec, weights: lr.weights },
    catalog: feed.bytes,
    training: { data: 'SIMULATED sessions over the demo catalog (trainer/simulate.ts)', propensity: lr.spec.trainedOn, seed },
  });
  log(`wrote ${exported.dir}`);

  // 5. Read back through the verified loader and evaluate with the shipped scoring code.
  const rows = prefixRows(testRaw);
  const report = await evaluateModelFolder(opts.out, rows);
  const popularity = evaluateBaselines(prep, rows, { only: ['popularity'] }).popularity!;
  const verified = await readModelFolder(opts.out);
  const weights = decodeWeightArrays(verified).get(TENSORS.propensityWeights)!.values as Float32Array;
  const probs = await propensityBatch(verified.manifest.propensity!, weights, heldOut.map(noSite));
  const propensityAuc = auc(probs, heldOut.map((r) => r.label));
  log(`held-out simulated sessions: HR@20 ${report.hr20.toFixed(4)}, MRR@20 ${report.mrr20.toFixed(4)} (popularity HR@20 ${popularity.hr20.toFixed(4)})`);
  log(`propensity on held-out UCI sessions (on-device features): AUC ${propensityAuc.toFixed(4)}`);
  return {
    modelVersion: exported.encoded.manifest.modelVersion,
    items: prep.items.size,
    hr20: report.hr20,
    mrr20: report.mrr20,
    popularityHr20: popularity.hr20,
    repeat: { weight: best.weight, decay: best.decay },
    propensityAuc,
    weightsBytes: exported.encoded.files.get('weights.bin')!.byteLength,
    trainSeconds: trained.result.seconds,
  };
}
