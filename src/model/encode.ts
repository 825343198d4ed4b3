/**
 * Writes a model folder's bytes from plain arrays: the writer half of the format in `format.ts`.
 * Pure JavaScript (no file system, no TensorFlow.js) so the trainer and tests can both use it; the trainer
 * writes the returned files to disk.
 */
import {
  FORMAT,
  SCHEMA_VERSION,
  TENSORS,
  MAX_MANIFEST_BYTES,
  ManifestError,
  sha256Hex,
  validateManifest,
  type LatestPointer,
  type QuantizationDtype,
  type SessionEncoderSpec,
  type PropensitySpec,
  type TacitManifest,
  type WeightEntry,
} from './format.js';
import { CATALOG_FILE } from './catalog.js';

/** How embeddings are stored. `float32` is exact; `float16` ~1e-3 relative error; `uint8` error ≤ scale/2. */
export type Quantization = 'float32' | QuantizationDtype;

export interface ModelParts {
  /** Folder name of this version. Default: derived from the SHA-256 of the whole manifest and weights, so
   * equal models get equal versions and any difference (weights, items, encoder, dates) a new one. */
  modelVersion?: string;
  items: string[];
  popular: string[];
  dim: number;
  encoder: SessionEncoderSpec;
  /** Row-major [items × dim]. */
  query: Float32Array;
  /**
   * Row-major [items × dim]. Not written when `encoder.tied` is true: the query table is then stored once
   * and serves both sides (pass the query table, or the equal target table, here).
   */
  target: Float32Array;
  bias?: Float32Array;
  propensity?: { spec: PropensitySpec; weights: Float32Array };
  quantization: Quantization;
  training?: Record<string, unknown>;
  createdAt?: string;
  /** Bytes of the public catalog feed (`encodeCatalog` in catalog.ts), written as `catalog.json`. */
  catalog?: Uint8Array;
}

export interface EncodedModel {
  manifest: TacitManifest;
  /** File name → bytes, the manifest included (as `manifest.json`). */
  files: Map<string, Uint8Array>;
  /** SHA-256 of `manifest.json`'s bytes, for the pointer file and for `data-model-integrity`. */
  manifestSha256: string;
}

export const WEIGHTS_FILE = 'weights.bin';
export const MANIFEST_FILE = 'manifest.json';
export const POINTER_FILE = 'latest.json';

// Float32 → IEEE 754 half precision, round to nearest even. Bit manipulation after
// http://www.fox-toolkit.org/ftp/fasthalffloatconversion.pdf (the table-free variant).
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
export function toFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // Inf / NaN
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow → Inf
  if (e <= 0) {
    if (e < -10) return sign; // underflow → ±0
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && half & 1)) half++;
    return sign | half;
  }
  let half = sign | (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++; // may carry into the exponent: still correct
  return half;
}

interface Encoded {
  entry: WeightEntry;
  bytes: Uint8Array;
}

/** Encodes one float tensor with the chosen quantization, in the layout `tf.io.decodeWeights` expects. */
export function encodeTensor(name: string, shape: number[], values: Float32Array, q: Quantization): Encoded {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) throw new Error(`tensor ${name} has a non-finite value at index ${i}`);
  }
  if (q === 'float32') {
    return { entry: { name, shape, dtype: 'float32' }, bytes: new Uint8Array(values.slice().buffer) };
  }
  if (q === 'float16') {
    const out = new Uint16Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = toFloat16Bits(values[i]!);
    return { entry: { name, shape, dtype: 'float32', quantization: { dtype: 'float16' } }, bytes: new Uint8Array(out.buffer) };
  }
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!Number.isFinite(min)) min = max = 0;
  const scale = max > min ? (max - min) / 255 : 1;
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.round((values[i]! - min) / scale);
  // float32 round trip so that the manifest holds exactly the numbers the decoder will multiply by.
  return {
    entry: { name, shape, dtype: 'float32', quantization: { dtype: 'uint8', scale: Math.fround(scale), min: Math.fround(min) } },
    bytes: out,
  };
}

const utf8 = new TextEncoder();

