import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { toFloat16Bits, encodeTensor, encodeModel, WEIGHTS_FILE, MANIFEST_FILE } from '../../src/model/encode.js';
import { ManifestError, TENSORS } from '../../src/model/format.js';
import { smallParts, fromFloat16Bits, rng, randomFloats, nodeSha256, rejectsWith, throwsWith } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('toFloat16Bits', () => {
  it('encodes known values exactly', () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [0.5, 0x3800],
      [65504, 0x7bff], // largest finite half
      [1e-8, 0x0000], // underflows to +0
      [-1e-8, 0x8000], // underflows to -0
      [Infinity, 0x7c00],
      [-Infinity, 0xfc00],
      [1e6, 0x7c00], // overflow → Inf
      [0.333251953125, 0x3555], // 1365/4096: exactly representable
      [2 ** -14, 0x0400], // smallest normal
      [2 ** -20, 0x0010], // subnormal: 16 × 2^-24
      [2 ** -24, 0x0001], // smallest subnormal
      [2 ** -15 + 2 ** -24, 0x0201], // subnormal with low and high mantissa bits
    ];
    for (const [v, bits] of cases) expect(toFloat16Bits(v), `value ${v}`).toBe(bits);
  });

  it('maps NaN to a NaN half', () => {
    const h = toFloat16Bits(NaN);
    expect(h & 0x7c00).toBe(0x7c00);
    expect(h & 0x3ff).not.toBe(0);
  });

  it('rounds to nearest, ties to even (normal, subnormal and overflow cases)', () => {
    // 1 + 2^-11 lies exactly between 0x3c00 and 0x3c01: even wins, 0x3c00
    expect(toFloat16Bits(1 + 2 ** -11)).toBe(0x3c00);
    // 1 + 3·2^-11 lies exactly between 0x3c01 and 0x3c02: even wins, 0x3c02
    expect(toFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    // just above a tie rounds up
    expect(toFloat16Bits(1 + 2 ** -11 + 2 ** -20)).toBe(0x3c01);
    // 1/3 → nearest half is 0x3555 (0.33325…), not 0x3556 (0.33350…)
    expect(toFloat16Bits(1 / 3)).toBe(0x3555);
    // 65520 lies between 65504 and 2^16 (Inf): ties to even → Inf; just below stays finite
    expect(toFloat16Bits(65520)).toBe(0x7c00);
    expect(toFloat16Bits(65519)).toBe(0x7bff);
    // subnormal ties: 2^-25 between 0 and 2^-24 → 0; 3·2^-25 between 1 and 2 (×2^-24) → 2
    expect(toFloat16Bits(2 ** -25)).toBe(0x0000);
    expect(toFloat16Bits(3 * 2 ** -25)).toBe(0x0002);
    expect(toFloat16Bits(1.5 * 2 ** -25)).toBe(0x0001);
    // the largest subnormal rounds up into the smallest normal
    expect(toFloat16Bits(2 ** -14 - 2 ** -26)).toBe(0x0400);
  });

  it('returns the nearest half for random values (checked against a from-the-definition decoder)', () => {
    const r = rng(7);
    for (let t = 0; t < 5000; t++) {
      // magnitudes from 2^-26 to 2^16, both signs
      const v = Math.fround((r() < 0.5 ? -1 : 1) * 2 ** (-26 + 42 * r()));
      const h = toFloat16Bits(v);
      const got = fromFloat16Bits(h);
      if (!Number.isFinite(got)) {
        expect(Math.abs(v)).toBeGreaterThanOrEqual(65520);
        continue;
      }
      const err = Math.abs(got - v);
      // no neighbouring half (same sign) is strictly closer
      for (const nb of [h - 1, h + 1]) {
        if ((nb & 0x7fff) > 0x7bff || (nb & 0x8000) !== (h & 0x8000)) continue;
        expect(Math.abs(fromFloat16Bits(nb) - v), `value ${v}`).toBeGreaterThanOrEqual(err);
      }
    }
  });
});

