/**
 * Shared browser-test fixtures: every test fails if any uncaught error reached the page, and can read the
 * console lines Tacit printed.
 */
import { test as base, expect, type Page } from '@playwright/test';

export interface PageWatch {
  /** Uncaught errors and unhandled rejections seen by any page of the test. */
  errors: string[];
  /** Console messages, as "type: text". */
  console: string[];
}

export const test = base.extend<{ watch: PageWatch }>({
  watch: async ({ context }, use) => {
    const watch: PageWatch = { errors: [], console: [] };
    const attach = (page: Page) => {
      page.on('pageerror', (err) => watch.errors.push(err.message));
      page.on('console', (msg) => watch.console.push(`${msg.type()}: ${msg.text()}`));
    };
    context.pages().forEach(attach);
    context.on('page', attach);
    await use(watch);
    expect(watch.errors, 'no uncaught error may reach the host page').toEqual([]);
  },
});
export { expect };

/** The demo catalog, as the shop serves it: id → category. */
export async function catalogCategories(page: Page): Promise<Map<string, string>> {
  const res = await page.request.get('/catalog.json');
  const list = (await res.json()) as { id: string; category: string }[];
  return new Map(list.map((p) => [String(p.id), p.category]));
}

/** Waits until the script-tag API has replaced the queue on `window.tacit`. */
export async function scriptTagReady(page: Page): Promise<void> {
  await page.waitForFunction(() => !Array.isArray(window.tacit) && (window.tacit as { loaded?: boolean } | undefined)?.loaded === true);
}

/** One request to the SDK's host, as the privacy tests compare them. */
export interface LoggedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
}

/**
 * Records every request a page makes and every uncaught error in it. `sdk()` gives the complete requests
 * to the CDN (method, URL, all headers, body); `hosts()` every origin the page contacted.
 */
export function recordTraffic(page: Page, cdn: string) {
  const all: import('@playwright/test').Request[] = [];
  const errors: string[] = [];
  page.on('request', (r) => all.push(r));
  page.on('pageerror', (e) => errors.push(e.message));
  return {
    errors,
    hosts: () => [...new Set(all.map((r) => new URL(r.url()).origin))],
    async sdk(): Promise<LoggedRequest[]> {
      const logged: LoggedRequest[] = [];
      for (const r of all) {
        if (r.url().startsWith(cdn)) logged.push({ method: r.method(), url: r.url(), headers: await r.allHeaders(), body: r.postData() });
      }
      return logged;
    },
  };
}

/**
 * The privacy invariant on two request logs: the same requests (order aside), each a plain GET with no body,
 * no query string and no referrer.
 */
export function expectSameSdkRequests(a: LoggedRequest[], b: LoggedRequest[]): void {
  expect(a.length).toBeGreaterThan(0);
  const key = (l: LoggedRequest) => JSON.stringify([l.method, l.url, Object.entries(l.headers).sort(), l.body]);
  expect(a.map(key).sort()).toEqual(b.map(key).sort());
  for (const l of [...a, ...b]) {
    expect(l.method).toBe('GET');
    expect(l.body).toBeNull();
    expect(new URL(l.url).search).toBe('');
    // The script tag and the fetches send no referrer. Modules that the engine's worker imports name the
    // module that imported them (Tacit's own file on the CDN): nothing about the page or the shopper.
    const referer = l.headers.referer ?? '';
    if (referer !== '') expect(referer.startsWith(`${new URL(l.url).origin}/sdk/`), `Referer ${referer}`).toBe(true);
    expect(l.headers.cookie).toBeUndefined();
  }
}

/**
 * Waits until `auto` has measured and remembered its backend (src/engine/choose.ts). The measurement fetches
 * the WebGL chunk; a page left before it finished leaves that request incomplete (Playwright then reports
 * only its provisional headers), so request logs are compared once it is done.
 */
export async function backendChosen(page: Page): Promise<void> {
  await expect.poll(() => page.evaluate(async () => (await (await caches.open('tacit-backend-v1')).keys()).length), { timeout: 60_000 }).toBeGreaterThan(0);
}
