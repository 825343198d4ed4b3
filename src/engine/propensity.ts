/**
 * Logistic purchase propensity, sigmoid(w·x + b), over standardized features: the one implementation that
 * the browser runs and the trainer's evaluation calls.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { FeatureFactor, PropensitySpec } from '../model/format.js';

/** One feature's part in a score: `contribution = weight × value` (value after transform and scaling). */
export interface FeatureContribution {
  name: string;
  description: string;
  /** The raw value computed from the history. */
  raw: number;
  /** The value the model saw: transformed and standardized. */
  value: number;
  weight: number;
  contribution: number;
}

export interface PropensityResult {
  /** Probability of a purchase in this visit, 0..1. */
  probability: number;
  /** The intercept b; `logit = bias + Σ contribution`. */
  bias: number;
  features: FeatureContribution[];
}

/** One factor's value: the transform, then the range indicator when the factor has one. */
function factorValue(f: FeatureFactor, raw: Readonly<Record<string, number>>): number {
  // `Object.hasOwn`: a feature named like an Object.prototype member ("constructor") reads as missing.
  const r = Object.hasOwn(raw, f.name) ? raw[f.name]! : 0;
  const t = f.transform === 'log1p' ? Math.log1p(Math.max(r, 0)) : r;
  if (f.above === undefined && f.upTo === undefined) return t;
  return (f.above === undefined || t > f.above) && (f.upTo === undefined || t <= f.upTo) ? 1 : 0;
}

/**
 * The value of one model term before standardization: a factor, or the product of two. The trainer fits on
 * exactly these values (trainer/logistic.ts calls this function), so the browser cannot compute them apart.
 */
export function termValue(f: FeatureFactor & { times?: FeatureFactor }, raw: Readonly<Record<string, number>>): number {
  const v = factorValue(f, raw);
  return f.times ? v * factorValue(f.times, raw) : v;
}

/** Computes and standardizes each term in the model's feature order. Missing features are raw 0. */
export function featureVector(spec: PropensitySpec, raw: Readonly<Record<string, number>>): Float32Array {
  const x = new Float32Array(spec.features.length);
  spec.features.forEach((f, i) => (x[i] = (termValue(f, raw) - f.mean) / f.std));
  return x;
}

/** Probabilities for many rows at once ([rows × features] → [rows]) on the active backend. */
export async function propensityBatch(spec: PropensitySpec, weights: Float32Array, rows: readonly Readonly<Record<string, number>>[]): Promise<Float32Array> {
  const F = spec.features.length;
  const X = new Float32Array(rows.length * F);
  rows.forEach((r, i) => X.set(featureVector(spec, r), i * F));
  const p = tf.tidy(() => tf.sigmoid(tf.add(tf.reshape(tf.matMul(tf.tensor2d(X, [rows.length, F]), tf.tensor2d(weights, [F, 1])), [rows.length]), spec.bias)));
  try {
    return (await p.data()) as Float32Array;
  } finally {
    p.dispose();
  }
}

/** The probability for one history, with each feature's contribution to the logit. */
export async function explainPropensity(spec: PropensitySpec, weights: Float32Array, raw: Readonly<Record<string, number>>): Promise<PropensityResult> {
  const [probability] = await propensityBatch(spec, weights, [raw]);
  const x = featureVector(spec, raw);
  return {
    probability: probability!,
    bias: spec.bias,
    features: spec.features.map((f, i) => ({
      name: f.name,
      description: f.description,
      raw: Object.hasOwn(raw, f.name) ? raw[f.name]! : 0,
      value: x[i]!,
      weight: weights[i]!,
      contribution: weights[i]! * x[i]!,
    })),
  };
}
