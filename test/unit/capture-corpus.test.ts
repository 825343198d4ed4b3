/**
 * The capture corpus (test/capture-corpus/) is well formed: each page is served at its own URL, each file is
 * labelled once, and every label names a known source. `npm run eval:capture` serves pages by URL, so two
 * pages at one URL (a review found two at `https://example.com/anvil`) made one of them load the other's
 * HTML and be scored against the wrong label.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPTURE_SOURCES } from '../../src/events/vocabulary.js';

const dir = join(import.meta.dirname, '../capture-corpus');
interface Page {
  file: string;
  url: string;
  site: string;
  platform: string;
  structured: boolean;
  source?: string;
  view: { itemId: string; price?: number; currency?: string; availability?: string } | null;
}
const corpus = JSON.parse(readFileSync(join(dir, 'corpus.json'), 'utf8')) as { pages: Page[] };
const pages = corpus.pages;
const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
const dupes = (xs: string[]) => xs.filter((x, i) => xs.indexOf(x) !== i);
/** The key the eval serves a page at (scripts/eval-capture.mjs): the URL without its fragment. */
const servedAt = (url: string) => {
  const u = new URL(url);
  return u.origin + u.pathname + u.search;
};

describe('capture corpus', () => {
  it('serves each page at its own URL', () => {
    expect(dupes(pages.map((p) => servedAt(p.url)))).toEqual([]);
  });

  it('labels each file once, and every file under pages/ has a label', () => {
    const files = walk(join(dir, 'pages')).map((f) => relative(join(dir, 'pages'), f).split('\\').join('/'));
    expect(dupes(pages.map((p) => p.file))).toEqual([]);
    expect(pages.map((p) => p.file).filter((f) => !files.includes(f))).toEqual([]);
    expect(files.filter((f) => !pages.some((p) => p.file === f))).toEqual([]);
  });

  it('every label is complete: site, platform, a known source, a product view with an id', () => {
    for (const p of pages) {
      const where = p.file;
      expect(typeof p.site === 'string' && p.site.length > 0, where).toBe(true);
      expect(typeof p.platform === 'string' && p.platform.length > 0, where).toBe(true);
      expect(typeof p.structured, where).toBe('boolean');
      if (p.source !== undefined) expect(CAPTURE_SOURCES, where).toContain(p.source);
      if (p.view) {
        expect(typeof p.view.itemId === 'string' && p.view.itemId.length > 0, where).toBe(true);
        if (p.view.price !== undefined) expect(Number.isFinite(p.view.price), where).toBe(true);
        if (p.view.currency !== undefined) expect(p.view.currency, where).toMatch(/^[A-Z]{3}$/);
      }
    }
  });

  it('SOURCES.md names the folder of every page', () => {
    const sources = readFileSync(join(dir, 'SOURCES.md'), 'utf8');
    const folders = [...new Set(pages.map((p) => p.file.split('/')[0]!))];
    expect(folders.filter((f) => !sources.includes('`' + f + '/'))).toEqual([]);
  });
});
