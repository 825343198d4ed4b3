/**
 * Card markup from the merchant's `<template>` (or the default one) and an item of the catalog feed. Data
 * goes in through `textContent` and two checked URL attributes only, never as HTML: `data-tacit="url"` sets
 * an `<a>`'s `href`, `data-tacit="image"` an `<img>`'s `src`, both through the feed's own URL check
 * (model/catalog.ts `safeUrl`); any other `data-tacit` field is text. A field on another kind of element
 * (an image URL on a `<script>`, a link on an `<iframe>`) is ignored.
 */
import { safeUrl, CATALOG_LIMITS } from '../model/catalog.js';
import type { Card } from './types.js';

/** The card used when the element has no `<template>` child. Markup of our own, never data. */
const DEFAULT_CARD = '<a data-tacit="url"><img data-tacit="image" alt=""><span data-tacit="name"></span></a> <span data-tacit="price"></span><small data-tacit="because"></small>';

let defaultTemplate: HTMLTemplateElement | null = null;
export function defaultCard(): HTMLTemplateElement {
  if (!defaultTemplate) {
    defaultTemplate = document.createElement('template');
    defaultTemplate.innerHTML = DEFAULT_CARD;
  }
  return defaultTemplate;
}

/**
 * Zero-specificity defaults (`:where`), so any rule of the shop's own stylesheet wins. They keep long
 * names inside the card and the images inside the reserved box.
 */
const STYLE =
  ':where(.tacit-cards){display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:1rem;list-style:none;margin:0;padding:0}' +
  ':where(.tacit-card){min-width:0;overflow-wrap:anywhere}:where(.tacit-card img){display:block;max-width:100%;height:auto}' +
  ':where(.tacit-card [data-tacit=because]){display:block;opacity:.75}';

export function addDefaultStyle(): void {
  if (document.getElementById('tacit-widgets-style')) return;
  const style = document.createElement('style');
  style.id = 'tacit-widgets-style';
  style.textContent = STYLE;
  document.head.prepend(style); // first, so that the shop's own rules of equal weight come later and win
}

function formatPrice(price: number, currency: string | undefined): string {
  if (!currency) return String(price);
  try {
    return new Intl.NumberFormat(document.documentElement.lang || undefined, { style: 'currency', currency }).format(price);
  } catch {
    return `${price} ${currency}`; // a page `lang` or a currency code this browser does not know
  }
}

/** The text of a field, or '' when the item has none. */
function textOf(card: Card, field: string, currency: string | undefined): string {
  switch (field) {
    case 'name':
      return card.name;
    case 'price':
      return card.price === undefined ? '' : formatPrice(card.price, card.currency ?? currency);
    case 'category':
      return card.category ?? '';
    case 'availability':
      return card.availability?.replace(/([a-z])([A-Z])/g, '$1 $2') ?? ''; // "InStock" → "In Stock"
    case 'because':
      return card.because ? `Because you viewed ${card.because.name ?? card.because.itemId}` : '';
    case 'id':
      return card.id;
    default:
      return '';
  }
}

export interface FillOptions {
  /** The feed's default currency. */
  currency?: string;
  /** Whether http(s) images may load (`images="network"`); by default only images inlined in the feed. */
  networkImages: boolean;
}

/** A filled copy of `template`'s content for one card. */
export function fillCard(template: HTMLTemplateElement, card: Card, options: FillOptions): DocumentFragment {
  const frag = template.content.cloneNode(true) as DocumentFragment;
  for (const el of Array.from(frag.querySelectorAll<HTMLElement>('[data-tacit]'))) {
    const field = el.dataset.tacit!;
    const tag = el.localName;
    if (field === 'url') {
      if (tag !== 'a') continue;
      const href = safeUrl(card.url);
      if (href) el.setAttribute('href', href);
    } else if (field === 'image') {
      if (tag !== 'img') continue;
      const src = safeUrl(card.image, CATALOG_LIMITS.image, true);
      // A network image tells its host which item this shopper was shown: off unless the page opted in.
      if (src && (src.startsWith('data:') || options.networkImages)) el.setAttribute('src', src);
      else el.remove();
    } else {
      const text = textOf(card, field, options.currency);
      el.textContent = text;
      if (!text) el.hidden = true;
    }
  }
  return frag;
}
