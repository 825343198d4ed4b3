/**
 * Trains the session recommender that the browser runs: item "query" embeddings pooled over the session
 * with the decay-pool encoder, scored against item "target" embeddings plus an item bias, learned with a
 * softmax over the next item. The encoder packing is imported from the browser's scoring module, so the
 * trained model and the shipped model encode sessions identically.
 */
import { tf, useCpu } from './tf.js';
import type { SessionEncoderSpec } from '../model/format.js';
import { packSessions } from '../engine/score.js';
import { createRng, shuffle } from './rng.js';

export interface RecommenderOptions {
  dim: number;
  encoder: SessionEncoderSpec;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** Called after each epoch with its mean training loss. */
  onEpoch?: (epoch: number, loss: number) => void;
}

export interface TrainedRecommender {
  query: Float32Array;
  target: Float32Array;
  bias: Float32Array;
  /** Mean training loss per epoch. */
  losses: number[];
}

/** Next-item examples: every prefix of every session (truncated to the encoder's window) and the item after it. */
export function nextItemExamples(sessions: readonly (readonly number[])[], maxLength: number): { prefixes: number[][]; targets: number[] } {
  const prefixes: number[][] = [];
  const targets: number[] = [];
  for (const s of sessions) {
    for (let t = 1; t < s.length; t++) {
      prefixes.push(s.slice(Math.max(0, t - maxLength), t));
      targets.push(s[t]!);
    }
  }
  return { prefixes, targets };
}

export async function trainRecommender(sessions: readonly (readonly number[])[], numItems: number, opts: RecommenderOptions): Promise<TrainedRecommender> {
  await useCpu();
  const { prefixes, targets } = nextItemExamples(sessions, opts.encoder.maxLength);
  if (prefixes.length === 0) throw new Error('no training examples: every session needs at least two items');
  const rng = createRng(opts.seed);
  const d = opts.dim;
  if (numItems > 20_000) throw new Error('this trainer builds a dense softmax over all items; catalogs above 20,000 items need the sampled trainer');

  // Bias starts at log popularity (smoothed), which is what an empty session should rank by.
  const counts = new Float32Array(numItems).fill(1);
  for (const s of sessions) for (const i of s) counts[i]!++;
  const total = counts.reduce((a, b) => a + b, 0);
  // A Variable shares its initial tensor's data and adds a reference: tidy frees the initial tensors.
  const Q = tf.tidy(() => tf.variable(tf.randomNormal([numItems, d], 0, 0.1, 'float32', opts.seed)));
  const T = tf.tidy(() => tf.variable(tf.randomNormal([numItems, d], 0, 0.1, 'float32', opts.seed + 1)));
  const b = tf.tidy(() => tf.variable(tf.tensor1d(Array.from(counts, (c) => Math.log(c / total)))));
  const optimizer = tf.train.adam(opts.learningRate);
  const order = prefixes.map((_, i) => i);
  const losses: number[] = [];

  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    shuffle(order, rng);
    let sum = 0;
    let batches = 0;
    for (let start = 0; start < order.length; start += opts.batchSize) {
      const ids = order.slice(start, start + opts.batchSize);
      const { idx, w, L } = packSessions(opts.encoder, ids.map((i) => prefixes[i]!));
      const B = ids.length;
      // The encoder as a dense [batch, items] weight matrix: v = S · Q. Same weights as the browser's
      // gather-and-sum, but its gradient is one matMul; tfjs-cpu's gather gradient (UnsortedSegmentSum)
      // took 3.5 s per batch of 256 here, compared with milliseconds for this product.
      const S = new Float32Array(B * numItems);
      for (let r = 0; r < B; r++) for (let j = 0; j < L; j++) S[r * numItems + idx[r * L + j]!]! += w[r * L + j]!;
      const y = new Int32Array(ids.map((i) => targets[i]!));
      const loss = tf.tidy(() => {
        const sT = tf.tensor2d(S, [B, numItems]);
        const labels = tf.oneHot(tf.tensor1d(y, 'int32'), numItems);
        return optimizer.minimize(() => {
          const v = tf.matMul(sT, Q);
          const logits = tf.add(tf.matMul(v, T, false, true), b);
          return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
        }, true)!;
      });
      sum += (await loss.data())[0]!;
      loss.dispose();
      batches++;
    }
    losses.push(sum / batches);
    opts.onEpoch?.(epoch, sum / batches);
  }

  const out = {
    query: (await Q.data()) as Float32Array,
    target: (await T.data()) as Float32Array,
    bias: (await b.data()) as Float32Array,
    losses,
  };
  optimizer.dispose();
  Q.dispose();
  T.dispose();
  b.dispose();
  return out;
}
