/**
 * Turns verified model bytes into numbers, then into tensors on the active TensorFlow.js backend.
 *
 * The weights are decoded here in plain JavaScript rather than by `tf.io.decodeWeights`: the values must be
 * checked for NaN and ±Infinity before any backend sees them (a hash proves the bytes are the publisher's,
 * not that the publisher's numbers are sane), the checks are cheapest in the same pass that decodes, and the
 * same pass is reused when a lost WebGL context forces a re-decode on the CPU. The arithmetic is the one
 * `tf.io.decodeWeights` uses (float16 → float32 exactly; uint8: q × scale + min in double precision, stored
 * as float32), so values are bit-identical; test/unit/model-decode.test.ts compares the two.
 */
import * as tf from '@tensorflow/tfjs-core';
import { TENSORS, ManifestError, tensorBytes, type TacitManifest, type WeightEntry } from './format.js';
import { dirOf, type VerifiedModel } from './load.js';
import type { ScoringModel } from '../engine/score.js';

export interface DecodedModel extends ScoringModel {
  /** [features] or null when the model has no propensity part. */
  propensityWeights: Float32Array | null;
  dispose(): void;
}

/** What decoding reads: a manifest and its verified weight files (a `VerifiedModel` is one). */
export type WeightSource = Pick<VerifiedModel, 'manifest' | 'files'> & Partial<VerifiedModel>;

/** One decoded tensor: its shape and values, row-major. */
export interface DecodedArray {
  shape: number[];
  dtype: 'float32' | 'int32';
  values: Float32Array | Int32Array;
}

let halfTable: Float32Array | null = null;

/** float16 bits → float32, for all 65,536 patterns (256 KiB, built once on first use). */
function float16Table(): Float32Array {
  if (halfTable) return halfTable;
  halfTable = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >>> 10) & 0x1f;
    const frac = h & 0x3ff;
    halfTable[h] =
      exp === 0 ? sign * frac * 2 ** -24 : exp === 31 ? (frac ? NaN : sign * Infinity) : sign * (1 + frac / 1024) * 2 ** (exp - 15);
  }
  return halfTable;
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}

/** Index of the first NaN or ±Infinity, or -1. `v - v` is 0 for every finite number and NaN otherwise. */
function firstNonFinite(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v - v !== 0) return i;
  }
  return -1;
}

function decodeOne(bytes: Uint8Array, w: WeightEntry): Float32Array | Int32Array {
  const n = w.shape.reduce((a, b) => a * b, 1);
  const q = w.quantization;
  // Copies: typed-array views need aligned offsets, and the decoded values must not alias the verified bytes.
  if (!q) {
    const copy = bytes.slice();
    return w.dtype === 'int32' ? new Int32Array(copy.buffer, 0, n) : new Float32Array(copy.buffer, 0, n);
  }
  const out = w.dtype === 'int32' ? new Int32Array(n) : new Float32Array(n);
  if (q.dtype === 'float16') {
    const table = float16Table();
    const half = new Uint16Array(bytes.slice().buffer, 0, n);
    for (let i = 0; i < n; i++) out[i] = table[half[i]!]!;
  } else {
    const scale = q.scale!;
    const min = q.min!;
    if (out instanceof Int32Array) for (let i = 0; i < n; i++) out[i] = Math.round(bytes[i]! * scale + min);
    else for (let i = 0; i < n; i++) out[i] = bytes[i]! * scale + min;
  }
  return out;
}

/** Which file of a group holds byte `offset` of the group's concatenated bytes. */
function fileAt(paths: string[], sizes: number[], offset: number): string {
  let end = 0;
  for (let i = 0; i < paths.length; i++) {
    end += sizes[i]!;
    if (offset < end) return paths[i]!;
  }
  return paths[paths.length - 1]!;
}

/**
 * Decodes every tensor of a verified model to typed arrays, refusing (with a `ManifestError` that names the
 * file, the tensor and the position) weights that do not fill their files exactly or that hold NaN or
 * ±Infinity. Pure JavaScript: no backend is involved.
 */
export function decodeWeightArrays(model: WeightSource): Map<string, DecodedArray> {
  const out = new Map<string, DecodedArray>();
  for (const group of model.manifest.weightsManifest) {
    const parts = group.paths.map((p) => model.files.get(p)!);
    const buffer = concat(parts);
    const expected = group.weights.reduce((s, w) => s + tensorBytes(w), 0);
    if (expected !== buffer.byteLength) {
      throw new ManifestError(`model manifest: weights in ${group.paths.join(', ')} need ${expected} bytes, the files hold ${buffer.byteLength}`);
    }
    let offset = 0;
    for (const w of group.weights) {
      const size = tensorBytes(w);
      const values = decodeOne(buffer.subarray(offset, offset + size), w);
      if (values instanceof Float32Array) {
        const bad = firstNonFinite(values);
        if (bad >= 0) {
          const per = size / Math.max(1, values.length);
          const file = dirOf(model.manifestPath ?? '') + fileAt(group.paths, parts.map((p) => p.byteLength), offset + bad * per);
          const cols = w.shape.length > 1 ? w.shape[w.shape.length - 1]! : 0;
          const where = cols ? `row ${Math.floor(bad / cols)}, column ${bad % cols}` : `index ${bad}`;
          throw new ManifestError(`model file "${file}": tensor "${w.name}" holds ${String(values[bad])} at ${where}; refusing weights that are not finite numbers`);
        }
      }
      out.set(w.name, { shape: w.shape, dtype: w.dtype, values });
      offset += size;
    }
  }
  return out;
}

/** Makes tensors on the active backend from decoded arrays. */
export function modelFromArrays(manifest: TacitManifest, arrays: Map<string, DecodedArray>): DecodedModel {
  const named: Record<string, tf.Tensor> = {};
  try {
    for (const [name, a] of arrays) named[name] = tf.tensor(a.values, a.shape, a.dtype);
    const pw = arrays.get(TENSORS.propensityWeights);
    return {
      encoder: manifest.encoder,
      numItems: manifest.items.length,
      query: named[TENSORS.query] as tf.Tensor2D,
      // Tied embeddings (schema 1, encoder.tied): one stored table serves both sides.
      target: (manifest.encoder.tied ? named[TENSORS.query] : named[TENSORS.target]) as tf.Tensor2D,
      bias: (named[TENSORS.bias] as tf.Tensor1D | undefined) ?? null,
      propensityWeights: pw ? Float32Array.from(pw.values) : null,
      dispose() {
        for (const t of Object.values(named)) t.dispose();
      },
    };
  } catch (err) {
    for (const t of Object.values(named)) t.dispose();
    throw err;
  }
}

/**
 * Decodes a verified model into tensors on the active backend (float16 and uint8 dequantized). The group's
 * files are concatenated here rather than by `tf.io.loadWeights`, which neither checks `response.ok` nor
 * handles a last shard larger than the first (tfjs-core 4.22; TFJS-FACTS.md).
 */
export function decodeModel(model: WeightSource): DecodedModel {
  return modelFromArrays(model.manifest, decodeWeightArrays(model));
}
