import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { encodeModel, pointerFor, WEIGHTS_FILE, MANIFEST_FILE, type EncodedModel } from '../../src/model/encode.js';
import { ManifestError, TENSORS } from '../../src/model/format.js';
import { loadVerifiedModel, IntegrityError, type VerifiedModel } from '../../src/model/load.js';
import { decodeModel } from '../../src/engine/tensors.js';
import { smallParts, rejectsWith, nodeSha256 } from './helpers.js';

const utf8 = new TextEncoder();
const BASE = 'models/demo';

let model: EncodedModel;
let version: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  model = await encodeModel(smallParts());
  version = model.manifest.modelVersion;
});

/** A published folder in memory: latest.json + <version>/{manifest.json, weights.bin}. */
function folder(m: EncodedModel = model): Map<string, Uint8Array> {
  const v = m.manifest.modelVersion;
  return new Map<string, Uint8Array>([
    [`${BASE}/latest.json`, utf8.encode(JSON.stringify(pointerFor(m)))],
    [`${BASE}/${v}/${MANIFEST_FILE}`, m.files.get(MANIFEST_FILE)!.slice()],
    [`${BASE}/${v}/${WEIGHTS_FILE}`, m.files.get(WEIGHTS_FILE)!.slice()],
  ]);
}

function reader(files: Map<string, Uint8Array>, log: string[] = []) {
  return async (path: string): Promise<Uint8Array> => {
    log.push(path);
    const b = files.get(path);
    if (!b) throw new Error(`404 ${path}`);
    return b.slice();
  };
}

describe('loadVerifiedModel', () => {
  it('loads through latest.json and reads exactly the three files', async () => {
    const log: string[] = [];
    const got = await loadVerifiedModel(reader(folder(), log), `${BASE}/latest.json`);
    expect(got.manifestPath).toBe(`${BASE}/${version}/manifest.json`);
    expect(got.manifest).toEqual(model.manifest);
    expect([...got.files.keys()]).toEqual([WEIGHTS_FILE]);
    expect(nodeSha256(got.files.get(WEIGHTS_FILE)!)).toBe(model.manifest.files[WEIGHTS_FILE]!.sha256);
    expect(log).toEqual([`${BASE}/latest.json`, `${BASE}/${version}/manifest.json`, `${BASE}/${version}/weights.bin`]);
  });

  it('loads a manifest given directly, resolving weights next to it', async () => {
    const log: string[] = [];
    const got = await loadVerifiedModel(reader(folder(), log), `${BASE}/${version}/manifest.json`);
    expect(got.manifestPath).toBe(`${BASE}/${version}/manifest.json`);
    expect(got.manifest).toEqual(model.manifest);
    expect(log).toEqual([`${BASE}/${version}/manifest.json`, `${BASE}/${version}/weights.bin`]);
  });

  it('resolves paths from an entry without a folder', async () => {
    const flat = new Map([...folder()].map(([k, v]) => [k.slice(BASE.length + 1), v]));
    const got = await loadVerifiedModel(reader(flat), 'latest.json');
    expect(got.manifestPath).toBe(`${version}/manifest.json`);
  });

  it('rejects a weights file with one byte changed, naming the file', async () => {
    const files = folder();
    const w = files.get(`${BASE}/${version}/weights.bin`)!;
    w[7] = w[7]! ^ 0x01;
    for (const entry of [`${BASE}/latest.json`, `${BASE}/${version}/manifest.json`]) {
      await rejectsWith(loadVerifiedModel(reader(files), entry), IntegrityError, `${BASE}/${version}/weights.bin`, model.manifest.files[WEIGHTS_FILE]!.sha256);
    }
  });

  it('rejects a truncated weights file, saying how many bytes it has and should have', async () => {
    const files = folder();
    const path = `${BASE}/${version}/weights.bin`;
    const full = files.get(path)!;
    files.set(path, full.slice(0, full.byteLength - 4));
    await rejectsWith(loadVerifiedModel(reader(files), `${BASE}/latest.json`), IntegrityError, path, /bytes/, String(full.byteLength), String(full.byteLength - 4));
    // a longer file (same prefix) is refused too
    const longer = new Uint8Array(full.byteLength + 1);
    longer.set(full);
    files.set(path, longer);
    await rejectsWith(loadVerifiedModel(reader(files), `${BASE}/latest.json`), IntegrityError, /bytes/);
  });

  it('rejects a manifest that does not match the pointer hash, even when it is a valid manifest', async () => {
    const files = folder();
    const path = `${BASE}/${version}/manifest.json`;
    const tampered = { ...model.manifest, popular: [...model.manifest.popular].reverse() };
    files.set(path, utf8.encode(JSON.stringify(tampered)));
    const log: string[] = [];
    await rejectsWith(loadVerifiedModel(reader(files, log), `${BASE}/latest.json`), IntegrityError, path, model.manifestSha256);
    expect(log).not.toContain(`${BASE}/${version}/weights.bin`); // nothing more is read
  });

  it('catches swapped weights plus a rewritten manifest hash through the pointer', async () => {
    // An attacker who swaps weights.bin and rewrites the manifest's hash is caught by the pointer's manifest hash.
    const files = folder();
    const wPath = `${BASE}/${version}/weights.bin`;
    const w = files.get(wPath)!;
    w[0] = w[0]! ^ 0xff;
    const m = JSON.parse(JSON.stringify(model.manifest));
    m.files[WEIGHTS_FILE].sha256 = nodeSha256(w);
    files.set(`${BASE}/${version}/manifest.json`, utf8.encode(JSON.stringify(m)));
    await rejectsWith(loadVerifiedModel(reader(files), `${BASE}/latest.json`), IntegrityError, 'manifest.json');
  });

  it('reports unparseable JSON and invalid pointers as ManifestError', async () => {
    const files = folder();
    files.set(`${BASE}/latest.json`, utf8.encode('{"format": "tacit-model", '));
    await rejectsWith(loadVerifiedModel(reader(files), `${BASE}/latest.json`), ManifestError, 'latest.json', /JSON/);
    files.set(`${BASE}/latest.json`, utf8.encode(JSON.stringify({ ...pointerFor(model), sha256: 'nope' })));
    await rejectsWith(loadVerifiedModel(reader(files), `${BASE}/latest.json`), ManifestError, '"sha256"');
  });

  it('propagates a read failure', async () => {
    const files = folder();
    files.delete(`${BASE}/${version}/weights.bin`);
    await rejectsWith(loadVerifiedModel(reader(files), `${BASE}/latest.json`), Error, '404', 'weights.bin');
  });
});