describe('encodeTensor', () => {
  it('rejects non-finite values, naming the tensor and the index', () => {
    for (const q of ['float32', 'float16', 'uint8'] as const) {
      throwsWith(() => encodeTensor('items/query', [3], new Float32Array([0, NaN, 1]), q), Error, 'items/query', 'index 1');
      throwsWith(() => encodeTensor('t', [2], new Float32Array([Infinity, 1]), q), Error, 'index 0');
    }
  });

  it('writes 4, 2 and 1 bytes per value with the matching manifest entry', () => {
    const v = new Float32Array([0.25, -1, 3]);
    const f32 = encodeTensor('t', [3], v, 'float32');
    expect(f32.bytes.byteLength).toBe(12);
    expect(f32.entry).toEqual({ name: 't', shape: [3], dtype: 'float32' });
    expect(Array.from(new Float32Array(f32.bytes.slice().buffer))).toEqual([0.25, -1, 3]);
    const f16 = encodeTensor('t', [3], v, 'float16');
    expect(f16.bytes.byteLength).toBe(6);
    expect(f16.entry.quantization).toEqual({ dtype: 'float16' });
    expect(Array.from(new Uint16Array(f16.bytes.slice().buffer))).toEqual([0x3400, 0xbc00, 0x4200]);
    const u8 = encodeTensor('t', [3], v, 'uint8');
    expect(u8.bytes.byteLength).toBe(3);
    // min -1, max 3: scale 4/255; -1 → 0, 3 → 255, 0.25 → round(1.25 / (4/255)) = round(79.6875) = 80
    expect(u8.entry.quantization).toEqual({ dtype: 'uint8', scale: Math.fround(4 / 255), min: -1 });
    expect(Array.from(u8.bytes)).toEqual([80, 0, 255]);
  });

  it('does not alias the caller array (float32 copies a view correctly)', () => {
    const big = new Float32Array([9, 1, 2, 9]);
    const enc = encodeTensor('t', [2], big.subarray(1, 3), 'float32');
    expect(Array.from(new Float32Array(enc.bytes.slice().buffer))).toEqual([1, 2]);
    big[1] = 5;
    expect(new Float32Array(enc.bytes.slice().buffer)[0]).toBe(1);
  });
});

/** Decodes the weights of an encoded model with TensorFlow.js itself, name → values. */
function decodeWithTf(m: Awaited<ReturnType<typeof encodeModel>>): Record<string, Float32Array> {
  const bytes = m.files.get(WEIGHTS_FILE)!;
  const named = tf.io.decodeWeights(bytes.slice().buffer, m.manifest.weightsManifest[0]!.weights);
  const out: Record<string, Float32Array> = {};
  for (const [k, t] of Object.entries(named)) {
    out[k] = t.dataSync() as Float32Array;
    t.dispose();
  }
  return out;
}

