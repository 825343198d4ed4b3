/**
 * Fuzzing the model format's validators and the verified loader (issue 12): a manifest or pointer with any
 * field replaced by any JSON value, random bytes as an entry file, random paths. Properties: only the
 * documented errors (ManifestError, IntegrityError, CatalogError) come out, never a TypeError or a
 * RangeError from inside; whatever is accepted names files inside the model folder and tensors the format
 * defines, within MAX_TABLE_VALUES; no prototype is polluted.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import { encodeModel, pointerFor, type EncodedModel } from '../../src/model/encode.js';
import { ManifestError, MAX_TABLE_VALUES, TENSORS, checkWeightBytes, validateManifest, validatePointer } from '../../src/model/format.js';
import { IntegrityError, dirOf, loadVerifiedManifest, resolveInside } from '../../src/model/load.js';
import { decodeWeightArrays } from '../../src/model/decode.js';
import { CatalogError, readCatalog } from '../../src/model/catalog.js';
import { smallParts } from './helpers.js';
import { check, expectNoPollution, nastyString, nastyValue } from './fuzz.js';

const ENTRY = 'https://cdn.example/models/shop/latest.json';
const documented = (err: unknown) => err instanceof ManifestError || err instanceof IntegrityError || err instanceof CatalogError;
const only = (fn: () => unknown) => {
  try {
    return fn();
  } catch (err) {
    if (!documented(err)) throw err;
    return undefined;
  }
};

/** Sets `value` at a path of (own) keys and indices, creating nothing: a mutation of an existing field. */
function mutate(root: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(root)) as Record<string, unknown>;
  let node: Record<string, unknown> = copy;
  for (const k of path.slice(0, -1)) {
    const next = node[k as string];
    if (typeof next !== 'object' || next === null) return copy;
    node = next as Record<string, unknown>;
  }
  Object.defineProperty(node, path[path.length - 1]!, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

let model: EncodedModel;
beforeAll(async () => {
  model = await encodeModel(smallParts({ catalog: new TextEncoder().encode('{"format":"tacit-catalog","schemaVersion":1,"items":[]}') }));
});

const fields: (string | number)[][] = [
  ['format'], ['schemaVersion'], ['modelVersion'], ['items'], ['items', 0], ['popular'], ['dim'], ['encoder'], ['encoder', 'decay'], ['encoder', 'tied'], ['encoder', 'repeat'],
  ['weightsManifest'], ['weightsManifest', 0, 'paths'], ['weightsManifest', 0, 'paths', 0], ['weightsManifest', 0, 'weights', 0, 'name'], ['weightsManifest', 0, 'weights', 0, 'shape'],
  ['weightsManifest', 0, 'weights', 1, 'quantization'], ['weightsManifest', 0, 'weights', 2, 'dtype'], ['files'], ['files', 'weights.bin'], ['files', 'weights.bin', 'bytes'], ['catalog'],
  ['propensity'], ['propensity', 'features'], ['propensity', 'features', 0, 'name'], ['propensity', 'features', 0, 'std'], ['propensity', 'bias'], ['__proto__'], ['constructor'],
];

describe('fuzz: manifest and pointer validation', () => {
  it('a manifest with any field replaced: only ManifestError, and what passes is within the format', () =>
    check(
      fc.property(fc.constantFrom(...fields), fc.oneof(nastyValue, fc.constantFrom('..', '.', '%2e%2e', 'https://evil.example/w.bin', 'constructor', 1e9, -1, 4097, 2 ** 31)), (path, value) => {
        const json = mutate(model.manifest, path, value);
        const m = only(() => validateManifest(json)) as ReturnType<typeof validateManifest> | undefined;
        if (m) {
          only(() => checkWeightBytes(m));
          expect(m.items.length * m.dim).toBeLessThanOrEqual(MAX_TABLE_VALUES);
          const known = new Set<string>(Object.values(TENSORS));
          for (const g of m.weightsManifest) {
            for (const w of g.weights) expect(known.has(w.name)).toBe(true);
            for (const p of g.paths) expect(resolveInside(dirOf(ENTRY), p, 'paths').startsWith(dirOf(ENTRY))).toBe(true);
          }
        }
        expectNoPollution();
      }),
    ));

  it('a pointer with any field replaced, and any path: only ManifestError; accepted paths stay inside', () =>
    check(
      fc.property(fc.constantFrom('format', 'modelVersion', 'manifest', 'sha256', '__proto__'), fc.oneof(nastyValue, nastyString(80)), nastyString(80), (field, value, path) => {
        const p = only(() => validatePointer(mutate(pointerFor(model), [field], value))) as ReturnType<typeof validatePointer> | undefined;
        if (p) expect(resolveInside(dirOf(ENTRY), p.manifest, 'manifest').startsWith(dirOf(ENTRY))).toBe(true);
        for (const folder of [dirOf(ENTRY), 'models/shop/', '']) {
          const r = only(() => resolveInside(folder, path, 'f')) as string | undefined;
          if (r !== undefined) {
            expect(r.startsWith(folder)).toBe(true);
            expect(r.length).toBeGreaterThan(folder.length);
          }
        }
      }),
    ));

  it('random bytes or JSON as the entry file: the loader rejects with a documented error only', async () =>
    check(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 300 }), nastyValue.map((v) => new TextEncoder().encode(JSON.stringify(v) ?? ''))), async (bytes) => {
        const manifest = model.files.get('manifest.json')!;
        await loadVerifiedManifest(async (url) => (url === ENTRY ? bytes : manifest), ENTRY).then(
          () => {},
          (err: unknown) => {
            if (!documented(err)) throw err;
          },
        );
      }),
    ));

  it('random weight bytes of the right size decode or are refused as not finite', () =>
    check(
      fc.property(fc.uint8Array({ minLength: model.manifest.files['weights.bin']!.bytes, maxLength: model.manifest.files['weights.bin']!.bytes }), (bytes) => {
        const arrays = only(() => decodeWeightArrays({ manifest: model.manifest, files: new Map([['weights.bin', bytes]]) })) as Map<string, { values: ArrayLike<number> }> | undefined;
        if (arrays) for (const a of arrays.values()) for (let i = 0; i < a.values.length; i++) expect(Number.isFinite(a.values[i])).toBe(true);
      }),
    ));

  it('a catalog feed of any JSON: only CatalogError', () =>
    check(
      fc.property(fc.oneof(nastyValue, fc.record({ format: fc.constant('tacit-catalog'), schemaVersion: fc.oneof(fc.constant(1), nastyValue), items: fc.array(nastyValue, { maxLength: 5 }) })), (json) => {
        only(() => readCatalog(json));
        expectNoPollution();
      }),
    ));
});
