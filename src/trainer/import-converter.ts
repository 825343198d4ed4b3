/**
 * Wraps a TensorFlow.js-converter export (a team that trains in Python: `tensorflowjs_converter`, or
 * `tfjs.converters.save_keras_model`) and an item-id list into a Tacit model folder, with hashes.
 *
 * Input: a `model.json` (layers or graph model) — or a bare weights manifest (the JSON array of
 * `{ paths, weights }` groups) — next to its shard files, holding an item embedding matrix [items(+offset),
 * dim], optionally a second one for the target side (two-tower models) and an item bias vector. Other
 * tensors (a Keras session encoder's kernels, for instance) are listed and ignored: schema 1 encodes the
 * session with the decay-pool encoder over the query embeddings (docs/model-format.md).
 *
 * Shards are read and concatenated here, never through `tf.io.loadWeights`: tfjs-core 4.22 decodes a last
 * shard larger than the first as zeros, silently (TFJS-FACTS.md), and does not check that a shard arrived.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { InputError } from './errors.js';
import { writeModelFolder } from './folder.js';
import type { Quantization } from '../model/encode.js';
import type { SessionEncoderSpec } from '../model/format.js';
import { integrityOf } from '../model/integrity.js';
import { DEFAULT_ENCODER } from './session-model.js';
import { concatBytes, float16Table } from '../lib/bytes.js';

/** One tensor entry as the converter writes it (a superset of Tacit's `WeightEntry`). */
interface ConverterWeight {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; scale?: number; min?: number; original_dtype?: string };
}
interface ConverterGroup {
  paths: string[];
  weights: ConverterWeight[];
}

export interface ImportConverterOptions {
  /** Path of `model.json` (or of a bare weights-manifest JSON file); shard paths are relative to its folder. */
  modelJson: string;
  /** Item ids in the order of the embedding rows (after `rowOffset`). */
  items: string[];
  /** Output model folder (`<out>/<version>/…` and `<out>/latest.json`). */
  out: string;
  /** Name of the query-side embedding tensor. Default: the only 2-D float tensor with a row per item. */
  queryTensor?: string;
  /** Name of the target-side embedding tensor (two-tower). Default: the query tensor (tied embeddings). */
  targetTensor?: string;
  /** Name of an item bias tensor ([items] or [items, 1]). Default: none. */
  biasTensor?: string;
  /** Leading rows to skip (Keras `Embedding` tables often reserve row 0 for padding). Default 0. */
  rowOffset?: number;
  /** Item ids, most popular first (the browser's fallback list). Default: by bias, else the first 100 items. */
  popular?: string[];
  /** Storage of the embeddings in the Tacit folder. Default `float16`. */
  quantization?: Quantization;
  /** Session encoder. Default: `DEFAULT_ENCODER` (trainer/session-model.ts), the one `tacit train` uses. */
  encoder?: SessionEncoderSpec;
  /** Older version folders to keep in `out`. Default 3. */
  keep?: number;
}

export interface ImportConverterResult {
  modelVersion: string;
  items: number;
  dim: number;
  /** The tensors used, by role. */
  used: { query: string; target: string; bias: string | null };
  /** Tensors of the export that were not used. */
  ignored: string[];
  /** Bytes of the written weights file. */
  weightsBytes: number;
  /** SHA-256 of the written manifest (also in `latest.json`). */
  manifestSha256: string;
  /** SRI value of the written manifest, for `data-model-integrity` when the page points at the manifest. */
  manifestIntegrity: string;
  /** Things the caller should tell the user (defaults taken, tensors ignored). */
  notes: string[];
}

/** Bytes per element of a converter dtype, before quantization; null for variable-length strings. */
function elementBytes(w: ConverterWeight, file: string): number | null {
  const q = w.quantization?.dtype;
  if (q === 'uint8' || q === 'int8') return 1;
  if (q === 'uint16' || q === 'float16' || q === 'int16') return 2;
  if (q !== undefined) throw new InputError(`${file}: tensor "${w.name}" has quantization "${q}", which this importer does not read (uint8, uint16, float16)`);
  switch (w.dtype) {
    case 'float32':
    case 'int32':
      return 4;
    case 'bool':
      return 1;
    case 'complex64':
      return 8;
    case 'string':
      return null;
    default:
      throw new InputError(`${file}: tensor "${w.name}" has dtype "${w.dtype}", which this importer does not read`);
  }
}

/** Byte length of one tensor at `offset` of its group's buffer (strings: a uint32 length before each value). */
function tensorLength(w: ConverterWeight, buf: Uint8Array, offset: number, file: string): number {
  const n = w.shape.reduce((a, b) => a * b, 1);
  const per = elementBytes(w, file);
  if (per !== null) return n * per;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let o = offset;
  for (let i = 0; i < n; i++) {
    if (o + 4 > buf.byteLength) break;
    o += 4 + view.getUint32(o, true);
  }
  return o - offset;
}

