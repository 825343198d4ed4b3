/**
 * Propensity features computed on the device from the shopper's own history and the site tables shipped in
 * the model. The trainer maps its training data onto these same names (see trainer/shoppers.ts for the UCI
 * Online Shoppers columns, trainer/site-tables.ts for the merchant's own event rows), so one definition
 * serves both sides, and a misspelt name fails to compile on either side (`DeviceFeature`).
 *
 * A "visit" here is the web-analytics session: events without a 30-minute gap. (In Tacit, "session" means
 * the item sequence the recommender encodes; see docs/architecture.md, Terms.)
 */
import type { TacitEvent } from '../events/vocabulary.js';
import type { SiteTables } from '../model/format.js';

/** A visit ends after 30 minutes without an event (the usual web-analytics convention). */
export const VISIT_GAP_MS = 30 * 60_000;
/** Month names as the UCI data spells them (June in full), used in the `month_<Mon>` feature names. */
export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'June', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
export type Month = (typeof MONTHS)[number];

/** The name of a feature the SDK can compute. */
export type DeviceFeature =
  | `${'product' | 'account' | 'info'}_${'views' | 'seconds'}`
  | 'page_value'
  | 'bounce_rate'
  | 'exit_rate'
  | 'special_day'
  | 'returning_visitor'
  | 'weekend'
  | `month_${Month}`;

/** Every feature the SDK can compute, with its meaning. A model uses any subset, in its own order. */
export const DEVICE_FEATURES: Readonly<Record<DeviceFeature, string>> = {
  product_views: 'product pages viewed in this visit',
  product_seconds: 'seconds spent on product pages in this visit',
  account_views: 'account pages (sign-in, orders, profile) viewed in this visit',
  account_seconds: 'seconds spent on account pages in this visit',
  info_views: 'informational pages (help, shipping, about, contact) viewed in this visit',
  info_seconds: 'seconds spent on informational pages in this visit',
  page_value: "mean page value (the shop's revenue per view of the page) of the pages seen in this visit",
  bounce_rate: 'mean bounce rate of the pages seen in this visit',
  exit_rate: 'mean exit rate of the pages seen in this visit',
  special_day: 'closeness of today to a special day such as Valentine’s Day (0..1)',
  returning_visitor: '1 if this device has history from an earlier visit',
  weekend: '1 on Saturday or Sunday (local time)',
  ...(Object.fromEntries(MONTHS.map((m) => [`month_${m}`, `1 in ${m} (local time)`])) as Record<`month_${Month}`, string>),
};

/** The features that come from the model's site tables; without tables the device computes them as 0. */
export const SITE_FEATURES = ['page_value', 'bounce_rate', 'exit_rate', 'special_day'] as const satisfies readonly DeviceFeature[];

/** The month feature name for a JavaScript month index (0 = January), spelled as the UCI data spells it. */
export const monthFeature = (month: number): `month_${Month}` => `month_${MONTHS[month]!}`;

/** The events of the current visit: the trailing run without a 30-minute gap, if it is still open. */
export function currentVisit(events: readonly TacitEvent[], now: number): TacitEvent[] {
  let start = events.length;
  let next = now;
  while (start > 0 && next - events[start - 1]!.ts < VISIT_GAP_MS) {
    next = events[start - 1]!.ts;
    start--;
  }
  return events.slice(start);
}

/** Which count/seconds pair a page view adds to. */
type PageGroup = 'product' | 'account' | 'info';

/** One page the shopper saw in the visit: its group, its key in the site tables, and the time on it. */
export interface VisitPage {
  group: PageGroup;
  key: string;
  seconds: number;
}

/**
 * The pages of a visit in order. A product page is a `view_item` (key: the item id). Time on a page runs
 * until the next event, or until now for the page in view, capped at the visit gap.
 */
