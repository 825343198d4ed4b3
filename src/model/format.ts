/**
 * The Tacit model format: the one definition that the trainer (writer) and the browser (reader) share.
 *
 * A model is a versioned folder:
 *   models/<name>/<version>/manifest.json   this file's `TacitManifest`
 *   models/<name>/<version>/weights.bin     binary tensors, TensorFlow.js weights-manifest layout
 *   models/<name>/latest.json               `LatestPointer`: the only file with a short cache lifetime
 *
 * Weights use the TensorFlow.js weights-manifest layout (`weightsManifest: [{ paths, weights }]`) so that
 * `tf.io.decodeWeights` decodes them, float32, float16 and uint8 (affine: value = q * scale + min) alike.
 * Every file carries a SHA-256 that the reader checks before decoding a byte of it.
 */

export const FORMAT = 'tacit-model';
/** The schema this code writes and reads. A reader refuses a major version it does not know. */
export const SCHEMA_VERSION = 1;

/**
 * Largest manifest a reader accepts, in bytes. A manifest is parsed in one piece on the main thread, so a
 * huge one (a misconfigured CDN, a hostile host) is refused from its `Content-Length` or, without one, as
 * soon as the bytes read pass this limit, never parsed. 5 MiB holds about 350,000 item ids of 12 characters.
 */
export const MAX_MANIFEST_BYTES = 5 * 1024 * 1024;
/**
 * Most values one item table (`items/query`, `items/target`) may hold: items × dim ≤ 2^25 (33,554,432;
 * e.g. 262,144 items at dim 128, or 1,048,576 at dim 32), 128 MiB as float32. The manifest may name only
 * the tensors in `TENSORS`, each with the shape the item count and dimension give it, so the weight bytes
 * of a model are bounded by this too: at most 2 × 4 × 2^25 + 4 × items + 4 × features bytes, about 257 MiB
 * (issue 12, defect 5). A self-consistent manifest cannot make a browser download or decode more.
 */
export const MAX_TABLE_VALUES = 2 ** 25;
/** Largest embedding dimension a model may have. */
export const MAX_DIM = 4096;

/**
 * Why a model of `items` items and dimension `dim` cannot be written or read, or null when it can. The
 * trainer asks before training (issue 12, defect 7: `--dim` was checked only at export, after the run).
 */
export function modelSizeProblem(items: number, dim: number): string | null {
  if (!Number.isInteger(dim) || dim < 1 || dim > MAX_DIM) return `the dimension must be an integer between 1 and ${MAX_DIM}, got ${dim}`;
  if (items * dim > MAX_TABLE_VALUES) return `${items} items × dimension ${dim} = ${items * dim} values per table, over the limit of ${MAX_TABLE_VALUES} (MAX_TABLE_VALUES)`;
  return null;
}
/** Largest pointer file (`latest.json`) a reader accepts, in bytes; a real one is about 200. */
export const MAX_POINTER_BYTES = 64 * 1024;

/** Tensor names inside the weights. */
export const TENSORS = {
  /** [items, dim] embeddings that encode the session (the "query" side). */
  query: 'items/query',
  /**
   * [items, dim] embeddings that are scored against the session vector (the "target" side). Absent when
   * the encoder is `tied`: then the query table is used for both sides.
   */
  target: 'items/target',
  /** [items] additive item bias (popularity prior). */
  bias: 'items/bias',
  /** [features] logistic-regression weights of the propensity model. */
  propensityWeights: 'propensity/weights',
} as const;

export type WeightDtype = 'float32' | 'int32';
export type QuantizationDtype = 'float16' | 'uint8';

const KNOWN_TENSORS = new Set<string>(Object.values(TENSORS));

/** One tensor in a weights group: exactly the shape `tf.io.decodeWeights` reads. */
export interface WeightEntry {
  name: string;
  shape: number[];
  dtype: WeightDtype;
  quantization?: { dtype: QuantizationDtype; scale?: number; min?: number };
}

export interface WeightsGroup {
  paths: string[];
  weights: WeightEntry[];
}

