/**
 * Importing a TensorFlow.js-converter export into a Tacit model folder. The fixture is written here in the
 * converter's layout (model.json with `weightsManifest`, tensors running across shard files): a Keras-style
 * embedding table with a padding row 0, a second (target) table stored float16, a uint8-quantized bias, a GRU
 * kernel and a string table that must be skipped by their byte length, in shards of uneven sizes whose last
 * is larger than the first (the tfjs-core 4.22 pitfall, TFJS-FACTS.md).
 */
import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { importConverterExport } from '../../src/trainer/import-converter.js';
import { readItemIds } from '../../src/trainer/item-ids.js';
import { readModelFolder } from '../../src/trainer/folder.js';
import { decodeModel } from '../../src/engine/tensors.js';
import { InputError } from '../../src/trainer/errors.js';
import { toFloat16Bits } from '../../src/model/encode.js';
import { rng, randomFloats, rejectsWith, fromFloat16Bits, nodeSha256 } from './helpers.js';

const N = 40; // items
const D = 6; // dims
let dir: string;
const items = Array.from({ length: N }, (_, i) => `sku-${1000 + i}`);
const r = rng(11);
const query = randomFloats(r, (N + 1) * D); // row 0: padding
const target = randomFloats(r, (N + 1) * D);
const bias = randomFloats(r, N + 1, -1, 1);
const gru = randomFloats(r, D * 3 * D);

function f32(values: Float32Array): Uint8Array {
  return new Uint8Array(values.slice().buffer);
}
function f16(values: Float32Array): Uint8Array {
  return new Uint8Array(Uint16Array.from(values, (v) => toFloat16Bits(v)).buffer);
}
function u8(values: Float32Array): { bytes: Uint8Array; scale: number; min: number } {
  const min = Math.min(...values);
  const scale = (Math.max(...values) - min) / 255;
  return { bytes: Uint8Array.from(values, (v) => Math.round((v - min) / scale)), scale, min };
}
function strings(list: string[]): Uint8Array {
  const parts = list.map((s) => new TextEncoder().encode(s));
  const out = new Uint8Array(parts.reduce((a, p) => a + 4 + p.byteLength, 0));
  const view = new DataView(out.buffer);
  let o = 0;
  for (const p of parts) {
    view.setUint32(o, p.byteLength, true);
    out.set(p, o + 4);
    o += 4 + p.byteLength;
  }
  return out;
}
const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.byteLength, 0));
  let o = 0;
  for (const p of parts) (out.set(p, o), (o += p.byteLength));
  return out;
};

