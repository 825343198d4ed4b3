/**
 * The session recommender, end to end: prepared sessions → trained embeddings → exported model folder →
 * evaluation of the exported (quantized) files through the browser's own scoring code → baselines in the
 * same harness.
 */
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { Quantization, ModelParts, EncodedModel } from '../model/encode.js';
import { modelSizeProblem, type SessionEncoderSpec, type PropensitySpec } from '../model/format.js';
import { InputError } from './errors.js';
import { createdAt } from './created-at.js';
import { decodeModel } from '../engine/tensors.js';
import { writeModelFolder, readModelFolder } from './folder.js';
import { evaluateModel, type RankingReport } from './evaluate.js';
import { trainSampledSoftmax, quickRankMetrics, type SampledTrainResult, type SampledSoftmaxOptions } from './sampled.js';
import { ItemIndex, indexRows, type Prepared, type RawPrefixRow } from './sessions.js';
import { packCorpus, referenceBaselines, evaluateRecommender } from './baselines.js';
import { useCpu } from './tf.js';

/** The training options of trainer/sampled.ts (meanings there), plus what export and scoring add. */
export interface SessionModelConfig
  extends Pick<SampledSoftmaxOptions, 'dim' | 'decay' | 'maxLength' | 'epochs' | 'batchSize' | 'negatives' | 'negativePower' | 'learningRate' | 'l2' | 'tied' | 'initScale' | 'seed'>,
    Required<Pick<SampledSoftmaxOptions, 'recentEpochs' | 'recentFraction' | 'recentLearningRate'>> {
  quantization: Quantization;
  /**
   * The scorer's repeat term (`SessionEncoderSpec.repeat`): score_j += repeatWeight · Σ_p
   * repeatDecay^(n-1-p) · [i_p = j] over the whole session. Weight 0: no term. Chosen on a validation
   * split (`tacit train --validation` prints the grid), never on a test set.
   */
  repeatWeight: number;
  repeatDecay: number;
}

/**
 * Defaults chosen on Diginetica's validation split (the last 10% of the training sessions; never the
 * test set): see docs/trainer.md for the runs behind them.
 */
export const DEFAULT_SESSION_MODEL: SessionModelConfig = {
  dim: 32,
  decay: 0.6,
  maxLength: 10,
  epochs: 6,
  batchSize: 256,
  negatives: 1024,
  negativePower: 0.75,
  learningRate: 0.01,
  l2: 0,
  tied: true,
  recentEpochs: 1,
  recentFraction: 0.2,
  recentLearningRate: 0.1,
  initScale: 0.05,
  seed: 1,
  quantization: 'uint8',
  // On Diginetica's validation split: weight 12, decay 0.9 took HR@20 0.5050 → 0.5191, MRR@20 0.1745 → 0.1864.
  repeatWeight: 12,
  repeatDecay: 0.9,
};

/**
 * The encoder of a model trained with the defaults, without the parts that belong to a trained table (tied
 * storage, the repeat term): what `tacit import` writes when it is told nothing else.
 */
export const DEFAULT_ENCODER: SessionEncoderSpec = { type: 'decay-pool', decay: DEFAULT_SESSION_MODEL.decay, maxLength: DEFAULT_SESSION_MODEL.maxLength };

/** Overrides for small catalogs such as yoochoose-100k (2,933 items): see docs/trainer.md. */
export const YOOCHOOSE_SESSION_MODEL: Partial<SessionModelConfig> = { dim: 64, epochs: 8, recentEpochs: 0, repeatWeight: 30, repeatDecay: 0.6 };

export interface TrainedSessionModel {
  config: SessionModelConfig;
  result: SampledTrainResult;
  encoder: SessionEncoderSpec;
  /** Validation HR@20 / MRR@20 per epoch when validation rows were given. */
  validation: { epoch: number; hr20: number; mrr20: number }[];
}

/** The manifest's encoder for a configuration: decay-pool, tied when the table is shared, repeat term when weighted. */
export function encoderSpec(config: SessionModelConfig): SessionEncoderSpec {
  return {
    type: 'decay-pool',
    decay: config.decay,
    maxLength: config.maxLength,
    ...(config.tied ? { tied: true } : {}),
    ...(config.repeatWeight > 0 ? { repeat: { weight: config.repeatWeight, decay: config.repeatDecay } } : {}),
  };
}

export async function trainSessionModel(
  prep: Prepared,
  config: SessionModelConfig,
  hooks: {
    onProgress?: SampledSoftmaxOptions['onProgress'];
    /** Training threads (trainer/sampled.ts); not part of the config, since the model does not depend on it. */
    threads?: number;
    onEpoch?: (epoch: number, loss: number, validation?: { hr20: number; mrr20: number }) => void;
    /** Dense validation rows scored after each epoch (plain-JS copy of the scoring math, for speed). */
    validationRows?: readonly { prefix: readonly number[]; target: number }[];
  } = {},
): Promise<TrainedSessionModel> {
  // Before the run, not at export after it: a model the format refuses is not worth training.
  const size = modelSizeProblem(prep.items.size, config.dim);
  if (size) throw new InputError(`cannot train this model: ${size}; choose a smaller --dim (or fewer items: --min-item-count)`);
  const encoder = encoderSpec(config);
  const validation: TrainedSessionModel['validation'] = [];
  const result = await trainSampledSoftmax(prep.sessions, prep.items.size, {
    ...config,
    threads: hooks.threads,
    onProgress: hooks.onProgress,
    onEpoch: (epoch, loss, model) => {
      let v: { hr20: number; mrr20: number } | undefined;
      if (hooks.validationRows?.length) {
        v = quickRankMetrics(model, hooks.validationRows, config.decay, config.maxLength, encoder.repeat);
        validation.push({ epoch: epoch + 1, ...v });
      }
      hooks.onEpoch?.(epoch, loss, v);
    },
  });
  return { config, result, encoder, validation };
}

