#!/usr/bin/env node
/**
 * Serves the demo shop and its local "CDN" on two origins, as a real deployment would:
 *   shop  http://localhost:<shopPort>/      demo/dist (the Vite-built demo)
 *   CDN   http://127.0.0.1:<cdnPort>/sdk/    dist/ (the built SDK: tacit.iife.js, tacit-engine.js, …)
 *         http://127.0.0.1:<cdnPort>/models/ demo/cdn/models/ (model folders written by the trainer)
 *         http://localhost:<shopPort>/fixtures/  test pages, only when `fixturesRoot` (--fixtures DIR) is given
 * In HTML served by the shop, `%TACIT_CDN%` is replaced by the CDN origin.
 * The CDN sends CORS headers on every file (module scripts and fetches from the shop's origin need them)
 * and the cache headers documented in the README: the pointer file revalidates, versioned files are immutable.
 *
 * Usage: node scripts/serve.mjs [--shop-port 5173] [--cdn-port 5174] [--fixtures test/e2e/pages]
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.bin': 'application/octet-stream',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** Resolves `urlPath` under `base`, refusing anything that escapes it. */
function safeJoin(base, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null; // `%ZZ` is no path: a 404, not a crash of the server (issue 12, defect 7)
  }
  if (decoded.includes('\0')) return null;
  const p = normalize(join(base, decoded));
  return p === base || p.startsWith(base + sep) ? p : null;
}

/**
 * A strong validator of the bytes sent, so that `no-cache` files (latest.json, the shop's pages) revalidate
 * with a 304 instead of a full download, as a CDN would answer.
 */
function etagOf(body) {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

async function sendFile(req, res, file, headers, transform) {
  try {
    let path = file;
    if ((await stat(path)).isDirectory()) path = join(path, 'index.html');
    let body = await readFile(path);
    if (transform && extname(path) === '.html') body = Buffer.from(transform(body.toString('utf8')));
    const etag = etagOf(body);
    const base = { 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream', ETag: etag, ...headers(path) };
    const match = req.headers['if-none-match'];
    if (match && match.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
      res.writeHead(304, base);
      res.end();
      return;
    }
    res.writeHead(200, { ...base, 'Content-Length': body.length });
    res.end(body);
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain', ...headers('') });
    res.end('not found');
  }
}

function cdnCacheHeaders(path) {
  if (path.endsWith('latest.json')) return { 'Cache-Control': 'no-cache' };
  if (path.includes(`${sep}models${sep}`)) return { 'Cache-Control': 'public, max-age=31536000, immutable' };
  return { 'Cache-Control': 'public, max-age=300' };
}

/**
 * Starts both servers. Resolves to their origins and a `close()`; ports of 0 pick free ones.
 * @param {{ shopPort?: number, cdnPort?: number, shopRoot?: string, sdkRoot?: string, modelsRoot?: string, fixturesRoot?: string, log?: boolean }} [options]
 */
export async function startServers(options = {}) {
  const shopRoot = resolve(root, options.shopRoot ?? 'demo/dist');
  const sdkRoot = resolve(root, options.sdkRoot ?? 'dist');
  const modelsRoot = resolve(root, options.modelsRoot ?? 'demo/cdn/models');
  const fixturesRoot = options.fixturesRoot ? resolve(root, options.fixturesRoot) : null;
  let cdnOrigin = '';

  const cdn = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const cors = { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' };
    if (options.log) console.log(`[cdn] ${req.method} ${url.pathname}`);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'Access-Control-Allow-Methods': 'GET, HEAD', 'Access-Control-Max-Age': '86400' });
      return res.end();
    }
    let file = null;
    if (url.pathname.startsWith('/sdk/')) file = safeJoin(sdkRoot, url.pathname.slice(5));
    else if (url.pathname.startsWith('/models/')) file = safeJoin(modelsRoot, url.pathname.slice(8));
    if (!file) {
      res.writeHead(404, cors);
      return res.end('not found');
    }
    void sendFile(req, res, file, (p) => ({ ...cors, ...cdnCacheHeaders(p) }));
  });

  const shop = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const file =
      fixturesRoot && url.pathname.startsWith('/fixtures/') ? safeJoin(fixturesRoot, url.pathname.slice(10)) : safeJoin(shopRoot, url.pathname);
    if (!file) {
      res.writeHead(404);
      return res.end('not found');
    }
    void sendFile(req, res, file, () => ({ 'Cache-Control': 'no-cache' }), (html) => html.replaceAll('%TACIT_CDN%', cdnOrigin));
  });

  const listen = (server, port, host) =>
    new Promise((ok, fail) => {
      server.once('error', fail);
      server.listen(port, host, () => ok(server.address().port));
    });
  const cdnPort = await listen(cdn, options.cdnPort ?? 0, '127.0.0.1');
  cdnOrigin = `http://127.0.0.1:${cdnPort}`;
  const shopPort = await listen(shop, options.shopPort ?? 0, '127.0.0.1'); // reached as http://localhost: a different origin from the CDN
  return {
    shopOrigin: `http://localhost:${shopPort}`,
    cdnOrigin,
    close: () => Promise.all([new Promise((r) => shop.close(r)), new Promise((r) => cdn.close(r))]),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const { shopOrigin, cdnOrigin } = await startServers({
    shopPort: arg('--shop-port', Number(process.env.SHOP_PORT ?? 5173)),
    cdnPort: arg('--cdn-port', Number(process.env.CDN_PORT ?? 5174)),
    log: process.argv.includes('--log'),
    fixturesRoot: process.argv.includes('--fixtures') ? process.argv[process.argv.indexOf('--fixtures') + 1] : undefined,
  });
  console.log(`Tacit demo shop: ${shopOrigin}/   (local CDN: ${cdnOrigin}/sdk/ and ${cdnOrigin}/models/)`);
}
