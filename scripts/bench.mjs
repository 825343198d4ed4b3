#!/usr/bin/env node
/**
 * Benchmarks the BUILT SDK (dist/) in headless Chromium, as a storefront runs it: a page on the shop origin
 * imports `tacit.js` from the CDN origin, which lazily imports `tacit-engine.js` (TensorFlow.js).
 *
 * For each model (the demo model, and a synthetic 43,097 × 64 one written here with the project's own
 * writer) and each backend (webgl, cpu), in a fresh browser each time:
 *   first_ms        createTacit() → first recommend() result (engine chunk, model fetch + verify + decode,
 *                   backend set-up, shader compile, first query)
 *   warm_median_ms  median of the warm recommend({k:20}) calls after a few warm-ups, and warm_p95_ms
 * It checks which backend really ran (backend()), whether webgl and cpu return the same top 20 for the same
 * history, and the raw / gzip / brotli sizes of the built files. The last line of output is one JSON object.
 *
 * Usage: npm run bench     (builds first; or, with dist/ and trainer-dist/ built: node scripts/bench.mjs)
 * Environment: BENCH_RUNS (warm calls, default 30), BENCH_WARMUPS (default 5),
 *              BENCH_DEMO_MODEL (folder with latest.json, default demo/cdn/models/demo),
 *              CHROMIUM (default /usr/bin/chromium).
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync, brotliCompressSync, constants as zlibConstants } from 'node:zlib';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const at = (...p) => join(root, ...p);

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const WARMUPS = Number(process.env.BENCH_WARMUPS ?? 5);
const VIEWS = 10;
const K = 20;
const SYNTH = { items: 43_097, dim: 64, seed: 20261128, encoder: { type: 'decay-pool', decay: 0.7, maxLength: 20 } };
const SYNTH_NAME = `synthetic_${SYNTH.items}x${SYNTH.dim}`;
const MODELS_DIR = at('.bench', 'models');
const DEMO_DIR = resolve(root, process.env.BENCH_DEMO_MODEL ?? 'demo/cdn/models/demo');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const RUN_TIMEOUT_MS = 120_000;
const TOTAL_TIMEOUT_MS = 600_000;
/** After a page's first answer, time for background work (auto's measurement) before long tasks are summed. */
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 4000);

function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(1);
}

// A hung browser must not hang `npm run bench`.
const watchdog = setTimeout(() => fail(`did not finish within ${TOTAL_TIMEOUT_MS / 1000} s; giving up`), TOTAL_TIMEOUT_MS);
watchdog.unref();

// ---------------------------------------------------------------------------------------------- inputs
for (const f of ['tacit.js', 'tacit-engine.js']) {
  if (!existsSync(at('dist', f))) fail(`dist/${f} is missing: run \`npm run build\` first (or \`npm run bench\`, which builds)`);
}
const writerPath = at('trainer-dist', 'model', 'encode.js');
if (!existsSync(writerPath)) fail('trainer-dist/model/encode.js is missing: run `npm run build:trainer` first (or `npm run bench`)');
const { encodeModel, pointerFor } = await import(pathToFileURL(writerPath).href);
const { createRng } = await import(pathToFileURL(at('trainer-dist', 'trainer', 'rng.js')).href);

let chromium;
for (const name of ['playwright', '@playwright/test']) {
  try {
    ({ chromium } = await import(name));
    if (chromium) break;
  } catch {
    // try the next name
  }
}
if (!chromium) fail('cannot import chromium from "playwright" or "@playwright/test" (npm install)');
if (!existsSync(CHROMIUM)) fail(`no Chromium at ${CHROMIUM} (set CHROMIUM=/path/to/chromium)`);

// ------------------------------------------------------------------------------------ synthetic model
/** Standard normal samples (Box–Muller) times `scale`. */
function normals(rand, n, scale) {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = 1 - rand(); // (0, 1]
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u)) * scale;
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

