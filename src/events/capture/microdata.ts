/**
 * schema.org microdata, read the way the microdata spec defines items: an element with `itemscope` is an item
 * (an `itemtype` alone does not make one); its properties are the `itemprop` elements below it, not crossing
 * into a nested `itemscope`. So a recommendation tile's own price (an item of its own) never becomes the
 * price of the product in view, and the document's first `[itemprop=price]` is never taken blindly: the
 * price comes from the product's `offers`. The items become the same plain objects JSON-LD parses to, and
 * `schema.ts` reads them.
 *
 * RDFa Lite (`vocab`, `typeof`, `property`, `resource`) nests the same way with other attribute names: an
 * element with `typeof` is an item, `property` names its properties, and `property` with `typeof` is a
 * nested item. So one reader serves both (`RDFA`), and each is a source of its own in the event. Names may
 * carry a prefix or a vocabulary (`schema:price`, Drupal's RDF module; `http://schema.org/price`): the last
 * segment is the name. `about` or `resource` is the item's id (Drupal: `about="/product/12"`).
 */
import { itemFromRoots, type PageHints } from './schema.js';
import { amountCount, parsePrice } from './price.js';
import { boundedText, MAX_READ_LENGTH, type CapturedItem, type Obj } from './values.js';

const MAX_ITEMS = 100;
/** Item elements looked at to find the top-level ones (a listing page has a few hundred). */
const MAX_SCOPES = 2000;
const MAX_DEPTH = 8;
/** Element levels below an item that are searched for its properties. */
const MAX_NESTING = 256;

/** The nodes one microdata pass may visit (elements walked and text nodes read): its work is bounded. */
const MAX_NODES = 30_000;

interface Budget {
  nodes: number;
}

/** The attributes of one syntax of schema.org in HTML: what makes an item, names a property, types and names an item. */
export interface Syntax {
  scope: string;
  prop: string;
  type: string;
  id: string;
}
export const MICRODATA: Syntax = { scope: 'itemscope', prop: 'itemprop', type: 'itemtype', id: 'itemid' };
export const RDFA: Syntax = { scope: 'typeof', prop: 'property', type: 'typeof', id: 'about' };

/** An attribute's value, at most `MAX_READ_LENGTH` characters (attributes are unbounded page data). */
const attr = (el: Element, name: string): string | null => el.getAttribute(name)?.slice(0, MAX_READ_LENGTH) ?? null;

/**
 * A property's value: `content`, the URL of links and media, else the text, at most `MAX_READ_LENGTH`
 * characters of it, read with the pass's node budget (issue 12, defect 2: `textContent` of each of 1,000
 * nested properties made the pass quadratic).
 */
function valueOf(el: Element, budget: Budget): string {
  const tag = el.localName;
  return (
    attr(el, 'content') ??
    attr(el, 'resource') ?? // RDFa: an IRI value (`<span property="availability" resource="…/InStock">`)
    (tag === 'a' || tag === 'link' || tag === 'area' ? attr(el, 'href') : null) ??
    (tag === 'img' || tag === 'source' || tag === 'video' || tag === 'audio' ? attr(el, 'src') : null) ??
    (tag === 'time' ? attr(el, 'datetime') : null) ??
    (tag === 'data' || tag === 'meter' ? attr(el, 'value') : null) ??
    boundedText(el, MAX_READ_LENGTH, budget)
  );}

const PRICE_PROPS = new Set(['price', 'lowprice', 'highprice']);
/** Attributes in which themes keep an element's exact amount (Magento: `data-price-amount`). */
const AMOUNT_ATTRS = ['data-price-amount', 'data-price', 'data-amount', 'data-value'];

const exactAmount = (el: Element): string | null => {
  for (const a of AMOUNT_ATTRS) {
    const v = attr(el, a);
    if (v !== null && parsePrice(v) !== undefined) return v;
  }
  return null;
};

/**
 * A price property's value. `content` is meant to be the machine value, but themes fill it with display text:
 * a sale and a "was" price, line breaks from the template. When it does not hold exactly one amount, the
 * element's own amount attribute, or its first descendant's (Magento's price box), is the exact price;
 * else the first amount of the content. Text without `content` is display text (`Rp 31.500` is 31500).
 */