export function visitPages(visit: readonly TacitEvent[], now: number): VisitPage[] {
  const pages: VisitPage[] = [];
  visit.forEach((e, i) => {
    if (e.type !== 'view_item' || e.itemId === undefined) return;
    const until = i + 1 < visit.length ? visit[i + 1]!.ts : now;
    pages.push({ group: 'product', key: e.itemId, seconds: Math.min(Math.max(until - e.ts, 0), VISIT_GAP_MS) / 1000 });
  });
  return pages;
}

const DAY_MS = 86_400_000;

/** Days from the local date of `now` to the next occurrence of `date` (`MM-DD` or `YYYY-MM-DD`), or null. */
function daysUntil(date: string, now: Date): number | null {
  const parts = date.split('-').map(Number);
  const today = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
  if (parts.length === 3) {
    const d = Math.round((Date.UTC(parts[0]!, parts[1]! - 1, parts[2]!) - today) / DAY_MS);
    return d >= 0 ? d : null;
  }
  for (const year of [now.getFullYear(), now.getFullYear() + 1]) {
    const d = Math.round((Date.UTC(year, parts[0]! - 1, parts[1]!) - today) / DAY_MS);
    if (d >= 0) return d;
  }
  return null;
}

/** UCI's SpecialDay on the device: the largest `max(0, 1 - |d - peak| / width)` over the calendar. */
export function specialDay(calendar: SiteTables['specialDays'] | undefined, now: number): number {
  if (!calendar) return 0;
  const date = new Date(now);
  let best = 0;
  for (const day of calendar.dates) {
    const d = daysUntil(day, date);
    if (d !== null) best = Math.max(best, 1 - Math.abs(d - calendar.peak) / calendar.width);
  }
  return best;
}

/** Raw (untransformed) values of every device feature for the history as it is at `now`. */
export function deviceFeatures(events: readonly TacitEvent[], now: number, site?: SiteTables): Record<DeviceFeature, number> {
  const visit = currentVisit(events, now);
  const pages = visitPages(visit, now);
  const views: Record<PageGroup, number> = { product: 0, account: 0, info: 0 };
  const seconds: Record<PageGroup, number> = { product: 0, account: 0, info: 0 };
  for (const p of pages) {
    views[p.group]++;
    seconds[p.group] += p.seconds;
  }
  // Page aggregates: the mean over the visit's page views of each page's value in the site table (pages
  // the table does not know count as 0, as a page without traffic has no value, bounce or exit in analytics).
  let value = 0;
  let bounce = 0;
  let exit = 0;
  if (site && pages.length) {
    const index = siteIndex(site);
    for (const p of pages) {
      const i = index.get(p.key);
      if (i === undefined) continue;
      value += site.pages.value[i]!;
      bounce += site.pages.bounce[i]!;
      exit += site.pages.exit[i]!;
    }
    value /= pages.length;
    bounce /= pages.length;
    exit /= pages.length;
  }
  const date = new Date(now);
  const day = date.getDay();
  const out: Partial<Record<DeviceFeature, number>> = {
    product_views: views.product,
    product_seconds: seconds.product,
    account_views: views.account,
    account_seconds: seconds.account,
    info_views: views.info,
    info_seconds: seconds.info,
    page_value: value,
    bounce_rate: bounce,
    exit_rate: exit,
    special_day: specialDay(site?.specialDays, now),
    returning_visitor: events.length > visit.length ? 1 : 0,
    weekend: day === 0 || day === 6 ? 1 : 0,
  };
  MONTHS.forEach((_, m) => (out[monthFeature(m)] = m === date.getMonth() ? 1 : 0));
  return out as Record<DeviceFeature, number>; // every month set just above
}

// The key → row map of a site table, built once per table (the manifest object lives as long as the model).
const indexes = new WeakMap<SiteTables, Map<string, number>>();
function siteIndex(site: SiteTables): Map<string, number> {
  let index = indexes.get(site);
  if (!index) {
    index = new Map(site.pages.keys.map((k, i) => [k, i]));
    indexes.set(site, index);
  }
  return index;
}