async function writeSyntheticModel(dir) {
  const { items: n, dim: d, seed, encoder } = SYNTH;
  const rand = createRng(seed);
  const width = String(n - 1).length;
  const items = Array.from({ length: n }, (_, i) => `syn-${String(i).padStart(width, '0')}`);
  const scale = 1 / Math.sqrt(d);
  const query = normals(rand, n * d, scale);
  const target = normals(rand, n * d, scale);
  const bias = normals(rand, n, 0.1);
  const popular = Array.from({ length: n }, (_, i) => i)
    .sort((a, b) => bias[b] - bias[a] || a - b)
    .slice(0, 100)
    .map((i) => items[i]);
  const model = await encodeModel({
    modelVersion: `synthetic-${n}x${d}-s${seed}`,
    createdAt: '2026-01-01T00:00:00.000Z', // fixed, so the folder's bytes are the same on every run
    items,
    popular,
    dim: d,
    encoder,
    query,
    target,
    bias,
    quantization: 'float32',
    training: { synthetic: true, generator: 'scripts/bench.mjs', seed, distribution: `normal(0, 1/sqrt(${d}))` },
  });
  rmSync(dir, { recursive: true, force: true });
  const versionDir = join(dir, model.manifest.modelVersion);
  mkdirSync(versionDir, { recursive: true });
  for (const [name, bytes] of model.files) writeFileSync(join(versionDir, name), bytes);
  writeFileSync(join(dir, 'latest.json'), JSON.stringify(pointerFor(model), null, 2) + '\n');
  const weightBytes = model.files.get('weights.bin').byteLength;
  return { items, dim: d, weightBytes };
}

/** The manifest a latest.json points at, read from disk. */
function readModelFolder(dir) {
  const pointer = JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8'));
  const manifestPath = pointer.manifest ? join(dir, pointer.manifest) : join(dir, 'latest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const weightBytes = Object.values(manifest.files ?? {}).reduce((s, f) => s + (f.bytes ?? 0), 0);
  return { items: manifest.items, dim: manifest.dim, weightBytes };
}

/** A deterministic history of `count` distinct item ids. */
function pickViews(items, count, seed) {
  const rand = createRng(seed);
  const picked = new Set();
  while (picked.size < Math.min(count, items.length)) picked.add(items[Math.floor(rand() * items.length)]);
  return [...picked];
}

mkdirSync(MODELS_DIR, { recursive: true });
const models = [];
const skipped = {};

const demoLink = join(MODELS_DIR, 'demo');
try {
  lstatSync(demoLink);
  rmSync(demoLink, { recursive: true, force: true });
} catch {
  // nothing there
}
if (existsSync(join(DEMO_DIR, 'latest.json'))) {
  try {
    const info = readModelFolder(DEMO_DIR);
    symlinkSync(relative(MODELS_DIR, DEMO_DIR), demoLink, 'dir');
    models.push({ name: 'demo', url: 'demo/latest.json', ...info });
  } catch (err) {
    skipped.demo = `unreadable model at ${relative(root, DEMO_DIR)}: ${err.message}`;
  }
} else {
  skipped.demo = `no ${relative(root, join(DEMO_DIR, 'latest.json'))} (run \`npm run model:demo\`); skipped`;
}
if (skipped.demo) console.log(`bench: demo model skipped: ${skipped.demo}`);

{
  const t = performance.now();
  const info = await writeSyntheticModel(join(MODELS_DIR, 'synthetic'));
  models.push({ name: SYNTH_NAME, url: 'synthetic/latest.json', ...info });
  console.log(`bench: wrote synthetic model ${SYNTH.items} × ${SYNTH.dim} (${(info.weightBytes / 2 ** 20).toFixed(1)} MiB of weights) in ${Math.round(performance.now() - t)} ms`);
}

// --------------------------------------------------------------------------------------- bundle sizes
function bundleSizes() {
  const out = {};
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'types') walk(p);
      } else if (entry.name.endsWith('.js')) {
        const bytes = readFileSync(p);
        out[relative(at('dist'), p).split('\\').join('/')] = {
          bytes: bytes.length,
          gzip: gzipSync(bytes, { level: 9 }).length,
          brotli: brotliCompressSync(bytes, {
            params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
          }).length,
        };
      }
    }
  };
  walk(at('dist'));
  const order = ['tacit.js', 'tacit-engine.js', 'tacit.iife.js'];
  const rank = (name) => (order.includes(name) ? order.indexOf(name) : order.length);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b)));
}
const bundle = bundleSizes();