describe('decodeModel', () => {
  it('returns tensors with the manifest shapes and the encoded values; dispose frees them', async () => {
    const before = tf.memory().numTensors;
    const verified = await loadVerifiedModel(reader(folder()), `${BASE}/latest.json`);
    const parts = smallParts();
    const d = decodeModel(verified);
    const n = parts.items.length;
    expect(d.numItems).toBe(n);
    expect(d.encoder).toEqual(parts.encoder);
    expect(d.query.shape).toEqual([n, parts.dim]);
    expect(d.target.shape).toEqual([n, parts.dim]);
    expect(d.bias!.shape).toEqual([n]);
    expect(Array.from(await d.query.data())).toEqual(Array.from(parts.query));
    expect(Array.from(await d.target.data())).toEqual(Array.from(parts.target));
    expect(Array.from(await d.bias!.data())).toEqual(Array.from(parts.bias!));
    expect(Array.from(d.propensityWeights!)).toEqual(Array.from(parts.propensity!.weights));
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    d.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(d.query.isDisposed).toBe(true);
  });

  it('gives null bias and propensity weights when the model has neither', async () => {
    const bare = await encodeModel(smallParts({ bias: undefined, propensity: undefined }));
    const before = tf.memory().numTensors;
    const d = decodeModel(await loadVerifiedModel(reader(folder(bare)), `${BASE}/latest.json`));
    expect(d.bias).toBeNull();
    expect(d.propensityWeights).toBeNull();
    expect(tf.memory().numTensors).toBe(before + 2);
    d.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('decodes a uint8 model within its quantization error', async () => {
    const parts = smallParts({ quantization: 'uint8' });
    const m = await encodeModel(parts);
    const d = decodeModel(await loadVerifiedModel(reader(folder(m)), `${BASE}/latest.json`));
    const q = await d.query.data();
    const lo = Math.min(...parts.query);
    const hi = Math.max(...parts.query);
    for (let i = 0; i < q.length; i++) expect(Math.abs(q[i]! - parts.query[i]!)).toBeLessThanOrEqual((hi - lo) / 255 / 2 + 1e-6);
    d.dispose();
  });

  it('refuses weights bytes that do not fit the declared tensors, and leaks nothing', () => {
    const before = tf.memory().numTensors;
    const w = model.files.get(WEIGHTS_FILE)!;
    const verified: VerifiedModel = { manifest: model.manifest, manifestPath: 'manifest.json', files: new Map([[WEIGHTS_FILE, w.slice(0, w.byteLength - 8)]]) };
    let err: unknown;
    try {
      decodeModel(verified);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ManifestError);
    expect((err as Error).message).toMatch(/bytes/);
    expect((err as Error).message).toContain(String(w.byteLength));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names the tensors as the format does', () => {
    const d = decodeModel({ manifest: model.manifest, manifestPath: 'manifest.json', files: new Map([[WEIGHTS_FILE, model.files.get(WEIGHTS_FILE)!]]) });
    // the query tensor is items/query, not items/target: compare with the parts
    const names = model.manifest.weightsManifest[0]!.weights.map((w) => w.name);
    expect(names).toEqual([TENSORS.query, TENSORS.target, TENSORS.bias, TENSORS.propensityWeights]);
    expect(Array.from(d.target.dataSync())).toEqual(Array.from(smallParts().target));
    d.dispose();
  });
});
