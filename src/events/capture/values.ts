/**
 * Value cleaning shared by every capture path. Markup is written by people and plugins: prices come as
 * `"1.299,00 €"`, names carry HTML, ids are numbers. Each helper returns a clean value or `undefined`, never
 * throws, so that one odd field drops that field, not the event.
 */
import { MAX_ID_LENGTH, MAX_TEXT_LENGTH } from '../validate.js';
import type { CaptureSource, TrackInput } from '../vocabulary.js';

/** An item as a capture path read it, before the validator: every field already cleaned. */
export interface CapturedItem {
  itemId: string;
  name?: string;
  price?: number;
  currency?: string;
  availability?: string;
  brand?: string;
  category?: string;
  variant?: string;
  quantity?: number;
}

/** What a capture path hands to `track()`. */
export type CapturedEvent = TrackInput & { source: CaptureSource };

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Own property only: parsed markup may carry keys such as `__proto__` or `constructor`. */
export const own = (o: Obj, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);

/** The first element of an array, or the value itself. */
export const first = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v);

/**
 * Longest string any capture path reads from the page (an attribute, a property's text, a URL): beyond
 * it, text is cut (or, for an id or a URL, not used). Markup is the page's, and capture runs inside the
 * page's own calls, so every read is bounded (issue 12, defect 2).
 */
export const MAX_READ_LENGTH = 2000;

/**
 * At most `max` characters of an element's text, read text node by text node, in document order, so that
 * reading a property costs what it keeps and not the size of its subtree (`textContent` of an element
 * that holds the whole page, asked for each of 1,000 nested properties, is quadratic). `budget.nodes`
 * counts the nodes visited, shared across one capture pass; none are visited once it is spent.
 */
export function boundedText(el: Node, max = MAX_READ_LENGTH, budget = { nodes: 10_000 }): string {
  let out = '';
  let node: Node | null = el.firstChild;
  // Pre-order walk below `el` without recursion: a deep chain costs no stack.
  while (node && out.length < max && --budget.nodes >= 0) {
    if (node.nodeType === 3 || node.nodeType === 4) out += (node as CharacterData).data.slice(0, max - out.length);
    if (node.firstChild) node = node.firstChild;
    else {
      while (node && node !== el && !node.nextSibling) node = node.parentNode;
      node = node && node !== el ? node.nextSibling : null;
    }
  }
  return out;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'", '#039': "'", '#x27': "'" };

/**
 * Display text: entities decoded, `<script>`/`<style>` blocks and tags removed, whitespace collapsed,
 * cut at `max` characters. Numbers become strings.
 */
export function cleanText(v: unknown, max = MAX_TEXT_LENGTH): string | undefined {
  v = first(v);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return undefined;
  const s = v
    .slice(0, 4 * max)
    .replace(/&(amp|lt|gt|quot|apos|nbsp|#0?39|#x27);/gi, (m, e: string) => ENTITIES[e.toLowerCase()] ?? m)
    .replace(/<(script|style)\b[\s\S]*?(<\/\1\s*>|$)/gi, ' ')
    .replace(/<[^>]*>?/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max)
    .trim();
  return s || undefined;
}

/** An id: a string or number, at most 200 characters once trimmed (longer is not an id: dropped, not cut). */
export function cleanId(v: unknown): string | undefined {
  v = first(v);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string' || v.length > MAX_READ_LENGTH) return undefined;
  const s = v.trim();
  return s && s.length <= MAX_ID_LENGTH ? s : undefined;
}

/** Signs that name one currency only (`$` and `¥` name several: left out), as themes write them in `priceCurrency`. */
const SIGNS: Record<string, string> = { '€': 'EUR', '£': 'GBP', '₹': 'INR', '₩': 'KRW', '₽': 'RUB', '₺': 'TRY', '₴': 'UAH', '₪': 'ILS', '₫': 'VND', '฿': 'THB', 'zł': 'PLN', 'kč': 'CZK', 'us$': 'USD', 'r$': 'BRL', 'a$': 'AUD', 'c$': 'CAD' };

/** An ISO 4217 code, upper-cased; a currency sign that names one currency (`€`) becomes its code. */
export function cleanCurrency(v: unknown): string | undefined {
  v = first(v);
  if (typeof v !== 'string' || v.length > 40) return undefined;
  const s = v.trim();
  return /^[A-Za-z]{3}$/.test(s) ? s.toUpperCase() : Object.hasOwn(SIGNS, s.toLowerCase()) ? SIGNS[s.toLowerCase()] : undefined;
}

export { parsePrice } from './price.js';

/** A quantity: a non-negative finite number (or numeric text). */
export function parseQuantity(v: unknown): number | undefined {
  v = first(v);
  const n = typeof v === 'string' && v.length <= 40 && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= 1e6 ? n : undefined;
}

/** The last non-empty path segment of a URL (a product handle such as `acme-mug`, `.html` dropped), or undefined. */
export function lastSegment(url: unknown, base?: string): string | undefined {
  if (typeof url !== 'string' || url.length > 2000) return undefined;
  try {
    const segment = new URL(url, base).pathname.split('/').filter(Boolean).pop();
    // A script name (product.php?id=12) is the same on every product: not an id.
    return segment === undefined || /\.(php|aspx?|jsp|cfm|cgi)$/i.test(segment) ? undefined : cleanId(decodeURIComponent(segment).replace(/\.html?$/, ''));
  } catch {
    return undefined;
  }
}

/** The path of a URL (for comparing a product's URL with the page's), or undefined. */
export function pathOf(url: unknown, base?: string): string | undefined {
  if (typeof url !== 'string' || url.length > 2000) return undefined;
  try {
    return new URL(url, base).pathname.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}

/** Drops undefined fields so that records stay small and comparable. */
export function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