/** Decodes a float tensor's bytes (float32, or float16 / uint8 / uint16 affine quantized) to float32. */
function toFloat32(w: ConverterWeight, bytes: Uint8Array, file: string): Float32Array {
  const n = w.shape.reduce((a, b) => a * b, 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(n);
  const q = w.quantization;
  if (!q) {
    if (w.dtype !== 'float32' && w.dtype !== 'int32') throw new InputError(`${file}: tensor "${w.name}" is ${w.dtype}; embeddings must be float32`);
    for (let i = 0; i < n; i++) out[i] = w.dtype === 'int32' ? view.getInt32(i * 4, true) : view.getFloat32(i * 4, true);
  } else if (q.dtype === 'float16') {
    const table = float16Table();
    for (let i = 0; i < n; i++) out[i] = table[view.getUint16(i * 2, true)]!;
  } else {
    const scale = q.scale ?? NaN;
    const min = q.min ?? NaN;
    if (!Number.isFinite(scale) || !Number.isFinite(min)) throw new InputError(`${file}: tensor "${w.name}" is ${q.dtype}-quantized without a finite scale and min`);
    for (let i = 0; i < n; i++) {
      const v = q.dtype === 'uint8' ? view.getUint8(i) : q.dtype === 'int8' ? view.getInt8(i) : q.dtype === 'int16' ? view.getInt16(i * 2, true) : view.getUint16(i * 2, true);
      out[i] = v * scale + min;
    }
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(out[i]!)) throw new InputError(`${file}: tensor "${w.name}" holds ${String(out[i])} at index ${i}`);
  }
  return out;
}

/** Reads the export: every tensor of every group, as raw bytes, with its entry. */
async function readExport(modelJson: string): Promise<Map<string, { entry: ConverterWeight; bytes: Uint8Array }>> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(modelJson, 'utf8'));
  } catch (err) {
    throw new InputError(`${modelJson}: ${err instanceof SyntaxError ? `not valid JSON (${err.message})` : 'cannot be read'}`);
  }
  const groups = (Array.isArray(json) ? json : (json as { weightsManifest?: unknown } | null)?.weightsManifest) as ConverterGroup[] | undefined;
  if (!Array.isArray(groups) || groups.length === 0) {
    throw new InputError(`${modelJson}: expected a model.json with "weightsManifest" (or a weights-manifest array) from the TensorFlow.js converter`);
  }
  const dir = dirname(modelJson);
  const tensors = new Map<string, { entry: ConverterWeight; bytes: Uint8Array }>();
  for (const [gi, g] of groups.entries()) {
    if (!Array.isArray(g?.paths) || !Array.isArray(g.weights)) throw new InputError(`${modelJson}: weightsManifest[${gi}] needs "paths" and "weights" arrays`);
    // Shards in manifest order, concatenated: the group's tensors run across shard boundaries.
    const shards: Uint8Array[] = [];
    for (const p of g.paths) {
      if (typeof p !== 'string' || p.includes('..')) throw new InputError(`${modelJson}: weightsManifest[${gi}].paths holds "${String(p)}", not a file next to it`);
      try {
        shards.push(new Uint8Array(await readFile(join(dir, p))));
      } catch {
        throw new InputError(`${join(dir, p)}: shard ${shards.length + 1} of ${g.paths.length} of weightsManifest[${gi}] cannot be read`);
      }
    }
    const buf = concatBytes(shards);
    let offset = 0;
    for (const w of g.weights) {
      if (typeof w?.name !== 'string' || !Array.isArray(w.shape)) throw new InputError(`${modelJson}: weightsManifest[${gi}] has an entry without "name" and "shape"`);
      const len = tensorLength(w, buf, offset, modelJson);
      if (offset + len > buf.byteLength) {
        throw new InputError(`${modelJson}: the shards of weightsManifest[${gi}] (${g.paths.join(', ')}) hold ${buf.byteLength} bytes, but its tensors need more (tensor "${w.name}" ends at byte ${offset + len}); a shard is missing or truncated`);
      }
      tensors.set(w.name, { entry: w, bytes: buf.subarray(offset, offset + len) });
      offset += len;
    }
    if (offset !== buf.byteLength) {
      throw new InputError(`${modelJson}: the shards of weightsManifest[${gi}] hold ${buf.byteLength} bytes, its tensors ${offset}; the manifest and the shards do not belong together`);
    }
  }
  return tensors;
}

/**
 * Builds a Tacit model folder from a converter export and an item-id list; see the module comment.
 * Throws `InputError` (which names the file and what was expected) for anything wrong with the input.
 */
