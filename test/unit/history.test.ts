import { describe, it, expect, vi, afterEach } from 'vitest';
import { openHistory, DEFAULT_MAX_EVENTS } from '../../src/store/history.js';
import type { TacitEvent } from '../../src/events/vocabulary.js';

const DAY = 86_400_000;
const view = (itemId: string, ts = Date.now()): TacitEvent => ({ type: 'view_item', ts, itemId });

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('openHistory({ storage: "memory" })', () => {
  it('adds, lists oldest first, and clears', async () => {
    const h = await openHistory({ storage: 'memory' });
    expect(h.kind).toBe('memory');
    expect(await h.all()).toEqual([]);
    await h.add(view('a'));
    await h.add(view('b'));
    await h.add({ type: 'search', ts: Date.now(), query: 'mugs' });
    expect((await h.all()).map((e) => e.itemId ?? e.query)).toEqual(['a', 'b', 'mugs']);
    await h.clear();
    expect(await h.all()).toEqual([]);
    await h.add(view('c'));
    expect((await h.all()).map((e) => e.itemId)).toEqual(['c']);
  });

  it('returns a copy: changing the list does not change the history', async () => {
    const h = await openHistory({ storage: 'memory' });
    await h.add(view('a'));
    const list = await h.all();
    list.pop();
    expect(await h.all()).toHaveLength(1);
  });

  it('keeps only the newest maxEvents events', async () => {
    const h = await openHistory({ storage: 'memory', maxEvents: 3 });
    for (const id of ['1', '2', '3', '4', '5']) await h.add(view(id));
    expect((await h.all()).map((e) => e.itemId)).toEqual(['3', '4', '5']);
    await h.add(view('6'));
    expect((await h.all()).map((e) => e.itemId)).toEqual(['4', '5', '6']);
  });

  it('defaults to 1000 events', async () => {
    expect(DEFAULT_MAX_EVENTS).toBe(1000);
    const h = await openHistory({ storage: 'memory' });
    for (let i = 0; i < 1005; i++) await h.add(view(String(i)));
    const all = await h.all();
    expect(all).toHaveLength(1000);
    expect(all[0]!.itemId).toBe('5');
    expect(all[999]!.itemId).toBe('1004');
  });

  it('drops events older than the retention period', async () => {
    const h = await openHistory({ storage: 'memory', retentionDays: 1 });
    const now = Date.now();
    await h.add(view('too-old', now - 2 * DAY));
    await h.add(view('recent', now - 3_600_000));
    expect((await h.all()).map((e) => e.itemId)).toEqual(['recent']);
  });

  it('drops events as they age past the retention period', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = new Date(2026, 10, 1, 12).getTime();
    vi.setSystemTime(t0);
    const h = await openHistory({ storage: 'memory' }); // default: 90 days
    await h.add(view('a', t0));
    await h.add(view('b', t0 + 10 * DAY));
    vi.setSystemTime(t0 + 89 * DAY);
    expect((await h.all()).map((e) => e.itemId)).toEqual(['a', 'b']);
    vi.setSystemTime(t0 + 91 * DAY);
    expect((await h.all()).map((e) => e.itemId)).toEqual(['b']);
    vi.setSystemTime(t0 + 101 * DAY);
    expect(await h.all()).toEqual([]);
  });
});

describe('openHistory() without IndexedDB (Node)', () => {
  it('falls back to memory with exactly one [tacit] warning', async () => {
    expect(typeof (globalThis as { indexedDB?: unknown }).indexedDB).toBe('undefined');
    // a fresh copy of the modules, so the once-per-page warning state starts empty
    vi.resetModules();
    const { openHistory: open } = await import('../../src/store/history.js');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const h = await open();
    expect(h.kind).toBe('memory');
    expect(warn).toHaveBeenCalledTimes(1);
    const msg = String(warn.mock.calls[0]![0]);
    expect(msg.startsWith('[tacit]')).toBe(true);
    expect(msg).toMatch(/IndexedDB/);
    // it works as a store
    await h.add(view('a'));
    expect((await h.all()).map((e) => e.itemId)).toEqual(['a']);
    // a second open on the same page does not warn again
    await open({ storage: 'indexeddb' });
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
