/**
 * Logistic regression trained with TensorFlow.js: standardization learned on the training rows and stored
 * in the model's `PropensitySpec`, so the browser applies exactly the same transform.
 */
import { tf, useCpu } from './tf.js';
import type { FeatureFactor, PropensityFeature, PropensitySpec } from '../model/format.js';
import { DEVICE_FEATURES, type DeviceFeature } from '../engine/features.js';
import { termValue } from '../engine/propensity.js';

/** A term to learn: a device feature (or a product of two), transformed and optionally a range indicator. */
export interface FeatureDef extends FeatureFactor {
  times?: FeatureFactor;
  /** Shown in explanations; default: the device feature's own description. */
  description?: string;
}

export interface LogisticOptions {
  epochs: number;
  learningRate: number;
  /** L2 penalty on the weights (not the bias). */
  l2: number;
  trainedOn: string;
}

export interface TrainedLogistic {
  spec: PropensitySpec;
  weights: Float32Array;
  losses: number[];
}

/**
 * Fits sigmoid(w·x + b) by full-batch Adam on rows of raw feature values. Features that do not vary in
 * the training rows are dropped (they cannot be learned and would divide by a zero deviation).
 */
export async function trainLogistic(rows: readonly Readonly<Record<string, number>>[], labels: ArrayLike<number>, defs: readonly FeatureDef[], opts: LogisticOptions & { site?: PropensitySpec['site'] }): Promise<TrainedLogistic> {
  await useCpu();
  const features: PropensityFeature[] = [];
  for (const def of defs) {
    const vals = rows.map((r) => termValue(def, r));
    const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
    const std = Math.sqrt(vals.reduce((a, b) => a + (b - mean) ** 2, 0) / vals.length);
    if (std < 1e-9) continue;
    const { description, ...term } = def;
    features.push({ ...term, description: description ?? (Object.hasOwn(DEVICE_FEATURES, def.name) ? DEVICE_FEATURES[def.name as DeviceFeature] : def.name), mean, std });
  }
  const F = features.length;
  const X = new Float32Array(rows.length * F);
  rows.forEach((r, i) => features.forEach((f, j) => (X[i * F + j] = (termValue(f, r) - f.mean) / f.std)));
  const xT = tf.tensor2d(X, [rows.length, F]);
  const yT = tf.tensor2d(Float32Array.from(labels as ArrayLike<number>), [rows.length, 1]);
  // A Variable shares its initial tensor's data and adds a reference: tidy frees the initial tensors.
  const w = tf.tidy(() => tf.variable(tf.zeros([F, 1])));
  const b = tf.tidy(() => tf.variable(tf.scalar(0)));
  const optimizer = tf.train.adam(opts.learningRate);
  const losses: number[] = [];
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    const loss = optimizer.minimize(() => {
      const logits = tf.add(tf.matMul(xT, w), b);
      const ce = tf.losses.sigmoidCrossEntropy(yT, logits);
      return tf.add(ce, tf.mul(opts.l2, tf.sum(tf.square(w)))) as tf.Scalar;
    }, true)!;
    if (epoch % 50 === 0 || epoch === opts.epochs - 1) losses.push((await loss.data())[0]!);
    loss.dispose();
  }
  const weights = (await w.data()) as Float32Array;
  const bias = (await b.data())[0]!;
  for (const t of [xT, yT, w, b]) t.dispose();
  optimizer.dispose();
  return { spec: { features, bias, trainedOn: opts.trainedOn, ...(opts.site ? { site: opts.site } : {}) }, weights: Float32Array.from(weights), losses };
}