/**
 * The same trained tables with the repeat term set to a point of the validation grid (`bestRepeat` of
 * trainer/sampled.ts): the term is added by the scorer, so choosing it needs no retraining.
 */
export function withRepeat(trained: TrainedSessionModel, repeat: { weight: number; decay: number }): TrainedSessionModel {
  const config = { ...trained.config, repeatWeight: repeat.weight, repeatDecay: repeat.decay };
  return { ...trained, config, encoder: encoderSpec(config) };
}

/** Items by training popularity, most popular first (the manifest's fallback list). */
export function popularIds(prep: Prepared, n = 50): string[] {
  const order = Array.from({ length: prep.items.size }, (_, i) => i).sort((a, b) => prep.counts[b]! - prep.counts[a]! || a - b);
  return order.slice(0, n).map((i) => prep.items.idOf(i));
}

export interface ExportedModel {
  encoded: EncodedModel;
  /** The model folder (holds latest.json): what `evaluateModelFolder` and the browser read. */
  root: string;
  /** The version folder inside it. */
  dir: string;
  /** weights.bin + manifest.json, raw and gzip -9. */
  bytes: number;
  bytesGzip: number;
}

export async function exportSessionModel(
  out: string,
  prep: Prepared,
  trained: TrainedSessionModel,
  extra: { propensity?: { spec: PropensitySpec; weights: Float32Array }; training?: Record<string, unknown>; createdAt?: string; catalog?: Uint8Array } = {},
): Promise<ExportedModel> {
  const { result, config, encoder } = trained;
  const parts: ModelParts = {
    items: [...prep.items.ids],
    popular: popularIds(prep),
    dim: config.dim,
    encoder,
    query: result.query,
    target: result.target,
    bias: result.bias,
    quantization: config.quantization,
    ...(extra.propensity ? { propensity: extra.propensity } : {}),
    ...(extra.catalog ? { catalog: extra.catalog } : {}),
    createdAt: extra.createdAt ?? createdAt(), // the real time, or SOURCE_DATE_EPOCH for byte-identical rebuilds
    training: {
      recommender: `decay-pool (decay ${config.decay}, last ${config.maxLength} items), ${config.tied ? 'one tied table for query and target' : 'separate query/target embeddings'} of dim ${config.dim}, an item bias${encoder.repeat ? ` and a repeat term (weight ${encoder.repeat.weight}, decay ${encoder.repeat.decay})` : ''}; sampled softmax over the next item (trainer/sampled.ts)`,
      config,
      sessions: prep.stats.sessionsOut,
      events: prep.stats.eventsOut,
      losses: result.losses.map((l) => Number(l.toFixed(5))),
      ...extra.training,
    },
  };
  const encoded = await writeModelFolder(out, parts);
  const dir = join(out, encoded.manifest.modelVersion);
  let bytes = 0;
  let bytesGzip = 0;
  for (const name of encoded.files.keys()) {
    const data = await readFile(join(dir, name));
    bytes += data.byteLength;
    bytesGzip += gzipSync(data, { level: 9 }).byteLength;
  }
  return { encoded, root: out, dir, bytes, bytesGzip };
}

export interface ModelEvaluation extends RankingReport {
  unknownTargets: number;
  unknownPrefixItems: number;
  items: number;
}

/**
 * Reads a model folder back through the verified loader, maps the raw rows onto its items, and ranks every
 * item for each row with the browser's scoring module (tfjs-core, CPU backend): the shipped numbers.
 */
export async function evaluateModelFolder(dir: string, rows: readonly RawPrefixRow[], opts: { onProgress?: (done: number) => void; batchSize?: number } = {}): Promise<ModelEvaluation> {
  await useCpu();
  const verified = await readModelFolder(dir);
  const decoded = decodeModel(verified);
  try {
    const items = new ItemIndex(verified.manifest.items);
    const indexed = indexRows(rows, items);
    const report = await evaluateModel(decoded, indexed.rows, { onProgress: opts.onProgress, batchSize: opts.batchSize ?? 256 });
    return { ...report, unknownTargets: indexed.unknownTargets, unknownPrefixItems: indexed.unknownPrefixItems, items: items.size };
  } finally {
    decoded.dispose();
  }
}

/** The README's reference methods trained on `prep` and run over `rows` in the same harness. */
export function evaluateBaselines(prep: Prepared, rows: readonly RawPrefixRow[], opts: { only?: readonly string[]; onMethod?: (name: string) => ((done: number) => void) | undefined; onDone?: (name: string, r: RankingReport) => void } = {}): Record<string, RankingReport> {
  const corpus = packCorpus(prep.sessions, prep.items.size);
  const indexed = indexRows(rows, prep.items).rows;
  const out: Record<string, RankingReport> = {};
  for (const rec of referenceBaselines(corpus)) {
    if (opts.only && !opts.only.includes(rec.name)) continue;
    const r = evaluateRecommender(rec, indexed, { onProgress: opts.onMethod?.(rec.name) });
    out[rec.name] = r;
    opts.onDone?.(rec.name, r);
  }
  return out;
}
