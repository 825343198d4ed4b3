/**
 * Test helper (Node side, imported by test/e2e/delivery*.spec.ts; not a page): builds model folders in
 * memory with the SDK's own writer, breaks them on purpose, and serves them as the CDN would through
 * `page.route`, logging every request and letting a test inject a fault per file.
 *
 * Only the CDN's model files are routed. The pages themselves come from the real test server
 * (/fixtures/delivery/…): a document fulfilled by `page.route` counts as "public" to Chromium's Local
 * Network Access and could not load the SDK from the loopback CDN.
 */
import { createHash } from 'node:crypto';
import type { BrowserContext, Page, Route } from '@playwright/test';
import { encodeModel, pointerFor, type ModelParts } from '../../../../src/model/encode.js';
import type { TacitManifest } from '../../../../src/model/format.js';
import { CDN } from '../../browser.js';

const utf8 = new TextEncoder();
export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
export const sri384 = (b: Uint8Array): string => `sha384-${createHash('sha384').update(b).digest('base64')}`;

/** A small deterministic model: `n` items `p0…p{n-1}`, popularity list in reverse id order. */
export function testParts(n = 60, dim = 8, seed = 1, overrides: Partial<ModelParts> = {}): ModelParts {
  let s = seed >>> 0;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  const items = Array.from({ length: n }, (_, i) => `p${i}`);
  return {
    items,
    popular: [...items].reverse(),
    dim,
    encoder: { type: 'decay-pool', decay: 0.7, maxLength: 10 },
    query: Float32Array.from({ length: n * dim }, rand),
    target: Float32Array.from({ length: n * dim }, rand),
    bias: Float32Array.from({ length: n }, () => rand() * 0.5),
    quantization: 'float16',
    createdAt: '2026-11-28T00:00:00.000Z',
    ...overrides,
  };
}

/** A published model: every file of `models/<name>/` by path under it, e.g. `latest.json`, `<version>/weights.bin`. */
export interface Folder {
  name: string;
  version: string;
  manifest: TacitManifest;
  files: Map<string, Uint8Array>;
  /** Absolute URLs, as the browser will request them. */
  pointerUrl: string;
  manifestUrl: string;
  weightsUrl: string;
}

/**
 * Writes a folder from `parts`. `edit` may change the manifest object and the weights bytes before the
 * hashes are computed: the result is a *consistently* broken publish (every hash matches), as a buggy
 * trainer would produce, so that the fault reaches the check the test is about. `rawManifest` replaces the
 * manifest's bytes outright (malformed or oversized manifests), again with a matching pointer hash.
 */
export async function publish(
  name: string,
  parts: ModelParts = testParts(),
  edit?: (m: TacitManifest & Record<string, unknown>, weights: Uint8Array) => Uint8Array | void,
  rawManifest?: Uint8Array,
): Promise<Folder> {
  const model = await encodeModel(parts);
  const manifest = JSON.parse(JSON.stringify(model.manifest)) as TacitManifest & Record<string, unknown>;
  let weights: Uint8Array = model.files.get('weights.bin')!.slice();
  weights = edit?.(manifest, weights) ?? weights;
  manifest.files = { 'weights.bin': { sha256: sha256(weights), bytes: weights.byteLength } };
  const manifestBytes = rawManifest ?? utf8.encode(JSON.stringify(manifest));
  const version = manifest.modelVersion;
  const pointer = { ...pointerFor(model), modelVersion: version, manifest: `${version}/manifest.json`, sha256: sha256(manifestBytes) };
  const files = new Map<string, Uint8Array>([
    ['latest.json', utf8.encode(JSON.stringify(pointer))],
    [`${version}/manifest.json`, manifestBytes],
    [`${version}/weights.bin`, weights],
  ]);
  const base = `${CDN}/models/${name}/`;
  return { name, version, manifest, files, pointerUrl: `${base}latest.json`, manifestUrl: `${base}${version}/manifest.json`, weightsUrl: `${base}${version}/weights.bin` };
}

