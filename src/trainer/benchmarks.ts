/**
 * The `npm run eval:*` benchmarks: train from scratch on a public data set, export, evaluate the exported
 * files through the browser's scoring code beside the reference baselines, write a Markdown report and an
 * HTML page (inline SVG plots) into reports/, and return the one-line JSON summary.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { progress, type Progress } from './progress.js';
import { readSessions, readTestRows, preprocess, indexRows, type PreprocessOptions, type SessionFormat, type RawPrefixRow } from './sessions.js';
import { trainSessionModel, exportSessionModel, evaluateModelFolder, evaluateBaselines, type SessionModelConfig } from './session-model.js';
import { quickRankMetrics } from './sampled.js';
import { readModelFolder } from './folder.js';
import { decodeModel } from '../engine/tensors.js';
import { useCpu } from './tf.js';
import type { RankingReport } from './evaluate.js';
import type { SessionEncoderSpec } from '../model/format.js';
import { writeReport, fmt, type Block } from './report.js';
import { parseUciCsv, featureSet, crossValidate, type CvResult } from './uci.js';
import { parseShoppersCsv } from './shoppers.js';
import { withoutSiteFeatures } from './propensity-terms.js';
import { crossValidateShipped, type ShippedCvResult } from './propensity-eval.js';

export interface SessionBenchmarkSpec {
  dataset: string;
  trainFile: string;
  trainFormat?: SessionFormat | 'auto';
  testFile: string;
  testFormat?: SessionFormat | 'auto';
  preprocess: Partial<PreprocessOptions>;
  config: SessionModelConfig;
  /** reports/ (the report goes to reports/<dataset>.{md,html}, the model to reports/models/<dataset>/). */
  reportsDir: string;
  /** Reference numbers quoted in the report (HR@20, MRR@20 per method). */
  reference?: Record<string, [number, number]>;
  /** A sentence on how the data and protocol were set up. */
  protocol: string;
  log?: (line: string) => void;
  quiet?: boolean;
}

export interface SessionBenchmarkResult {
  dataset: string;
  hr20: number;
  mrr20: number;
  baselines: Record<string, { hr20: number; mrr20: number }>;
  model_bytes: number;
  model_bytes_gzip: number;
  train_seconds: number;
}

const r4 = (x: number) => Number(x.toFixed(4));

/** HR@20 / MRR@20 of the unquantized weights and of the decoded (quantized) files, by the same JS scorer. */
async function quantizationCost(dir: string, trained: { query: Float32Array; target: Float32Array; bias: Float32Array; dim: number; numItems: number }, rows: readonly { prefix: readonly number[]; target: number }[], encoder: SessionEncoderSpec) {
  const { decay, maxLength, repeat } = encoder;
  const decoded = decodeModel(await readModelFolder(dir));
  try {
    const q = {
      numItems: trained.numItems,
      dim: trained.dim,
      query: (await decoded.query.data()) as Float32Array,
      target: (await decoded.target.data()) as Float32Array,
      bias: decoded.bias ? ((await decoded.bias.data()) as Float32Array) : new Float32Array(trained.numItems),
    };
    return { exact: quickRankMetrics(trained, rows, decay, maxLength, repeat), quantized: quickRankMetrics(q, rows, decay, maxLength, repeat), model: q };
  } finally {
    decoded.dispose();
  }
}

