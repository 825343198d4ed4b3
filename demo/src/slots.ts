/**
 * A recommendation slot: `<section data-testid="recommended|similar" data-state="loading|ready|empty">`.
 * Filled with `a.product-card[data-item-id]` from `tacit.recommend()`; when Tacit returns [] (no model, no
 * history yet, SDK blocked) it shows the merchant's own fallback instead, never an error.
 */
import type { RecommendOptions, Tacit } from 'tacit';
import type { Catalog, Product } from './catalog.js';
import { productCard, type ProductLink } from './cards.js';
import { el } from './dom.js';

export interface SlotSpec {
  testid: 'recommended' | 'similar';
  title: string;
  /** Recomputed at each refresh (e.g. the cart's ids to exclude). */
  request: () => RecommendOptions;
  /** The shop's non-personal fallback: a heading and items, or a plain message when there are none. */
  fallback: () => { title: string; items: Product[]; message: string };
}

export interface Slot {
  element: HTMLElement;
  /** Asks Tacit again; the caller decides when (e.g. after the page's view event is stored). */
  refresh(): Promise<void>;
}

export function recommendationSlot(tacit: Tacit, catalog: Catalog, spec: SlotSpec, link: ProductLink): Slot {
  const k = spec.request().k ?? 6;
  const heading = el('h2', {}, spec.title);
  const badge = el('span', { class: 'slot-badge', title: 'Ranked by a model running in your browser, from what you did in this shop' }, 'computed on this device');
  const row = el('div', { class: 'card-row' });
  const note = el('p', { class: 'slot-note' });
  const element = el('section', { class: 'slot', 'data-testid': spec.testid, 'data-state': 'loading', 'aria-busy': 'true' }, el('div', { class: 'slot-head' }, heading, badge), note, row);
  row.append(...Array.from({ length: Math.min(k, 6) }, () => el('div', { class: 'card-skeleton', 'aria-hidden': 'true' })));

  let generation = 0;

  function showEmpty(): void {
    const { title, items, message } = spec.fallback();
    element.dataset.state = 'empty';
    badge.hidden = true;
    heading.textContent = items.length ? title : spec.title;
    note.textContent = message;
    row.replaceChildren(...items.map((p) => productCard(p, link, { fallback: true })));
  }

  async function refresh(): Promise<void> {
    const mine = ++generation;
    element.setAttribute('aria-busy', 'true');
    let products: Product[] = [];
    try {
      const items = await tacit.recommend(spec.request());
      products = items.map((r) => catalog.get(r.itemId)).filter((p): p is Product => p !== undefined);
    } catch (err) {
      console.warn('demo: recommendations unavailable', err);
    }
    if (mine !== generation) return; // a newer refresh owns the slot
    element.removeAttribute('aria-busy');
    if (!products.length) return showEmpty();
    element.dataset.state = 'ready';
    badge.hidden = false;
    heading.textContent = spec.title;
    note.textContent = '';
    row.replaceChildren(...products.map((p) => productCard(p, link)));
  }

  return { element, refresh };
}
