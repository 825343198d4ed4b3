/**
 * Issue 12, defect 2: the JSON-LD clean-up stripped comment wrappers with unanchored regular expressions
 * that backtracked over whitespace runs in quadratic time (20,000 spaces: 0.19 s, 40,000: 0.7 s in Node
 * here; a 480,000-space run would take about 100 s and time this test out). It runs synchronously inside
 * the page's own calls, so it must be linear and bounded.
 */
import { describe, it, expect } from 'vitest';
import { parseJsonLd, MAX_JSONLD_CHARS, MAX_JSONLD_BLOCKS, MAX_JSONLD_PASS_CHARS, readJsonLd } from '../../src/events/capture/jsonld.js';
import { rng } from './helpers.js';

/** The previous clean-up, kept here as the reference for what the wrappers' removal must still accept. */
function oldStrip(text: string): string {
  return text
    .replace(/^\s*(\/\/|\/\*)?\s*(<!\[CDATA\[|<!--)\s*(\*\/)?/, '')
    .replace(/(\/\/|\/\*)?\s*(\]\]>|-->)\s*(\*\/)?\s*$/, '')
    .replace(/[\u0000-\u001f]+/g, ' ');
}
function oldParse(text: string): unknown {
  try {
    return JSON.parse(oldStrip(text)) as unknown;
  } catch {
    try {
      return JSON.parse(oldStrip(text).replace(/,\s*([}\]])/g, '$1')) as unknown;
    } catch {
      return undefined;
    }
  }
}

describe('JSON-LD clean-up is linear and bounded', () => {
  it('parses a block with a 480,000-space run inside a string (quadratic before the fix)', () => {
    const review = 'great' + ' '.repeat(480_000) + 'product';
    const text = `/*<![CDATA[*/ {"@type":"Product","name":"Mug","review":${JSON.stringify(review)}}   ${' '.repeat(20_000)} /*]]>*/`;
    const parsed = parseJsonLd(text) as { name: string; review: string };
    expect(parsed.name).toBe('Mug');
    expect(parsed.review).toBe(review);
  });

  it('handles long whitespace runs before a non-closer at the end and after an opener look-alike', () => {
    expect(parseJsonLd('{"a":1}' + ' '.repeat(300_000) + '-')).toBeUndefined();
    expect(parseJsonLd('/' + ' '.repeat(300_000) + '{"a":1}')).toBeUndefined();
    expect(parseJsonLd(' '.repeat(300_000) + '{"a":1}' + ' '.repeat(300_000).slice(0, 100_000))).toEqual({ a: 1 });
  });

  it('accepts exactly what the regular-expression clean-up accepted, on generated wrappers', () => {
    const r = rng(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const ws = ['', ' ', '\n', '\t ', '\u00a0', '  \r\n'];
    const opens = ['', '<![CDATA[', '<!--', '//<![CDATA[', '/*<![CDATA[*/', '/* <!-- */', '//', '/*'];
    const closes = ['', ']]>', '-->', '//]]>', '/*]]>*/', '/* --> */', '*/', '//'];
    const bodies = ['{"a":1}', '[1,2,]', '{"b":"x\ny"}', '{"c":[1,{"d":2},],}', 'nope', '{"e":"-->"}', '{"f":"<!--"}'];
    for (let n = 0; n < 3000; n++) {
      const text = pick(ws) + pick(opens) + pick(ws) + pick(bodies) + pick(ws) + pick(closes) + pick(ws);
      expect(parseJsonLd(text), JSON.stringify(text)).toEqual(oldParse(text));
    }
  });

  it('reads no block over the size cap, and at most the pass budget of blocks and characters', () => {
    const product = (name: string, pad = 0) => `{"@type":"Product","name":"${name}","sku":"s-${name}","padding":"${'x'.repeat(pad)}"}`;
    expect(parseJsonLd(product('big', MAX_JSONLD_CHARS))).toBeUndefined();
    expect(parseJsonLd(product('fits', MAX_JSONLD_CHARS - 200))).toMatchObject({ name: 'fits' });

    // A minimal document: readJsonLd only queries script elements and reads their text.
    const doc = (texts: string[]) =>
      ({ querySelectorAll: () => texts.map((t) => ({ textContent: t })) }) as unknown as Document;
    const hints = { url: 'https://shop.example/p/1', h1: '' };
    expect(readJsonLd(doc([product('one')]), hints)?.item.name).toBe('one');
    // Beyond the block count, a product is not read.
    const filler = Array.from({ length: MAX_JSONLD_BLOCKS }, () => '{"@type":"WebSite"}');
    expect(readJsonLd(doc([...filler, product('late')]), hints)).toBeNull();
    // Beyond the pass's character budget, neither.
    const heavy = Array.from({ length: Math.ceil(MAX_JSONLD_PASS_CHARS / (MAX_JSONLD_CHARS - 200)) }, () => `{"padding":"${'y'.repeat(MAX_JSONLD_CHARS - 200)}"}`);
    expect(readJsonLd(doc([...heavy, product('after')]), hints)).toBeNull();
    expect(readJsonLd(doc([heavy[0]!, product('after')]), hints)?.item.name).toBe('after');
    // A block over the per-block cap is skipped unread and costs the pass nothing (the e2e hostile page).
    const huge = `{"padding":"${'z'.repeat(MAX_JSONLD_PASS_CHARS)}"}`;
    expect(readJsonLd(doc([huge, huge, product('after')]), hints)?.item.name).toBe('after');
  });
});
