/**
 * `tacit` — the merchant's command line: train a model folder from the shop's own sessions, evaluate a
 * model folder against test sessions and the reference baselines.
 *
 * User mistakes (a missing file, a malformed line, a bad option) print one line `tacit: …` on stderr and
 * exit with code 2, never a stack trace. Anything else exits with code 1 (stack with TACIT_DEBUG=1).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readFile, stat } from 'node:fs/promises';
import { InputError } from './errors.js';
import { progress, type Progress } from './progress.js';
import { readSessions, readTestRows, preprocess, prefixRows, splitByTime, type Prepared, type PreprocessOptions, type SessionFormat } from './sessions.js';
import { DEFAULT_SESSION_MODEL, trainSessionModel, exportSessionModel, evaluateModelFolder, evaluateBaselines, type SessionModelConfig } from './session-model.js';
import { parseShoppersCsv } from './shoppers.js';
import { trainPropensity, withoutSiteFeatures } from './propensity-terms.js';
import type { Quantization } from '../model/encode.js';
import { MAX_DIM } from '../model/format.js';
import { createdAt } from './created-at.js';
import { importCommand } from './cli-import.js';
import { readCatalogIds } from './item-ids.js';
import { repeatGridMetrics, bestRepeat } from './sampled.js';
import { catalogFor, hasCardFields, parseProductRecords, readProductRecords, rebuildCatalog } from './catalog.js';

const HELP = `tacit — train and evaluate on-device recommendation models

Usage:
  tacit train <sessions> --out <dir> [options]
  tacit evaluate <model-dir> <test> [--train <sessions>] [options]
  tacit import <model.json> --items <ids> --out <dir>   (a TensorFlow.js-converter export → model folder)
  tacit catalog <model-dir> --catalog <products.json> [--currency EUR]   (republish the feed, same weights)
  tacit --help | tacit <command> --help

Session files (plain or .gz; the format is detected, or set with --format):
  lines           one session per line, item ids separated by spaces, oldest first
  rows            session,item,timestamp rows (comma or tab separated, header optional)
  prefix-target   header "prefix<TAB>target", then "id id id<TAB>id" (evaluation only)
`;

const TRAIN_HELP = `tacit train <sessions> --out <dir> [options]

Trains the session recommender (item embeddings, decay-pool session encoder, item bias) and writes a
versioned model folder (<dir>/<version>/manifest.json, weights.bin, and <dir>/latest.json).

Data:
  --format auto|lines|rows       format of <sessions> (default auto)
  --catalog <file>               keep only these items: JSON array (or {products:[…]}, or JSON lines) of
                                 objects with "id", a CSV with an "id" column, or one id per line. JSON
                                 records with a name (or title) also give the public catalog feed
                                 catalog.json (name, url, price, currency, image, category, availability)
                                 that the <tacit-recommendations> cards show
  --currency <ISO 4217>          the feed's currency for prices whose record names none (e.g. EUR)
  --propensity <csv>             labelled sessions in the UCI Online Shoppers layout: adds a purchase-
                                 propensity model on the features the SDK computes on the device
Preprocessing (the field's defaults):
  --min-item-count <n>           drop items seen fewer than n times (default 5)
  --min-session-length <n>       drop sessions shorter than n after filtering (default 2)
  --keep-single-click            keep one-event sessions before counting items (default: drop them)
  --collapse-repeats             collapse immediate repeats (A A B → A B)
Model:
  --dim <n>                      embedding size (default ${DEFAULT_SESSION_MODEL.dim})
  --decay <x>                    session encoder decay per step back, 0 < x ≤ 1 (default ${DEFAULT_SESSION_MODEL.decay})
  --max-length <n>               items of the session the encoder reads (default ${DEFAULT_SESSION_MODEL.maxLength})
  --epochs <n>                   passes over the data (default ${DEFAULT_SESSION_MODEL.epochs})
  --negatives <n>                sampled negatives per batch (default ${DEFAULT_SESSION_MODEL.negatives})
  --recent-epochs <n>            extra passes over the last 20% of the sessions (default ${DEFAULT_SESSION_MODEL.recentEpochs})
  --learning-rate <x>            Adam learning rate (default ${DEFAULT_SESSION_MODEL.learningRate})
  --untied                       separate query and target embeddings (default: one shared table,
                                 stored once)
  --repeat-weight <x>            scorer's repeat term: items already in the session score
                                 + x · Σ decay^(steps back); 0 turns it off (default ${DEFAULT_SESSION_MODEL.repeatWeight})
  --repeat-decay <x>             decay of the repeat term per step back, 0 < x ≤ 1 (default ${DEFAULT_SESSION_MODEL.repeatDecay})
  --quantization uint8|float16|float32   weight storage (default ${DEFAULT_SESSION_MODEL.quantization})
  --seed <n>                     random seed (default ${DEFAULT_SESSION_MODEL.seed})
  --threads 1|2                  threads for training (default: 2 where there are two cores); the
                                 model does not depend on it
  --validation <fraction>        hold out the last sessions (in time order) and report HR@20/MRR@20 on
                                 them after each epoch, then the best repeat weight and decay on them;
                                 the model is then trained on the rest only
Output:
  --out <dir>                    model folder (required)
  --test <file>                  after training, evaluate the exported files on this test file
  --quiet                        no progress on stderr
`;

const CATALOG_HELP = `tacit catalog <model-dir> --catalog <products> [--currency <ISO 4217>]

Republishes the model that <model-dir>/latest.json names with a new public catalog feed (catalog.json),
without training: same weights, a new version folder (versioned files are immutable on the CDN), and the
pointer moved to it. Prices and availability change more often than models.

  --catalog <file>     JSON array, {"products": [...]}, or JSON lines; fields id (or sku), name (or title),
                       url (or link), price, currency, image (or image_link, thumbnail, images[0]),
                       category (or product_type), availability (schema.org names or "In Stock"…).
                       URLs other than http(s) or relative are dropped; text is cut to the feed's limits.
  --currency <code>    default currency of the prices
`;

const EVAL_HELP = `tacit evaluate <model-dir> <test> [options]

Ranks every item for each test row with the browser's scoring code on the exported (quantized) files, and
prints HR@20 and MRR@20 (HR@k for k = 1..50 with --json). <test> is a prefix-target file or a session file
(every prefix of every session is a row).

  --train <sessions>             also run the reference baselines (popularity, co-occurrence, SKNN, V-SKNN)
                                 trained on these sessions, with the preprocessing options of "train"
  --baselines <list>             comma-separated subset of popularity,co-occurrence,sknn,v-sknn
  --format / --test-format       formats of --train and <test> (default auto)
  --min-item-count, --min-session-length, --keep-single-click, --collapse-repeats   as for "train"
  --json                         print one JSON object instead of a table
  --quiet                        no progress on stderr
`;

type Values = Record<string, string | boolean | undefined>;

const OPTIONS: ParseArgsConfig['options'] = {
  help: { type: 'boolean', short: 'h' },
  out: { type: 'string', short: 'o' },
  format: { type: 'string' },
  'test-format': { type: 'string' },
  catalog: { type: 'string' },
  currency: { type: 'string' },
  propensity: { type: 'string' },
  test: { type: 'string' },
  train: { type: 'string' },
  baselines: { type: 'string' },
  'min-item-count': { type: 'string' },
  'min-session-length': { type: 'string' },
  'keep-single-click': { type: 'boolean' },
  'collapse-repeats': { type: 'boolean' },
  dim: { type: 'string' },
  decay: { type: 'string' },
  'max-length': { type: 'string' },
  epochs: { type: 'string' },
  negatives: { type: 'string' },
  'recent-epochs': { type: 'string' },
  'learning-rate': { type: 'string' },
  untied: { type: 'boolean' },
  'repeat-weight': { type: 'string' },
  'repeat-decay': { type: 'string' },
  quantization: { type: 'string' },
  seed: { type: 'string' },
  threads: { type: 'string' },
  validation: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
};

function num(v: Values, name: string, dflt: number, check: (x: number) => boolean, what: string): number {
  const raw = v[name];
  if (raw === undefined) return dflt;
  const x = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(x) || !check(x)) throw new InputError(`--${name} must be ${what}, got "${String(raw)}"`);
  return x;
}
const int = (v: Values, name: string, dflt: number, min = 1) => num(v, name, dflt, (x) => Number.isInteger(x) && x >= min, `an integer ≥ ${min}`);

function formatOpt(v: Values, name: string): SessionFormat | 'auto' {
  const f = (v[name] as string | undefined) ?? 'auto';
  if (!['auto', 'lines', 'rows', 'prefix-target'].includes(f)) throw new InputError(`--${name} must be auto, lines, rows or prefix-target, got "${f}"`);
  return f as SessionFormat | 'auto';
}

function preprocessOpts(v: Values): Partial<PreprocessOptions> {
  return {
    minItemCount: int(v, 'min-item-count', 5),
    minSessionLength: int(v, 'min-session-length', 2),
    dropSingleClickSessions: !v['keep-single-click'],
    collapseRepeats: Boolean(v['collapse-repeats']),
  };
}

function modelConfig(v: Values): SessionModelConfig {
  const q = (v.quantization as string | undefined) ?? DEFAULT_SESSION_MODEL.quantization;
  if (!['uint8', 'float16', 'float32'].includes(q)) throw new InputError(`--quantization must be uint8, float16 or float32, got "${q}"`);
  return {
    ...DEFAULT_SESSION_MODEL,
    dim: num(v, 'dim', DEFAULT_SESSION_MODEL.dim, (x) => Number.isInteger(x) && x >= 1 && x <= MAX_DIM, `an integer between 1 and ${MAX_DIM}`),
    decay: num(v, 'decay', DEFAULT_SESSION_MODEL.decay, (x) => x > 0 && x <= 1, 'a number in (0, 1]'),
    maxLength: int(v, 'max-length', DEFAULT_SESSION_MODEL.maxLength),
    epochs: int(v, 'epochs', DEFAULT_SESSION_MODEL.epochs),
    negatives: int(v, 'negatives', DEFAULT_SESSION_MODEL.negatives),
    recentEpochs: int(v, 'recent-epochs', DEFAULT_SESSION_MODEL.recentEpochs, 0),
    learningRate: num(v, 'learning-rate', DEFAULT_SESSION_MODEL.learningRate, (x) => x > 0 && x < 1, 'a number in (0, 1)'),
    tied: !v.untied,
    repeatWeight: num(v, 'repeat-weight', DEFAULT_SESSION_MODEL.repeatWeight, (x) => x >= 0, 'a number ≥ 0'),
    repeatDecay: num(v, 'repeat-decay', DEFAULT_SESSION_MODEL.repeatDecay, (x) => x > 0 && x <= 1, 'a number in (0, 1]'),
    seed: int(v, 'seed', DEFAULT_SESSION_MODEL.seed, 0),
    quantization: q as Quantization,
  };
}

async function mustExist(file: string | undefined, what: string): Promise<string> {
  if (!file) throw new InputError(`missing ${what} (see --help)`);
  try {
    await stat(file);
  } catch {
    throw new InputError(`${file}: no such file (${what})`);
  }
  return file;
}

const f4 = (x: number) => x.toFixed(4);

async function loadSessions(file: string, format: SessionFormat | 'auto', pre: Partial<PreprocessOptions>, quiet: boolean, label = 'reading sessions'): Promise<Prepared> {
  const p = progress(`${label} ${file}`, 1, { quiet });
  const raw = await readSessions(file, { format, onProgress: (done, total) => p.update(done / total) });
  p.end();
  const prep = preprocess(raw.sessions, pre);
  if (prep.sessions.length === 0) throw new InputError(`${file}: no session is left after preprocessing (min item count ${pre.minItemCount}, min session length ${pre.minSessionLength}); lower --min-item-count?`);
  return prep;
}

async function train(positionals: string[], v: Values): Promise<void> {
  if (v.help) return void process.stdout.write(TRAIN_HELP);
  const quiet = Boolean(v.quiet);
  const file = await mustExist(positionals[0], 'the sessions file: tacit train <sessions> --out <dir>');
  if (!v.out) throw new InputError('missing --out <dir> (where the model folder is written)');
  const config = modelConfig(v);
  const created = createdAt(); // now, or SOURCE_DATE_EPOCH; a malformed one fails here, before the run
  const pre = preprocessOpts(v);
  const threads = v.threads === undefined ? undefined : num(v, 'threads', 2, (x) => x === 1 || x === 2, '1 or 2');
  const validationFraction = v.validation === undefined ? 0 : num(v, 'validation', 0, (x) => x > 0 && x < 0.5, 'a fraction between 0 and 0.5');
  const currency = currencyOpt(v);
  let products: Record<string, unknown>[] | null = null;
  if (v.catalog) {
    const catalogFile = await mustExist(v.catalog as string, '--catalog file');
    pre.allowedItems = await readCatalogIds(catalogFile);
    products = await readProductRecords(catalogFile);
    if (products && !hasCardFields(products)) products = null;
  }
  const testFile = v.test ? await mustExist(v.test as string, '--test file') : undefined;
  const propensityFile = v.propensity ? await mustExist(v.propensity as string, '--propensity file') : undefined;

  const prep = await loadSessions(file, formatOpt(v, 'format'), pre, quiet);
  const s = prep.stats;
  process.stderr.write(`sessions: ${s.sessionsIn.toLocaleString('en-US')} in, ${s.sessionsOut.toLocaleString('en-US')} kept (${s.eventsOut.toLocaleString('en-US')} events, ${s.itemsOut.toLocaleString('en-US')} items)\n`);

  let trainPrep = prep;
  let validationRows: { prefix: number[]; target: number }[] | undefined;
  if (validationFraction > 0) {
    const { train: tr, validation } = splitByTime(prep.sessions, validationFraction);
    trainPrep = { ...prep, sessions: tr };
    validationRows = prefixRows(validation);
  }
  let p = progress('training epoch 1', 1, { quiet });
  const trained = await trainSessionModel(trainPrep, config, {
    threads,
    validationRows,
    onProgress: (done, total) => p.update(done / total),
    onEpoch: (epoch, loss, val) => {
      p.end(`loss ${loss.toFixed(4)}${val ? `, validation HR@20 ${f4(val.hr20)} MRR@20 ${f4(val.mrr20)}` : ''}`);
      if (epoch + 1 < config.epochs + config.recentEpochs) p = progress(`training epoch ${epoch + 2}${epoch + 1 >= config.epochs ? ' (recent sessions)' : ''}`, 1, { quiet });
    },
  });

  if (validationRows?.length) {
    const pr = progress('choosing the repeat term on the validation rows', 1, { quiet });
    const grid = repeatGridMetrics(trained.result, validationRows, config.decay, config.maxLength);
    pr.end();
    const best = bestRepeat(grid);
    const none = grid.find((g) => g.weight === 0)!;
    const current = grid.find((g) => g.weight === config.repeatWeight && g.decay === config.repeatDecay);
    process.stderr.write(
      `validation, repeat term: none HR@20 ${f4(none.hr20)} MRR@20 ${f4(none.mrr20)}; ` +
        (current ? `this model's (weight ${config.repeatWeight}, decay ${config.repeatDecay}) ${f4(current.hr20)} / ${f4(current.mrr20)}; ` : '') +
        `best on the grid: --repeat-weight ${best.weight} --repeat-decay ${best.decay} → HR@20 ${f4(best.hr20)} MRR@20 ${f4(best.mrr20)}\n`,
    );
  }

  let propensity: { spec: import('../model/format.js').PropensitySpec; weights: Float32Array } | undefined;
  if (propensityFile) {
    const text = await readFile(propensityFile, 'utf8');
    const rows = parseShoppersCsv(text, propensityFile);
    // A CSV in the UCI layout holds session averages, not per-page tables: the model cannot ship tables, so
    // the device would compute the page aggregates as 0, and the model is learned that way.
    const lr = await trainPropensity(
      rows.map((r) => withoutSiteFeatures(r.device)),
      rows.map((r) => r.label),
      `${propensityFile}: ${rows.length} labelled sessions (on-device features; no site tables)`,
    );
    propensity = { spec: lr.spec, weights: lr.weights };
  }
  let catalog: Uint8Array | undefined;
  if (products) {
    const feed = catalogFor(products, prep.items.ids, currency);
    process.stderr.write(feed.summary + '\n');
    catalog = feed.bytes;
  }
  const exported = await exportSessionModel(v.out as string, prep, trained, { createdAt: created, ...(propensity ? { propensity } : {}), ...(catalog ? { catalog } : {}) });
  process.stdout.write(`model ${exported.encoded.manifest.modelVersion}: ${exported.dir} (${exported.bytes.toLocaleString('en-US')} bytes, ${exported.bytesGzip.toLocaleString('en-US')} gzip), trained in ${trained.result.seconds.toFixed(1)} s\n`);
  if (testFile) {
    const rows = await readTestRows(testFile, { format: formatOpt(v, 'test-format') });
    const pe = progress('evaluating the exported model', rows.length, { quiet });
    const r = await evaluateModelFolder(exported.root, rows, { onProgress: (d) => pe.update(d) });
    pe.end();
    process.stdout.write(`test ${testFile}: ${r.rows} rows, HR@20 ${f4(r.hr20)}, MRR@20 ${f4(r.mrr20)}\n`);
  }
}

function currencyOpt(v: Values): string | undefined {
  const c = v.currency as string | undefined;
  if (c !== undefined && !/^[A-Za-z]{3}$/.test(c)) throw new InputError(`--currency must be a three-letter ISO 4217 code such as EUR, got "${c}"`);
  return c?.toUpperCase();
}

async function catalogCommand(positionals: string[], v: Values): Promise<void> {
  if (v.help) return void process.stdout.write(CATALOG_HELP);
  const dir = await mustExist(positionals[0], 'the model folder: tacit catalog <model-dir> --catalog <products>');
  const file = await mustExist(v.catalog as string | undefined, '--catalog <products> (see tacit catalog --help)');
  const { model, summary } = await rebuildCatalog(dir, file, currencyOpt(v));
  process.stderr.write(summary + '\n');
  process.stdout.write(`model ${model.manifest.modelVersion}: ${dir} (same weights, new catalog feed; latest.json points at it)\n`);
}

async function evaluate(positionals: string[], v: Values): Promise<void> {
  if (v.help) return void process.stdout.write(EVAL_HELP);
  const quiet = Boolean(v.quiet);
  const dir = await mustExist(positionals[0], 'the model folder: tacit evaluate <model-dir> <test>');
  const testFile = await mustExist(positionals[1], 'the test file: tacit evaluate <model-dir> <test>');
  try {
    await stat(`${dir}/latest.json`);
  } catch {
    throw new InputError(`${dir}: not a model folder (no latest.json); pass the folder given to "tacit train --out"`);
  }
  const trainFile = v.train ? await mustExist(v.train as string, '--train file') : undefined;
  const only = v.baselines ? (v.baselines as string).split(',').map((x) => x.trim()) : undefined;
  for (const b of only ?? []) if (!['popularity', 'co-occurrence', 'sknn', 'v-sknn'].includes(b)) throw new InputError(`--baselines: unknown method "${b}" (popularity, co-occurrence, sknn, v-sknn)`);
  const rows = await readTestRows(testFile, { format: formatOpt(v, 'test-format') });
  const pm = progress('scoring with the model', rows.length, { quiet });
  const model = await evaluateModelFolder(`${dir}`, rows, { onProgress: (d) => pm.update(d) });
  pm.end();
  const results: Record<string, { hr20: number; mrr20: number; hrCurve: number[] }> = { model };
  if (trainFile) {
    const prep = await loadSessions(trainFile, formatOpt(v, 'format'), preprocessOpts(v), quiet, 'reading training sessions');
    let pb: Progress | null = null;
    const bl = evaluateBaselines(prep, rows, {
      only,
      onMethod: (name) => {
        pb = progress(`baseline ${name}`, rows.length, { quiet });
        return (d) => pb!.update(d);
      },
      onDone: () => pb?.end(),
    });
    Object.assign(results, bl);
  }
  if (v.json) {
    const out = Object.fromEntries(Object.entries(results).map(([k, r]) => [k, { hr20: r.hr20, mrr20: r.mrr20, hrCurve: r.hrCurve }]));
    process.stdout.write(JSON.stringify({ rows: model.rows, unknownTargets: model.unknownTargets, results: out }) + '\n');
    return;
  }
  process.stdout.write(`${rows.length} rows (${model.unknownTargets} with a target the model does not know)\n`);
  process.stdout.write(`${'method'.padEnd(16)} ${'HR@20'.padStart(8)} ${'MRR@20'.padStart(8)}\n`);
  for (const [name, r] of Object.entries(results)) process.stdout.write(`${name.padEnd(16)} ${f4(r.hr20).padStart(8)} ${f4(r.mrr20).padStart(8)}\n`);
}

/** `tacit import`, which has options of its own (cli-import.ts); same exit codes as the rest. */
async function runImport(argv: string[]): Promise<number> {
  try {
    await importCommand(argv, (text) => process.stdout.write(text));
    return 0;
  } catch (err) {
    process.stderr.write(`tacit: ${err instanceof Error ? err.message : String(err)}\n`);
    if (!(err instanceof InputError) && process.env.TACIT_DEBUG && err instanceof Error && err.stack) process.stderr.write(err.stack + '\n');
    return err instanceof InputError ? 2 : 1;
  }
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'import') return runImport(argv.slice(1));
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true }) as { values: Values; positionals: string[] };
  } catch (err) {
    process.stderr.write(`tacit: ${(err as Error).message.split('\n')[0]} (see tacit --help)\n`);
    return 2;
  }
  const [command, ...rest] = parsed.positionals;
  try {
    if (!command) {
      process.stdout.write(HELP);
      return parsed.values.help ? 0 : 2;
    }
    if (command === 'train') await train(rest, parsed.values);
    else if (command === 'evaluate') await evaluate(rest, parsed.values);
    else if (command === 'catalog') await catalogCommand(rest, parsed.values);
    else if (command === 'help') process.stdout.write(HELP);
    else throw new InputError(`unknown command "${command}" (train, evaluate, import, catalog; see tacit --help)`);
    return 0;
  } catch (err) {
    if (err instanceof InputError) {
      process.stderr.write(`tacit: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`tacit: ${err instanceof Error ? err.message : String(err)}\n`);
    if (process.env.TACIT_DEBUG && err instanceof Error && err.stack) process.stderr.write(err.stack + '\n');
    return 1;
  }
}
