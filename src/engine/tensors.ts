/**
 * Decoded model arrays → tensors on the active TensorFlow.js backend. The model layer (src/model) decodes
 * and checks bytes without TensorFlow.js; this is where the engine, and the trainer's offline evaluation,
 * turn its arrays into the tensors that scoring (score.ts) reads.
 */
import * as tf from '@tensorflow/tfjs-core';
import { TENSORS, type TacitManifest } from '../model/format.js';
import { decodeWeightArrays, type DecodedArray, type WeightFiles } from '../model/decode.js';
import type { ScoringModel } from './score.js';

export interface DecodedModel extends ScoringModel {
  /** [features] or null when the model has no propensity part. */
  propensityWeights: Float32Array | null;
  dispose(): void;
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
export function decodeModel(model: WeightFiles): DecodedModel {
  return modelFromArrays(model.manifest, decodeWeightArrays(model));
}
