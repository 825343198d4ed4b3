/**
 * The history's consent and option handling, in Node (no IndexedDB: persistence itself is tested in the
 * browser, test/e2e/store.spec.ts and consent.spec.ts).
 */
import { describe, it, expect, vi, afterEach } from 'vitest';
import { checkHistoryOptions, initialConsent, openHistory } from '../../src/store/history.js';
import type { TacitEvent } from '../../src/events/vocabulary.js';
import { throwsWith } from './helpers.js';

const view = (itemId: string): TacitEvent => ({ type: 'view_item', ts: Date.now(), itemId });

afterEach(() => vi.restoreAllMocks());

describe('initialConsent', () => {
  it('is what the shop configured, else denied under Global Privacy Control, else granted', () => {
    expect(initialConsent({}, {})).toBe('granted');
    expect(initialConsent({}, undefined)).toBe('granted');
    expect(initialConsent({}, { globalPrivacyControl: true })).toBe('denied');
    expect(initialConsent({}, { globalPrivacyControl: false })).toBe('granted');
    expect(initialConsent({}, { globalPrivacyControl: 'true' })).toBe('granted'); // only the boolean the spec defines
    expect(initialConsent({ consent: 'granted' }, { globalPrivacyControl: true })).toBe('granted');
    expect(initialConsent({ consent: 'denied' }, {})).toBe('denied');
  });
});

describe('checkHistoryOptions', () => {
  it('accepts valid options and names the option that is not', () => {
    checkHistoryOptions({ maxEvents: 5000, retentionDays: 30, consent: 'denied' });
    checkHistoryOptions({});
    for (const maxEvents of [0, -1, 1.5, '1000', 1e6, Number.NaN]) throwsWith(() => checkHistoryOptions({ maxEvents }), TypeError, '"maxEvents"');
    for (const retentionDays of [0, -3, '7', Infinity, 10_000]) throwsWith(() => checkHistoryOptions({ retentionDays }), TypeError, '"retentionDays"');
    for (const consent of ['yes', true, 1]) throwsWith(() => checkHistoryOptions({ consent }), TypeError, '"consent"');
  });
});

describe('consent on the history', () => {
  it('denied: events live in the page\'s memory only, and still count for the page', async () => {
    const h = await openHistory({ consent: 'denied' });
    expect(h.consent).toBe('denied');
    expect(h.kind).toBe('memory');
    await h.add(view('a'));
    expect((await h.all()).map((e) => e.itemId)).toEqual(['a']);
  });

  it('switches both ways; the page keeps its context; clear() forgets it', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const h = await openHistory({ storage: 'memory' });
    await h.add(view('a'));
    await h.setConsent('denied');
    expect(h.consent).toBe('denied');
    await h.add(view('b'));
    expect((await h.all()).map((e) => e.itemId)).toEqual(['a', 'b']);
    await h.setConsent('granted');
    await h.add(view('c'));
    expect((await h.all()).map((e) => e.itemId)).toEqual(['a', 'b', 'c']);
    await h.clear();
    expect(await h.all()).toEqual([]);
  });

  it('Global Privacy Control turns the default to denied', async () => {
    vi.stubGlobal('navigator', { globalPrivacyControl: true });
    try {
      expect((await openHistory({ storage: 'memory' })).consent).toBe('denied');
      expect((await openHistory({ storage: 'memory', consent: 'granted' })).consent).toBe('granted');
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
