/**
 * spa.html: the same shop as a single-page app (hash routes `#/`, `#/product/N`, `#/cart`), integrated
 * through the ES module, as an SPA frontend would: `import { createTacit } from 'tacit'`. demo/vite.config.ts
 * points `tacit` at the built dist/tacit.js; the engine chunk it imports lazily is bundled alongside.
 * The CDN origin is only known when the page is served, so the model URL comes from
 * `<meta name="tacit-model" content="%TACIT_CDN%/models/demo/latest.json">`.
 */
import '../styles.css';
import { createTacit, type Tacit } from 'tacit';
import { loadCatalog } from '../catalog.js';
import { spaLink } from '../cards.js';
import type { ShopContext } from '../context.js';
import { byId, el } from '../dom.js';
import { mountFooter, mountHeader, simulatedNote } from '../layout.js';
import { observed } from '../observed.js';
import { mountPanel } from '../panel.js';
import { renderCart } from '../views/cart-view.js';
import { renderCatalog } from '../views/catalog-view.js';
import { renderProduct } from '../views/product-view.js';

declare global {
  interface Window {
    /** The SPA's Tacit instance, for the console: `await demoTacit.history()`, `await demoTacit.recommend({ k: 3 })`. */
    demoTacit?: Tacit;
  }
}

/** What the shop runs with when Tacit cannot be created (no model URL): no personalization, no errors. */
const withoutTacit: Tacit = {
  track: async () => {},
  recommend: async () => [],
  propensity: async () => null,
  catalog: async () => null,
  history: async () => [],
  forget: async () => {},
  backend: async () => null,
  storage: async () => 'memory',
  consent: async () => {},
  update: async () => ({ modelVersion: null, updated: false }),
};

function startTacit(): { tacit: Tacit; loaded: Promise<boolean> } {
  const model = document.querySelector<HTMLMetaElement>('meta[name="tacit-model"]')?.content ?? '';
  try {
    return { tacit: observed(createTacit({ model })), loaded: Promise.resolve(true) };
  } catch (err) {
    console.warn('demo: Tacit is off in the SPA', err);
    return { tacit: withoutTacit, loaded: Promise.resolve(false) };
  }
}

const { tacit, loaded } = startTacit();
// Exposed for the console (see the Window declaration above). It is the instance wrapped so that calls
// made from the console (track, forget) also refresh the panel; the methods are the instance's own.
window.demoTacit = tacit;

mountHeader({ shop: '#/', cart: '#/cart', spa: '#/', classic: './' }, 'spa');
const root = byId('app');
root.before(el('div', { class: 'page-note' }, simulatedNote()));
mountPanel(tacit, loaded);
mountFooter();

let view = new AbortController();

/** A URL segment decoded, or as it is when it is not valid percent-encoding (`#/product/%E0`): "not found", not a crash. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function route(catalog: ShopContext['catalog']): void {
  view.abort();
  view = new AbortController();
  const ctx: ShopContext = {
    tacit,
    catalog,
    link: spaLink,
    shopHref: (category) => (category ? `#/?category=${encodeURIComponent(category)}` : '#/'),
    cartHref: '#/cart',
    signal: view.signal,
  };
  const hash = location.hash || '#/';
  const product = /^#\/product\/([^/?#]+)/.exec(hash);
  if (product) {
    const shown = renderProduct(root, ctx, decodeSegment(product[1]!));
    document.title = `${shown ? shown.title : 'Product not found'} · Tacit Supply (SPA)`;
  } else if (hash.startsWith('#/cart')) {
    renderCart(root, ctx);
    document.title = 'Your cart · Tacit Supply (SPA)';
  } else {
    renderCatalog(root, ctx, {
      category: new URLSearchParams(hash.split('?')[1] ?? '').get('category'),
      onCategory: (category) => history.replaceState(null, '', category ? `#/?category=${encodeURIComponent(category)}` : '#/'),
    });
    document.title = 'Tacit Supply (SPA) · demo shop';
  }
  window.scrollTo({ top: 0 });
}

loadCatalog().then(
  (catalog) => {
    window.addEventListener('hashchange', () => route(catalog));
    route(catalog);
  },
  (err: unknown) => {
    console.warn('demo: the shop could not start', err);
    root.replaceChildren(el('section', { class: 'not-found' }, el('h1', {}, 'The shop is taking a break'), el('p', {}, 'The catalog could not be loaded. Please try again in a moment.')));
  },
);
