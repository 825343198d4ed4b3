/**
 * Shared test helpers (not a test file: vitest collects only *.test.ts). Everything here is an independent,
 * deliberately naive re-implementation or a fixture builder; none of it calls the code under test's logic.
 */
import { createHash } from 'node:crypto';
import { createRng } from '../../src/trainer/rng.js';
import type { ModelParts } from '../../src/model/encode.js';
import type { SessionEncoderSpec, PropensitySpec } from '../../src/model/format.js';

/** The trainer's seeded PRNG (mulberry32) so that every "random" test is reproducible. */
export const rng = createRng;

export function randomFloats(r: () => number, n: number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * r();
  return out;
}

/** SHA-256 with Node's own crypto: an implementation independent of the SDK's WebCrypto helper. */
export function nodeSha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** IEEE 754 half precision bits → number, written from the definition. */
export function fromFloat16Bits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

export const ENCODER: SessionEncoderSpec = { type: 'decay-pool', decay: 0.5, maxLength: 4 };

export const PROPENSITY_SPEC: PropensitySpec = {
  features: [
    { name: 'product_views', description: 'views', transform: 'log1p', mean: 1, std: 2 },
    { name: 'weekend', description: 'weekend', transform: 'identity', mean: 0.25, std: 0.5 },
  ],
  bias: -0.5,
  trainedOn: 'unit test',
};

/** A small but complete model: 5 items × 3 dims, bias, propensity part. */
export function smallParts(overrides: Partial<ModelParts> = {}): ModelParts {
  const r = rng(42);
  const items = ['a', 'b', 'c', 'd', 'e'];
  const dim = 3;
  return {
    items,
    popular: ['c', 'a', 'b', 'd', 'e'],
    dim,
    encoder: ENCODER,
    query: randomFloats(r, items.length * dim),
    target: randomFloats(r, items.length * dim),
    bias: randomFloats(r, items.length, -0.1, 0.1),
    propensity: { spec: PROPENSITY_SPEC, weights: new Float32Array([0.8, -1.2]) },
    quantization: 'float32',
    createdAt: '2026-11-28T12:00:00.000Z',
    ...overrides,
  };
}

/** Expects a promise to reject with an error of class `cls` whose message matches every pattern. */
export async function rejectsWith(p: Promise<unknown>, cls: new (...a: never[]) => Error, ...patterns: (string | RegExp)[]): Promise<Error> {
  let caught: unknown;
  try {
    await p;
  } catch (err) {
    caught = err;
  }
  if (!(caught instanceof cls)) throw new Error(`expected a ${cls.name}, got ${caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught)}`);
  for (const pat of patterns) {
    const ok = typeof pat === 'string' ? caught.message.includes(pat) : pat.test(caught.message);
    if (!ok) throw new Error(`expected the ${cls.name} message to match ${String(pat)}, got: ${caught.message}`);
  }
  return caught;
}

/** Same as `rejectsWith` for a synchronous call. */
export function throwsWith(fn: () => unknown, cls: new (...a: never[]) => Error, ...patterns: (string | RegExp)[]): Error {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  if (!(caught instanceof cls)) throw new Error(`expected a ${cls.name}, got ${caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught)}`);
  for (const pat of patterns) {
    const ok = typeof pat === 'string' ? caught.message.includes(pat) : pat.test(caught.message);
    if (!ok) throw new Error(`expected the ${cls.name} message to match ${String(pat)}, got: ${caught.message}`);
  }
  return caught;
}
