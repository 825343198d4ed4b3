import { describe, it, expect, beforeAll } from 'vitest';
import { validateManifest, validatePointer, sha256Hex, ManifestError, TENSORS, type TacitManifest } from '../../src/model/format.js';
import { encodeModel, pointerFor, type EncodedModel } from '../../src/model/encode.js';
import { smallParts, throwsWith } from './helpers.js';

let model: EncodedModel;
beforeAll(async () => {
  model = await encodeModel(smallParts());
});

/** A deep copy of the good manifest, as plain JSON (what a reader gets from JSON.parse). */
const fresh = (): TacitManifest & Record<string, unknown> => JSON.parse(JSON.stringify(model.manifest));
const weightsOf = (m: TacitManifest) => m.weightsManifest[0]!.weights;
const entry = (m: TacitManifest, name: string) => weightsOf(m).find((w) => w.name === name)!;

/** Asserts that validation fails with a ManifestError whose message names `field` (quoted as the SDK quotes fields). */
function rejects(m: unknown, field: string, ...more: (string | RegExp)[]) {
  throwsWith(() => validateManifest(m), ManifestError, field, ...more);
}

describe('validateManifest', () => {
  it('accepts what encodeModel writes, as an object and as parsed JSON bytes', () => {
    expect(validateManifest(model.manifest)).toBe(model.manifest);
    const parsed = JSON.parse(new TextDecoder().decode(model.files.get('manifest.json')!));
    expect(validateManifest(parsed)).toEqual(model.manifest);
  });

  it('accepts a manifest without the optional bias and propensity parts', async () => {
    const bare = await encodeModel(smallParts({ bias: undefined, propensity: undefined }));
    expect(() => validateManifest(JSON.parse(JSON.stringify(bare.manifest)))).not.toThrow();
  });

  it('rejects a non-object root', () => {
    for (const bad of [null, [], 'manifest', 3, undefined]) rejects(bad, '(root)');
  });

  it('rejects a wrong format', () => {
    rejects({ ...fresh(), format: 'tfjs-layers-model' }, '"format"');
    const m = fresh();
    delete (m as Partial<TacitManifest>).format;
    rejects(m, '"format"');
  });

  it('rejects an unknown schemaVersion and says to upgrade', () => {
    for (const v of [2, 0, 99]) {
      const err = throwsWith(() => validateManifest({ ...fresh(), schemaVersion: v }), ManifestError, 'schemaVersion', /upgrade/i);
      expect(err.message).toContain(String(v));
    }
    rejects({ ...fresh(), schemaVersion: '1' }, '"schemaVersion"');
    rejects({ ...fresh(), schemaVersion: 1.5 }, '"schemaVersion"');
  });

  it('rejects missing, empty or non-string items', () => {
    const m = fresh();
    delete (m as Partial<TacitManifest>).items;
    rejects(m, '"items"');
    rejects({ ...fresh(), items: [] }, '"items"');
    rejects({ ...fresh(), items: ['a', 'b', 3, 'd', 'e'] }, '"items"');
    rejects({ ...fresh(), items: 'a,b,c,d,e' }, '"items"');
  });

  it('rejects duplicate item ids', () => {
    rejects({ ...fresh(), items: ['a', 'b', 'c', 'a', 'e'] }, '"items"', /duplicate/);
  });

  it('rejects a dim that is not an integer in 1..4096', () => {
    for (const dim of [0, -3, 1.5, 4097, '3', null]) rejects({ ...fresh(), dim }, '"dim"');
  });

  it('rejects a bad encoder', () => {
    rejects({ ...fresh(), encoder: null }, '"encoder"');
    rejects({ ...fresh(), encoder: { type: 'gru', decay: 0.5, maxLength: 4 } }, '"encoder.type"');
    for (const decay of [0, -0.5, 1.01, NaN]) rejects({ ...fresh(), encoder: { type: 'decay-pool', decay, maxLength: 4 } }, '"encoder.decay"');
    for (const maxLength of [0, 2.5]) rejects({ ...fresh(), encoder: { type: 'decay-pool', decay: 0.5, maxLength } }, '"encoder.maxLength"');
  });

  it('rejects item tensors whose shape does not match items × dim', () => {
    const n = model.manifest.items.length;
    const d = model.manifest.dim;
    for (const [name, shape] of [
      [TENSORS.query, [n, d + 1]],
      [TENSORS.query, [n - 1, d]],
      [TENSORS.query, [n * d]],
      [TENSORS.target, [n + 1, d]],
      [TENSORS.target, [d, n]],
    ] as const) {
      const m = fresh();
      entry(m, name).shape = [...shape];
      rejects(m, name, 'shape', `[${n}, ${d}]`);
    }
    const b = fresh();
    entry(b, TENSORS.bias).shape = [n + 1];
    rejects(b, TENSORS.bias, 'shape');
  });

  it('rejects a manifest without the query or target tensor', () => {
    for (const name of [TENSORS.query, TENSORS.target]) {
      const m = fresh();
      m.weightsManifest[0]!.weights = weightsOf(m).filter((w) => w.name !== name);
      rejects(m, name);
    }
  });

  it('rejects a file hash that is not 64 lower-case hex digits', () => {
    const good = model.manifest.files['weights.bin']!.sha256;
    for (const sha of ['z'.repeat(64), good.toUpperCase(), good.slice(1), `${good}0`, 12]) {
      const m = fresh();
      m.files['weights.bin']!.sha256 = sha as string;
      rejects(m, 'files["weights.bin"]');
    }
    const m = fresh();
    delete m.files['weights.bin'];
    rejects(m, 'files["weights.bin"]');
  });

  it('rejects weight paths that are not plain file names, and accepts a renamed plain one', () => {
    for (const p of ['sub/weights.bin', '../weights.bin', '/weights.bin', 'https://evil.example/w.bin', 'a\\b.bin']) {
      const m = fresh();
      m.weightsManifest[0]!.paths = [p];
      m.files[p] = m.files['weights.bin']!; // the hash entry exists: only the path itself is wrong
      rejects(m, 'weightsManifest[0].paths');
    }
    const ok = fresh();
    ok.weightsManifest[0]!.paths = ['weights-2.bin'];
    ok.files['weights-2.bin'] = ok.files['weights.bin']!;
    expect(() => validateManifest(ok)).not.toThrow();
  });

  it('rejects a bad quantization', () => {
    const m = fresh();
    entry(m, TENSORS.query).quantization = { dtype: 'int4' as 'uint8' };
    rejects(m, 'weightsManifest[0].weights[0].quantization.dtype');
    const u = fresh();
    entry(u, TENSORS.target).quantization = { dtype: 'uint8', scale: 0.01 }; // no min
    rejects(u, 'weightsManifest[0].weights[1].quantization');
    const nan = fresh();
    entry(nan, TENSORS.target).quantization = { dtype: 'uint8', scale: NaN, min: 0 };
    rejects(nan, 'weightsManifest[0].weights[1].quantization');
    const f16 = fresh();
    entry(f16, TENSORS.target).quantization = { dtype: 'float16' };
    expect(() => validateManifest(f16)).not.toThrow();
  });

  it('rejects a bad weight dtype', () => {
    const m = fresh();
    entry(m, TENSORS.query).dtype = 'float64' as 'float32';
    rejects(m, 'weightsManifest[0].weights[0].dtype');
  });

  it('rejects a propensity feature whose std is 0 (or otherwise not positive)', () => {
    for (const std of [0, -1, NaN, Infinity]) {
      const m = fresh();
      m.propensity!.features[1]!.std = std;
      rejects(m, '"propensity.features[1].std"');
    }
  });

  it('rejects other propensity problems', () => {
    const t = fresh();
    t.propensity!.features[0]!.transform = 'sqrt' as 'log1p';
    rejects(t, '"propensity.features[0].transform"');
    const b = fresh();
    b.propensity!.bias = NaN;
    rejects(b, '"propensity.bias"');
    const e = fresh();
    e.propensity!.features = [];
    rejects(e, '"propensity.features"');
    // two features in the spec, but a weights tensor of three
    const w = fresh();
    entry(w, TENSORS.propensityWeights).shape = [3];
    rejects(w, TENSORS.propensityWeights, 'shape');
  });
});