/** What a fault hook returns for a request: let it through, answer with a status, never answer, or send other bytes. */
export type Fault = 'pass' | 'hang' | 'abort' | { status: number } | { body: Uint8Array; headers?: Record<string, string> } | { continueTo: string };

export interface ModelHost {
  /** Every model request, as "GET <path under models/<name>/>", in order. */
  requests: string[];
  /** Replaces the files served (a new publish under the same name). */
  serve(folder: Folder): void;
  /** Sets the fault hook; `path` is relative to `models/<name>/`. */
  fault(hook: (path: string, attempt: number) => Fault): void;
}

function cacheHeaders(path: string): Record<string, string> {
  return path.endsWith('latest.json') ? { 'cache-control': 'no-cache' } : { 'cache-control': 'public, max-age=31536000, immutable' };
}

/** Routes `models/<folder.name>/**` on the CDN (for a page or a whole context) to the folder's files. */
export async function hostModel(target: Page | BrowserContext, folder: Folder): Promise<ModelHost> {
  let current = folder;
  let hook: (path: string, attempt: number) => Fault = () => 'pass';
  const attempts = new Map<string, number>();
  const host: ModelHost = {
    requests: [],
    serve: (f) => void (current = f),
    fault: (h) => void (hook = h),
  };
  const prefix = `${CDN}/models/${folder.name}/`;
  await target.route(`${prefix}**`, async (route: Route) => {
    const req = route.request();
    const path = req.url().slice(prefix.length);
    host.requests.push(`${req.method()} ${path}`);
    const n = (attempts.get(path) ?? 0) + 1;
    attempts.set(path, n);
    const cors = { 'access-control-allow-origin': '*', 'cross-origin-resource-policy': 'cross-origin' };
    const f = hook(path, n);
    if (f === 'hang') return; // never answered: the SDK's stall timeout must fire
    if (f === 'abort') return route.abort('internetdisconnected');
    if (typeof f === 'object' && 'status' in f) return route.fulfill({ status: f.status, headers: cors, body: `error ${f.status}` });
    // The browser fetches this URL itself: large bodies then stream over HTTP instead of one CDP message.
    if (typeof f === 'object' && 'continueTo' in f) return route.continue({ url: f.continueTo });
    const body = typeof f === 'object' && 'body' in f ? f.body : current.files.get(path);
    if (!body) return route.fulfill({ status: 404, headers: cors, body: 'not found' });
    const headers = { ...cors, ...cacheHeaders(path), 'content-type': path.endsWith('.json') ? 'application/json' : 'application/octet-stream', ...(typeof f === 'object' && 'headers' in f ? f.headers : {}) };
    return route.fulfill({ status: 200, headers, body: Buffer.from(body.buffer, body.byteOffset, body.byteLength) });
  });
  return host;
}

/** The `[tacit]` lines among a test's console messages. */
export const tacitLines = (lines: string[]): string[] => lines.filter((l) => l.includes('[tacit]'));

/** URLs the page's Cache API holds for model files. */
export async function cachedUrls(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const cache = await caches.open('tacit-model-v1');
    return (await cache.keys()).map((r) => r.url).sort();
  });
}

/** A folder exactly as the SDK's writer seals it, every file kept (the catalog feed too), under `models/<name>/`. */
export async function publishSealed(name: string, parts: ModelParts): Promise<Folder> {
  const model = await encodeModel(parts);
  const version = model.manifest.modelVersion;
  const files = new Map<string, Uint8Array>([['latest.json', utf8.encode(JSON.stringify(pointerFor(model)))]]);
  for (const [path, bytes] of model.files) files.set(`${version}/${path}`, bytes);
  const base = `${CDN}/models/${name}/`;
  return { name, version, manifest: model.manifest, files, pointerUrl: `${base}latest.json`, manifestUrl: `${base}${version}/manifest.json`, weightsUrl: `${base}${version}/weights.bin` };
}
