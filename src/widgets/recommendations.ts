/**
 * `<tacit-recommendations k="4" context="history" exclude="current cart" heading="For you">`: a slot the
 * engine fills with product cards from the catalog feed. Light DOM, so the shop's CSS applies. The element's
 * own children are the merchant's fallback: untouched until cards arrive, kept for good when none can be
 * had (no model, no history, a hanging CDN past the deadline, storage blocked). Emits `tacit:render`
 * (`detail.items`) or `tacit:fallback` (`detail.reason`), both bubbling.
 *
 * Attributes: `k` (1..100, default 4); `context` (`history`, default; `current`: similar to the product in
 * view; `cart`); `exclude` (space-separated: `current`, `cart`, item ids); `item` (the product in view; else
 * the latest product viewed during this page view); `heading`; `timeout` (ms, default 1500); `images`
 * (`network` lets cards load http(s) images; by default only images inlined in the feed).
 */
import type { TacitEvent } from '../events/vocabulary.js';
import { reason, warnOnce } from '../lib/log.js';
import { addDefaultStyle, defaultCard, fillCard } from './cards.js';
import type { Card, FallbackDetail, RenderDetail, WidgetTarget } from './types.js';

export const DEFAULT_K = 4;
/** The longest a slot waits for the engine and the model before it keeps its fallback for this page view, ms. */
export const DEFAULT_DEADLINE_MS = 1500;

const TIMEOUT = Symbol('timeout');

/** Items in the cart now, from the history: added, not removed, not bought since. */
function cartOf(events: readonly TacitEvent[]): string[] {
  const cart = new Set<string>();
  for (const e of events) {
    if (!e.itemId && e.type !== 'purchase') continue;
    if (e.type === 'add_to_cart') cart.add(e.itemId!);
    else if (e.type === 'remove_from_cart') cart.delete(e.itemId!);
    else if (e.type === 'purchase') cart.clear();
  }
  return [...cart];
}

/** The product of this page view: the `item` attribute, else the newest item viewed since the page started. */
function currentOf(el: Element, events: readonly TacitEvent[]): string | undefined {
  const attr = el.getAttribute('item')?.trim();
  if (attr) return attr;
  const start = performance.timeOrigin;
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.ts < start) break;
    if (e.type === 'view_item' && e.itemId) return e.itemId;
  }
  return undefined;
}

