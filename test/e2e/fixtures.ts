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
