/**
 * The frame every page shares: header with navigation and the cart count, the note about the demo's
 * simulated data, and the footer.
 */
import { cartCount, onCartChange } from './cart.js';
import { el } from './dom.js';

export type NavKey = 'shop' | 'cart' | 'spa' | 'classic';

export interface NavLinks {
  shop: string;
  cart: string;
  spa: string;
  /** Only on the SPA: back to the script-tag version. */
  classic?: string;
}

export const PAGE_LINKS: NavLinks = { shop: './', cart: 'cart.html', spa: 'spa.html#/' };

export function mountHeader(links: NavLinks, current: NavKey | null): { setCurrent(key: NavKey | null): void } {
  const count = el('span', { class: 'cart-count', 'data-testid': 'cart-count', 'aria-label': 'items in cart' }, '0');
  const items: [NavKey, HTMLAnchorElement][] = [
    ['shop', el('a', { href: links.shop, 'data-nav': 'shop' }, 'Shop')],
    ['cart', el('a', { href: links.cart, 'data-nav': 'cart', class: 'nav-cart' }, cartIcon(), 'Cart', count)],
    ['spa', el('a', { href: links.spa, 'data-nav': 'spa', class: 'nav-pill' }, 'SPA version')],
  ];
  if (links.classic) items.push(['classic', el('a', { href: links.classic, 'data-nav': 'classic', class: 'nav-pill' }, 'Script-tag version')]);
  const header = el(
    'header',
    { class: 'site-header' },
    el(
      'div',
      { class: 'header-inner' },
      el('a', { class: 'brand', href: links.shop }, el('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'T'), el('span', {}, 'Tacit ', el('em', {}, 'Supply'))),
      el('nav', { 'aria-label': 'Main' }, items.map(([, a]) => a)),
    ),
  );
  const slot = document.getElementById('site-header');
  if (slot) slot.replaceWith(header);
  else document.body.prepend(header);

  const updateCount = () => {
    const n = cartCount();
    count.textContent = String(n);
    count.classList.toggle('is-empty', n === 0);
  };
  updateCount();
  onCartChange(updateCount);

  const setCurrent = (key: NavKey | null) => {
    for (const [k, a] of items) {
      if (k === key) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
  };
  setCurrent(current);
  return { setCurrent };
}

function cartIcon(): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'icon');
  svg.innerHTML =
    '<path d="M3 4h2l2.4 11.2a1 1 0 0 0 1 .8h8.9a1 1 0 0 0 1-.8L20 8H6.2" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/><circle cx="9" cy="20" r="1.5" fill="currentColor"/><circle cx="17" cy="20" r="1.5" fill="currentColor"/>';
  return svg;
}

/** Says plainly where the demo's model comes from. */
export function simulatedNote(): HTMLElement {
  return el(
    'p',
    { class: 'simulated-note', 'data-testid': 'simulated-note' },
    el('strong', {}, 'About this demo: '),
    'the recommendation model is trained on ',
    el('em', {}, 'simulated'),
    ' browsing sessions over this catalog (no real behavior data exists for it), while the purchase-propensity weights come from the real ',
    el('span', { class: 'nowrap' }, 'UCI Online Shoppers'),
    ' data set. Everything is computed in your browser.',
  );
}

export function mountFooter(): void {
  document.body.append(
    el(
      'footer',
      { class: 'site-footer' },
      el(
        'div',
        { class: 'footer-inner' },
        el('p', {}, 'Tacit Supply is a demo store for the Tacit SDK: on-device recommendations and purchase propensity. No tracking beacons; what you do here stays in this browser.'),
        el('p', { class: 'muted' }, 'Catalog data: DummyJSON (MIT). Product pictures are drawn in the page. Propensity weights: UCI Online Shoppers Purchasing Intention (CC BY 4.0).'),
      ),
    ),
  );
}