/** Writes the export; returns the path of model.json. Group 1 is split into shards of the given sizes. */
async function writeExport(at: string, cuts = [300, 500]): Promise<string> {
  const q8 = u8(bias);
  // group 1: vocab strings, embedding table, GRU kernel, bias (uint8)
  const g1 = concat([strings(['<pad>', ...items]), f32(query), f32(gru), q8.bytes]);
  const bounds = [0, ...cuts, g1.byteLength];
  const shards1 = bounds.slice(1).map((end, i) => g1.slice(bounds[i], end));
  // group 2: target table, float16, one shard
  const g2 = f16(target);
  const paths1 = shards1.map((_, i) => `group1-shard${i + 1}of${shards1.length}.bin`);
  for (const [i, s] of shards1.entries()) await writeFile(join(at, paths1[i]!), s);
  await writeFile(join(at, 'group2-shard1of1.bin'), g2);
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'keras v2.15.0',
    convertedBy: 'TensorFlow.js Converter v4.22.0',
    modelTopology: { class_name: 'Functional', config: { name: 'two_tower' } },
    weightsManifest: [
      {
        paths: paths1,
        weights: [
          { name: 'vocab/table', shape: [N + 1], dtype: 'string' },
          { name: 'item_embedding/embeddings', shape: [N + 1, D], dtype: 'float32' },
          { name: 'session_gru/kernel', shape: [D, 3 * D], dtype: 'float32' },
          { name: 'item_bias/embeddings', shape: [N + 1, 1], dtype: 'float32', quantization: { dtype: 'uint8', scale: q8.scale, min: q8.min, original_dtype: 'float32' } },
        ],
      },
      { paths: ['group2-shard1of1.bin'], weights: [{ name: 'target_embedding/embeddings', shape: [N + 1, D], dtype: 'float32', quantization: { dtype: 'float16', original_dtype: 'float32' } }] },
    ],
  };
  const file = join(at, 'model.json');
  await writeFile(file, JSON.stringify(modelJson));
  return file;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'tacit-import-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('importConverterExport', () => {
  it('wraps a sharded two-tower export into a verified Tacit folder with the exact values', async () => {
    const src = join(dir, 'export');
    await import('node:fs/promises').then((fs) => fs.mkdir(src));
    const modelJson = await writeExport(src, [300, 500]); // shards of 300, 200 and ~1,100 bytes: the last is the largest
    const sizes = await Promise.all([1, 2, 3].map(async (i) => (await readFile(join(src, `group1-shard${i}of3.bin`))).byteLength));
    expect(sizes[2]).toBeGreaterThan(sizes[0]!);
    const out = join(dir, 'out');
    const result = await importConverterExport({
      modelJson,
      items,
      out,
      queryTensor: 'item_embedding/embeddings',
      targetTensor: 'target_embedding/embeddings',
      biasTensor: 'item_bias/embeddings',
      rowOffset: 1,
      quantization: 'float32',
    });
    expect(result).toMatchObject({ items: N, dim: D, used: { query: 'item_embedding/embeddings', target: 'target_embedding/embeddings', bias: 'item_bias/embeddings' } });
    expect(result.ignored.sort()).toEqual(['session_gru/kernel', 'vocab/table']);
    expect(result.notes.some((n) => n.includes('highest bias'))).toBe(true);

    // Read back exactly as the browser does: pointer → manifest hash → weights hash → decode.
    const verified = await readModelFolder(out);
    expect(verified.manifest.modelVersion).toBe(result.modelVersion);
    expect(verified.manifest.items).toEqual(items);
    expect(nodeSha256(await readFile(join(out, result.modelVersion, 'manifest.json')))).toBe(result.manifestSha256);
    const model = decodeModel(verified);
    // Query: float32 in, float32 out — exact, padding row dropped.
    expect(Array.from(await model.query.data())).toEqual(Array.from(query.slice(D)));
    // Target: the export's float16 values, exactly.
    const t = await model.target.data();
    for (let i = 0; i < N * D; i++) expect(t[i]).toBe(Math.fround(fromFloat16Bits(toFloat16Bits(target[D + i]!))));
    // Bias: uint8 affine in the export, within its quantization step.
    const b = await model.bias!.data();
    const step = (Math.max(...bias) - Math.min(...bias)) / 255;
    for (let i = 0; i < N; i++) expect(Math.abs(b[i]! - bias[i + 1]!)).toBeLessThanOrEqual(step / 2 + 1e-6);
    // Popularity: by bias, highest first.
    const top = verified.manifest.popular[0]!;
    expect(bias[items.indexOf(top) + 1]).toBe(Math.max(...bias.slice(1)));
    model.dispose();
  });

  it('finds the embedding on its own when exactly one float32 table has a row per item', async () => {
    const src = join(dir, 'single');
    await import('node:fs/promises').then((fs) => fs.mkdir(src));
    const table = query.slice(D); // [N, D], no padding row
    await writeFile(join(src, 'group1-shard1of1.bin'), concat([f32(gru), f32(table)]));
    const weightsManifest = [{ paths: ['group1-shard1of1.bin'], weights: [{ name: 'gru/kernel', shape: [D, 3 * D], dtype: 'float32' }, { name: 'emb', shape: [N, D], dtype: 'float32' }] }];
    await writeFile(join(src, 'weights_manifest.json'), JSON.stringify(weightsManifest)); // a bare weights manifest
    const result = await importConverterExport({ modelJson: join(src, 'weights_manifest.json'), items, out: join(dir, 'single-out'), quantization: 'float32' });
    expect(result.used).toEqual({ query: 'emb', target: 'emb', bias: null });
    expect(result.notes[0]).toContain('the only one with a row per item');
    const model = decodeModel(await readModelFolder(join(dir, 'single-out')));
    expect(Array.from(await model.target.data())).toEqual(Array.from(table));
    model.dispose();
  });

  it('asks for the tensor name when several tables qualify, listing them', async () => {
    const src = join(dir, 'ambiguous');
    await import('node:fs/promises').then((fs) => fs.mkdir(src));
    const modelJson = await writeExport(src);
    await rejectsWith(importConverterExport({ modelJson, items, out: join(dir, 'x'), rowOffset: 1 }), InputError, 'several tensors', 'item_embedding/embeddings', 'target_embedding/embeddings', '--query-tensor');
  });

  it('ties target to query and notes its defaults when only the query is named', async () => {
    const src = join(dir, 'tied');
    await import('node:fs/promises').then((fs) => fs.mkdir(src));
    const modelJson = await writeExport(src);
    const result = await importConverterExport({ modelJson, items, out: join(dir, 'tied-out'), queryTensor: 'item_embedding/embeddings', rowOffset: 1 });
    expect(result.used).toEqual({ query: 'item_embedding/embeddings', target: 'item_embedding/embeddings', bias: null });
    expect(result.notes.join('\n')).toMatch(/tied embeddings[\s\S]*first 100 items/);
    const verified = await readModelFolder(join(dir, 'tied-out'));
    expect(verified.manifest.weightsManifest[0]!.weights[0]!.quantization).toEqual({ dtype: 'float16' }); // the default
  });

  it('refuses a missing or truncated shard, an item list of the wrong length, and names what is wrong', async () => {
    const src = join(dir, 'broken');
    await import('node:fs/promises').then((fs) => fs.mkdir(src));
    const modelJson = await writeExport(src);
    const opts = { modelJson, items, out: join(dir, 'broken-out'), queryTensor: 'item_embedding/embeddings', rowOffset: 1 };
    await rejectsWith(importConverterExport({ ...opts, items: items.slice(1) }), InputError, 'shape [41, 6]', 'expected [40, dim]');
    const shard = join(src, 'group1-shard3of3.bin');
    const bytes = await readFile(shard);
    await writeFile(shard, bytes.subarray(0, bytes.byteLength - 10));
    await rejectsWith(importConverterExport(opts), InputError, 'a shard is missing or truncated');
    await rm(shard);
    await rejectsWith(importConverterExport(opts), InputError, 'group1-shard3of3.bin', 'shard 3 of 3', 'cannot be read');
    await writeFile(join(src, 'model.json'), '{"weightsManifest": ');
    await rejectsWith(importConverterExport(opts), InputError, 'model.json', 'not valid JSON');
  });
});