/** How the browser turns the shopper's recent items into one session vector. */
export interface SessionEncoderSpec {
  /**
   * `decay-pool`: v = sum_p decay^(n-1-p) * query[item_p] over the last `maxLength` items (most recent has
   * weight 1), then scores = target · v + bias.
   */
  type: 'decay-pool';
  decay: number;
  maxLength: number;
  /**
   * Tied embeddings: one table serves both sides (target = query), stored once as `items/query`; the
   * weights then hold no `items/target`. Absent or false: both tensors are stored (every older manifest).
   */
  tied?: boolean;
  /**
   * Repeat term, added to the scores after the matrix product: for every item j,
   * score_j += weight · Σ_p decay^(n-1-p) · [i_p = j] over the whole session (newest p = n-1), so items
   * the shopper has already seen keep a share of their weight however far back they are. Absent: no term.
   */
  repeat?: { weight: number; decay: number };
}

/**
 * How one raw device feature (engine/features.ts) enters a term of the propensity model: transformed, then,
 * when `above` or `upTo` is set, turned into the indicator 1 if `above < transformed ≤ upTo` (a missing bound
 * is open), else 0. Indicators let a logistic model learn a step, such as "page value above 0".
 */
export interface FeatureFactor {
  /** One of the feature names the SDK knows how to compute (see engine/features.ts). */
  name: string;
  /** Applied first. */
  transform: 'identity' | 'log1p';
  above?: number;
  upTo?: number;
}

/** A term of the propensity model: one factor, or the product of two (`times`), then standardized. */
export interface PropensityFeature extends FeatureFactor {
  /** Human-readable meaning, shown in explanations. */
  description: string;
  /** Interaction: the term is this factor times a second one. */
  times?: FeatureFactor;
  /** Standardization learned by the trainer: x' = (term - mean) / std. */
  mean: number;
  std: number;
}

/**
 * Site-level tables, the same for every shopper, computed by the trainer from the merchant's sessions and
 * orders; the device derives a session's values from the pages it has seen (engine/features.ts), as the
 * UCI Online Shoppers columns PageValues, BounceRates, ExitRates and SpecialDay are derived.
 */
export interface SiteTables {
  /**
   * Per page (a product id for product pages, a page key for other pages), in parallel arrays:
   * `value` = revenue of the orders that followed a view of the page in the same session ÷ the page's unique
   * views (per session); `bounce` = share of the sessions that entered on the page and saw no other;
   * `exit` = share of the page's views that were the last of their session.
   */
  pages: { keys: string[]; value: number[]; bounce: number[]; exit: number[] };
  /**
   * Special days (`MM-DD` every year, or `YYYY-MM-DD` once), and the shape of the closeness feature: for a
   * visit `d` days before one, `max(0, 1 - |d - peak| / width)`, the largest over all days (UCI's SpecialDay:
   * 1 about a week before Valentine's Day, 0 from the day itself).
   */
  specialDays: { dates: string[]; peak: number; width: number };
}

export interface PropensitySpec {
  features: PropensityFeature[];
  bias: number;
  /** What the weights were learned from (data set name, rows, AUC on held-out data). */
  trainedOn: string;
  auc?: number;
  /** Page tables and the special-day calendar; absent: the page-aggregate features are 0. */
  site?: SiteTables;
}

export interface FileEntry {
  /** Lower-case hex SHA-256 of the file's bytes. */
  sha256: string;
  bytes: number;
}

export interface TacitManifest {
  format: typeof FORMAT;
  schemaVersion: number;
  /** Unique per publish; also the folder name. */
  modelVersion: string;
  createdAt: string;
  /** Item ids in the order of the embedding rows. */
  items: string[];
  /** Item ids by training popularity, most popular first (fallback when scoring is not possible). */
  popular: string[];
  dim: number;
  encoder: SessionEncoderSpec;
  propensity?: PropensitySpec;
  weightsManifest: WeightsGroup[];
  files: Record<string, FileEntry>;
  /**
   * File name of the public catalog feed (model/catalog.ts) in the version folder, listed in `files` with
   * its SHA-256 and size. Absent: the model has no feed (widgets then keep their fallback markup).
   */
  catalog?: string;
  /** Free-form provenance: data, training parameters, offline metrics. */
  training?: Record<string, unknown>;
}

/** The pointer file: the one small, short-lived file that names the current version. */
export interface LatestPointer {
  format: typeof FORMAT;
  modelVersion: string;
  /** Path of the manifest relative to the pointer file. */
  manifest: string;
  /** SHA-256 (hex) of the manifest's bytes. */
  sha256: string;
}

