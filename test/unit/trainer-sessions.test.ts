import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  sessionLinesParser,
  sessionRowsParser,
  prefixTargetParser,
  forEachLineOfText,
  readSessions,
  readPrefixTarget,
  readTestRows,
  detectFormat,
  preprocess,
  indexRows,
  prefixRows,
  splitByTime,
  ItemIndex,
} from '../../src/trainer/sessions.js';
import { InputError } from '../../src/trainer/errors.js';
import { InputError as InputErrorFromShoppers } from '../../src/trainer/shoppers.js';

function parse<T>(parser: { line(t: string, l: number): void; finish(): T }, text: string): T {
  forEachLineOfText(text, (t, l) => parser.line(t, l));
  return parser.finish();
}

/** Expects an InputError whose message contains every fragment. */
function expectInputError(fn: () => unknown, ...fragments: string[]) {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(InputError);
  const msg = (caught as Error).message;
  expect(msg.includes('\n'), 'one line').toBe(false);
  for (const f of fragments) expect(msg).toContain(f);
}

async function expectInputErrorAsync(p: Promise<unknown>, ...fragments: string[]) {
  let caught: unknown;
  try {
    await p;
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(InputError);
  for (const f of fragments) expect((caught as Error).message).toContain(f);
}

describe('InputError', () => {
  it('is one class, re-exported where the old imports expect it', () => {
    expect(InputErrorFromShoppers).toBe(InputError);
  });
});

describe('lines format', () => {
  it('reads one session per line and skips blank lines', () => {
    const r = parse(sessionLinesParser('s.txt'), '1 2 3\n\n4  5\r\n6\n');
    expect(r.sessions).toEqual([['1', '2', '3'], ['4', '5'], ['6']]);
  });
  it('names file and line for a malformed id', () => {
    expectInputError(() => parse(sessionLinesParser('s.txt'), '1 2\n3,4 5\n'), 's.txt:2', 'item ids separated by spaces', '3,4');
  });
});

describe('rows format', () => {
  it('groups by session, orders events by time and sessions by their first event; reads the header by name', () => {
    const tsv = ['SessionId\tItemId\tTime', '7\ta\t100', '3\tx\t50', '7\tb\t90', '3\ty\t60', '9\tz\t2014-04-07T10:51:09Z'].join('\n');
    const r = parse(sessionRowsParser('y.tsv'), tsv);
    expect(r.keys).toEqual(['3', '7', '9']);
    expect(r.sessions).toEqual([['x', 'y'], ['b', 'a'], ['z']]);
  });
  it('finds columns by name in any order, and accepts no header', () => {
    expect(parse(sessionRowsParser('c.csv'), 'time,item,session\n5,b,s1\n4,a,s1\n').sessions).toEqual([['a', 'b']]);
    expect(parse(sessionRowsParser('c.csv'), 's1,a,4\ns1,b,5\n').sessions).toEqual([['a', 'b']]);
  });
  it('keeps file order for equal times', () => {
    expect(parse(sessionRowsParser('c.csv'), 's,a,1\ns,b,1\ns,c,1\n').sessions).toEqual([['a', 'b', 'c']]);
  });
  it('names file and line for a wrong field count, a bad time, an empty item', () => {
    expectInputError(() => parse(sessionRowsParser('y.tsv'), 'SessionId\tItemId\tTime\n1\t2\t3\n1\t2\n'), 'y.tsv:3', 'expected 3 fields', 'got 2');
    expectInputError(() => parse(sessionRowsParser('y.tsv'), 'SessionId\tItemId\tTime\n1\t2\tyesterday\n'), 'y.tsv:2', 'timestamp', 'yesterday');
    expectInputError(() => parse(sessionRowsParser('y.csv'), 'a,b,1\nc,,2\n'), 'y.csv:2', 'item id');
    expectInputError(() => parse(sessionRowsParser('y.csv'), 'a,b\n'), 'y.csv:1', 'session,item,timestamp');
  });
});

describe('prefix-target format', () => {
  it('reads rows after the header', () => {
    expect(parse(prefixTargetParser('t.tsv'), 'prefix\ttarget\n1 2 3\t4\n5\t6\n')).toEqual([
      { prefix: ['1', '2', '3'], target: '4' },
      { prefix: ['5'], target: '6' },
    ]);
  });
  it('refuses a missing header and malformed rows, with file:line', () => {
    expectInputError(() => parse(prefixTargetParser('t.tsv'), '1 2\t3\n'), 't.tsv:1', 'prefix<TAB>target');
    expectInputError(() => parse(prefixTargetParser('t.tsv'), 'prefix\ttarget\n1 2\t3\n1 2 3\n'), 't.tsv:3', 'got 1 tab-separated field');
    expectInputError(() => parse(prefixTargetParser('t.tsv'), 'prefix\ttarget\n\t3\n'), 't.tsv:2', 'at least one item');
    expectInputError(() => parse(prefixTargetParser('t.tsv'), 'prefix\ttarget\n1\t3 4\n'), 't.tsv:2', 'one item id as the target');
  });
});

describe('format detection', () => {
  it('tells the three formats apart from the first line', () => {
    expect(detectFormat('prefix\ttarget')).toBe('prefix-target');
    expect(detectFormat('SessionId\tItemId\tTime')).toBe('rows');
    expect(detectFormat('1,214536502,1396860669')).toBe('rows');
    expect(detectFormat('21553 20071 8762')).toBe('lines');
  });
});

describe('files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tacit-sessions-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads plain and gzip files alike, and reports progress', async () => {
    const text = '1 2 3\n4 5\n';
    await writeFile(join(dir, 'a.txt'), text);
    await writeFile(join(dir, 'a.txt.gz'), gzipSync(text));
    let last = 0;
    const plain = await readSessions(join(dir, 'a.txt'), { onProgress: (d) => (last = d) });
    const gz = await readSessions(join(dir, 'a.txt.gz'));
    expect(plain.sessions).toEqual([['1', '2', '3'], ['4', '5']]);
    expect(gz.sessions).toEqual(plain.sessions);
    expect(last).toBe(text.length);
  });

  it('detects the rows format and reads test rows from sessions or prefix-target files', async () => {
    await writeFile(join(dir, 'r.tsv'), 'SessionId\tItemId\tTime\n1\ta\t1\n1\tb\t2\n1\tc\t3\n');
    expect((await readSessions(join(dir, 'r.tsv'))).format).toBe('rows');
    expect(await readTestRows(join(dir, 'r.tsv'))).toEqual([
      { prefix: ['a'], target: 'b' },
      { prefix: ['a', 'b'], target: 'c' },
    ]);
    await writeFile(join(dir, 'p.tsv'), 'prefix\ttarget\na b\tc\n');
    expect(await readTestRows(join(dir, 'p.tsv'))).toEqual([{ prefix: ['a', 'b'], target: 'c' }]);
  });

  it('turns unreadable input into one-line InputErrors naming the file (and line)', async () => {
    await expectInputErrorAsync(readSessions(join(dir, 'missing.txt')), 'missing.txt', 'cannot read', 'ENOENT');
    await expectInputErrorAsync(readSessions(dir), 'is a folder');
    const bad = gzipSync('1 2 3\n'.repeat(1000)).subarray(0, 40);
    await writeFile(join(dir, 'bad.gz'), bad);
    await expectInputErrorAsync(readSessions(join(dir, 'bad.gz')), 'bad.gz', 'not a valid gzip file');
    await writeFile(join(dir, 'bad-line.txt.gz'), gzipSync('1 2\n3 4\n5;6\n'));
    await expectInputErrorAsync(readSessions(join(dir, 'bad-line.txt.gz'), { format: 'lines' }), 'bad-line.txt.gz:3');
    await writeFile(join(dir, 'empty.txt'), '\n\n');
    await expectInputErrorAsync(readSessions(join(dir, 'empty.txt')), 'holds no sessions');
    await expectInputErrorAsync(readSessions(join(dir, 'p.tsv')), 'prefix<TAB>target evaluation file');
    await expectInputErrorAsync(readPrefixTarget(join(dir, 'a.txt')), 'a.txt:1', 'header');
  });
});