describe('readItemIds', () => {
  it('reads one id per line or a JSON array', async () => {
    await writeFile(join(dir, 'ids.txt'), 'a\nb\r\n\nc\n');
    expect(await readItemIds(join(dir, 'ids.txt'))).toEqual(['a', 'b', 'c']);
    await writeFile(join(dir, 'ids.json'), '["a", 2, "c"]');
    expect(await readItemIds(join(dir, 'ids.json'))).toEqual(['a', '2', 'c']);
    await rejectsWith(readItemIds(join(dir, 'nope.txt')), InputError, 'nope.txt');
  });
  it('reads the catalog forms of tacit train --catalog too: products with an "id", and a CSV id column', async () => {
    await writeFile(join(dir, 'products.json'), '{"products": [{"id": 7, "title": "x"}, {"id": "b"}]}');
    expect(await readItemIds(join(dir, 'products.json'))).toEqual(['7', 'b']);
    await writeFile(join(dir, 'items.csv'), 'name,id\nshirt,s1\nhat,h2\n');
    expect(await readItemIds(join(dir, 'items.csv'))).toEqual(['s1', 'h2']);
    await writeFile(join(dir, 'bad.json'), '[{"title": "no id"}]');
    await rejectsWith(readItemIds(join(dir, 'bad.json')), InputError, 'product #0');
  });
});

describe('tacit import (the command line)', () => {
  it('writes a verified folder from an export and an id file, and prints what it used', async () => {
    const { main } = await import('../../src/trainer/cli.js');
    const src = join(dir, 'cli-export');
    await import('node:fs/promises').then((fs) => fs.mkdir(src));
    const modelJson = await writeExport(src);
    const ids = join(dir, 'cli-items.txt');
    await writeFile(ids, items.join('\n') + '\n');
    const out = join(dir, 'cli-out');
    const printed: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (printed.push(String(chunk)), true));
    let code: number;
    try {
      code = await main(['import', modelJson, '--items', ids, '--out', out, '--query-tensor', 'item_embedding/embeddings', '--row-offset', '1', '--decay', '0.5']);
    } finally {
      spy.mockRestore();
    }
    expect(code).toBe(0);
    const verified = await readModelFolder(out);
    expect(verified.manifest.items).toEqual(items);
    expect(verified.manifest.encoder).toMatchObject({ type: 'decay-pool', decay: 0.5 });
    expect(printed.join('')).toContain(`→ ${verified.manifest.modelVersion}: ${N} items × ${D}`);
  });

  it('a user mistake is one line naming what to change, exit code 2', async () => {
    const { main } = await import('../../src/trainer/cli.js');
    const errors: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (errors.push(String(chunk)), true));
    let codes: number[];
    try {
      codes = [
        await main(['import', join(dir, 'nowhere', 'model.json'), '--items', join(dir, 'cli-items.txt'), '--out', join(dir, 'x')]),
        await main(['import', join(dir, 'cli-export', 'model.json'), '--out', join(dir, 'x')]),
        await main(['import', join(dir, 'cli-export', 'model.json'), '--items', join(dir, 'cli-items.txt'), '--out', join(dir, 'x'), '--decay', '2']),
      ];
    } finally {
      spy.mockRestore();
    }
    expect(codes).toEqual([2, 2, 2]);
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/^tacit: .*model\.json: cannot be read\n$/);
    expect(errors[1]).toBe('tacit: missing --items <file> (the item ids, in the order of the embedding rows)\n');
    expect(errors[2]).toBe('tacit: --decay must be a number in (0, 1], got "2"\n');
  });
});