/** A manifest problem: names the field and what was expected. */
export class ManifestError extends Error {
  override name = 'ManifestError';
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function expect(cond: unknown, field: string, what: string): asserts cond {
  if (!cond) throw new ManifestError(`model manifest: field "${field}" must be ${what}`);
}

/**
 * A file or folder name the format allows in paths: letters, digits, `_`, `-`, `.`, but not only dots
 * (`.` and `..` name folders, not files). Percent signs are excluded: `%2e%2e` is `..` to a URL (issue 12,
 * defect 6). The loader also resolves every path and checks it stays in the folder (`resolveInside`).
 */
export const isFileName = (s: string): boolean => /^[\w.-]{1,200}$/.test(s) && !/^\.+$/.test(s);

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isHex64 = (v: unknown): boolean => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);

/**
 * Checks a parsed manifest field by field and returns it typed. Throws `ManifestError` naming the first
 * field that is wrong. Tensor shapes are checked against the item count and dimension here, so a reader
 * never decodes weights whose shape it cannot use.
 */
export function validateManifest(json: unknown): TacitManifest {
  expect(isObject(json), '(root)', 'a JSON object');
  const m = json;
  expect(m.format === FORMAT, 'format', `"${FORMAT}"`);
  expect(Number.isInteger(m.schemaVersion), 'schemaVersion', 'an integer');
  if (m.schemaVersion !== SCHEMA_VERSION) {
    throw new ManifestError(
      `model manifest: schemaVersion ${String(m.schemaVersion)} is not supported by this SDK (it reads ${SCHEMA_VERSION}); upgrade the SDK or export the model with a matching trainer`,
    );
  }
  expect(typeof m.modelVersion === 'string' && /^[\w.-]{1,100}$/.test(m.modelVersion), 'modelVersion', 'a string of letters, digits, ".", "_" or "-"');
  expect(typeof m.createdAt === 'string', 'createdAt', 'an ISO date string');
  expect(Array.isArray(m.items) && m.items.length > 0 && m.items.every((x) => typeof x === 'string'), 'items', 'a non-empty array of item id strings');
  const items = m.items as string[];
  expect(new Set(items).size === items.length, 'items', 'free of duplicate ids');
  expect(Array.isArray(m.popular) && m.popular.every((x) => typeof x === 'string'), 'popular', 'an array of item id strings');
  expect(Number.isInteger(m.dim) && (m.dim as number) > 0 && (m.dim as number) <= MAX_DIM, 'dim', `an integer between 1 and ${MAX_DIM}`);
  const dim = m.dim as number;
  const size = modelSizeProblem(items.length, dim);
  expect(size === null, 'items', `within the size limit: ${size}`);
  expect(isObject(m.encoder), 'encoder', 'an object');
  expect(m.encoder.type === 'decay-pool', 'encoder.type', '"decay-pool"');
  expect(isFiniteNumber(m.encoder.decay) && m.encoder.decay > 0 && m.encoder.decay <= 1, 'encoder.decay', 'a number in (0, 1]');
  expect(Number.isInteger(m.encoder.maxLength) && (m.encoder.maxLength as number) >= 1, 'encoder.maxLength', 'a positive integer');
  expect(m.encoder.tied === undefined || typeof m.encoder.tied === 'boolean', 'encoder.tied', 'true or false when present');
  const tied = m.encoder.tied === true;
  if (m.encoder.repeat !== undefined) {
    const r = m.encoder.repeat;
    expect(isObject(r), 'encoder.repeat', 'an object { weight, decay } when present');
    expect(isFiniteNumber(r.weight) && r.weight >= 0, 'encoder.repeat.weight', 'a finite number ≥ 0');
    expect(isFiniteNumber(r.decay) && r.decay > 0 && r.decay <= 1, 'encoder.repeat.decay', 'a number in (0, 1]');
  }

  expect(Array.isArray(m.weightsManifest) && m.weightsManifest.length > 0, 'weightsManifest', 'a non-empty array of { paths, weights }');
  expect(isObject(m.files), 'files', 'an object mapping file names to { sha256, bytes }');
  const files = m.files as Record<string, unknown>;
  const shapes = new Map<string, number[]>();
  (m.weightsManifest as unknown[]).forEach((g, gi) => {
    const at = `weightsManifest[${gi}]`;
    expect(isObject(g), at, 'an object');
    expect(Array.isArray(g.paths) && g.paths.length > 0, `${at}.paths`, 'a non-empty array of file names');
    for (const p of g.paths as unknown[]) {
      expect(typeof p === 'string' && isFileName(p), `${at}.paths`, 'plain file names in the model folder (letters, digits, "_", "-", "."; not "." or "..")');
      const f = files[p];
      expect(isObject(f) && isHex64(f.sha256) && Number.isInteger(f.bytes), `files["${p}"]`, 'an object { sha256: 64 hex digits, bytes: integer }');
    }
    expect(Array.isArray(g.weights), `${at}.weights`, 'an array');
    (g.weights as unknown[]).forEach((w, wi) => {
      const wat = `${at}.weights[${wi}]`;
      expect(isObject(w) && typeof w.name === 'string', `${wat}.name`, 'a string');
      expect(Array.isArray(w.shape) && w.shape.every((d) => Number.isInteger(d) && d >= 0), `${wat}.shape`, 'an array of non-negative integers');
      expect(w.dtype === 'float32' || w.dtype === 'int32', `${wat}.dtype`, '"float32" or "int32"');
      if (w.quantization !== undefined) {
        const q = w.quantization;
        expect(isObject(q) && (q.dtype === 'float16' || q.dtype === 'uint8'), `${wat}.quantization.dtype`, '"float16" or "uint8"');
        if (q.dtype === 'uint8') {
          expect(isFiniteNumber(q.scale) && isFiniteNumber(q.min), `${wat}.quantization`, '{ dtype: "uint8", scale: number, min: number }');
          // value = q * scale + min for q in 0..255 must stay a finite float32, or decoding yields Infinity.
          expect(Math.abs(q.min as number) + 255 * Math.abs(q.scale as number) < 3.4e38, `${wat}.quantization`, 'a scale and min whose decoded values fit in float32');
        }
      }
      // Only the tensors the format defines, once each: an extra one would be downloaded, hashed and decoded for nothing (issue 12, defect 5).
      expect(KNOWN_TENSORS.has(w.name as string), `${wat}.name`, `one of ${[...KNOWN_TENSORS].map((n) => `"${n}"`).join(', ')}`);
      expect(!shapes.has(w.name as string), `${wat}.name`, `a tensor named once (a second "${w.name as string}")`);
      shapes.set(w.name as string, w.shape as number[]);
    });
  });

  if (m.catalog !== undefined) {
    const c = m.catalog;
    expect(typeof c === 'string' && /^[\w-][\w.-]*$/.test(c) && !c.includes('..'), 'catalog', 'a plain file name in the model folder');
    const f = files[c];
    expect(isObject(f) && isHex64(f.sha256) && Number.isInteger(f.bytes) && (f.bytes as number) >= 0, `files["${c}"]`, 'an object { sha256: 64 hex digits, bytes: integer } for the catalog feed');
  }

  const want = (name: string, shape: number[]) => {
    const got = shapes.get(name);
    expect(got, `weightsManifest (tensor "${name}")`, 'present');
    expect(got.length === shape.length && got.every((d, i) => d === shape[i]), `weightsManifest (tensor "${name}").shape`, `[${shape.join(', ')}], got [${got.join(', ')}]`);
  };
  want(TENSORS.query, [items.length, dim]);
  if (tied) expect(!shapes.has(TENSORS.target), `weightsManifest (tensor "${TENSORS.target}")`, 'absent when encoder.tied is true (the query table serves both sides)');
  else want(TENSORS.target, [items.length, dim]);
  if (shapes.has(TENSORS.bias)) want(TENSORS.bias, [items.length]);

  if (m.propensity !== undefined) {
    const p = m.propensity;
    expect(isObject(p), 'propensity', 'an object');
    expect(Array.isArray(p.features) && p.features.length > 0, 'propensity.features', 'a non-empty array');
    const factor = (f: unknown, at: string) => {
      expect(isObject(f) && typeof f.name === 'string', `${at}.name`, 'a string');
      expect(f.transform === 'identity' || f.transform === 'log1p', `${at}.transform`, '"identity" or "log1p"');
      expect(f.above === undefined || isFiniteNumber(f.above), `${at}.above`, 'a finite number when present');
      expect(f.upTo === undefined || isFiniteNumber(f.upTo), `${at}.upTo`, 'a finite number when present');
      return f;
    };
    (p.features as unknown[]).forEach((f, i) => {
      const at = `propensity.features[${i}]`;
      const o = factor(f, at);
      if (o.times !== undefined) factor(o.times, `${at}.times`);
      expect(isFiniteNumber(o.mean), `${at}.mean`, 'a finite number');
      expect(isFiniteNumber(o.std) && o.std > 0, `${at}.std`, 'a positive number');
    });
    expect(isFiniteNumber(p.bias), 'propensity.bias', 'a finite number');
    if (p.site !== undefined) validateSite(p.site);
    want(TENSORS.propensityWeights, [(p.features as unknown[]).length]);
  } else {
    expect(!shapes.has(TENSORS.propensityWeights), `weightsManifest (tensor "${TENSORS.propensityWeights}")`, 'absent when the manifest has no propensity model');
  }
  return m as unknown as TacitManifest;
}

