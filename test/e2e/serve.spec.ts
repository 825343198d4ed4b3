/**
 * The local CDN and shop (scripts/serve.mjs) answer like the deployment docs/model-format.md describes:
 * the pointer file revalidates with its ETag (a 304, no body), versioned files are immutable.
 */
import { test, expect } from '@playwright/test';
import { CDN } from './browser.js';

test('the pointer file revalidates: same ETag → 304 without a body; another ETag → 200', async ({ request }) => {
  const first = await request.get(`${CDN}/models/demo/latest.json`);
  expect(first.status()).toBe(200);
  expect(first.headers()['cache-control']).toBe('no-cache');
  const etag = first.headers()['etag'];
  expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);

  const again = await request.get(`${CDN}/models/demo/latest.json`, { headers: { 'If-None-Match': etag! } });
  expect(again.status()).toBe(304);
  expect((await again.body()).byteLength).toBe(0);
  expect(again.headers()['etag']).toBe(etag);
  expect(again.headers()['access-control-allow-origin']).toBeTruthy();

  const stale = await request.get(`${CDN}/models/demo/latest.json`, { headers: { 'If-None-Match': '"not-this-one"' } });
  expect(stale.status()).toBe(200);
  expect(await stale.body()).toEqual(await first.body());
});

test('versioned model files are immutable and carry a validator too', async ({ request }) => {
  const pointer = (await (await request.get(`${CDN}/models/demo/latest.json`)).json()) as { manifest: string };
  const res = await request.get(`${CDN}/models/demo/${pointer.manifest}`);
  expect(res.status()).toBe(200);
  expect(res.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(res.headers()['etag']).toBeTruthy();
});
