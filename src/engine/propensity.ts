/**
 * Logistic purchase propensity, sigmoid(w·x + b), over standardized features: the one implementation that
 * the browser runs and the trainer's evaluation calls.
 */
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

/**
 * Probabilities for many rows at once ([rows × features] → [rows]), in plain JavaScript: a dot product of a
 * few dozen features needs no TensorFlow.js, and the browser, whatever backend scores items, and the
 * trainer's evaluation run this same loop. Sums in float32 as tfjs's matMul did before this change.
 */
export async function propensityBatch(spec: PropensitySpec, weights: Float32Array, rows: readonly Readonly<Record<string, number>>[]): Promise<Float32Array> {
  return propensityRows(spec, weights, rows);
}

/** The synchronous form of `propensityBatch`. */
export function propensityRows(spec: PropensitySpec, weights: Float32Array, rows: readonly Readonly<Record<string, number>>[]): Float32Array {
  const out = new Float32Array(rows.length);
  rows.forEach((r, i) => {
    const x = featureVector(spec, r);
    let logit = 0;
    for (let f = 0; f < x.length; f++) logit = Math.fround(logit + Math.fround(x[f]! * weights[f]!));
    out[i] = 1 / (1 + Math.exp(-Math.fround(logit + spec.bias)));
  });
  return out;
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