export async function runSessionBenchmark(spec: SessionBenchmarkSpec): Promise<SessionBenchmarkResult> {
  const log = spec.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const quiet = spec.quiet ?? false;
  const t0 = Date.now();
  await useCpu();

  let p: Progress = progress(`reading ${spec.trainFile}`, 1, { quiet });
  const raw = await readSessions(spec.trainFile, { format: spec.trainFormat ?? 'auto', onProgress: (d, t) => p.update(d / t) });
  p.end();
  const prep = preprocess(raw.sessions, spec.preprocess);
  const testRaw: RawPrefixRow[] = await readTestRows(spec.testFile, { format: spec.testFormat ?? 'auto' });
  const s = prep.stats;
  log(`${spec.dataset}: ${s.sessionsOut} training sessions, ${s.eventsOut} events, ${s.itemsOut} items; ${testRaw.length} test rows`);

  // Baselines, in the same harness.
  const baselines: Record<string, RankingReport> = {};
  let pb: Progress | null = null;
  Object.assign(
    baselines,
    evaluateBaselines(prep, testRaw, {
      onMethod: (name) => {
        pb = progress(`baseline ${name}`, testRaw.length, { quiet });
        return (d) => pb!.update(d);
      },
      onDone: (name, r) => {
        pb?.end(`HR@20 ${fmt(r.hr20)} MRR@20 ${fmt(r.mrr20)}`);
        log(`baseline ${name}: HR@20 ${fmt(r.hr20)}, MRR@20 ${fmt(r.mrr20)}`);
      },
    }),
  );

  // Train on every training session with the fixed (validation-tuned) configuration.
  const epochs: { epoch: number; loss: number }[] = [];
  p = progress('training epoch 1', 1, { quiet });
  const trained = await trainSessionModel(prep, spec.config, {
    onProgress: (done, total) => p.update(done / total),
    onEpoch: (epoch, loss) => {
      epochs.push({ epoch: epoch + 1, loss });
      p.end(`loss ${loss.toFixed(4)}`);
      log(`epoch ${epoch + 1}: training loss ${loss.toFixed(4)}`);
      if (epoch + 1 < spec.config.epochs + spec.config.recentEpochs) p = progress(`training epoch ${epoch + 2}${epoch + 1 >= spec.config.epochs ? ' (recent sessions)' : ''}`, 1, { quiet });
    },
  });
  const trainSeconds = trained.result.seconds;
  log(`trained in ${trainSeconds.toFixed(1)} s (${trained.result.cpuSeconds.toFixed(1)} s CPU)`);

  const exported = await exportSessionModel(join(spec.reportsDir, 'models', spec.dataset), prep, trained, {
    training: { data: spec.dataset, protocol: spec.protocol },
  });
  log(`exported ${exported.dir}: ${exported.bytes} bytes, ${exported.bytesGzip} gzip`);

  p = progress('evaluating the exported model (browser scoring code)', testRaw.length, { quiet });
  const model = await evaluateModelFolder(exported.root, testRaw, { onProgress: (d) => p.update(d) });
  p.end(`HR@20 ${fmt(model.hr20)} MRR@20 ${fmt(model.mrr20)}`);
  log(`model (exported, ${spec.config.quantization}): HR@20 ${fmt(model.hr20)}, MRR@20 ${fmt(model.mrr20)}`);

  p = progress('measuring the cost of quantization', 1, { quiet });
  const indexed = indexRows(testRaw, prep.items).rows;
  const encoder = trained.encoder;
  const qc = await quantizationCost(exported.root, trained.result, indexed, encoder);
  p.end();
  log(`quantization: HR@20 ${fmt(qc.exact.hr20)} unquantized → ${fmt(qc.quantized.hr20)} ${spec.config.quantization} (plain-JS scorer)`);

  // Ablation: the same exported weights without the encoder's repeat term (what it is worth on this test set).
  let noRepeat: { hr20: number; mrr20: number } | null = null;
  if (encoder.repeat) {
    p = progress('ablation: the exported model without its repeat term', 1, { quiet });
    noRepeat = quickRankMetrics(qc.model, indexed, encoder.decay, encoder.maxLength);
    p.end();
    log(`ablation — without the repeat term (weight ${encoder.repeat.weight}, decay ${encoder.repeat.decay}): HR@20 ${fmt(noRepeat.hr20)}, MRR@20 ${fmt(noRepeat.mrr20)} (plain-JS scorer, quantized weights)`);
  }

  const result: SessionBenchmarkResult = {
    dataset: spec.dataset,
    hr20: r4(model.hr20),
    mrr20: r4(model.mrr20),
    baselines: Object.fromEntries(Object.entries(baselines).map(([k, r]) => [k, { hr20: r4(r.hr20), mrr20: r4(r.mrr20) }])),
    model_bytes: exported.bytes,
    model_bytes_gzip: exported.bytesGzip,
    train_seconds: Number(trainSeconds.toFixed(1)),
  };

  const methods: [string, RankingReport][] = [['model (exported)', model], ...Object.entries(baselines)];
  const blocks: Block[] = [
    { kind: 'text', text: spec.protocol },
    { kind: 'heading', text: 'Results on the test set' },
    {
      kind: 'table',
      header: ['method', 'HR@20', 'MRR@20', 'HR@10', 'HR@50', 'reference HR@20 / MRR@20'],
      rows: methods.map(([name, r]) => {
        const ref = spec.reference?.[name === 'model (exported)' ? 'model' : name];
        return [name, fmt(r.hr20), fmt(r.mrr20), fmt(r.hrCurve[9]!), fmt(r.hrCurve[49]!), ref ? `${ref[0].toFixed(4)} / ${ref[1].toFixed(4)}` : ''];
      }),
    },
    {
      kind: 'chart',
      file: `${spec.dataset}-hr-at-k.svg`,
      chart: {
        title: `${spec.dataset}: HR@k on the test set`,
        xLabel: 'k',
        yLabel: 'HR@k',
        x: [1, 50],
        series: methods.map(([name, r]) => ({ name, points: r.hrCurve.map((h, i) => [i + 1, h] as [number, number]) })),
      },
    },
    ...(noRepeat && encoder.repeat
      ? ([
          { kind: 'heading', text: 'What the repeat term is worth' },
          {
            kind: 'text',
            text: `The shipped scorer adds a repeat term (score_j += ${encoder.repeat.weight} · Σ_p ${encoder.repeat.decay}^(n-1-p) · [i_p = j] over the whole session; weight and decay chosen on a validation split, never on this test set), so that an item seen early in the session keeps a share of its weight after the encoder's decay has faded it. The same exported weights without the term reach HR@20 ${fmt(noRepeat.hr20)} and MRR@20 ${fmt(noRepeat.mrr20)} on this test set (plain-JS scorer on the quantized weights), against ${fmt(model.hr20)} / ${fmt(model.mrr20)} with it (the shipped module).`,
          },
        ] as Block[])
      : []),
    { kind: 'heading', text: 'Model' },
    {
      kind: 'table',
      header: ['', ''],
      rows: [
        ['items', String(prep.items.size)],
        ['training sessions / events', `${s.sessionsOut} / ${s.eventsOut}`],
        ['encoder', `decay-pool, decay ${spec.config.decay}, last ${spec.config.maxLength} items${encoder.repeat ? `; repeat term weight ${encoder.repeat.weight}, decay ${encoder.repeat.decay}` : ''}`],
        ['embeddings', `dim ${spec.config.dim}, ${spec.config.tied ? 'one table for query and target (stored once: encoder.tied)' : 'separate query and target'}, item bias`],
        ['training', `sampled softmax, ${spec.config.negatives} shared negatives per batch of ${spec.config.batchSize}, Adam ${spec.config.learningRate}, ${spec.config.epochs} epochs${spec.config.recentEpochs ? ` + ${spec.config.recentEpochs} over the last ${spec.config.recentFraction * 100}% of the sessions at ${spec.config.recentLearningRate}× the rate` : ''}, seed ${spec.config.seed}`],
        ['train time', `${trainSeconds.toFixed(1)} s wall, ${trained.result.cpuSeconds.toFixed(1)} s CPU of this process, ${trained.result.threads} thread${trained.result.threads === 1 ? '' : 's'} (${trained.result.examplesPerEpoch} examples per epoch)`],
        ['model files', `${exported.bytes} bytes, ${exported.bytesGzip} gzip (${spec.config.quantization})`],
        ['quantization cost (plain-JS scorer)', `HR@20 ${fmt(qc.exact.hr20)} → ${fmt(qc.quantized.hr20)}, MRR@20 ${fmt(qc.exact.mrr20)} → ${fmt(qc.quantized.mrr20)}`],
        ['model version', exported.encoded.manifest.modelVersion],
      ],
    },
    {
      kind: 'chart',
      file: `${spec.dataset}-training-loss.svg`,
      chart: {
        title: `${spec.dataset}: training loss (sampled softmax)`,
        xLabel: 'epoch',
        yLabel: 'mean loss',
        dots: true,
        series: [{ name: 'training loss', points: epochs.map((e) => [e.epoch, e.loss] as [number, number]) }],
      },
    },
    { kind: 'text', text: `Total wall time of the benchmark: ${((Date.now() - t0) / 1000).toFixed(0)} s.` },
    { kind: 'heading', text: 'Summary line' },
    { kind: 'code', text: JSON.stringify(result) },
  ];
  const files = await writeReport(spec.reportsDir, spec.dataset, `Tacit trainer: ${spec.dataset}`, blocks);
  log(`report: ${files.markdown}, ${files.html}`);
  return result;
}

