/**
 * Builds the demo shop's model: item embeddings trained on simulated sessions over the DummyJSON catalog
 * (see simulate.ts for why and how), propensity weights trained on the real UCI Online Shoppers data,
 * exported as a verified model folder, then read back and evaluated through the shipped scoring code.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simulateSessions, type CatalogProduct } from './simulate.js';
import { trainRecommender } from './recommender.js';
import { parseShoppersCsv, InputError } from './shoppers.js';
import { trainPropensity, withoutSiteFeatures } from './propensity-terms.js';
import { writeModelFolder, readModelFolder } from './folder.js';
import { decodeModel } from '../model/decode.js';
import { evaluateModel, type EvalRow } from './evaluate.js';
import { propensityBatch } from '../engine/propensity.js';
import { auc } from './metrics.js';
import { createRng, shuffle } from './rng.js';
import type { SessionEncoderSpec } from '../model/format.js';
import { catalogFor } from './catalog.js';

export interface DemoModelOptions {
  /** The shared data folder (holds catalog-dummyjson/ and online-shoppers/). */
  data: string;
  /** Output folder, e.g. demo/cdn/models/demo. */
  out: string;
  seed?: number;
  log?: (line: string) => void;
}

export interface DemoModelResult {
  modelVersion: string;
  items: number;
  hr20: number;
  mrr20: number;
  popularityHr20: number;
  propensityAuc: number;
  weightsBytes: number;
}

const ENCODER: SessionEncoderSpec = { type: 'decay-pool', decay: 0.6, maxLength: 20 };

export async function buildDemoModel(opts: DemoModelOptions): Promise<DemoModelResult> {
  const log = opts.log ?? (() => {});
  const seed = opts.seed ?? 7;
  const catalogFile = join(opts.data, 'catalog-dummyjson', 'products.json');
  const raw = JSON.parse(await readFile(catalogFile, 'utf8')) as unknown;
  const list = Array.isArray(raw) ? raw : (raw as { products?: unknown[] }).products;
  if (!Array.isArray(list)) throw new InputError(`${catalogFile}: expected an array of products`);
  const catalog: CatalogProduct[] = list.map((p: { id: unknown; category: unknown; price: unknown; rating?: unknown }, i) => {
    if (p.id === undefined || typeof p.category !== 'string' || typeof p.price !== 'number') {
      throw new InputError(`${catalogFile}: product #${i} needs id, category and a numeric price`);
    }
    return { id: String(p.id), category: p.category, price: p.price, rating: typeof p.rating === 'number' ? p.rating : 3 };
  });
  const items = catalog.map((p) => p.id);
  const index = new Map(items.map((id, i) => [id, i]));

  // 1. Sessions: simulated; the last 10% are held out for evaluation.
  const sessions = simulateSessions(catalog, { sessions: 12_000, seed }).map((s) => s.map((id) => index.get(id)!));
  const cut = Math.floor(sessions.length * 0.9);
  const train = sessions.slice(0, cut);
  const test = sessions.slice(cut);
  log(`simulated ${sessions.length} sessions over ${items.length} products (${train.length} train, ${test.length} test)`);

  // 2. Recommender.
  const t0 = Date.now();
  const rec = await trainRecommender(train, items.length, {
    dim: 32,
    encoder: ENCODER,
    epochs: 5,
    batchSize: 512,
    learningRate: 0.02,
    seed,
    onEpoch: (e, loss) => log(`recommender epoch ${e + 1}: loss ${loss.toFixed(4)}`),
  });
  log(`recommender trained in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

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

  // 4. Export, with the public catalog feed the demo pages' <tacit-recommendations> cards show. No image
  // URLs: the demo draws its pictures locally and requests nothing outside its two origins.
  const feed = catalogFor(
    (list as Record<string, unknown>[]).map((p) => ({ id: p.id, title: p.title, url: `product.html?id=${encodeURIComponent(String(p.id))}`, price: p.price, category: p.category, availabilityStatus: p.availabilityStatus })),
    items,
    'USD',
  );
  log(feed.summary);
  const popularity = new Float64Array(items.length);
  for (const s of train) for (const i of s) popularity[i]!++;
  const popular = items.map((_, i) => i).sort((a, b) => popularity[b]! - popularity[a]! || a - b).slice(0, 50).map((i) => items[i]!);
  const encoded = await writeModelFolder(opts.out, {
    items,
    popular,
    dim: 32,
    encoder: ENCODER,
    query: rec.query,
    target: rec.target,
    bias: rec.bias,
    propensity: { spec: lr.spec, weights: lr.weights },
    quantization: 'float16',
    catalog: feed.bytes,
    createdAt: '2026-01-01T00:00:00.000Z', // fixed, so the same seed gives byte-identical files
    training: {
      recommender: 'decay-pool, softmax over next item; trained on SIMULATED sessions over the demo catalog (trainer/simulate.ts)',
      propensity: lr.spec.trainedOn,
      seed,
    },
  });
  log(`wrote ${opts.out}/${encoded.manifest.modelVersion}`);

  // 5. Read back through the verified loader and evaluate with the shipped scoring code.
  const decoded = decodeModel(await readModelFolder(opts.out));
  try {
    const rows: EvalRow[] = [];
    for (const s of test) for (let t = 1; t < s.length; t++) rows.push({ prefix: s.slice(0, t), target: s[t]! });
    const report = await evaluateModel(decoded, rows);
    const popTop = popular.slice(0, 20).map((id) => index.get(id)!);
    const popHits = rows.filter((r) => popTop.includes(r.target)).length / rows.length;
    const probs = await propensityBatch(encoded.manifest.propensity!, decoded.propensityWeights!, heldOut.map(noSite));
    const propensityAuc = auc(probs, heldOut.map((r) => r.label));
    log(`held-out simulated sessions: HR@20 ${report.hr20.toFixed(4)}, MRR@20 ${report.mrr20.toFixed(4)} (popularity HR@20 ${popHits.toFixed(4)})`);
    log(`propensity on held-out UCI sessions (on-device features): AUC ${propensityAuc.toFixed(4)}`);
    return {
      modelVersion: encoded.manifest.modelVersion,
      items: items.length,
      hr20: report.hr20,
      mrr20: report.mrr20,
      popularityHr20: popHits,
      propensityAuc,
      weightsBytes: encoded.files.get('weights.bin')!.byteLength,
    };
  } finally {
    decoded.dispose();
  }
}
