/**
 * schema.org JSON-LD: `<script type="application/ld+json">` blocks. A block that does not parse is skipped;
 * the text is first freed from the wrappers CMSs add (`/*<![CDATA[*\/ … /*]]>*\/`, `<!-- … -->`) and from
 * raw control characters (line breaks pasted into descriptions), and a trailing comma is forgiven.
 *
 * This runs synchronously at page load, on DOM mutations and inside the page's own `dataLayer.push` and
 * `pushState`, so all of it is linear in the text and bounded per pass: the wrappers are stripped by
 * index scans, not by unanchored regular expressions, which backtracked over whitespace runs in quadratic
 * time (40,000 spaces in a review body froze the page for 0.7 s; issue 12, defect 2).
 */
import { itemFromRoots, type PageHints } from './schema.js';
import type { CapturedItem } from './values.js';

/** A block longer than this (UTF-16 code units) is not read: no real product block comes near it. */
export const MAX_JSONLD_CHARS = 512 * 1024;
/** At most this many blocks are read per capture pass, and at most `MAX_JSONLD_PASS_CHARS` in all. */
export const MAX_JSONLD_BLOCKS = 32;
export const MAX_JSONLD_PASS_CHARS = 1024 * 1024;

const OPENERS = ['<![CDATA[', '<!--'];
const CLOSERS = [']]>', '-->'];

// What `\s` matches in a regular expression, tested per code unit so that the scans below stay linear.
const isSpace = (c: number) =>
  c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;

function skipForward(s: string, i: number): number {
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return i;
}

function skipBack(s: string, end: number): number {
  while (end > 0 && isSpace(s.charCodeAt(end - 1))) end--;
  return end;
}

/** Where the JSON starts: after `//<![CDATA[`, `/*<!--*\/` and the like, or 0 when there is no such opener. */
function bodyStart(s: string): number {
  let i = skipForward(s, 0);
  if (s.startsWith('//', i) || s.startsWith('/*', i)) i = skipForward(s, i + 2);
  const opener = OPENERS.find((o) => s.startsWith(o, i));
  if (!opener) return 0;
  i = skipForward(s, i + opener.length);
  return s.startsWith('*/', i) ? i + 2 : i;
}

/** Where the JSON ends: before `//]]>`, `/*-->*\/` and the like, or the text's length when there is no closer. */
function bodyEnd(s: string, start: number): number {
  let end = skipBack(s, s.length);
  if (s.endsWith('*/', end) && end - 2 >= start) end = skipBack(s, end - 2);
  const closer = CLOSERS.find((c) => s.endsWith(c, end) && end - c.length >= start);
  if (!closer) return s.length;
  end = skipBack(s, end - closer.length);
  return (s.endsWith('//', end) || s.endsWith('/*', end)) && end - 2 >= start ? end - 2 : end;
}

/** Parsed JSON-LD, or undefined when the text is not JSON even after the usual repairs (or is over the size cap). */
export function parseJsonLd(text: string): unknown {
  if (text.length > MAX_JSONLD_CHARS) return undefined;
  const start = bodyStart(text);
  const s = text
    .slice(start, bodyEnd(text, start))
    // JSON forbids raw control characters inside strings; between tokens a space means the same.
    .replace(/[\u0000-\u001f]+/g, ' ');
  try {
    return JSON.parse(s) as unknown;
  } catch {
    try {
      // Linear: a match can only start at a comma, and the whitespace after a comma is scanned once.
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
  const nodes = Array.from(doc.querySelectorAll('script[type="application/ld+json" i]')).slice(0, MAX_JSONLD_BLOCKS);
  let chars = 0;
  const roots = nodes.map((node) => {
    const text = node.textContent ?? '';
    // Only what is parsed counts against the pass: a block over the per-block cap is skipped unread.
    if (text.length > MAX_JSONLD_CHARS || (chars += text.length) > MAX_JSONLD_PASS_CHARS) return undefined;
    const hit = cache.get(node);
    if (hit && hit[0] === text) return hit[1];
    const parsed = parseJsonLd(text);
    cache.set(node, [text, parsed]);
    return parsed;
  });
  const found = itemFromRoots(roots, hints);
  return found && { item: found.item, node: nodes[found.root]! };
}
