/**
 * Turns verified model bytes into numbers (typed arrays). No TensorFlow.js here: the model layer reads and
 * checks files; engine/tensors.ts makes tensors of what this returns.
 *
 * The weights are decoded here in plain JavaScript rather than by `tf.io.decodeWeights`: the values must be
 * checked for NaN and ±Infinity before any backend sees them (a hash proves the bytes are the publisher's,
 * not that the publisher's numbers are sane), the checks are cheapest in the same pass that decodes, and the
 * same pass is reused when a lost WebGL context forces a re-decode on the CPU. The arithmetic is the one
 * `tf.io.decodeWeights` uses (float16 → float32 exactly; uint8: q × scale + min in double precision, stored
 * as float32), so values are bit-identical; test/unit/model-decode.test.ts compares the two.
 */
import { ManifestError, tensorBytes, type WeightEntry } from './format.js';
import { dirOf, type VerifiedModel } from './load.js';
import { concatBytes, float16Table } from '../lib/bytes.js';

/** What decoding reads: a manifest and its verified weight files (a `VerifiedModel` is one). */
export type WeightFiles = Pick<VerifiedModel, 'manifest' | 'files'> & Partial<VerifiedModel>;

/** One decoded tensor: its shape and values, row-major. */
export interface DecodedArray {
  shape: number[];
  dtype: 'float32' | 'int32';
  values: Float32Array | Int32Array;
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
export function decodeWeightArrays(model: WeightFiles): Map<string, DecodedArray> {
  const out = new Map<string, DecodedArray>();
  for (const group of model.manifest.weightsManifest) {
    const parts = group.paths.map((p) => model.files.get(p)!);
    const buffer = concatBytes(parts);
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