// ------------------------------------------------------------------------------------------- browser
const { startServers } = await import(pathToFileURL(at('scripts', 'serve.mjs')).href);
const servers = await startServers({ shopPort: 0, cdnPort: 0, shopRoot: 'bench', sdkRoot: 'dist', modelsRoot: '.bench/models' });
const pageUrl = `${servers.shopOrigin}/index.html`;

let openBrowser = null;
async function cleanup() {
  try {
    await openBrowser?.close();
  } catch {
    // already gone
  }
  await servers.close();
}
process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));

const withTimeout = (promise, ms, what) =>
  Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms).unref())]);

/** A fresh browser and page on the bench page; console lines are collected. */
async function openPage() {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  openBrowser = browser;
  const page = await browser.newPage();
  const consoleLines = [];
  page.on('console', (m) => {
    if (m.type() === 'warning' || m.type() === 'error') consoleLines.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) consoleLines.push(`http: ${r.status()} ${r.url()}`);
  });
  await page.goto(pageUrl);
  await page.waitForFunction(() => window.benchReady === true || typeof window.benchError === 'string', null, { timeout: 30_000 });
  const importError = await page.evaluate(() => window.benchError ?? null);
  if (importError) throw new Error(importError);
  return { browser, page, consoleLines };
}

async function closeBrowser(browser) {
  await browser.close();
  if (openBrowser === browser) openBrowser = null;
}

/** Collapses repeated console lines ("x12") and keeps the first few distinct ones. */
function summarizeConsole(lines, max = 8) {
  const counts = new Map();
  for (const l of lines) {
    const key = l.length > 300 ? l.slice(0, 300) + '…' : l;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].slice(0, max).map(([l, n]) => (n > 1 ? `${l} (x${n})` : l));
}

/**
 * A product page (bench/page.html) as a shopper meets it, in a fresh browser context: a first visit (cold:
 * nothing cached) and a returning one (warm: the model in the Cache API, the backend choice remembered).
 * Variants: without the tag (the page's own long tasks), the tag with the engine in its worker (default),
 * and the tag with the engine on the main thread (the fallback). For each visit: the first
 * recommendation's time after DOMContentLoaded, and the total blocking time (Σ of long tasks' time over
 * 50 ms, `longtask` observer) until SETTLE_MS after it. Main thread: JS heap after 10 and 1,000 more calls.
 */
async function pageRuns(model, views) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS, '--enable-precise-memory-info', '--js-flags=--expose-gc'] });
  openBrowser = browser;
  const modelUrl = `${servers.cdnOrigin}/models/${model.url}`;
  const url = (tag, thread) => `${servers.shopOrigin}/page.html?tag=${tag}&thread=${thread}&model=${encodeURIComponent(modelUrl)}&views=${encodeURIComponent(JSON.stringify(views))}`;
  const visit = async (page, u) => {
    await page.goto(u);
    await page.waitForFunction(() => window.benchDone === true, null, { timeout: 90_000 });
    await page.waitForTimeout(SETTLE_MS);
    const r = await page.evaluate(() => {
      const tasks = window.benchLongTasks ?? [];
      return {
        first_after_dcl_ms: window.benchFirst == null ? null : Math.round(window.benchFirst - window.benchDcl),
        count: window.benchCount ?? null,
        error: window.benchError ?? null,
        tbt_ms: Math.round(tasks.reduce((s, [, d]) => s + Math.max(0, d - 50), 0)),
        longest_task_ms: Math.round(tasks.reduce((m, [, d]) => Math.max(m, d), 0)),
      };
    });
    r.workers = page.workers().length;
    return r;
  };
  const out = {};
  try {
    for (const [name, tag, thread] of [['without_tag', '0', 'auto'], ['worker', '1', 'auto'], ['main_thread', '1', 'main']]) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const cold = await visit(page, url(tag, thread));
      const warm = await visit(page, url(tag, thread));
      const v = { cold, warm };
      if (tag === '1') {
        v.backend = await page.evaluate(() => window.benchTacit?.backend() ?? null);
        v.choice = await page.evaluate(async () => {
          const cache = await caches.open('tacit-backend-v1');
          const [key] = await cache.keys();
          return key ? (await cache.match(key)).json() : null;
        });
      }
      if (thread === 'main' && tag === '1') {
        v.heap = await page.evaluate(async () => {
          const t = window.benchTacit;
          const used = () => (globalThis.gc?.(), performance.memory?.usedJSHeapSize ?? null);
          for (let i = 0; i < 10; i++) await t.recommend({ k: 20 });
          const after10 = used();
          for (let i = 0; i < 1000; i++) await t.recommend({ k: 20 });
          const after1010 = used();
          return { after10, after1010, growth_bytes: after10 == null ? null : after1010 - after10 };
        });
      }
      out[name] = v;
      await context.close();
    }
  } finally {
    await closeBrowser(browser).catch(() => {});
  }
  return out;
}

