/**
 * The cart: the shop's own state (demo/src/cart.ts). "Checkout" (`#checkout`) tracks `purchase` for each
 * line and empties the cart. Quantity changes track `add_to_cart` / `remove_from_cart`.
 */
import { formatPrice, popular, categoryLabel } from '../catalog.js';
import { clearCart, onCartChange, readCart, setQuantity, type CartLine } from '../cart.js';
import { productPicture } from '../cards.js';
import { trackQuietly, type ShopContext } from '../context.js';
import { el } from '../dom.js';
import { onTacitChange } from '../observed.js';
import { recommendationSlot } from '../slots.js';
import { itemFields } from './product-view.js';

export function renderCart(root: HTMLElement, ctx: ShopContext): void {
  const { catalog } = ctx;
  const lines = () => readCart().filter((l) => catalog.get(l.id));
  const list = el('ul', { class: 'cart-lines', 'data-testid': 'cart-lines' });
  const subtotal = el('span', { 'data-testid': 'subtotal' });
  const checkout = el('button', { type: 'button', id: 'checkout', class: 'button button-primary button-large' }, 'Checkout');
  const done = el('div', { class: 'order-complete', 'data-testid': 'order-complete', role: 'status', hidden: true });
  const empty = el('div', { class: 'cart-empty', hidden: true }, el('p', {}, 'Your cart is empty.'), el('a', { class: 'button', href: ctx.shopHref() }, 'Continue shopping'));

  const recommended = recommendationSlot(
    ctx.tacit,
    catalog,
    {
      testid: 'recommended',
      title: 'Recommended for you',
      request: () => ({ k: 6, exclude: readCart().map((l) => l.id) }),
      fallback: () => ({
        title: 'Popular picks',
        items: popular(catalog, 6, { exclude: readCart().map((l) => l.id) }),
        message: 'Personal picks appear here as you browse.',
      }),
    },
    ctx.link,
  );

  const change = async (line: CartLine, delta: number) => {
    const product = catalog.get(line.id)!;
    setQuantity(line.id, line.qty + delta);
    await trackQuietly(ctx, { type: delta > 0 ? 'add_to_cart' : 'remove_from_cart', ...itemFields(product), quantity: Math.abs(delta) });
  };

  function row(line: CartLine): HTMLLIElement {
    const product = catalog.get(line.id)!;
    const minus = el('button', { type: 'button', class: 'qty-btn', 'aria-label': `One less ${product.title}` }, '−');
    const plus = el('button', { type: 'button', class: 'qty-btn', 'aria-label': `One more ${product.title}` }, '+');
    const remove = el('button', { type: 'button', class: 'link-button', 'data-action': 'remove' }, 'Remove');
    minus.addEventListener('click', () => void change(line, -1));
    plus.addEventListener('click', () => void change(line, 1));
    remove.addEventListener('click', () => void change(line, -line.qty));
    return el(
      'li',
      { class: 'cart-line', 'data-item-id': product.id },
      el('a', { class: 'cart-picture', href: ctx.link(product.id), tabindex: '-1' }, productPicture(product)),
      el(
        'div',
        { class: 'cart-line-info' },
        el('a', { class: 'cart-title', href: ctx.link(product.id) }, product.title),
        el('span', { class: 'muted' }, [categoryLabel(product.category), product.brand].filter(Boolean).join(' · ')),
        remove,
      ),
      el('div', { class: 'qty' }, minus, el('span', { class: 'qty-value', 'data-testid': 'qty' }, String(line.qty)), plus),
      el('span', { class: 'cart-line-total' }, formatPrice(product.price * line.qty)),
    );
  }

  function show(): void {
    const current = lines();
    list.replaceChildren(...current.map(row));
    const total = current.reduce((sum, l) => sum + catalog.get(l.id)!.price * l.qty, 0);
    subtotal.textContent = formatPrice(total);
    checkout.disabled = current.length === 0;
    empty.hidden = current.length > 0;
  }

  checkout.addEventListener('click', async () => {
    const current = lines();
    if (!current.length) return;
    checkout.disabled = true;
    checkout.textContent = 'Placing order…';
    for (const line of current) {
      await trackQuietly(ctx, { type: 'purchase', ...itemFields(catalog.get(line.id)!), quantity: line.qty });
    }
    const count = current.reduce((n, l) => n + l.qty, 0);
    done.replaceChildren(el('strong', {}, 'Thank you! Your order is placed.'), el('span', {}, ` ${count} item${count === 1 ? '' : 's'}. This is a demo: nothing was charged or shipped.`));
    done.hidden = false;
    checkout.textContent = 'Checkout';
    clearCart(); // → show()
    void recommended.refresh();
  });

  root.replaceChildren(
    el('h1', { class: 'page-title' }, 'Your cart'),
    done,
    el(
      'div',
      { class: 'cart-layout' },
      el('div', { class: 'cart-main' }, list, empty),
      el(
        'aside',
        { class: 'cart-summary' },
        el('h2', {}, 'Order summary'),
        el('dl', {}, el('div', {}, el('dt', {}, 'Subtotal'), el('dd', {}, subtotal)), el('div', {}, el('dt', {}, 'Shipping'), el('dd', {}, 'Free'))),
        checkout,
        el('p', { class: 'muted small' }, 'Demo checkout: no payment, no account.'),
      ),
    ),
    recommended.element,
  );
  show();
  onCartChange(() => {
    show();
    void recommended.refresh();
  }, ctx.signal);
  onTacitChange((kind) => kind === 'forget' && void recommended.refresh(), ctx.signal);
  void recommended.refresh();
}