describe('validateManifest: propensity terms and site tables', () => {
  const site = () => ({ pages: { keys: ['a', 'p:/help'], value: [3.5, 0], bounce: [0.1, 0.5], exit: [0.2, 0.9] }, specialDays: { dates: ['02-14', '2027-05-09'], peak: 6, width: 5 } });
  const withSite = (change?: (s: ReturnType<typeof site>) => void) => {
    const m = fresh();
    const s = site();
    change?.(s);
    m.propensity!.site = s as never;
    return m;
  };

  it('accepts range indicators, products and site tables', () => {
    const m = withSite();
    m.propensity!.features[0] = { ...m.propensity!.features[0]!, above: 0, upTo: 5, times: { name: 'exit_rate', transform: 'identity', above: 0.1 } };
    expect(validateManifest(m)).toBe(m);
  });

  it('rejects a bound or a second factor that is not what the reader computes', () => {
    const a = fresh();
    (a.propensity!.features[0] as unknown as Record<string, unknown>).above = '0';
    rejects(a, '"propensity.features[0].above"');
    const u = fresh();
    u.propensity!.features[1]!.upTo = NaN;
    rejects(u, '"propensity.features[1].upTo"');
    const t = fresh();
    t.propensity!.features[0]!.times = { name: 'exit_rate', transform: 'square' as 'log1p' };
    rejects(t, '"propensity.features[0].times.transform"');
  });

  it('rejects site tables whose columns do not match the keys, or odd calendar values', () => {
    rejects(withSite((s) => s.pages.value.pop()), '"propensity.site.pages.value"', '2');
    rejects(withSite((s) => (s.pages.exit[1] = -0.1)), '"propensity.site.pages.exit"');
    rejects(withSite((s) => (s.pages.bounce[0] = NaN)), '"propensity.site.pages.bounce"');
    rejects(withSite((s) => (s.pages.keys[1] = 'a')), '"propensity.site.pages.keys"', 'duplicate');
    rejects(withSite((s) => (s.specialDays.dates[0] = 'Feb 14')), '"propensity.site.specialDays.dates"');
    rejects(withSite((s) => (s.specialDays.width = 0)), '"propensity.site.specialDays.width"');
    const m = fresh();
    m.propensity!.site = [] as never;
    rejects(m, '"propensity.site"');
  });
});