/** Builds the manifest and every file of a model folder, hashes included. */
export async function encodeModel(parts: ModelParts): Promise<EncodedModel> {
  const n = parts.items.length;
  const d = parts.dim;
  const tied = parts.encoder.tied === true;
  if (parts.query.length !== n * d || (!tied && parts.target.length !== n * d)) {
    throw new Error(`embeddings must hold items × dim = ${n} × ${d} values`);
  }
  const tensors: Encoded[] = [encodeTensor(TENSORS.query, [n, d], parts.query, parts.quantization)];
  // Tied: one table for both sides, stored once (the reader uses items/query as the target too).
  if (!tied) tensors.push(encodeTensor(TENSORS.target, [n, d], parts.target, parts.quantization));
  // Biases and the propensity weights are few and sensitive to rounding: always float32.
  if (parts.bias) tensors.push(encodeTensor(TENSORS.bias, [n], parts.bias, 'float32'));
  if (parts.propensity) {
    tensors.push(encodeTensor(TENSORS.propensityWeights, [parts.propensity.weights.length], parts.propensity.weights, 'float32'));
  }
  // One weights file: tfjs-core 4.22 decodes a last shard larger than the first as zeros (TFJS-FACTS.md),
  // and a single file sidesteps shard ordering entirely. No padding is needed between tensors:
  // decodeWeights copies each tensor's byte range before viewing it as a typed array.
  const total = tensors.reduce((s, t) => s + t.bytes.byteLength, 0);
  const weights = new Uint8Array(total);
  let offset = 0;
  for (const t of tensors) {
    weights.set(t.bytes, offset);
    offset += t.bytes.byteLength;
  }
  const files = new Map<string, Uint8Array>([[WEIGHTS_FILE, weights]]);
  const weightsSha = await sha256Hex(weights);
  const manifest: TacitManifest = {
    format: FORMAT,
    schemaVersion: SCHEMA_VERSION,
    modelVersion: parts.modelVersion ?? '',
    createdAt: parts.createdAt ?? new Date().toISOString(),
    items: parts.items,
    popular: parts.popular,
    dim: d,
    encoder: parts.encoder,
    ...(parts.propensity ? { propensity: parts.propensity.spec } : {}),
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: tensors.map((t) => t.entry) }],
    files: { [WEIGHTS_FILE]: { sha256: weightsSha, bytes: weights.byteLength } },
    ...(parts.training ? { training: parts.training } : {}),
  };
  return sealModel(manifest, files, parts.catalog);
}

/**
 * Finishes a model folder from a manifest and its weight files: adds the catalog feed (when given),
 * names the version after the content when `modelVersion` is empty, validates what the reader would
 * validate, and encodes the manifest. `tacit catalog` uses it to republish a model with a new feed and
 * the same weights.
 */
export async function sealModel(manifest: TacitManifest, weightFiles: Map<string, Uint8Array>, catalog?: Uint8Array): Promise<EncodedModel> {
  const files = new Map(weightFiles);
  files.delete(MANIFEST_FILE);
  manifest = { ...manifest, files: { ...manifest.files } };
  if (catalog) {
    files.set(CATALOG_FILE, catalog);
    manifest.catalog = CATALOG_FILE;
    manifest.files[CATALOG_FILE] = { sha256: await sha256Hex(catalog), bytes: catalog.byteLength };
  }
  if (!manifest.modelVersion) {
    // Content-addressed: the manifest already holds the hash of every file, so hashing it covers everything.
    manifest.modelVersion = `m${(await sha256Hex(utf8.encode(JSON.stringify(manifest)))).slice(0, 12)}`;
  }
  validateManifest(manifest); // the writer refuses to produce what the reader would refuse
  const manifestBytes = utf8.encode(JSON.stringify(manifest));
  // Readers refuse a larger manifest unparsed (load.ts): writing one would publish a model no browser loads.
  if (manifestBytes.byteLength > MAX_MANIFEST_BYTES) {
    throw new ManifestError(`model manifest: ${manifestBytes.byteLength} bytes, over the ${MAX_MANIFEST_BYTES}-byte limit readers enforce (MAX_MANIFEST_BYTES); the item ids take most of it: use fewer or shorter ids`);
  }
  files.set(MANIFEST_FILE, manifestBytes);
  return { manifest, files, manifestSha256: await sha256Hex(manifestBytes) };
}

/** The `latest.json` that points at a published version folder (`<version>/manifest.json`). */
export function pointerFor(model: EncodedModel): LatestPointer {
  return {
    format: FORMAT,
    modelVersion: model.manifest.modelVersion,
    manifest: `${model.manifest.modelVersion}/${MANIFEST_FILE}`,
    sha256: model.manifestSha256,
  };
}