export interface ShoppersBenchmarkResult {
  dataset: string;
  /** Which model the top-level figures belong to. */
  model: string;
  /** The shipped model: device features through the exported files and the browser's scoring module. */
  auc: number;
  auc_std: number;
  logloss: number;
  ece: number;
  features: number;
  /** The shipped terms when the model carries no site tables (page value, bounce, exit rates and special day are 0). */
  without_site_tables: { auc: number; logloss: number; ece: number };
  /** NOT shipped: logistic regression on every UCI column (operating system, browser, region, traffic type too). */
  reference: { model: string; auc: number; logloss: number; ece: number; auc_without_pagevalues: number };
  train_seconds: number;
}

export async function runShoppersBenchmark(opts: { file: string; reportsDir: string; seed?: number; log?: (line: string) => void; quiet?: boolean }): Promise<ShoppersBenchmarkResult> {
  const log = opts.log ?? ((l: string) => process.stderr.write(l + '\n'));
  await useCpu();
  const text = await readFile(opts.file, 'utf8');
  const seed = opts.seed ?? 1;
  // The shipped model: UCI columns mapped onto device features (trainer/shoppers.ts), the shipped terms.
  const device = parseShoppersCsv(text, opts.file);
  const labels = device.map((r) => r.label);
  log(`online-shoppers: ${device.length} sessions, ${labels.filter((l) => l).length} with a purchase`);
  const shippedRun = async (name: string, rows: Record<string, number>[]) => {
    const p = progress(`5-fold CV, ${name}`, 5, { quiet: opts.quiet });
    const r = await crossValidateShipped(rows, labels, { seed, onFold: (f) => p.update(f) });
    p.end(`AUC ${fmt(r.auc)}`);
    log(`${name}: AUC ${fmt(r.auc)} ± ${fmt(r.aucStd)}, log loss ${fmt(r.logloss)}, ECE ${fmt(r.ece)} (${r.features} terms, ${r.seconds.toFixed(1)} s)`);
    return r;
  };
  const shipped = await shippedRun('shipped (device features)', device.map((r) => r.device));
  const noSite = await shippedRun('shipped terms, no site tables', device.map((r) => withoutSiteFeatures(r.device)));

  // The reference: every column of the data set, including those a browser cannot know.
  const rows = parseUciCsv(text, opts.file);
  const results: CvResult[] = [];
  for (const [kind, pv] of [
    ['plain', true],
    ['plain', false],
    ['engineered', true],
    ['engineered', false],
  ] as const) {
    const fs = featureSet(rows, kind, pv);
    const p = progress(`5-fold CV, reference ${fs.name}`, 5, { quiet: opts.quiet });
    const r = await crossValidate(rows, fs, { seed, onFold: (f) => p.update(f) });
    p.end(`AUC ${fmt(r.auc)}`);
    log(`reference ${r.name}: AUC ${fmt(r.auc)} ± ${fmt(r.aucStd)}, log loss ${fmt(r.logloss)}, ECE ${fmt(r.ece)} (${r.features} features, ${r.seconds.toFixed(1)} s)`);
    results.push(r);
  }
  const [plain, , eng, engNoPv] = results as [CvResult, CvResult, CvResult, CvResult];
  const result: ShoppersBenchmarkResult = {
    dataset: 'online-shoppers',
    model: 'shipped: device features (engine/features.ts) through the exported model files and engine/propensity.ts',
    auc: r4(shipped.auc),
    auc_std: r4(shipped.aucStd),
    logloss: r4(shipped.logloss),
    ece: r4(shipped.ece),
    features: shipped.features,
    without_site_tables: { auc: r4(noSite.auc), logloss: r4(noSite.logloss), ece: r4(noSite.ece) },
    reference: { model: 'not shipped: engineered logistic regression on all 17 UCI columns', auc: r4(eng.auc), logloss: r4(eng.logloss), ece: r4(eng.ece), auc_without_pagevalues: r4(engNoPv.auc) },
    // One model's training: the mean over the shipped model's five folds.
    train_seconds: Number((shipped.seconds / 5).toFixed(1)),
  };
  const shippedRow = (name: string, r: ShippedCvResult) => [name, String(r.features), `${fmt(r.auc)} ± ${fmt(r.aucStd)}`, fmt(r.logloss), fmt(r.ece), ''];
  const blocks: Block[] = [
    {
      kind: 'text',
      text: 'UCI Online Shoppers Purchasing Intention (12,330 sessions, 15.47% with a purchase). The SHIPPED model maps the data set\'s columns onto the features the SDK computes on the device (trainer/shoppers.ts; page value, bounce and exit rates from the site tables shipped in the model) and learns the terms of trainer/propensity-terms.ts; each fold\'s model is exported, read back through the verified loader and scored by the browser\'s propensity module. The REFERENCE rows use every column, including operating system, browser, region and traffic type, which a browser cannot know: they are not shipped. Logistic regression sigmoid(w·x + b) trained with TensorFlow.js (full-batch Adam, 400 epochs, L2 1e-4, standardization stored in the model); 5-fold stratified cross-validation (seeded); every held-out fold is scored by the browser\'s propensity module (`engine/propensity.ts`, `propensityBatch`). AUC is the mean of the five fold AUCs; log loss and ECE (10 equal-width bins) are over the pooled out-of-fold predictions.',
    },
    {
      kind: 'table',
      header: ['features', 'count', 'AUC (mean ± sd of folds)', 'log loss', 'ECE', 'reference AUC'],
      rows: [
        shippedRow('**shipped**: device features', shipped),
        shippedRow('shipped terms without site tables', noSite),
        ...results.map((r, i) => [`reference (not shipped): ${r.name}`, String(r.features), `${fmt(r.auc)} ± ${fmt(r.aucStd)}`, fmt(r.logloss), fmt(r.ece), ['0.914', '0.754', '', ''][i]!]),
      ],
    },
    {
      kind: 'chart',
      file: 'online-shoppers-reliability.svg',
      chart: {
        title: 'Reliability (out-of-fold predictions; bins of 20+ sessions)',
        xLabel: 'mean predicted probability',
        yLabel: 'observed purchase rate',
        x: [0, 1],
        y: [0, 1],
        dots: true,
        series: [
          { name: 'perfect', points: [[0, 0], [1, 1]], dashed: true },
          { name: 'shipped', points: shipped.bins.filter((b) => b.count >= 20).map((b) => [b.meanPredicted, b.observedRate] as [number, number]) },
          ...[eng, plain].map((r) => ({ name: `reference ${r.name}`, points: r.bins.filter((b) => b.count >= 20).map((b) => [b.meanPredicted, b.observedRate] as [number, number]) })),
        ],
      },
    },
    {
      kind: 'table',
      header: ['bin', 'sessions', 'mean predicted', 'observed rate'],
      rows: shipped.bins.map((b) => [`${b.lo.toFixed(1)}–${b.hi.toFixed(1)}`, String(b.count), fmt(b.meanPredicted), fmt(b.observedRate)]),
    },
    {
      kind: 'chart',
      file: 'online-shoppers-training-loss.svg',
      chart: {
        title: 'Training loss (fold 1, every 50 epochs)',
        xLabel: 'epoch',
        yLabel: 'log loss + L2',
        dots: true,
        series: results.map((r) => ({ name: r.name, points: r.losses.map((l, i) => [Math.min(i * 50, 399), l] as [number, number]) })),
      },
    },
    { kind: 'text', text: `Features of the engineered set: ${featureSet(rows, 'engineered', true).defs.map((d) => '`' + d.name + (d.transform === 'log1p' ? ' (log1p)' : '') + '`').join(', ')}.` },
    { kind: 'heading', text: 'Summary line' },
    { kind: 'code', text: JSON.stringify(result) },
  ];
  const files = await writeReport(opts.reportsDir, 'online-shoppers', 'Tacit trainer: purchase propensity on UCI Online Shoppers', blocks);
  log(`report: ${files.markdown}, ${files.html}`);
  return result;
}