function priceValue(el: Element, budget: Budget): string | number {
  const own = exactAmount(el);
  if (own !== null) return own;
  const content = attr(el, 'content');
  if (content !== null && amountCount(content) === 1) return content;
  const inner = el.querySelector(AMOUNT_ATTRS.map((a) => `[${a}]`).join(','));
  const exact = inner && exactAmount(inner);
  if (exact !== null && exact !== undefined) return exact;
  if (content !== null) return content;
  const text = boundedText(el, MAX_READ_LENGTH, budget);
  return parsePrice(text, { text: true }) ?? text;
}

/** The microdata (or RDFa) items at the top (those that are not a property of another item), as plain objects. */
export function microdataItems(doc: Document, s: Syntax = MICRODATA): { items: Obj[]; nodes: Element[]; h1Root: number; mainRoots: Set<number> } {
  const budget: Budget = { nodes: MAX_NODES };
  const read = (scope: Element, depth: number): Obj => {
    const item: Obj = { '@type': (attr(scope, s.type) ?? '').trim().split(/\s+/) };
    const id = attr(scope, s.id) ?? attr(scope, 'resource');
    if (id) item['@id'] = id;
    const visit = (parent: Element, level: number): void => {
      if (level > MAX_NESTING) return; // a 10,000-deep chain of <div>s would overflow the stack
      // Siblings one by one, not `Array.from(children)`: a parent with a million children costs the budget, not more.
      for (let child = parent.firstElementChild; child && --budget.nodes >= 0; child = child.nextElementSibling) {
        const props = attr(child, s.prop);
        const nested = child.hasAttribute(s.scope);
        if (props) {
          const names = props.trim().split(/\s+/).map((n) => n.replace(/^.*[/#:]/, ''));
          const value = nested ? (depth < MAX_DEPTH ? read(child, depth + 1) : {}) : names.some((n) => PRICE_PROPS.has(n.toLowerCase())) ? priceValue(child, budget) : valueOf(child, budget);
          for (const name of names) {
            if (name === '__proto__') continue; // an assignment would set the prototype, not a property
            const prev = Object.hasOwn(item, name) ? item[name] : undefined;
            item[name] = prev === undefined ? value : ([] as unknown[]).concat(prev, value);
          }
        }
        if (!nested) visit(child, level + 1);
      }
    };
    visit(scope, 0);
    return item;
  };
  const h1 = doc.querySelector('h1');
  // Top-level items: those that are not a property of another item. An item with an `itemprop` but no
  // enclosing item counts too (`<div itemprop="mainEntity" itemscope itemtype="…/Product">` without the
  // page's WebPage item around it: the property has no item to belong to).
  const nodes = Array.from(doc.querySelectorAll(`[${s.scope}]`))
    .slice(0, MAX_SCOPES)
    .filter((n) => !n.hasAttribute(s.prop) || !n.parentElement?.closest(`[${s.scope}]`))
    .slice(0, MAX_ITEMS);
  const mainRoots = new Set<number>();
  nodes.forEach((n, i) => /(^|[\s:/])mainEntity(OfPage)?(\s|$)/.test(n.getAttribute(s.prop) ?? '') && mainRoots.add(i));
  // The innermost item that holds the page's <h1> is likely the page's subject.
  let h1Root = -1;
  if (h1) nodes.forEach((n, i) => n.contains(h1) && (h1Root = i));
  return { items: nodes.map((n) => read(n, 0)), nodes, h1Root, mainRoots };
}

/** The product in view per the page's microdata (or RDFa) and the element of its item, or null. */
export function readMicrodata(doc: Document, hints: PageHints, s?: Syntax): { item: CapturedItem; node: Element } | null {
  const { items, nodes, h1Root, mainRoots } = microdataItems(doc, s);
  const found = itemFromRoots(items, { ...hints, h1Root, mainRoots });
  return found && { item: found.item, node: nodes[found.root]! };
}
