/**
 * schema.org JSON-LD: `<script type="application/ld+json">` blocks. A block that does not parse is skipped;
 * the text is first freed from the wrappers CMSs add (`/*<![CDATA[*\/ … /*]]>*\/`, `<!-- … -->`) and from
 * raw control characters (line breaks pasted into descriptions), and a trailing comma is forgiven.
 */
import { itemFromRoots, type PageHints } from './schema.js';
import type { CapturedItem } from './values.js';

/** Parsed JSON-LD, or undefined when the text is not JSON even after the usual repairs. */
export function parseJsonLd(text: string): unknown {
  const s = text
    .replace(/^\s*(\/\/|\/\*)?\s*(<!\[CDATA\[|<!--)\s*(\*\/)?/, '')
    .replace(/(\/\/|\/\*)?\s*(\]\]>|-->)\s*(\*\/)?\s*$/, '')
    // JSON forbids raw control characters inside strings; between tokens a space means the same.
    .replace(/[\u0000-\u001f]+/g, ' ');
  try {
    return JSON.parse(s) as unknown;
  } catch {
    try {
      return JSON.parse(s.replace(/,\s*([}\]])/g, '$1')) as unknown;
    } catch {
      return undefined;
    }
  }
}

/** The product in view described by a page's JSON-LD blocks (texts in document order), or null. */
export function itemFromJsonLd(texts: readonly string[], hints: PageHints): CapturedItem | null {
  return itemFromRoots(texts.map(parseJsonLd), hints)?.item ?? null;
}

const cache = new WeakMap<Element, [string, unknown]>();

/**
 * The product in view per the page's JSON-LD and the `<script>` it came from. Each block is parsed once per
 * text: the SPA watcher reads them again as the page changes.
 */
export function readJsonLd(doc: Document, hints: PageHints): { item: CapturedItem; node: Element } | null {
  const nodes = Array.from(doc.querySelectorAll('script[type="application/ld+json" i]'));
  const roots = nodes.map((node) => {
    const text = node.textContent ?? '';
    const hit = cache.get(node);
    if (hit && hit[0] === text) return hit[1];
    const parsed = parseJsonLd(text);
    cache.set(node, [text, parsed]);
    return parsed;
  });
  const found = itemFromRoots(roots, hints);
  return found && { item: found.item, node: nodes[found.root]! };
}