let browserVersion = null;
let gl = null;
const results = {};
const notes = [];

try {
  // WebGL implementation and browser version, once.
  {
    const { browser, page } = await openPage();
    browserVersion = browser.version();
    gl = await page.evaluate(() => window.benchGlInfo());
    await closeBrowser(browser);
  }
  console.log(`bench: Chromium ${browserVersion}, WebGL renderer: ${gl.renderer ?? '(no WebGL)'}`);

  for (const model of models) {
    const views = pickViews(model.items, VIEWS, 7);
    const entry = { items: model.items.length, dim: model.dim, weight_bytes: model.weightBytes };
    for (const backend of ['webgl', 'cpu']) {
      const label = `${model.name}/${backend}`;
      process.stdout.write(`bench: ${label} … `);
      let browser;
      try {
        const opened = await openPage();
        browser = opened.browser;
        const r = await withTimeout(
          opened.page.evaluate((args) => window.benchRun(args), {
            model: `${servers.cdnOrigin}/models/${model.url}`,
            backend,
            views,
            k: K,
            warmups: WARMUPS,
            runs: RUNS,
          }),
          RUN_TIMEOUT_MS,
          label,
        );
        r.console = summarizeConsole(opened.consoleLines);
        r.console_lines = opened.consoleLines.length;
        entry[backend] = r;
        console.log(r.error ? `error: ${r.error}` : `${r.backend}, first ${r.first_ms} ms, warm median ${r.warm_median_ms} ms`);
      } catch (err) {
        entry[backend] = { requested: backend, error: err.message };
        console.log(`error: ${err.message}`);
      } finally {
        if (browser) await closeBrowser(browser).catch(() => {});
      }
    }
    process.stdout.write(`bench: ${model.name} product page (cold/warm, worker/main thread/no tag) … `);
    try {
      entry.page = await withTimeout(pageRuns(model, views), 4 * RUN_TIMEOUT_MS, `${model.name} page`);
      const p = entry.page;
      console.log(`first rec after DCL worker ${p.worker.cold.first_after_dcl_ms}/${p.worker.warm.first_after_dcl_ms} ms, TBT worker ${p.worker.cold.tbt_ms}/${p.worker.warm.tbt_ms} ms, main ${p.main_thread.cold.tbt_ms}/${p.main_thread.warm.tbt_ms} ms`);
    } catch (err) {
      entry.page = { error: err.message };
      console.log(`error: ${err.message}`);
    }
    try {
      const { browser, page } = await openPage();
      entry.peer_loop_ms = await page.evaluate((a) => window.benchPeerLoop(a), { items: model.items.length, dim: model.dim, k: K, runs: RUNS });
      await closeBrowser(browser);
    } catch (err) {
      entry.peer_loop_ms = null;
      notes.push(`${model.name}: the plain-loop peer failed: ${err.message}`);
    }
    const w = entry.webgl;
    const c = entry.cpu;
    if (w?.top?.length && c?.top?.length) {
      const wi = w.top.map((x) => x.itemId);
      const ci = c.top.map((x) => x.itemId);
      entry.same_top20 = wi.length === ci.length && wi.every((id, i) => id === ci[i]);
      entry.same_top20_set = wi.length === ci.length && new Set([...wi, ...ci]).size === wi.length;
      const cpuScore = new Map(c.top.map((x) => [x.itemId, x.score]));
      entry.max_score_diff = Math.max(...w.top.filter((x) => cpuScore.has(x.itemId)).map((x) => Math.abs(x.score - cpuScore.get(x.itemId))));
      if (w.backend !== 'webgl') notes.push(`${model.name}: webgl was requested but ${w.backend} ran, so same_top20 compares cpu with cpu`);
    } else {
      entry.same_top20 = null;
    }
    results[model.name] = entry;
  }
} catch (err) {
  await cleanup();
  fail(`could not run in the browser: ${err.stack ?? err.message}`);
}
await cleanup();

