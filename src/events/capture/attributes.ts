/**
 * `data-tacit-*` attributes, for shops that want to say exactly what happened:
 *   <button data-tacit-event="add_to_cart" data-tacit-item-id="sku-42" data-tacit-price="19.90" data-tacit-currency="EUR">
 *   <form data-tacit-event="search" role="search"><input name="q"></form>
 *   <div data-tacit-event="view_item" data-tacit-item-id="sku-42" hidden></div>
 * A `view_item` element declares the product in view (it wins over every other source); any other event is
 * recorded when its element is clicked (a form: submitted).
 */
import { toAvailability } from '../validate.js';
import { toEventType } from '../vocabulary.js';
import { cleanCurrency, cleanId, cleanText, compact, parsePrice, parseQuantity, type CapturedEvent, type CapturedItem } from './values.js';

/** The event an element's dataset (`tacitEvent`, `tacitItemId`, …) describes, or null. */
export function eventFromAttributes(data: Readonly<Record<string, string | undefined>>): CapturedEvent | null {
  const raw = (data.tacitEvent ?? '').trim();
  const type = toEventType(raw);
  if (!type) return null;
  return compact({
    type,
    source: 'attribute' as const,
    itemId: cleanId(data.tacitItemId ?? data.tacitSku),
    name: cleanText(data.tacitName),
    price: parsePrice(data.tacitPrice),
    currency: cleanCurrency(data.tacitCurrency),
    availability: toAvailability(data.tacitAvailability),
    brand: cleanText(data.tacitBrand),
    category: cleanText(data.tacitCategory),
    variant: cleanText(data.tacitVariant),
    quantity: parseQuantity(data.tacitQuantity),
    query: cleanText(data.tacitQuery),
  });
}

const isView = (e: CapturedEvent) => e.type === 'view_item';

/** The product in view declared with `data-tacit-event="view_item"`, and its element. */
export function readAttributeView(doc: Document): { item: CapturedItem; node: Element } | null {
  for (const node of Array.from(doc.querySelectorAll<HTMLElement>('[data-tacit-event]')).slice(0, 200)) {
    const item = eventFromAttributes(node.dataset);
    if (item && isView(item) && item.itemId) return { item: item as CapturedItem, node };
  }
  return null;
}

/** Records clicks on `[data-tacit-event]` elements and submits of such forms; returns the remover. */
export function listenForAttributes(doc: Document, record: (event: CapturedEvent) => void): () => void {
  const handle = (e: Event) => {
    const target = e.target instanceof Element ? e.target : null;
    const el = target?.closest<HTMLElement>('[data-tacit-event]');
    if (!el || (e.type === 'click') === (el.localName === 'form')) return;
    const event = eventFromAttributes(el.dataset);
    if (!event || isView(event)) return;
    if (event.type === 'search' && !event.query && el instanceof HTMLFormElement) {
      const input = el.querySelector<HTMLInputElement>('input[type=search], input[name=q], input[name=s], input[name=query], input[type=text]');
      const query = cleanText(input?.value);
      if (query) event.query = query;
    }
    record(event);
  };
  doc.addEventListener('click', handle, { capture: true, passive: true });
  doc.addEventListener('submit', handle, { capture: true, passive: true });
  return () => {
    doc.removeEventListener('click', handle, true);
    doc.removeEventListener('submit', handle, true);
  };
}
