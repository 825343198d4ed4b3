// @vitest-environment happy-dom
/**
 * Issue 12, defect 3: once a dataLayer `view_item` was pending (the page not yet settled), every later push
 * of any kind ran a full capture pass synchronously inside the page's own `push`, and the pending list grew
 * without limit. Passes are now coalesced (one per task) and the list is bounded. The scans are counted
 * through `document.querySelectorAll`, which every pass calls for each markup reader: with the old code the
 * loop below made 8,004 of them, inside the page’s own calls.
 */
import { describe, it, expect, vi, afterEach } from 'vitest';
import { startCapture } from '../../src/events/capture/index.js';
import type { TrackInput } from '../../src/events/vocabulary.js';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));
const w = window as unknown as { dataLayer?: unknown[] };

afterEach(() => {
  vi.restoreAllMocks();
  delete w.dataLayer;
});

describe('capture passes are coalesced', () => {
  it('1,000 pushes after a pending view_item: no scan inside the pushes, a few after, one view recorded', async () => {
    w.dataLayer = [];
    const tracked: TrackInput[] = [];
    const stop = startCapture({ track: async (e) => void tracked.push(e) });
    const scans = vi.spyOn(document, 'querySelectorAll');
    const layer = w.dataLayer;
    layer.push({ event: 'view_item', ecommerce: { items: [{ item_id: 'first', price: 5 }] } });
    for (let i = 0; i < 1000; i++) {
      layer.push({ event: 'scroll', depth: i });
      layer.push({ event: 'view_item', ecommerce: { items: [{ item_id: `later-${i}` }] } });
    }
    expect(scans.mock.calls.length).toBe(0);
    await tick(50);
    // The page settles (happy-dom's document has loaded) and the first pushed view decides.
    expect(scans.mock.calls.length).toBeGreaterThan(0);
    expect(scans.mock.calls.length).toBeLessThan(20);
    await vi.waitFor(() => expect(tracked.filter((e) => e.type === 'view_item')).toHaveLength(1));
    expect(tracked[0]).toMatchObject({ type: 'view_item', itemId: 'first', price: 5, source: 'datalayer' });
    stop();
  });

  it('a navigation inside the page’s pushState runs no pass inside it', async () => {
    const stop = startCapture({ track: async () => {} });
    await tick(10);
    const scans = vi.spyOn(document, 'querySelectorAll');
    for (let i = 0; i < 50; i++) history.pushState({}, '', `/p/${i}`);
    expect(scans.mock.calls.length).toBe(0);
    await tick(10);
    expect(scans.mock.calls.length).toBeGreaterThan(0);
    expect(scans.mock.calls.length).toBeLessThan(20);
    stop();
  });
});
