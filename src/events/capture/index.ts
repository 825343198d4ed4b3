/**
 * Zero-config capture: product views from the page's structured data, cart adds and purchases from its
 * `dataLayer` and `data-tacit-*` attributes, followed across single-page navigations. Every event goes
 * through `tacit.track()`, hence through the one validator. The script tag starts it on every page; ES module
 * users opt in with `startCapture(tacit)`.
 *
 * One page view (a URL; a `replaceState` that keeps the path, such as a variant picker, is the same view)
 * records at most one `view_item`. Explicit attributes, JSON-LD, microdata and RDFa decide at once; a dataLayer or
 * Open Graph product waits until the page has loaded (at most 2 s), in case a stronger source appears. After
 * an SPA navigation, structured data still showing the previous product (same element, same content) is not
 * taken for the new page's. A view the shop tracked itself on this page view (explicit `track()`) is not
 * recorded again.
 */
import type { TacitEvent, TrackInput } from '../vocabulary.js';
import { reason, warnOnce } from '../../lib/log.js';
import { listenForAttributes, readAttributeView } from './attributes.js';
import { eventsFromDataLayer, watchDataLayer } from './datalayer.js';
import { readJsonLd } from './jsonld.js';
import { RDFA, readMicrodata } from './microdata.js';
import { watchMutations, watchNavigation, type Navigation } from './navigation.js';
import { readOpenGraph } from './opengraph.js';
import { chooseView, type Candidate } from './precedence.js';
import { readVisiblePrice } from './visible.js';
import { boundedText, pathOf, type CapturedEvent, type CapturedItem } from './values.js';

/** What capture needs of a Tacit instance: `track`, and `history` to respect views the shop tracked itself. */
export interface CaptureTarget {
  track(event: TrackInput): Promise<void>;
  history?(): Promise<TacitEvent[]>;
}

export interface CaptureOptions {
  /** Name of the Tag Manager data layer array. Default `dataLayer`. Script tag: `data-datalayer`. */
  dataLayer?: string;
}

/** Captured events per page view beyond which capture stops recording (a runaway script, 10,000 pushes). */
export const MAX_EVENTS_PER_VIEW = 100;
/** dataLayer `view_item`s kept per page view while it is undecided: the first one wins, the rest only fill fields. */
export const MAX_LAYER_VIEWS = 20;
const LOAD_WAIT_MS = 2000;
const NAVIGATION_WAIT_MS = 1000;
const WATCH_MS = 10_000;
const RUNNING = Symbol.for('tacit.capture');

interface Found extends Candidate {
  /** The element (or dataLayer entry) it was read from, and what it said: to tell stale markup after a navigation. */
  node: object;
  sig: string;
}

