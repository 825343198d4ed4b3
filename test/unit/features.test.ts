import { describe, it, expect } from 'vitest';
import { currentVisit, deviceFeatures, specialDay, DEVICE_FEATURES, VISIT_GAP_MS } from '../../src/engine/features.js';
import type { SiteTables } from '../../src/model/format.js';
import type { TacitEvent } from '../../src/events/vocabulary.js';

const MIN = 60_000;
// Saturday 28 November 2026, noon, local time
const NOW = new Date(2026, 10, 28, 12).getTime();
const ev = (type: TacitEvent['type'], minutesAgo: number, itemId?: string, now = NOW): TacitEvent => ({
  type,
  ts: now - minutesAgo * MIN,
  ...(itemId ? { itemId } : {}),
});
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'June', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

describe('currentVisit', () => {
  it('is the trailing run of events without a 30-minute gap', () => {
    const events = [ev('view_item', 100, 'a'), ev('view_item', 95, 'b'), ev('view_item', 40, 'c'), ev('add_to_cart', 15, 'c'), ev('view_item', 1, 'd')];
    // 95 → 40 is a 55-minute gap: the session starts at 40
    expect(currentVisit(events, NOW)).toEqual(events.slice(2));
  });

  it('is empty when the last event is 30 minutes old or older, or there is no history', () => {
    expect(VISIT_GAP_MS).toBe(30 * MIN);
    expect(currentVisit([ev('view_item', 30, 'a')], NOW)).toEqual([]);
    expect(currentVisit([ev('view_item', 45, 'a')], NOW)).toEqual([]);
    expect(currentVisit([], NOW)).toEqual([]);
    const justInside = { type: 'view_item', ts: NOW - 30 * MIN + 1, itemId: 'a' } as TacitEvent;
    expect(currentVisit([justInside], NOW)).toEqual([justInside]);
  });

  it('ends at exactly a 30-minute gap between two events', () => {
    const events = [ev('view_item', 50, 'a'), ev('view_item', 20, 'b'), ev('view_item', 5, 'c')];
    expect(currentVisit(events, NOW)).toEqual(events.slice(1));
    const close = [ev('view_item', 49, 'a'), ev('view_item', 20, 'b')]; // 29 minutes apart: one session
    expect(currentVisit(close, NOW)).toEqual(close);
  });
});

describe('deviceFeatures', () => {
  // An earlier visit (two hours ago), then the current one:
  //   -20 view a   (until -18: 120 s)
  //   -18 add_to_cart a
  //   -10 view b   (until -9: 60 s)
  //    -9 search
  //    -2 view c   (page in view, until now: 120 s)
  const history: TacitEvent[] = [
    ev('view_item', 125, 'x'),
    ev('view_item', 120, 'y'),
    ev('view_item', 20, 'a'),
    ev('add_to_cart', 18, 'a'),
    ev('view_item', 10, 'b'),
    { type: 'search', ts: NOW - 9 * MIN, query: 'shoes' },
    ev('view_item', 2, 'c'),
  ];

  it('counts product views and seconds of the current session only', () => {
    const f = deviceFeatures(history, NOW);
    expect(f.product_views).toBe(3);
    expect(f.product_seconds).toBe(120 + 60 + 120);
  });

  it('counts a view followed by a 29-minute pause in full, and stops at the next event of any type', () => {
    const f = deviceFeatures([ev('view_item', 40, 'a'), ev('view_cart', 11), ev('view_item', 10, 'b'), ev('purchase', 1, 'b')], NOW);
    // a: 29 min until view_cart; b: 9 min until purchase (a purchase is not a product page view)
    expect(f.product_views).toBe(2);
    expect(f.product_seconds).toBe(29 * 60 + 9 * 60);
  });

  it('never counts negative time for out-of-order timestamps', () => {
    const f = deviceFeatures([ev('view_item', 5, 'a'), ev('view_item', 8, 'b')], NOW);
    // a → b is -3 minutes: 0 s; b is the page in view: 8 minutes
    expect(f.product_seconds).toBe(8 * 60);
  });

  it('sets returning_visitor only when there is history before the current session', () => {
    expect(deviceFeatures(history, NOW).returning_visitor).toBe(1);
    expect(deviceFeatures(history.slice(2), NOW).returning_visitor).toBe(0);
    expect(deviceFeatures([], NOW).returning_visitor).toBe(0);
    // everything is old: no current session, but the device has been here before
    const old = deviceFeatures(history.slice(0, 2), NOW);
    expect(old.returning_visitor).toBe(1);
    expect(old.product_views).toBe(0);
    expect(old.product_seconds).toBe(0);
  });

  it('sets weekend on Saturday and Sunday, local time', () => {
    expect(deviceFeatures([], NOW).weekend).toBe(1); // Sat 28 Nov 2026
    expect(deviceFeatures([], new Date(2026, 10, 29, 23, 59).getTime()).weekend).toBe(1); // Sun
    expect(deviceFeatures([], new Date(2026, 10, 30, 0, 1).getTime()).weekend).toBe(0); // Mon
    expect(deviceFeatures([], new Date(2026, 10, 27, 23, 59).getTime()).weekend).toBe(0); // Fri
  });

  it('one-hot encodes the month with the UCI spelling (June in full)', () => {
    // Read by name as a page would; this list is the test's own, so a respelt month fails here.
    const f: Record<string, number> = deviceFeatures([], NOW);
    for (const m of MONTHS) expect(f[`month_${m}`], m).toBe(m === 'Nov' ? 1 : 0);
    const june: Record<string, number> = deviceFeatures([], new Date(2026, 5, 15, 12).getTime());
    expect(june.month_June).toBe(1);
    expect(june.month_Jun).toBeUndefined();
    expect(MONTHS.reduce((s, m) => s + june[`month_${m}`]!, 0)).toBe(1);
  });

  it('computes every feature it documents, and nothing else', () => {
    const f = deviceFeatures(history, NOW);
    expect(Object.keys(f).sort()).toEqual(Object.keys(DEVICE_FEATURES).sort());
    expect(Object.keys(f)).toHaveLength(12 + 12);
  });
});

