/**
 * Issue 12, defect 7: the local CDN (scripts/serve.mjs, used by `npm start` and the browser tests) died on
 * `GET /models/%ZZ`: `decodeURIComponent` threw inside the request handler, an uncaught exception.
 */
import { describe, it, expect, afterAll } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { startServers } from '../../scripts/serve.mjs';

describe('scripts/serve.mjs', () => {
  let servers: { shopOrigin: string; cdnOrigin: string; close(): Promise<unknown> } | undefined;
  afterAll(async () => servers?.close());

  it('answers 404 to malformed percent-encoding and keeps serving', async () => {
    servers = (await startServers({})) as typeof servers;
    for (const path of ['/models/%ZZ', '/sdk/%E0%A4%A', '/models/%00', '/%ZZ', '/fixtures/%']) {
      const base = path.startsWith('/models/') || path.startsWith('/sdk/') ? servers!.cdnOrigin : servers!.shopOrigin;
      const res = await fetch(base + path);
      expect(res.status, path).toBe(404);
      await res.arrayBuffer();
    }
    // Still up.
    expect((await fetch(`${servers!.cdnOrigin}/models/nothing-here.json`)).status).toBe(404);
  });
});