describe('validatePointer', () => {
  it('accepts the pointer that pointerFor writes, and returns it', () => {
    const p = pointerFor(model);
    expect(validatePointer(p)).toBe(p);
    expect(p.manifest).toBe(`${model.manifest.modelVersion}/manifest.json`);
    expect(p.sha256).toBe(model.manifestSha256);
  });

  it('rejects a bad pointer, naming the field', () => {
    const p = pointerFor(model);
    throwsWith(() => validatePointer(null), ManifestError, '(root)');
    throwsWith(() => validatePointer({ ...p, format: 'other' }), ManifestError, '"format"');
    throwsWith(() => validatePointer({ ...p, modelVersion: 7 }), ManifestError, '"modelVersion"');
    throwsWith(() => validatePointer({ ...p, manifest: '../other/manifest.json' }), ManifestError, '"manifest"');
    throwsWith(() => validatePointer({ ...p, manifest: undefined }), ManifestError, '"manifest"');
    throwsWith(() => validatePointer({ ...p, sha256: p.sha256.toUpperCase() }), ManifestError, '"sha256"');
    throwsWith(() => validatePointer({ ...p, sha256: 'abc' }), ManifestError, '"sha256"');
  });
});

describe('sha256Hex', () => {
  it('matches the FIPS 180-2 test vectors', async () => {
    const utf8 = new TextEncoder();
    expect(await sha256Hex(utf8.encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await sha256Hex(new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(await sha256Hex(utf8.encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('accepts an ArrayBuffer, and hashes only the viewed bytes of a Uint8Array view', async () => {
    const abc = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    const big = new TextEncoder().encode('xxabcyy');
    expect(await sha256Hex(big.subarray(2, 5))).toBe(abc);
    expect(await sha256Hex(big.slice(2, 5).buffer)).toBe(abc);
  });
});