function validateSite(site: unknown): void {
  expect(isObject(site), 'propensity.site', 'an object { pages, specialDays }');
  const pages = site.pages;
  expect(isObject(pages) && Array.isArray(pages.keys) && pages.keys.every((k) => typeof k === 'string'), 'propensity.site.pages.keys', 'an array of page keys');
  const n = (pages.keys as string[]).length;
  expect(new Set(pages.keys as string[]).size === n, 'propensity.site.pages.keys', 'free of duplicate keys');
  for (const col of ['value', 'bounce', 'exit'] as const) {
    const v = pages[col];
    expect(Array.isArray(v) && v.length === n && v.every((x) => isFiniteNumber(x) && x >= 0), `propensity.site.pages.${col}`, `an array of ${n} finite numbers ≥ 0, one per key`);
  }
  const sd = site.specialDays;
  expect(isObject(sd) && Array.isArray(sd.dates) && sd.dates.every((d) => typeof d === 'string' && /^(\d{4}-)?\d{2}-\d{2}$/.test(d)), 'propensity.site.specialDays.dates', 'an array of "MM-DD" or "YYYY-MM-DD" dates');
  expect(isFiniteNumber(sd.peak) && sd.peak >= 0, 'propensity.site.specialDays.peak', 'a number of days ≥ 0');
  expect(isFiniteNumber(sd.width) && sd.width > 0, 'propensity.site.specialDays.width', 'a number of days > 0');
}

