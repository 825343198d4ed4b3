/**
 * Issue 12, defect 5: a self-consistent manifest could declare tensors of any size and any name, which a
 * browser would download, hash and decode. Now only the format's tensors are accepted, once each, with
 * the shapes the item count and dimension give, and items × dim is bounded (MAX_TABLE_VALUES), which
 * bounds the weight bytes. Each case below was accepted before the fix.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeModel } from '../../src/model/encode.js';
import { MAX_DIM, MAX_TABLE_VALUES, ManifestError, checkWeightBytes, modelSizeProblem, validateManifest, type TacitManifest } from '../../src/model/format.js';
import { fetchBytes } from '../../src/model/fetch.js';
import { smallParts, throwsWith, rejectsWith } from './helpers.js';

const clone = (m: TacitManifest) => JSON.parse(JSON.stringify(m)) as TacitManifest;

describe('the manifest bounds the weights', () => {
  it('refuses a tensor the format does not define, even when its file holds its bytes', async () => {
    const { manifest } = await encodeModel(smallParts());
    const m = clone(manifest);
    m.weightsManifest[0]!.weights.push({ name: 'extra/payload', shape: [1_000_000], dtype: 'float32' });
    m.files['weights.bin']!.bytes += 4_000_000;
    expect(() => checkWeightBytes(m)).not.toThrow(); // self-consistent
    throwsWith(() => validateManifest(m), ManifestError, 'weightsManifest[0].weights[4].name', 'one of "items/query"');
  });

  it('refuses a tensor named twice, and propensity weights without a propensity model', async () => {
    const { manifest } = await encodeModel(smallParts());
    const m = clone(manifest);
    m.weightsManifest.push({ paths: ['more.bin'], weights: [m.weightsManifest[0]!.weights[0]!] });
    m.files['more.bin'] = { sha256: 'a'.repeat(64), bytes: 60 };
    throwsWith(() => validateManifest(m), ManifestError, 'weightsManifest[1].weights[0].name', 'named once');
    const n = clone(manifest);
    delete n.propensity;
    throwsWith(() => validateManifest(n), ManifestError, 'propensity/weights', 'absent when the manifest has no propensity model');
  });

  it('refuses items × dim over MAX_TABLE_VALUES (2^25), and a dim over MAX_DIM', async () => {
    const { manifest } = await encodeModel(smallParts());
    const items = Array.from({ length: MAX_TABLE_VALUES / MAX_DIM + 1 }, (_, i) => `i${i}`);
    const m = { ...clone(manifest), items, dim: MAX_DIM };
    throwsWith(() => validateManifest(m), ManifestError, 'field "items"', `${items.length} items × dimension ${MAX_DIM}`);
    expect(modelSizeProblem(MAX_TABLE_VALUES / MAX_DIM, MAX_DIM)).toBeNull();
    expect(modelSizeProblem(10, MAX_DIM + 1)).toMatch(/between 1 and 4096/);
    expect(modelSizeProblem(10, 0)).toMatch(/between 1 and 4096/);
    throwsWith(() => validateManifest({ ...clone(manifest), dim: MAX_DIM + 1 }), ManifestError, 'field "dim"');
  });
});

describe('fetchBytes holds a file of known size once', () => {
  let server: Server;
  let base = '';
  const body = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7) % 256);
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      // Several chunks, and for /long, more bytes than the manifest says.
      const data = req.url === '/long' ? new Uint8Array([...body, 1, 2, 3]) : body;
      for (let o = 0; o < data.length; o += 65_536) res.write(data.subarray(o, o + 65_536));
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  const opts = { timeoutMs: 10_000, retries: 0 };

  it('reads the chunks into one buffer of the declared size', async () => {
    const got = await fetchBytes(`${base}/exact`, { bytes: body.byteLength, maxBytes: body.byteLength }, opts);
    expect(got).toEqual(body);
    expect(got.buffer.byteLength).toBe(body.byteLength); // the one buffer, not a larger one sliced
  });

  it('refuses more bytes than declared, and returns fewer for the caller to report', async () => {
    await rejectsWith(fetchBytes(`${base}/long`, { bytes: body.byteLength, maxBytes: body.byteLength }, opts), ManifestError, `the ${body.byteLength}-byte limit`);
    const short = await fetchBytes(`${base}/short`, { bytes: body.byteLength + 10 }, opts);
    expect(short).toEqual(body);
  });
});
