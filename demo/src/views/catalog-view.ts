/** The catalog: personal picks, category chips, and the product grid. */
import { categoryLabel, popular } from '../catalog.js';
import { productCard } from '../cards.js';
import type { ShopContext } from '../context.js';
import { el } from '../dom.js';
import { onTacitChange } from '../observed.js';
import { recommendationSlot } from '../slots.js';

export interface CatalogViewOptions {
  /** Show the note about simulated data inside the hero (the SPA shows it in its frame instead). */
  note?: HTMLElement;
  category?: string | null;
  onCategory?: (category: string | null) => void;
}

export function renderCatalog(root: HTMLElement, ctx: ShopContext, options: CatalogViewOptions = {}): void {
  const { catalog } = ctx;
  let category = options.category && catalog.categories.includes(options.category) ? options.category : null;

  const recommended = recommendationSlot(
    ctx.tacit,
    catalog,
    {
      testid: 'recommended',
      title: 'Recommended for you',
      request: () => ({ k: 8 }),
      fallback: () => ({
        title: 'Popular picks',
        items: popular(catalog, 8),
        message: 'Browse a few products and your personal picks will appear here, computed in your browser.',
      }),
    },
    ctx.link,
  );
  void recommended.refresh();
  onTacitChange((kind) => kind === 'forget' && void recommended.refresh(), ctx.signal);

  const count = (c: string | null) => (c ? catalog.products.filter((p) => p.category === c).length : catalog.products.length);
  const chip = (c: string | null) =>
    el('button', { type: 'button', class: 'chip', 'data-category': c ?? '', 'aria-pressed': String(c === category) }, c ? categoryLabel(c) : 'All', el('span', { class: 'chip-count' }, String(count(c))));
  const chips = el('div', { class: 'chips', role: 'toolbar', 'aria-label': 'Filter by category' }, chip(null), catalog.categories.map(chip));
  const heading = el('h2', {});
  const summary = el('span', { class: 'muted' });
  const grid = el('div', { class: 'product-grid', 'data-testid': 'catalog-grid' });

  function showGrid(): void {
    heading.textContent = category ? categoryLabel(category) : 'All products';
    const products = category ? catalog.products.filter((p) => p.category === category) : catalog.products;
    summary.textContent = `${products.length} products`;
    grid.replaceChildren(...products.map((p) => productCard(p, ctx.link)));
    for (const b of chips.querySelectorAll<HTMLButtonElement>('.chip')) b.setAttribute('aria-pressed', String((b.dataset.category || null) === category));
  }

  chips.addEventListener('click', (e) => {
    const button = (e.target as Element).closest<HTMLButtonElement>('.chip');
    if (!button) return;
    category = button.dataset.category || null;
    showGrid();
    options.onCategory?.(category);
  });

  root.replaceChildren(
    el(
      'section',
      { class: 'hero' },
      el(
        'div',
        { class: 'hero-text' },
        el('h1', {}, 'Good things, picked for you', el('br'), el('span', { class: 'hero-accent' }, 'right here in your browser.')),
        el('p', {}, `${catalog.products.length} products across ${catalog.categories.length} departments. Recommendations are computed on your device; the shop never sees what you browse.`),
        options.note ?? null,
      ),
      el(
        'ol',
        { class: 'how', 'aria-label': 'How the personalization works' },
        el('li', {}, el('span', {}, el('strong', {}, 'You browse.'), 'Views and cart adds are kept in this browser only.')),
        el('li', {}, el('span', {}, el('strong', {}, 'The model comes from a CDN.'), 'The same files for every shopper: nothing personal is sent.')),
        el('li', {}, el('span', {}, el('strong', {}, 'Your device ranks.'), 'TensorFlow.js picks products and scores purchase intent locally.')),
      ),
    ),
    recommended.element,
    el('section', { class: 'catalog', 'aria-label': 'Catalog' }, el('div', { class: 'section-head' }, heading, summary), chips, grid),
  );
  showGrid();
}