// -------------------------------------------------------------------------------------------- report
const pad = (s, n, right = false) => (right ? String(s).padStart(n) : String(s).padEnd(n));
const fmt = (x) => (x == null ? '–' : typeof x === 'number' ? x.toFixed(1) : String(x));
const kib = (b) => (b / 1024).toFixed(1);

console.log('');
console.log(`Browser: Chromium ${browserVersion} headless; WebGL: ${gl.renderer ?? 'none'} (webgl2: ${gl.webgl2})`);
console.log(`Each row: fresh browser, ${VIEWS} view_item events, recommend({k:${K}}); warm = ${RUNS} calls after ${WARMUPS} warm-ups.`);
const header = [pad('model', 22), pad('asked', 6), pad('ran', 6), pad('ready ms', 9, true), pad('first ms', 9, true), pad('1st query', 10, true), pad('warm med', 9, true), pad('warm p95', 9, true), pad('tensors', 9, true)];
console.log(header.join('  '));
console.log('-'.repeat(header.join('  ').length));
for (const [name, e] of Object.entries(results)) {
  for (const b of ['webgl', 'cpu']) {
    const r = e[b] ?? {};
    const ran = r.backend == null ? 'none' : r.backend + (r.backend !== b ? '!' : '');
    const tensors = r.tensors_before_warm == null ? '–' : `${r.tensors_before_warm}→${r.tensors_after_warm}`;
    console.log(
      [pad(name, 22), pad(b, 6), pad(ran, 6), pad(fmt(r.engine_ready_ms), 9, true), pad(fmt(r.first_ms), 9, true), pad(fmt(r.first_query_ms), 10, true), pad(fmt(r.warm_median_ms), 9, true), pad(fmt(r.warm_p95_ms), 9, true), pad(tensors, 9, true)].join('  ') +
        (r.error ? `  ERROR: ${r.error}` : ''),
    );
  }
  console.log(`${pad('', 22)}  same top 20 webgl vs cpu: ${e.same_top20 ?? 'n/a'}${e.max_score_diff != null ? ` (max score difference ${e.max_score_diff.toExponential(2)})` : ''}`);
}
for (const [name, why] of Object.entries(skipped)) console.log(`${pad(name, 22)}  skipped: ${why}`);

const consoleNotes = [];
for (const [name, e] of Object.entries(results)) {
  for (const b of ['webgl', 'cpu']) {
    const r = e[b];
    if (r?.backend && r.backend !== b) notes.push(`${name}: asked for ${b}, ran on ${r.backend} (fallback)`);
    if (r?.tensors_before_warm != null && r.tensors_after_warm !== r.tensors_before_warm) {
      notes.push(`${name}/${b}: tensor count changed over the warm calls (${r.tensors_before_warm} → ${r.tensors_after_warm}): leak`);
    }
    if (r?.warm_results_stable === false) notes.push(`${name}/${b}: warm calls did not all return the first call's top ${K}`);
    for (const l of r?.console ?? []) consoleNotes.push(`${name}/${b}: ${l}`);
  }
}
console.log('');
console.log('Bundle (dist/):');
console.log([pad('file', 34), pad('bytes', 9, true), pad('KiB', 7, true), pad('gzip', 8, true), pad('brotli', 8, true)].join('  '));
for (const [file, s] of Object.entries(bundle)) {
  console.log([pad(file, 34), pad(s.bytes, 9, true), pad(kib(s.bytes), 7, true), pad(kib(s.gzip), 8, true), pad(kib(s.brotli), 8, true)].join('  '));
}
console.log('(gzip level 9, brotli quality 11; KiB)');
if (notes.length) {
  console.log('');
  console.log('Notes:');
  for (const n of notes) console.log(`  ${n}`);
}
if (consoleNotes.length) {
  console.log('');
  console.log('Browser console (warnings and errors):');
  for (const n of consoleNotes) console.log(`  ${n}`);
}