/** Bytes one tensor takes in its weights file: 1 per value for uint8, 2 for float16, else 4. */
export function tensorBytes(w: WeightEntry): number {
  const per = w.quantization?.dtype === 'uint8' ? 1 : w.quantization?.dtype === 'float16' ? 2 : 4;
  return w.shape.reduce((a, b) => a * b, 1) * per;
}

/**
 * Checks that each weights group's files, as sized in `files`, hold exactly the bytes its tensors need, so
 * that a manifest whose shapes and files disagree is refused before any weight file is downloaded.
 */
export function checkWeightBytes(m: TacitManifest): void {
  m.weightsManifest.forEach((g, gi) => {
    const need = g.weights.reduce((s, w) => s + tensorBytes(w), 0);
    const have = g.paths.reduce((s, p) => s + (m.files[p]?.bytes ?? 0), 0);
    expect(need === have, `weightsManifest[${gi}]`, `tensors that fit their files: the shapes need ${need} bytes, files[${g.paths.map((p) => `"${p}"`).join(', ')}] hold ${have}`);
  });
}

/** Checks a parsed `latest.json`. */
export function validatePointer(json: unknown): LatestPointer {
  expect(isObject(json), '(root)', 'a JSON object');
  expect(json.format === FORMAT, 'format', `"${FORMAT}"`);
  expect(typeof json.modelVersion === 'string', 'modelVersion', 'a string');
  expect(typeof json.manifest === 'string' && json.manifest.length <= 300 && json.manifest.split('/').every(isFileName), 'manifest', 'a relative path inside the model folder, such as "<version>/manifest.json" (plain names; no ".", "..", "%" or absolute URL)');
  expect(isHex64(json.sha256), 'sha256', '64 lower-case hex digits');
  return json as unknown as LatestPointer;
}

/** Lower-case hex SHA-256 of some bytes, with WebCrypto (browser and Node ≥ 20 alike). */
export async function sha256Hex(bytes: ArrayBuffer | Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as BufferSource);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