/** The page's address as a view: hash routes (`#/product/1`, `#!/…`) count, in-page anchors do not. */
function pageKey(loc: Location): string {
  return loc.origin + loc.pathname + loc.search + (/^#!?\//.test(loc.hash) ? loc.hash : '');
}

/**
 * Starts capturing on this page for `tacit` and returns a function that stops it. A second call on the same
 * page (a second copy of the script, or the script tag plus the ES module) does nothing.
 * @example import { createTacit, startCapture } from 'tacit'; startCapture(createTacit({ model }))
 */
export function startCapture(tacit: CaptureTarget, options: CaptureOptions = {}): () => void {
  if (typeof document === 'undefined') return () => {}; // server-side rendering: nothing to capture
  const w = window as unknown as Record<symbol, boolean>;
  if (w[RUNNING]) return () => {};
  w[RUNNING] = true;
  let stopped = false;
  let visit = 0;
  let url = pageKey(location);
  let since = Math.floor(performance.timeOrigin); // the first view began with the page
  let counted = false;
  let settled = false;
  let budget = MAX_EVENTS_PER_VIEW;
  let layerViews: Found[] = [];
  let stale = new WeakMap<object, string>();
  const seenEntries = new WeakSet<object>();

  const record = (event: CapturedEvent) => {
    if (stopped) return;
    if (--budget < 0) return warnOnce('capture-budget', `more than ${MAX_EVENTS_PER_VIEW} events captured on one page view; ignoring the rest`);
    tacit.track(event).catch((err: unknown) => warnOnce('capture', `a captured event was not recorded: ${reason(err)}`));
  };

  const found = (source: Candidate['source'], read: () => { item: CapturedItem; node: object } | null): Found | null => {
    try {
      const r = read();
      // The id is left out: read from the page's URL as a last resort, it changes with a navigation even
      // when the markup on screen is still the previous page's.
      return r && { source, item: r.item, node: r.node, sig: JSON.stringify({ ...r.item, itemId: 0 }) };
    } catch {
      return null; // one reader failing on odd markup leaves the others
    }
  };

  const decide = () => {
    if (stopped || counted) return;
    const h1 = document.querySelector('h1');
    const hints = { url: location.href, h1: h1 ? boundedText(h1) : '' };
    const all = [
      found('attribute', () => readAttributeView(document)),
      found('jsonld', () => readJsonLd(document, hints)),
      found('microdata', () => readMicrodata(document, hints)),
      found('rdfa', () => readMicrodata(document, hints, RDFA)),
      found('opengraph', () => readOpenGraph(document, location.href)),
      ...layerViews,
    ].filter((c) => c !== null);
    const view = chooseView(
      all.filter((c) => stale.get(c.node) !== c.sig),
      settled,
      () => {
        try {
          return readVisiblePrice(document);
        } catch {
          return undefined;
        }
      },
    );
    if (!view) return;
    counted = true;
    mutations.stop();
    stale = new WeakMap(all.map((c) => [c.node, c.sig]));
    // A shop that tracked this view itself (track() or a queued call) has said it already.
    const start = since;
    (tacit.history ? tacit.history() : Promise.resolve([]))
      .then((events) => events.some((e) => e.type === 'view_item' && e.itemId === view.itemId && !e.source && e.ts >= start) || record(view))
      .catch(() => record(view));
  };

  /**
   * One capture pass per task, however many calls ask for one: a page that pushes 1,000 entries in a loop
   * or navigates in its own `pushState` gets one pass after its code has run, not 1,000 inside it (issue
   * 12, defect 3). A timer, not `requestAnimationFrame`, which never fires in a background tab.
   */
  let queued: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    if (stopped || counted || queued !== undefined) return;
    queued = setTimeout(() => {
      queued = undefined;
      decide();
    }, 0);
  };

  const mutations = watchMutations(document, decide);
  const layer = watchDataLayer(window, options.dataLayer ?? 'dataLayer', (entry) => {
    if (stopped) return;
    if (typeof entry === 'object' && entry !== null) {
      if (seenEntries.has(entry)) return; // the same object pushed twice is one event
      seenEntries.add(entry);
    }
    for (const event of eventsFromDataLayer(entry)) {
      if (event.type !== 'view_item') record(event);
      else if (event.itemId && layerViews.length < MAX_LAYER_VIEWS) layerViews.push({ source: 'datalayer', item: event as CapturedItem, node: entry as object, sig: '' });
    }
    if (layerViews.length && !counted) schedule();
  });

  /** A new page view: look now, watch the DOM, and let the weaker sources decide after `waitMs`. */
  const begin = (waitMs: number, untilLoad: boolean) => {
    const current = ++visit;
    counted = false;
    settled = false;
    budget = MAX_EVENTS_PER_VIEW;
    layer.attach();
    mutations.start();
    schedule();
    const settle = () => {
      if (current !== visit || settled) return;
      settled = true;
      layer.attach();
      decide();
    };
    setTimeout(settle, waitMs);
    if (untilLoad && document.readyState !== 'complete') addEventListener('load', () => setTimeout(settle, 0), { once: true });
    else if (untilLoad) setTimeout(settle, 0);
    setTimeout(() => current === visit && mutations.stop(), WATCH_MS);
  };

  const navigate = (kind: Navigation) => {
    const next = pageKey(location);
    if (stopped || next === url) return;
    const samePage = kind === 'replace' && pathOf(next) === pathOf(url);
    url = next;
    if (samePage) return;
    layerViews = [];
    since = Date.now();
    begin(NAVIGATION_WAIT_MS, false);
  };

  const unwatchNavigation = watchNavigation(window, navigate);
  const removeListeners = listenForAttributes(document, record);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => begin(LOAD_WAIT_MS, true), { once: true });
  else begin(LOAD_WAIT_MS, true);

  return () => {
    if (stopped) return;
    stopped = true;
    clearTimeout(queued);
    mutations.stop();
    removeListeners();
    unwatchNavigation();
    layer.detach();
    w[RUNNING] = false;
  };
}
