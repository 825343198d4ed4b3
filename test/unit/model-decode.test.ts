/** The JavaScript weight decoder: bit-identical to tf.io.decodeWeights, and refuses non-finite values. */
import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { decodeWeightArrays } from '../../src/model/decode.js';
import { decodeModel } from '../../src/engine/tensors.js';
import { encodeModel, WEIGHTS_FILE } from '../../src/model/encode.js';
import { ManifestError, TENSORS, type TacitManifest, type WeightEntry } from '../../src/model/format.js';
import { smallParts, throwsWith, rng, randomFloats } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A manifest stub holding one weights group, for decoding only. */
function source(weights: WeightEntry[], files: Uint8Array[], manifestPath = 'https://cdn.example/models/m/v1/manifest.json') {
  const paths = files.map((_, i) => `shard-${i + 1}.bin`);
  return {
    manifest: { weightsManifest: [{ paths, weights }] } as unknown as TacitManifest,
    files: new Map(paths.map((p, i) => [p, files[i]!])),
    manifestPath,
  };
}

describe('decodeWeightArrays', () => {
  it('matches tf.io.decodeWeights bit for bit on every float16 pattern that is finite', () => {
    const bits = new Uint16Array(65536);
    for (let h = 0; h < 65536; h++) bits[h] = (h & 0x7c00) === 0x7c00 ? 0 : h; // Inf/NaN patterns → 0
    const entry: WeightEntry = { name: 'h', shape: [65536], dtype: 'float32', quantization: { dtype: 'float16' } };
    const ours = decodeWeightArrays(source([entry], [new Uint8Array(bits.buffer)])).get('h')!.values;
    const theirs = tf.io.decodeWeights(bits.buffer.slice(0), [entry]).h!.dataSync();
    expect(new Uint32Array(new Float32Array(ours).buffer)).toEqual(new Uint32Array(new Float32Array(theirs).buffer));
  });

  it('matches tf.io.decodeWeights for float32 and uint8 affine', async () => {
    const parts = smallParts({ quantization: 'uint8' });
    const m = await encodeModel(parts);
    const w = m.files.get(WEIGHTS_FILE)!;
    const ours = decodeWeightArrays({ manifest: m.manifest, files: new Map([[WEIGHTS_FILE, w]]) });
    const theirs = tf.io.decodeWeights(w.slice().buffer, m.manifest.weightsManifest[0]!.weights);
    for (const [name, a] of ours) expect(Array.from(a.values), name).toEqual(Array.from(theirs[name]!.dataSync()));
    tf.dispose(Object.values(theirs));
  });

  it('reads a group split into shards of any sizes, the last larger than the first included', () => {
    const values = randomFloats(rng(3), 300);
    const bytes = new Uint8Array(values.buffer);
    const shards = [bytes.slice(0, 100), bytes.slice(100, 340), bytes.slice(340)]; // 100, 240, 860 bytes
    const got = decodeWeightArrays(source([{ name: 'x', shape: [100, 3], dtype: 'float32' }], shards)).get('x')!;
    expect(got.shape).toEqual([100, 3]);
    expect(Array.from(got.values)).toEqual(Array.from(values));
  });

  it('refuses NaN and ±Infinity, naming the file (resolved against the manifest), the tensor and the position', () => {
    const rows = 10;
    const cols = 4;
    const values = randomFloats(rng(1), rows * cols);
    for (const bad of [NaN, Infinity, -Infinity]) {
      const v = values.slice();
      v[6 * cols + 3] = bad;
      throwsWith(
        () => decodeWeightArrays(source([{ name: 'items/query', shape: [rows, cols], dtype: 'float32' }], [new Uint8Array(v.buffer)])),
        ManifestError,
        'model file "https://cdn.example/models/m/v1/shard-1.bin"',
        `tensor "items/query" holds ${String(bad)} at row 6, column 3`,
      );
    }
  });

  it('names the shard that holds the bad value', () => {
    const v = randomFloats(rng(2), 64);
    v[40] = NaN; // byte 160: the second shard of 128 + 128
    const b = new Uint8Array(v.buffer);
    throwsWith(() => decodeWeightArrays(source([{ name: 'b', shape: [64], dtype: 'float32' }], [b.slice(0, 128), b.slice(128)])), ManifestError, 'shard-2.bin', 'index 40');
  });

  it('refuses a float16 NaN or Infinity', () => {
    for (const bits of [0x7e00, 0x7c00, 0xfc00]) {
      const h = new Uint16Array(8);
      h[5] = bits;
      throwsWith(() => decodeWeightArrays(source([{ name: 'h', shape: [2, 4], dtype: 'float32', quantization: { dtype: 'float16' } }], [new Uint8Array(h.buffer)])), ManifestError, 'row 1, column 1');
    }
  });

  it('refuses bytes that do not fill the declared tensors', () => {
    throwsWith(() => decodeWeightArrays(source([{ name: 'x', shape: [4], dtype: 'float32' }], [new Uint8Array(12)])), ManifestError, 'need 16 bytes', 'hold 12');
  });

  it('decodeModel makes tensors of the decoded values and leaks none on failure', async () => {
    const m = await encodeModel(smallParts());
    const before = tf.memory().numTensors;
    const d = decodeModel({ manifest: m.manifest, files: new Map([[WEIGHTS_FILE, m.files.get(WEIGHTS_FILE)!]]) });
    expect(d.query.shape).toEqual([5, 3]);
    expect(Array.from(d.query.dataSync())).toEqual(Array.from(smallParts().query));
    d.dispose();
    const bad = m.files.get(WEIGHTS_FILE)!.slice();
    new DataView(bad.buffer).setFloat32(4 * (15 + 2), NaN, true); // items/target, row 0, column 2
    throwsWith(() => decodeModel({ manifest: m.manifest, files: new Map([[WEIGHTS_FILE, bad]]) }), ManifestError, TENSORS.target, 'row 0, column 2');
    expect(tf.memory().numTensors).toBe(before);
  });
});
