// @vitest-environment happy-dom
/**
 * Fuzzing the DOM readers of capture (issue 12) on generated markup: JSON-LD scripts, microdata items with
 * nested and odd properties, Open Graph meta tags, `data-tacit-*` attributes, all mixed in one page; and
 * capture running on such a page while the page pushes odd dataLayer entries and navigates. Properties:
 * no reader throws, what is read is within the limits and passes the one validator, no prototype is
 * polluted, and nothing capture does throws into the page's own `push` or `pushState`.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readJsonLd } from '../../src/events/capture/jsonld.js';
import { RDFA, readMicrodata } from '../../src/events/capture/microdata.js';
import { readOpenGraph } from '../../src/events/capture/opengraph.js';
import { readAttributeView } from '../../src/events/capture/attributes.js';
import { startCapture } from '../../src/events/capture/index.js';
import type { TrackInput } from '../../src/events/vocabulary.js';
import { check, expectNoPollution, expectValidCapture, nastyString, nastyValue } from './fuzz.js';

const attr = fc.oneof(nastyString(30), fc.constantFrom('Product', 'https://schema.org/Product', 'https://schema.org/Offer', 'name', 'sku', 'price', 'offers', 'priceCurrency', 'availability', '__proto__', 'constructor', 'name sku'));

/** A small HTML tree of microdata-ish and RDFa-ish elements. */
const element: fc.Arbitrary<string> = fc.letrec<{ el: string }>((tie) => ({
  el: fc
    .tuple(
      fc.constantFrom('div', 'span', 'meta', 'a', 'link', 'time', 'data', 'img', 'h1', 'p'),
      fc.record({ itemscope: fc.boolean(), itemtype: fc.option(attr, { nil: undefined }), itemprop: fc.option(attr, { nil: undefined }), typeof: fc.option(attr, { nil: undefined }), property: fc.option(attr, { nil: undefined }), resource: fc.option(nastyString(20), { nil: undefined }), content: fc.option(nastyString(20), { nil: undefined }), href: fc.option(nastyString(20), { nil: undefined }), 'data-tacit-event': fc.option(fc.constantFrom('view_item', 'add_to_cart', 'x'), { nil: undefined }), 'data-tacit-item-id': fc.option(nastyString(10), { nil: undefined }) }, { requiredKeys: [] }),
      // Text first: at the maximum depth, oneof takes its first arbitrary.
      fc.array(fc.oneof({ maxDepth: 4, depthIdentifier: 'el' }, nastyString(20), tie('el')), { maxLength: 3 }),
    )
    .map(([tag, attrs, children]) => {
      const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
      const a = Object.entries(attrs)
        .filter(([, v]) => v !== undefined && v !== false)
        .map(([k, v]) => (v === true ? k : `${k}="${esc(String(v))}"`))
        .join(' ');
      const inner = (children as string[]).map((c) => (c.startsWith('<') ? c : c.replace(/[<&]/g, ' '))).join('');
      return tag === 'meta' || tag === 'link' || tag === 'img' ? `<${tag} ${a}>` : `<${tag} ${a}>${inner}</${tag}>`;
    }),
})).el;

const jsonLd = fc.oneof(nastyValue.map((v) => JSON.stringify(v) ?? ''), nastyString(100), fc.record({ '@type': fc.constant('Product'), sku: nastyValue, name: nastyValue, offers: nastyValue }).map((v) => JSON.stringify(v)));
const og = fc.tuple(fc.constantFrom('og:type', 'og:title', 'product:price:amount', 'product:price:currency', 'product:availability', 'product:retailer_item_id'), fc.oneof(fc.constant('product'), nastyString(30)));

const page = fc.record({
  body: fc.array(element, { maxLength: 4 }),
  scripts: fc.array(jsonLd, { maxLength: 3 }),
  meta: fc.array(og, { maxLength: 5 }),
});

function render(p: { body: string[]; scripts: string[]; meta: [string, string][] }): void {
  document.head.innerHTML = p.meta.map(([k, v]) => `<meta property="${k}" content="${v.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}">`).join('');
  document.body.innerHTML = p.body.join('');
  for (const text of p.scripts) {
    const s = document.createElement('script');
    s.type = 'application/ld+json';
    s.textContent = text;
    document.body.append(s);
  }
}

const hints = { url: 'https://shop.example/p/mug', h1: 'Mug' };

describe('fuzz: capture on generated pages', () => {
  it('each DOM reader returns a valid item or null and throws nothing', () =>
    check(
      fc.property(page, (p) => {
        render(p);
        for (const read of [() => readJsonLd(document, hints), () => readMicrodata(document, hints), () => readMicrodata(document, hints, RDFA), () => readOpenGraph(document, hints.url), () => readAttributeView(document)]) {
          const r = read();
          if (r) expectValidCapture({ type: 'view_item', ...r.item });
        }
        expectNoPollution();
      }),
      0.5,
    ));

  it('capture on such a page: the page’s push and pushState keep their contract, every tracked event is valid', async () =>
    check(
      fc.asyncProperty(page, fc.array(fc.oneof(nastyValue, fc.record({ event: fc.constantFrom('view_item', 'add_to_cart', 'purchase'), ecommerce: fc.record({ items: fc.array(nastyValue, { maxLength: 3 }) }) })), { maxLength: 8 }), async (p, pushes) => {
        render(p);
        const w = window as unknown as { dataLayer?: unknown[] };
        w.dataLayer = [];
        const tracked: TrackInput[] = [];
        const stop = startCapture({ track: async (e) => void tracked.push(e) });
        try {
          pushes.forEach((entry, i) => {
            expect(w.dataLayer!.push(entry)).toBe(i + 1);
            if (i % 3 === 0) history.pushState({}, '', `/p/${i}`);
          });
          await new Promise((r) => setTimeout(r, 5));
        } finally {
          stop();
          delete w.dataLayer;
        }
        for (const e of tracked) expectValidCapture(e as unknown as Record<string, unknown>);
        expectNoPollution();
      }),
      0.2,
    ));
});