describe('encodeModel', () => {
  const r = rng(3);
  const n = 40;
  const dim = 8;
  const query = randomFloats(r, n * dim);
  const target = randomFloats(r, n * dim);
  const bias = randomFloats(r, n, -3, 3);
  const items = Array.from({ length: n }, (_, i) => `sku-${i}`);
  const parts = (quantization: 'float32' | 'float16' | 'uint8') =>
    smallParts({ items, popular: items.slice(0, 5), dim, query, target, bias, quantization });

  it('writes the weights file, the manifest file and the hashes (checked with node:crypto)', async () => {
    const m = await encodeModel(parts('float32'));
    expect([...m.files.keys()].sort()).toEqual([MANIFEST_FILE, WEIGHTS_FILE].sort());
    const weights = m.files.get(WEIGHTS_FILE)!;
    // query + target (float32), bias (float32), 2 propensity weights (float32)
    expect(weights.byteLength).toBe((2 * n * dim + n + 2) * 4);
    expect(m.manifest.files[WEIGHTS_FILE]).toEqual({ sha256: nodeSha256(weights), bytes: weights.byteLength });
    const manifestBytes = m.files.get(MANIFEST_FILE)!;
    expect(m.manifestSha256).toBe(nodeSha256(manifestBytes));
    expect(JSON.parse(new TextDecoder().decode(manifestBytes))).toEqual(m.manifest);
    expect(m.manifest.items).toEqual(items);
    expect(m.manifest.weightsManifest).toHaveLength(1);
    expect(m.manifest.weightsManifest[0]!.paths).toEqual([WEIGHTS_FILE]);
  });

  it('float32 round-trips exactly through tf.io.decodeWeights', async () => {
    const dec = decodeWithTf(await encodeModel(parts('float32')));
    expect(Array.from(dec[TENSORS.query]!)).toEqual(Array.from(query));
    expect(Array.from(dec[TENSORS.target]!)).toEqual(Array.from(target));
    expect(Array.from(dec[TENSORS.bias]!)).toEqual(Array.from(bias));
    expect(Array.from(dec[TENSORS.propensityWeights]!)).toEqual([Math.fround(0.8), Math.fround(-1.2)]);
  });

  it('float16 round-trips within half-precision rounding error; bias stays exact', async () => {
    const m = await encodeModel(parts('float16'));
    expect(m.files.get(WEIGHTS_FILE)!.byteLength).toBe(2 * n * dim * 2 + (n + 2) * 4);
    const dec = decodeWithTf(m);
    for (const [name, orig] of [[TENSORS.query, query], [TENSORS.target, target]] as const) {
      const got = dec[name]!;
      expect(got.length).toBe(orig.length);
      let maxRel = 0;
      for (let i = 0; i < orig.length; i++) {
        const v = orig[i]!;
        // half-ulp bound: relative 2^-11 for normals, absolute 2^-25 below 2^-14
        expect(Math.abs(got[i]! - v), `${name}[${i}]`).toBeLessThanOrEqual(Math.abs(v) * 2 ** -11 + 2 ** -25);
        if (Math.abs(v) > 1e-3) maxRel = Math.max(maxRel, Math.abs(got[i]! - v) / Math.abs(v));
      }
      expect(maxRel).toBeLessThan(1e-3);
      expect(maxRel).toBeGreaterThan(0); // it really was quantized
    }
    expect(Array.from(dec[TENSORS.bias]!)).toEqual(Array.from(bias));
  });

  it('uint8 round-trips within scale/2 of the value range', async () => {
    const m = await encodeModel(parts('uint8'));
    expect(m.files.get(WEIGHTS_FILE)!.byteLength).toBe(2 * n * dim + (n + 2) * 4);
    const dec = decodeWithTf(m);
    for (const [name, orig] of [[TENSORS.query, query], [TENSORS.target, target]] as const) {
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of orig) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
      const scale = (hi - lo) / 255;
      const got = dec[name]!;
      for (let i = 0; i < orig.length; i++) {
        expect(Math.abs(got[i]! - orig[i]!), `${name}[${i}]`).toBeLessThanOrEqual(scale / 2 + 1e-6);
      }
    }
    expect(Array.from(dec[TENSORS.bias]!)).toEqual(Array.from(bias));
  });

  it('uint8 of a constant tensor decodes to the constant', async () => {
    const c = new Float32Array(n * dim).fill(0.375);
    const dec = decodeWithTf(await encodeModel(smallParts({ items, popular: [], dim, query: c, target: c, bias, quantization: 'uint8' })));
    expect(dec[TENSORS.query]!.every((v) => v === 0.375)).toBe(true);
  });

  it('defaults the version to a hash of the whole manifest; equal parts give equal bytes and version', async () => {
    const a = await encodeModel(parts('float16'));
    const b = await encodeModel(parts('float16'));
    const w = a.files.get(WEIGHTS_FILE)!;
    expect(a.manifest.modelVersion).toMatch(/^m[0-9a-f]{12}$/);
    // The manifest names the weights' hash, so hashing the manifest (with an empty version) covers both.
    expect(a.manifest.files[WEIGHTS_FILE]!.sha256).toBe(nodeSha256(w));
    const unversioned = JSON.stringify({ ...a.manifest, modelVersion: '' });
    expect(a.manifest.modelVersion).toBe(`m${nodeSha256(new TextEncoder().encode(unversioned)).slice(0, 12)}`);
    expect(b.manifest.modelVersion).toBe(a.manifest.modelVersion);
    expect(Buffer.from(b.files.get(WEIGHTS_FILE)!).equals(Buffer.from(w))).toBe(true);
    expect(Buffer.from(b.files.get(MANIFEST_FILE)!).equals(Buffer.from(a.files.get(MANIFEST_FILE)!))).toBe(true);
    expect(b.manifestSha256).toBe(a.manifestSha256);
    // other weights → another version
    const changed = query.slice();
    changed[0] = changed[0]! + 0.5;
    const c = await encodeModel({ ...parts('float16'), query: changed });
    expect(c.manifest.modelVersion).not.toBe(a.manifest.modelVersion);
  });

  it('keeps an explicit modelVersion and createdAt', async () => {
    const m = await encodeModel({ ...parts('float32'), modelVersion: '2026-11-28-demo', createdAt: '2026-11-28T00:00:00.000Z' });
    expect(m.manifest.modelVersion).toBe('2026-11-28-demo');
    expect(m.manifest.createdAt).toBe('2026-11-28T00:00:00.000Z');
  });

  it('refuses embeddings of the wrong size', async () => {
    await rejectsWith(encodeModel({ ...parts('float32'), query: query.subarray(1) }), Error, `${n} × ${dim}`);
    await rejectsWith(encodeModel({ ...parts('float32'), target: new Float32Array(n * dim + 1) }), Error, 'items × dim');
  });

  it('refuses to write a manifest the reader would refuse', async () => {
    await rejectsWith(encodeModel({ ...parts('float32'), items: items.map((_, i) => (i === 3 ? 'sku-0' : `sku-${i}`)) }), ManifestError, '"items"');
    await rejectsWith(encodeModel({ ...parts('float32'), modelVersion: 'bad/version' }), ManifestError, '"modelVersion"');
  });

  it('refuses a non-finite embedding value', async () => {
    const bad = query.slice();
    bad[5] = NaN;
    await rejectsWith(encodeModel({ ...parts('float16'), query: bad }), Error, TENSORS.query, 'index 5');
  });
});