describe('deviceFeatures with the site tables of the model', () => {
  const site: SiteTables = {
    pages: { keys: ['a', 'b', 'c'], value: [10, 0, 4], bounce: [0.5, 0.1, 0.3], exit: [0.2, 0.4, 0.6] },
    specialDays: { dates: ['12-25', '2026-12-07'], peak: 6, width: 5 },
  };

  it('averages page value, bounce and exit rates over the page views of the current session', () => {
    // earlier session: x, a (not counted); current: a, b, z (not in the table), a
    const events = [ev('view_item', 125, 'x'), ev('view_item', 120, 'a'), ev('view_item', 20, 'a'), ev('view_item', 15, 'b'), ev('view_item', 10, 'z'), ev('view_item', 5, 'a')];
    const f = deviceFeatures(events, NOW, site);
    // four page views: a, b, z (unknown: counts 0), a
    expect(f.page_value).toBeCloseTo((10 + 0 + 0 + 10) / 4, 12);
    expect(f.bounce_rate).toBeCloseTo((0.5 + 0.1 + 0 + 0.5) / 4, 12);
    expect(f.exit_rate).toBeCloseTo((0.2 + 0.4 + 0 + 0.2) / 4, 12);
    expect(f.product_views).toBe(4);
  });

  it('gives 0 without a table or without a page in the session', () => {
    const events = [ev('view_item', 5, 'a')];
    expect(deviceFeatures(events, NOW).page_value).toBe(0);
    expect(deviceFeatures([ev('view_item', 45, 'a')], NOW, site)).toMatchObject({ page_value: 0, bounce_rate: 0, exit_rate: 0 });
    expect(deviceFeatures([{ type: 'search', ts: NOW - MIN, query: 'q' }], NOW, site).page_value).toBe(0);
  });

  it('ramps the special day up to 1 at `peak` days before the date and down to 0 on the day', () => {
    const day = (m: number, d: number) => new Date(2026, m, d, 12).getTime();
    // NOW is 28 Nov: 9 days before 7 Dec → 1 - |9 - 6| / 5 = 0.4
    expect(specialDay(site.specialDays, NOW)).toBeCloseTo(0.4, 12);
    expect(deviceFeatures([], NOW, site).special_day).toBeCloseTo(0.4, 12);
    expect(specialDay(site.specialDays, day(11, 1))).toBe(1); // 6 days before 7 Dec
    expect(specialDay(site.specialDays, day(11, 19))).toBe(1); // 6 days before 25 Dec (every year)
    expect(specialDay(site.specialDays, day(11, 25))).toBe(0); // the day itself: too late to order
    expect(specialDay(site.specialDays, day(11, 8))).toBe(0); // the day after a one-off date
    expect(specialDay(site.specialDays, day(6, 1))).toBe(0);
    expect(specialDay(undefined, day(11, 1))).toBe(0);
    // a yearly date early in the next year counts from late December
    expect(specialDay({ dates: ['01-03'], peak: 6, width: 5 }, day(11, 28))).toBe(1);
  });
});
