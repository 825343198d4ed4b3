/**
 * Evaluation of the propensity model that ships: each fold's model is exported as a model folder, read back
 * through the browser's verified loader (hashes, manifest validation, weight decoding) and scored by the
 * browser's propensity module (`engine/propensity.ts`) on device features. What it reports is what a shop
 * that uploads the folder gets.
 */
import { encodeModel, pointerFor, POINTER_FILE } from '../model/encode.js';
import { loadVerifiedModel } from '../model/load.js';
import { decodeWeightArrays } from '../model/decode.js';
import { TENSORS, type PropensitySpec, type SiteTables } from '../model/format.js';
import { propensityBatch } from '../engine/propensity.js';
import { auc, calibration, logLoss } from './metrics.js';
import { stratifiedFolds, type CvResult } from './uci.js';
import { trainPropensity } from './propensity-terms.js';
import type { TrainedLogistic } from './logistic.js';

const utf8 = new TextEncoder();

/**
 * Writes a model folder in memory that holds the propensity part (beside a one-item recommender: the format
 * requires one), and reads it back as the browser does. Returns the spec and weights from the files.
 */
export async function throughModelFiles(trained: Pick<TrainedLogistic, 'spec' | 'weights'>): Promise<{ spec: PropensitySpec; weights: Float32Array; manifestBytes: number }> {
  const model = await encodeModel({
    items: ['-'],
    popular: [],
    dim: 1,
    encoder: { type: 'decay-pool', decay: 1, maxLength: 1, tied: true },
    query: new Float32Array(1),
    target: new Float32Array(1),
    propensity: { spec: trained.spec, weights: trained.weights },
    quantization: 'float32',
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  const version = model.manifest.modelVersion;
  const files = new Map<string, Uint8Array>([[POINTER_FILE, utf8.encode(JSON.stringify(pointerFor(model)))]]);
  for (const [name, bytes] of model.files) files.set(`${version}/${name}`, bytes);
  const loaded = await loadVerifiedModel(async (path) => {
    const bytes = files.get(path);
    if (!bytes) throw new Error(`no file ${path}`);
    return bytes;
  }, POINTER_FILE);
  const weights = decodeWeightArrays(loaded).get(TENSORS.propensityWeights);
  if (!loaded.manifest.propensity || !weights) throw new Error('the exported model lost its propensity part');
  return { spec: loaded.manifest.propensity, weights: Float32Array.from(weights.values), manifestBytes: model.files.get('manifest.json')!.byteLength };
}

/** The same cross-validation figures as the reference model's (uci.ts), for the model that ships. */
export interface ShippedCvResult extends Pick<CvResult, 'features' | 'auc' | 'aucStd' | 'pooledAuc' | 'logloss' | 'ece' | 'bins' | 'seconds'> {
  /** Bytes of the exported manifest of the first fold (the propensity part is in it). */
  manifestBytes: number;
}

/**
 * k-fold stratified cross-validation of the shipped propensity model on raw device-feature rows (the same
 * folds as the reference benchmark in uci.ts for the same seed and labels).
 */
export async function crossValidateShipped(rows: readonly Readonly<Record<string, number>>[], labels: readonly number[], opts: { folds?: number; seed?: number; site?: SiteTables; onFold?: (f: number) => void } = {}): Promise<ShippedCvResult> {
  const t0 = Date.now();
  const k = opts.folds ?? 5;
  const folds = stratifiedFolds(labels, k, opts.seed ?? 1);
  const oof = new Float64Array(rows.length);
  const aucs: number[] = [];
  let features = 0;
  let manifestBytes = 0;
  for (let f = 0; f < k; f++) {
    opts.onFold?.(f);
    const tr = rows.map((_, i) => i).filter((i) => folds[i] !== f);
    const te = rows.map((_, i) => i).filter((i) => folds[i] === f);
    const trained = await trainPropensity(tr.map((i) => rows[i]!), tr.map((i) => labels[i]!), `fold ${f + 1}/${k}`, opts.site);
    const shipped = await throughModelFiles(trained);
    if (f === 0) {
      features = shipped.spec.features.length;
      manifestBytes = shipped.manifestBytes;
    }
    const p = await propensityBatch(shipped.spec, shipped.weights, te.map((i) => rows[i]!));
    te.forEach((i, j) => (oof[i] = p[j]!));
    aucs.push(auc(p, te.map((i) => labels[i]!)));
  }
  const mean = aucs.reduce((a, b) => a + b, 0) / k;
  const cal = calibration(oof, labels, 10);
  return {
    features,
    auc: mean,
    aucStd: Math.sqrt(aucs.reduce((a, b) => a + (b - mean) ** 2, 0) / k),
    pooledAuc: auc(oof, labels),
    logloss: logLoss(oof, labels),
    ece: cal.ece,
    bins: cal.bins,
    manifestBytes,
    seconds: (Date.now() - t0) / 1000,
  };
}
