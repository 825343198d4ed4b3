/**
 * Turns verified model bytes into tensors on the active TensorFlow.js backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import { TENSORS } from './format.js';
import { ManifestError } from './format.js';
import type { VerifiedModel } from './load.js';
import type { ScoringModel } from '../engine/score.js';

export interface DecodedModel extends ScoringModel {
  /** [features] or null when the model has no propensity part. */
  propensityWeights: Float32Array | null;
  dispose(): void;
}

function concat(parts: Uint8Array[]): ArrayBuffer {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out.buffer;
}

/**
 * Decodes each weights group with `tf.io.decodeWeights` (which undoes float16 and uint8 quantization).
 * The group's files are concatenated here rather than by `tf.io.loadWeights`, which neither checks
 * `response.ok` nor handles a last shard larger than the first (tfjs-core 4.22; TFJS-FACTS.md).
 */
export function decodeModel(model: VerifiedModel): DecodedModel {
  const { manifest } = model;
  const named: tf.NamedTensorMap = {};
  try {
    for (const group of manifest.weightsManifest) {
      const buffer = concat(group.paths.map((p) => model.files.get(p)!));
      const expected = group.weights.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1) * (w.quantization?.dtype === 'uint8' ? 1 : w.quantization?.dtype === 'float16' ? 2 : 4), 0);
      if (expected !== buffer.byteLength) {
        throw new ManifestError(`model manifest: weights in ${group.paths.join(', ')} need ${expected} bytes, the files hold ${buffer.byteLength}`);
      }
      Object.assign(named, tf.io.decodeWeights(buffer, group.weights));
    }
    let propensityWeights: Float32Array | null = null;
    const pw = named[TENSORS.propensityWeights];
    if (pw) {
      propensityWeights = pw.dataSync() as Float32Array; // a CPU-resident tensor just decoded: no GPU readback
    }
    return {
      encoder: manifest.encoder,
      numItems: manifest.items.length,
      query: named[TENSORS.query] as tf.Tensor2D,
      target: named[TENSORS.target] as tf.Tensor2D,
      bias: (named[TENSORS.bias] as tf.Tensor1D | undefined) ?? null,
      propensityWeights,
      dispose() {
        for (const t of Object.values(named)) t.dispose();
      },
    };
  } catch (err) {
    for (const t of Object.values(named)) t.dispose();
    throw err;
  }
}
