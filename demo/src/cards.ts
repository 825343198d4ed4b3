/**
 * Product cards. `a.product-card[data-item-id]` is a product the grid or Tacit put there; the shop's own
 * fallback picks use `a.fallback-card` instead, so the two can always be told apart.
 */
import { categoryLabel, formatPrice, type Product } from './catalog.js';
import { el } from './dom.js';
import { pictureUrl } from './pictures.js';

/** Where a product's page is: `product.html?id=N` on the script-tag pages, `#/product/N` in the SPA. */
export type ProductLink = (id: string) => string;

export const pageLink: ProductLink = (id) => `product.html?id=${encodeURIComponent(id)}`;
export const spaLink: ProductLink = (id) => `#/product/${encodeURIComponent(id)}`;

export function productPicture(product: Product, className = 'picture'): HTMLImageElement {
  return el('img', { class: className, src: pictureUrl(product), alt: product.title, width: 480, height: 480, decoding: 'async', draggable: 'false' });
}

export function stars(rating: number): HTMLElement {
  return el('span', { class: 'stars', title: `Rated ${rating.toFixed(1)} out of 5`, style: `--rating:${rating}` }, el('span', { 'aria-hidden': 'true' }, '★★★★★'), el('span', { class: 'stars-value' }, rating.toFixed(1)));
}

export function productCard(product: Product, link: ProductLink, options: { fallback?: boolean } = {}): HTMLAnchorElement {
  const attrs: Record<string, string> = options.fallback
    ? { class: 'fallback-card', 'data-popular-id': product.id }
    : { class: 'product-card', 'data-item-id': product.id };
  return el(
    'a',
    { ...attrs, href: link(product.id) },
    el('span', { class: 'card-picture' }, productPicture(product)),
    el(
      'span',
      { class: 'card-body' },
      el('span', { class: 'card-category' }, categoryLabel(product.category)),
      el('span', { class: 'card-title' }, product.title),
      el('span', { class: 'card-meta' }, el('span', { class: 'card-price' }, formatPrice(product.price)), stars(product.rating)),
    ),
  );
}