// The machine-readable summary: the last line of output.
const pick = (r) =>
  r && !r.error
    ? {
        backend: r.backend,
        ...(r.backend !== r.requested ? { fell_back: true } : {}),
        first_ms: r.first_ms,
        engine_ready_ms: r.engine_ready_ms,
        first_query_ms: r.first_query_ms,
        warm_median_ms: r.warm_median_ms,
        warm_p95_ms: r.warm_p95_ms,
        tensors: r.tensors_after_warm,
        tensor_leak: r.tensors_before_warm != null ? r.tensors_after_warm !== r.tensors_before_warm : null,
        console_warnings: r.console_lines,
      }
    : { error: r?.error ?? 'not run' };
/**
 * What `auto` chose (worker and main thread), the engine's own probe timings per candidate (ms per session,
 * src/engine/choose.ts), the two peers, and whether the choice is within 1.2× of the fastest of all of them.
 */
function autoSummary(e) {
  const p = e.page;
  if (!p || p.error) return { page: p ?? null };
  const medians = p.worker.choice?.medians ?? {};
  const candidates = Object.fromEntries(Object.entries(medians).filter(([, v]) => v != null));
  const chosen = p.worker.choice?.backend ?? null;
  const fastest = Math.min(...Object.values(candidates), e.peer_loop_ms ?? Infinity);
  return {
    auto: {
      chosen_worker: chosen,
      chosen_main_thread: p.main_thread.choice?.backend ?? null,
      candidates_probe_ms: medians,
      candidates_warm_median_ms: { webgl: e.webgl?.warm_median_ms ?? null, cpu: e.cpu?.warm_median_ms ?? null },
      within_1_2x_of_fastest: chosen && candidates[chosen] != null ? candidates[chosen] <= 1.2 * fastest : null,
    },
    peers: {
      plain_loop_heap_ms: e.peer_loop_ms ?? null,
      tfjs_wasm_ms: null,
      tfjs_wasm_note: 'not measured: @tensorflow/tfjs-backend-wasm is not installed',
    },
    first_rec_after_dcl_ms: {
      worker: { cold: p.worker.cold.first_after_dcl_ms, warm: p.worker.warm.first_after_dcl_ms },
      main_thread: { cold: p.main_thread.cold.first_after_dcl_ms, warm: p.main_thread.warm.first_after_dcl_ms },
    },
    tbt_ms: Object.fromEntries(['without_tag', 'worker', 'main_thread'].map((v) => [v, { cold: p[v].cold.tbt_ms, warm: p[v].warm.tbt_ms, longest_task: Math.max(p[v].cold.longest_task_ms, p[v].warm.longest_task_ms) }])),
    engine_in_worker: p.worker.warm.workers === 1,
    heap_growth_1000_calls_bytes: p.main_thread.heap?.growth_bytes ?? null,
  };
}

const summary = {
  browser: `Chromium ${browserVersion} headless${/swiftshader/i.test(gl.renderer ?? '') ? ' (SwiftShader)' : ''}`,
  webgl_renderer: gl.renderer,
  webgl2: gl.webgl2,
  runs: RUNS,
  k: K,
  models: Object.fromEntries(
    Object.entries(results).map(([name, e]) => [
      name,
      {
        items: e.items,
        dim: e.dim,
        webgl: pick(e.webgl),
        cpu: pick(e.cpu),
        same_top20: e.same_top20,
        ...(e.max_score_diff != null ? { max_score_diff: Number(e.max_score_diff.toExponential(2)) } : {}),
        ...autoSummary(e),
      },
    ]),
  ),
  ...(Object.keys(skipped).length ? { skipped } : {}),
  bundle,
  engine_gzip_bytes: (bundle['tacit-engine.js']?.gzip ?? 0) + (bundle['tacit-webgl.js']?.gzip ?? 0),
};
const ran = Object.values(results).some((e) => ['webgl', 'cpu'].some((b) => e[b] && !e[b].error));
if (!ran) console.error('bench: no measurement succeeded (see the errors above)');
console.log(JSON.stringify(summary));
clearTimeout(watchdog);
process.exitCode = ran ? 0 : 1;