function intAttr(el: Element, name: string, fallback: number, min: number, max: number): number {
  const raw = el.getAttribute(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (Number.isInteger(n) && n >= min && n <= max) return n;
  warnOnce(`attr-${name}`, `<${el.localName} ${name}="${raw.slice(0, 20)}">: expected an integer from ${min} to ${max}; using ${fallback}`);
  return fallback;
}

export function recommendationsElement(tacit: WidgetTarget): CustomElementConstructor {
  return class TacitRecommendations extends HTMLElement {
    static observedAttributes = ['k', 'context', 'exclude', 'item'];
    /** A refresh in flight, or the last one; a newer refresh supersedes an older one's answer. */
    private run = 0;
    private started = false;
    /** Set when a deadline passed: the fallback stays for this page view. */
    private expired = false;

    connectedCallback(): void {
      if (this.started) return;
      this.started = true;
      void this.refresh();
    }

    attributeChangedCallback(): void {
      if (this.started) void this.refresh();
    }

    /** Asks the engine again (the page decides when: after an add to cart, a model update…). Never rejects. */
    async refresh(): Promise<void> {
      if (this.expired) return;
      const run = ++this.run;
      this.setAttribute('aria-busy', 'true');
      let outcome: Card[] | FallbackDetail['reason'];
      try {
        outcome = await this.load();
      } catch (err) {
        warnOnce('widget', `<tacit-recommendations>: ${reason(err)}; the fallback stays`);
        outcome = 'error';
      }
      if (run !== this.run) return;
      this.removeAttribute('aria-busy');
      if (typeof outcome === 'string') {
        if (outcome === 'timeout') {
          this.expired = true;
          warnOnce('widget-timeout', 'recommendations did not arrive within the deadline; slots keep their fallback on this page');
        }
        this.dataset.state = 'fallback';
        this.emit<FallbackDetail>('tacit:fallback', { reason: outcome });
        return;
      }
      this.show(outcome);
    }

    private async load(): Promise<Card[] | FallbackDetail['reason']> {
      const deadline = intAttr(this, 'timeout', DEFAULT_DEADLINE_MS, 0, 600_000);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<typeof TIMEOUT>((resolve) => (timer = setTimeout(resolve, deadline, TIMEOUT)));
      try {
        const got = await Promise.race([this.ask(), late]);
        return got === TIMEOUT ? 'timeout' : got;
      } finally {
        clearTimeout(timer);
      }
    }

    /** The cards for this element's attributes, or 'empty'. */
    private async ask(): Promise<Card[] | 'empty'> {
      const k = intAttr(this, 'k', DEFAULT_K, 1, 100);
      const events = await tacit.history();
      const current = currentOf(this, events);
      const cart = cartOf(events);
      const mode = this.getAttribute('context') ?? 'history';
      const context = mode === 'current' && current ? [current] : mode === 'cart' && cart.length ? cart : undefined;
      // Nothing to recommend from: the merchant's own picks are better than the model's bias alone.
      if (!context && !events.some((e) => e.itemId)) return 'empty';
      const exclude = (this.getAttribute('exclude') ?? '').split(/\s+/).filter(Boolean).flatMap((t) => (t === 'current' ? (current ? [current] : []) : t === 'cart' ? cart : [t]));
      // Twice k, so that items missing from the feed (added to the model, not yet to the feed) leave no hole.
      const [recs, feed] = await Promise.all([tacit.recommend({ k: Math.min(100, 2 * k), ...(context ? { context } : {}), exclude, explain: true }), tacit.catalog()]);
      if (!feed) return 'empty';
      const cards: Card[] = [];
      for (const r of recs) {
        const item = feed.items.get(r.itemId);
        if (!item) continue;
        const card: Card = { ...item, score: r.score };
        if (r.because) {
          const name = feed.items.get(r.because.itemId)?.name;
          card.because = { ...r.because, ...(name === undefined ? {} : { name }) };
        }
        if (cards.push(card) === k) break;
      }
      this.currency = feed.currency;
      return cards.length ? cards : 'empty';
    }

    private currency: string | undefined;

    /**
     * Replaces the fallback with the cards inside the box the page reserved: the element keeps the height
     * it had (the shop's `min-height`, or fallback markup of the final size), scrolling if the cards need
     * more, so that nothing below it moves (no layout shift).
     */
    private show(cards: Card[]): void {
      addDefaultStyle();
      const template = this.querySelector(':scope > template') ?? defaultCard();
      const list = document.createElement('ul');
      list.className = 'tacit-cards';
      for (const card of cards) {
        const li = document.createElement('li');
        li.className = 'tacit-card';
        li.dataset.itemId = card.id;
        li.append(fillCard(template as HTMLTemplateElement, card, { ...(this.currency ? { currency: this.currency } : {}), networkImages: this.getAttribute('images') === 'network' }));
        list.append(li);
      }
      const nodes: Node[] = [list];
      const heading = this.getAttribute('heading');
      if (heading) {
        const h = document.createElement('h2');
        h.className = 'tacit-heading';
        h.textContent = heading;
        nodes.unshift(h);
      }
      // The template stays (a later refresh fills it again); everything else is replaced.
      if (template.parentNode === this) nodes.unshift(template);
      const before = this.getBoundingClientRect().height;
      this.replaceChildren(...nodes);
      const after = this.getBoundingClientRect().height;
      if (before > 0 && after !== before) {
        this.style.blockSize = `${before}px`;
        if (after > before) this.style.overflowY = 'auto';
      }
      this.dataset.state = 'ready';
      this.emit<RenderDetail>('tacit:render', { items: cards });
    }

    private emit<T>(type: string, detail: T): void {
      this.dispatchEvent(new CustomEvent(type, { bubbles: true, detail }));
    }
  };
}
