/**
 * Start-up shared by the script-tag pages (index, product, cart): header, Tacit panel, footer, the
 * catalog, then the page's own view. Tacit is reached only through `window.tacit` (demo/src/script-tag.ts).
 */
import type { Tacit } from 'tacit';
import { loadCatalog } from './catalog.js';
import { pageLink } from './cards.js';
import type { ShopContext } from './context.js';
import { byId, el } from './dom.js';
import { mountFooter, mountHeader, PAGE_LINKS, type NavKey } from './layout.js';
import { observed } from './observed.js';
import { mountPanel } from './panel.js';
import { scriptTagTacit } from './script-tag.js';

export async function bootScriptTagPage(current: NavKey | null, render: (root: HTMLElement, ctx: ShopContext) => void): Promise<void> {
  const sdk = scriptTagTacit();
  const tacit: Tacit = observed(sdk.tacit);
  mountHeader(PAGE_LINKS, current);
  mountPanel(tacit, sdk.loaded);
  mountFooter();
  const root = byId('app');
  try {
    const catalog = await loadCatalog();
    render(root, {
      tacit,
      catalog,
      link: pageLink,
      shopHref: (category) => (category ? `./?category=${encodeURIComponent(category)}` : './'),
      cartHref: PAGE_LINKS.cart,
      signal: new AbortController().signal, // a page's view lives as long as the page
    });
  } catch (err) {
    console.warn('demo: the shop could not start', err);
    root.replaceChildren(el('section', { class: 'not-found' }, el('h1', {}, 'The shop is taking a break'), el('p', {}, 'The catalog could not be loaded. Please try again in a moment.')));
  }
}
