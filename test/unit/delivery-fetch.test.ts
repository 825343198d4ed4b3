/**
 * The HTTP reader against a real local server (Node's fetch): retries with backoff on 5xx and stalls, none
 * on 404, one shared request for concurrent readers, and size limits enforced before the body is read.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchBytes, FetchError } from '../../src/model/fetch.js';
import { ManifestError } from '../../src/model/format.js';
import { rejectsWith } from './helpers.js';

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;
let server: Server;
let base = '';
const handlers = new Map<string, Handler>();
const hits = new Map<string, number[]>(); // path → request times (ms)
const written = new Map<string, number>(); // path → body bytes the server managed to write

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    const times = hits.get(path) ?? [];
    times.push(Date.now());
    hits.set(path, times);
    const h = handlers.get(path);
    if (h) h(req, res, times.length);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const opts = { timeoutMs: 300, retries: 2, backoffMs: 50 };
const body = (n: number) => Uint8Array.from({ length: n }, (_, i) => i % 251);

/** Streams `total` bytes in 64 KiB chunks, counting what was written, stopping when the client goes away. */
function stream(path: string, res: ServerResponse, total: number, headers: Record<string, string | number>) {
  res.writeHead(200, headers);
  let sent = 0;
  written.set(path, 0);
  const chunk = new Uint8Array(65536);
  const pump = () => {
    while (sent < total && !res.destroyed) {
      const n = Math.min(chunk.byteLength, total - sent);
      sent += n;
      written.set(path, sent);
      if (!res.write(chunk.subarray(0, n))) return void res.once('drain', pump);
    }
    if (sent >= total) res.end();
  };
  res.on('close', () => {});
  pump();
}

describe('fetchBytes', () => {
  it('returns the bytes of a 200', async () => {
    handlers.set('/ok', (_q, res) => res.writeHead(200).end(body(1000)));
    expect(await fetchBytes(`${base}/ok`, {}, opts)).toEqual(body(1000));
  });

  it('retries a 500 with growing, jittered delays, then succeeds', async () => {
    handlers.set('/flaky', (_q, res, n) => (n < 3 ? res.writeHead(503).end() : res.writeHead(200).end(body(10))));
    expect(await fetchBytes(`${base}/flaky`, {}, opts)).toEqual(body(10));
    const t = hits.get('/flaky')!;
    expect(t).toHaveLength(3);
    // backoff 50 ms × 2^attempt × [0.5, 1.5): first gap 25–75 ms, second 50–150 ms (plus scheduling)
    expect(t[1]! - t[0]!).toBeGreaterThanOrEqual(20);
    expect(t[2]! - t[1]!).toBeGreaterThanOrEqual(45);
  });

  it('gives up after 1 + retries tries, saying how many', async () => {
    handlers.set('/down', (_q, res) => res.writeHead(500).end());
    await rejectsWith(fetchBytes(`${base}/down`, {}, opts), FetchError, '/down" answered HTTP 500', '(3 tries)');
    expect(hits.get('/down')).toHaveLength(3);
  });

  it('does not retry a 404', async () => {
    await rejectsWith(fetchBytes(`${base}/missing`, {}, opts), FetchError, 'HTTP 404');
    expect(hits.get('/missing')).toHaveLength(1);
  });

  it('times out a server that stalls (no headers), and retries it', async () => {
    handlers.set('/stall', () => {}); // never answers
    const t0 = Date.now();
    await rejectsWith(fetchBytes(`${base}/stall`, {}, opts), FetchError, 'sent nothing for 300 ms', '(3 tries)');
    expect(hits.get('/stall')).toHaveLength(3);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
  });

  it('times out a body that stops midway, but not a slow body that keeps coming', async () => {
    handlers.set('/half', (_q, res) => {
      res.writeHead(200, { 'content-length': 2000 });
      res.write(body(1000)); // and then nothing
    });
    await rejectsWith(fetchBytes(`${base}/half`, {}, { ...opts, retries: 0 }), FetchError, 'sent nothing for 300 ms');
    handlers.set('/slow', (_q, res) => {
      res.writeHead(200);
      let i = 0;
      const tick = setInterval(() => {
        res.write(body(10));
        if (++i === 6) (clearInterval(tick), res.end());
      }, 150); // 900 ms in all, never 300 ms without a byte
    });
    expect((await fetchBytes(`${base}/slow`, {}, { ...opts, retries: 0 })).byteLength).toBe(60);
  });

  it('shares one request among concurrent readers of the same URL', async () => {
    handlers.set('/shared', (_q, res) => setTimeout(() => res.writeHead(200).end(body(64)), 50));
    // A long stall timeout: on a busy machine a 50 ms answer can take over 300 ms, and a retry would count as a second request.
    const patient = { ...opts, timeoutMs: 10_000 };
    const all = await Promise.all([1, 2, 3, 4].map(() => fetchBytes(`${base}/shared`, {}, patient)));
    for (const b of all) expect(b).toEqual(body(64));
    expect(hits.get('/shared')).toHaveLength(1);
    await fetchBytes(`${base}/shared`, {}, patient); // once settled, a new call fetches again
    expect(hits.get('/shared')).toHaveLength(2);
  });

  it('refuses a file whose Content-Length is over the limit without reading its body (50 MB)', async () => {
    const total = 50 * 1024 * 1024;
    handlers.set('/huge', (_q, res) => stream('/huge', res, total, { 'content-length': total }));
    await rejectsWith(fetchBytes(`${base}/huge`, { maxBytes: 5 * 1024 * 1024 }, opts), ManifestError, `is ${total} bytes, over the ${5 * 1024 * 1024}-byte limit`);
    expect(hits.get('/huge')).toHaveLength(1); // not retried
    await new Promise((r) => setTimeout(r, 100));
    expect(written.get('/huge')!).toBeLessThan(total / 2);
  });

  it('refuses a file without Content-Length as soon as the bytes read pass the limit', async () => {
    const total = 50 * 1024 * 1024;
    handlers.set('/huge-chunked', (_q, res) => stream('/huge-chunked', res, total, { 'transfer-encoding': 'chunked' }));
    await rejectsWith(fetchBytes(`${base}/huge-chunked`, { maxBytes: 1024 * 1024 }, opts), ManifestError, `larger than the ${1024 * 1024}-byte limit`);
    await new Promise((r) => setTimeout(r, 100));
    expect(written.get('/huge-chunked')!).toBeLessThan(total / 2);
  });
});
