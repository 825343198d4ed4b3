/**
 * A product page: picture, details, "Add to cart" (`#add-to-cart`), a "Similar items" slot (context = this
 * product) and a "Recommended for you" slot (from the stored history). Tracks `view_item` when shown and
 * `add_to_cart` on the button.
 */
import type { TrackInput } from 'tacit';
import { categoryLabel, formatPrice, popular, type Product } from '../catalog.js';
import { addToCart } from '../cart.js';
import { productPicture, stars } from '../cards.js';
import { trackQuietly, type ShopContext } from '../context.js';
import { el } from '../dom.js';
import { onTacitChange } from '../observed.js';
import { recommendationSlot } from '../slots.js';

/** The fields Tacit's events share for one product. */
export function itemFields(product: Product): Omit<TrackInput, 'type'> {
  const fields: Omit<TrackInput, 'type'> = { itemId: product.id, name: product.title, price: product.price, currency: 'USD', category: product.category };
  if (product.brand) fields.brand = product.brand;
  return fields;
}

export function renderProduct(root: HTMLElement, ctx: ShopContext, id: string | null): Product | null {
  const product = id === null ? undefined : ctx.catalog.get(id);
  if (!product) {
    root.replaceChildren(
      el('section', { class: 'not-found', 'data-testid': 'not-found' }, el('h1', {}, 'Product not found'), el('p', {}, "We couldn't find that product. It may have been removed."), el('a', { class: 'button', href: ctx.shopHref() }, 'Back to the shop')),
    );
    return null;
  }

  const add = el('button', { type: 'button', id: 'add-to-cart', class: 'button button-primary button-large' }, 'Add to cart');
  const added = el('p', { class: 'added-note', role: 'status', 'aria-live': 'polite' });
  const stock = product.stock > 10 ? 'In stock' : product.stock > 0 ? `Only ${product.stock} left` : 'Out of stock';

  const similar = recommendationSlot(
    ctx.tacit,
    ctx.catalog,
    {
      testid: 'similar',
      title: 'Similar items',
      request: () => ({ k: 6, context: [product.id], exclude: [product.id] }),
      fallback: () => ({
        title: `More in ${categoryLabel(product.category)}`,
        items: popular(ctx.catalog, 6, { exclude: [product.id], category: product.category }),
        message: 'Top rated in this department.',
      }),
    },
    ctx.link,
  );
  const recommended = recommendationSlot(
    ctx.tacit,
    ctx.catalog,
    {
      testid: 'recommended',
      title: 'Recommended for you',
      request: () => ({ k: 6, exclude: [product.id] }),
      fallback: () => ({
        title: 'Popular picks',
        items: popular(ctx.catalog, 6, { exclude: [product.id] }),
        message: 'Personal picks appear here as you browse.',
      }),
    },
    ctx.link,
  );

  root.replaceChildren(
    el(
      'nav',
      { class: 'breadcrumb', 'aria-label': 'Breadcrumb' },
      el('a', { href: ctx.shopHref() }, 'Shop'),
      el('span', { 'aria-hidden': 'true' }, '/'),
      el('a', { href: ctx.shopHref(product.category) }, categoryLabel(product.category)),
      el('span', { 'aria-hidden': 'true' }, '/'),
      el('span', { 'aria-current': 'page' }, product.title),
    ),
    el(
      'article',
      { class: 'product', 'data-testid': 'product', 'data-item-id': product.id },
      el('div', { class: 'product-picture' }, productPicture(product)),
      el(
        'div',
        { class: 'product-info' },
        el('p', { class: 'product-category' }, categoryLabel(product.category)),
        el('h1', { class: 'product-title' }, product.title),
        product.brand ? el('p', { class: 'product-brand' }, 'by ', el('strong', {}, product.brand)) : null,
        stars(product.rating),
        el('p', { class: 'product-price', 'data-testid': 'price' }, formatPrice(product.price)),
        el('p', { class: `product-stock${product.stock > 0 ? '' : ' is-out'}` }, stock),
        el('p', { class: 'product-description' }, product.description),
        el('div', { class: 'product-actions' }, add, added),
        el('ul', { class: 'product-perks' }, el('li', {}, 'Free shipping over $50'), el('li', {}, '30-day returns'), el('li', {}, 'No tracking beacons')),
      ),
    ),
    similar.element,
    recommended.element,
  );

  let timer = 0;
  add.addEventListener('click', async () => {
    addToCart(product.id);
    add.textContent = 'Added ✓';
    add.classList.add('is-done');
    added.replaceChildren('Added to your cart. ', el('a', { href: ctx.cartHref }, 'View cart'));
    clearTimeout(timer);
    timer = window.setTimeout(() => {
      add.textContent = 'Add to cart';
      add.classList.remove('is-done');
    }, 1600);
    await trackQuietly(ctx, { type: 'add_to_cart', ...itemFields(product), quantity: 1 });
    void recommended.refresh();
  });
  onTacitChange((kind) => kind === 'forget' && void recommended.refresh(), ctx.signal);

  void similar.refresh();
  // The history-based slot waits for this view to be stored, so that it already counts.
  void trackQuietly(ctx, { type: 'view_item', ...itemFields(product) }).then(() => recommended.refresh());
  return product;
}