export async function importConverterExport(opts: ImportConverterOptions): Promise<ImportConverterResult> {
  const file = opts.modelJson;
  const n = opts.items.length;
  if (n === 0) throw new InputError('the item-id list is empty');
  if (new Set(opts.items).size !== n) throw new InputError('the item-id list has duplicate ids');
  const offset = opts.rowOffset ?? 0;
  if (!Number.isInteger(offset) || offset < 0) throw new InputError(`rowOffset must be a non-negative integer, got ${String(opts.rowOffset)}`);
  const tensors = await readExport(file);
  const notes: string[] = [];

  const isFloat = (w: ConverterWeight) => w.dtype === 'float32';
  let queryName = opts.queryTensor;
  if (!queryName) {
    const candidates = [...tensors.values()].filter(({ entry: w }) => isFloat(w) && w.shape.length === 2 && w.shape[0] === n + offset).map(({ entry }) => entry.name);
    if (candidates.length !== 1) {
      const all = [...tensors.values()].map(({ entry: w }) => `${w.name} [${w.shape.join(', ')}] ${w.dtype}`).join('; ');
      throw new InputError(
        `${file}: ${candidates.length ? `several tensors (${candidates.join(', ')})` : 'no 2-D float32 tensor'} with ${n + offset} rows (${n} items${offset ? ` + ${offset} offset rows` : ''}); name the embedding with queryTensor (--query-tensor). Tensors: ${all}`,
      );
    }
    queryName = candidates[0]!;
    notes.push(`query embeddings: tensor "${queryName}" (the only one with a row per item)`);
  }
  const targetName = opts.targetTensor ?? queryName;
  if (!opts.targetTensor) notes.push('no target tensor given: query and target share one table (tied embeddings, stored once)');

  const matrix = (name: string, role: string) => {
    const t = tensors.get(name);
    if (!t) throw new InputError(`${file}: no tensor named "${name}" (${role}); it has ${[...tensors.keys()].join(', ')}`);
    const [rows, dim] = t.entry.shape;
    if (t.entry.shape.length !== 2 || rows !== n + offset) {
      throw new InputError(`${file}: tensor "${name}" (${role}) has shape [${t.entry.shape.join(', ')}], expected [${n + offset}, dim] for ${n} items${offset ? ` after ${offset} offset rows` : ''}`);
    }
    const all = toFloat32(t.entry, t.bytes, file);
    return { dim: dim!, values: all.slice(offset * dim!) };
  };
  const query = matrix(queryName, 'query');
  const target = matrix(targetName, 'target');
  if (query.dim !== target.dim) throw new InputError(`${file}: query "${queryName}" has ${query.dim} columns and target "${targetName}" ${target.dim}; they must match`);

  let bias: Float32Array | undefined;
  if (opts.biasTensor) {
    const t = tensors.get(opts.biasTensor);
    if (!t) throw new InputError(`${file}: no tensor named "${opts.biasTensor}" (bias)`);
    const size = t.entry.shape.reduce((a, b) => a * b, 1);
    if (size !== n + offset || (t.entry.shape.length === 2 && t.entry.shape[1] !== 1) || t.entry.shape.length > 2) {
      throw new InputError(`${file}: tensor "${opts.biasTensor}" (bias) has shape [${t.entry.shape.join(', ')}], expected [${n + offset}] or [${n + offset}, 1]`);
    }
    bias = toFloat32(t.entry, t.bytes, file).slice(offset);
  }

  let popular = opts.popular;
  if (popular) {
    const known = new Set(opts.items);
    const unknown = popular.filter((id) => !known.has(id));
    if (unknown.length) throw new InputError(`the popularity list names ${unknown.length} id(s) not in the item list, e.g. "${unknown[0]}"`);
  } else if (bias) {
    popular = opts.items.map((id, i) => [id, bias![i]!] as const).sort((a, b) => b[1] - a[1]).slice(0, 100).map(([id]) => id);
    notes.push('popularity list: the 100 items with the highest bias');
  } else {
    popular = opts.items.slice(0, 100);
    notes.push('popularity list: the first 100 items of the item list (pass popular / --popular for a real one)');
  }

  const used = new Set([queryName, targetName, opts.biasTensor].filter((x): x is string => !!x));
  const ignored = [...tensors.keys()].filter((k) => !used.has(k));
  if (ignored.length) notes.push(`ignored ${ignored.length} tensor(s) of the export (a session encoder of its own cannot run in schema 1): ${ignored.slice(0, 5).join(', ')}${ignored.length > 5 ? ', …' : ''}`);

  const model = await writeModelFolder(
    opts.out,
    {
      items: opts.items,
      popular,
      dim: query.dim,
      // The same tensor on both sides: stored once (encoder.tied), half the bytes.
      encoder: { ...(opts.encoder ?? DEFAULT_ENCODER), ...(targetName === queryName ? { tied: true } : {}) },
      query: query.values,
      target: target.values,
      ...(bias ? { bias } : {}),
      quantization: opts.quantization ?? 'float16',
      training: { importedFrom: basename(file), tensors: { query: queryName, target: targetName, bias: opts.biasTensor ?? null }, rowOffset: offset },
    },
    opts.keep ?? 3,
  );
  return {
    modelVersion: model.manifest.modelVersion,
    items: n,
    dim: query.dim,
    used: { query: queryName, target: targetName, bias: opts.biasTensor ?? null },
    ignored,
    weightsBytes: model.files.get('weights.bin')!.byteLength,
    manifestSha256: model.manifestSha256,
    manifestIntegrity: await integrityOf(model.files.get('manifest.json')!),
    notes,
  };
}