describe('preprocessing', () => {
  const raw = [['a', 'b', 'a'], ['c'], ['a', 'a', 'b', 'd'], ['d', 'e'], ['b', 'a']];

  it('drops one-event sessions, then rare items, then short sessions; indexes the most frequent first', () => {
    const p = preprocess(raw, { minItemCount: 2 });
    // counts after dropping ['c']: a 5, b 3, d 2, e 1 → e is dropped, then ['d'] is too short.
    expect(p.items.ids).toEqual(['a', 'b', 'd']);
    expect(Array.from(p.counts)).toEqual([5, 3, 1]);
    expect(p.sessions).toEqual([[0, 1, 0], [0, 0, 1, 2], [1, 0]]);
    expect(p.stats).toEqual({ sessionsIn: 5, eventsIn: 12, itemsIn: 5, sessionsOut: 3, eventsOut: 9, itemsOut: 3 });
  });

  it('collapses immediate repeats when asked, also where a dropped item made two equal items adjacent', () => {
    const p = preprocess([['a', 'a', 'b'], ['a', 'x', 'a', 'b']], { minItemCount: 2, collapseRepeats: true });
    expect(p.sessions.map((s) => s.map((i) => p.items.idOf(i)))).toEqual([['a', 'b'], ['a', 'b']]);
  });

  it('keeps only catalog items when given', () => {
    const p = preprocess(raw, { minItemCount: 1, allowedItems: new Set(['a', 'b']) });
    expect([...p.items.ids].sort()).toEqual(['a', 'b']);
  });

  it('maps ids to indices and back', () => {
    const idx = new ItemIndex(['x', 'y']);
    expect(idx.indexOf('y')).toBe(1);
    expect(idx.indexOf('nope')).toBe(-1);
    expect(idx.idOf(0)).toBe('x');
    expect(() => idx.idOf(2)).toThrow(RangeError);
    expect(() => new ItemIndex(['x', 'x'])).toThrow();
  });

  it('indexes evaluation rows: unknown prefix items are left out, an unknown target stays a (missable) row', () => {
    const idx = new ItemIndex(['x', 'y']);
    const r = indexRows([{ prefix: ['x', 'q', 'y'], target: 'y' }, { prefix: ['q'], target: 'z' }], idx);
    expect(r.rows).toEqual([{ prefix: [0, 1], target: 1 }, { prefix: [], target: -1 }]);
    expect(r.unknownTargets).toBe(1);
    expect(r.unknownPrefixItems).toBe(2);
  });

  it('makes every prefix a row, and splits by time from the end', () => {
    expect(prefixRows([[1, 2, 3], [4]])).toEqual([{ prefix: [1], target: 2 }, { prefix: [1, 2], target: 3 }]);
    expect(splitByTime([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.2)).toEqual({ train: [1, 2, 3, 4, 5, 6, 7, 8], validation: [9, 10] });
  });
});
