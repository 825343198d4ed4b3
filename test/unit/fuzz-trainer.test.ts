/**
 * Fuzzing the trainer's readers (issue 12): session files in both formats, prefix/target files, the UCI
 * Online Shoppers CSV, catalog files. Property: a reader either returns well-formed data or throws an
 * `InputError` whose message names the file (the CLI prints it and exits 2), never a TypeError or a wrong
 * result. The kind of bug it finds: a `Month` of "constructor" was read as a month (a prototype read,
 * now fixed in shoppers.ts; this suite fails on that code).
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { forEachLineOfText, sessionLinesParser, sessionRowsParser, prefixTargetParser, preprocess } from '../../src/trainer/sessions.js';
import { parseShoppersCsv, UCI_DEVICE_COLUMNS } from '../../src/trainer/shoppers.js';
import { parseProductRecords } from '../../src/trainer/catalog.js';
import { InputError } from '../../src/trainer/errors.js';
import { check, expectNoPollution, nastyString, nastyValue } from './fuzz.js';

const inputErrorOnly = (fn: () => unknown) => {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    expect(err.message.startsWith('f.txt')).toBe(true);
    return undefined;
  }
};

const cell = fc.oneof(fc.constantFrom('1', 's1', 'a', '2026-01-01T00:00:00Z', '1700000000', '', ' ', '"', 'constructor', '__proto__', 'NaN', '1e400', 'session', 'item', 'time'), fc.string({ maxLength: 6 }));
const rowsText = fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }).map((cs) => cs.join(',')), { maxLength: 12 }).map((ls) => ls.join('\n'));
const linesText = fc.array(fc.array(cell, { maxLength: 5 }).map((cs) => cs.join(' ')), { maxLength: 12 }).map((ls) => ls.join('\n'));

describe('fuzz: trainer readers', () => {
  it('session lines and rows: sessions of clean ids, or an InputError', () =>
    check(
      fc.property(fc.oneof(rowsText, linesText, nastyString(300)), (text) => {
        for (const parser of [sessionLinesParser('f.txt'), sessionRowsParser('f.txt')]) {
          const out = inputErrorOnly(() => {
            forEachLineOfText(text, (t, l) => parser.line(t, l));
            return parser.finish();
          }) as { sessions: string[][] } | undefined;
          if (out) for (const s of out.sessions) for (const id of s) expect(id).toMatch(/^[^\s,;"']+$/);
          if (out?.sessions.length) preprocess(out.sessions, { minItemCount: 1 });
        }
        expectNoPollution();
      }),
    ));

  it('prefix<TAB>target files: rows of clean ids, or an InputError', () =>
    check(
      fc.property(fc.array(fc.tuple(fc.array(cell, { maxLength: 3 }), cell), { maxLength: 8 }), fc.boolean(), (rows, header) => {
        const text = (header ? 'prefix\ttarget\n' : '') + rows.map(([p, t]) => `${p.join(' ')}\t${t}`).join('\n');
        const parser = prefixTargetParser('f.txt');
        const out = inputErrorOnly(() => {
          forEachLineOfText(text, (t, l) => parser.line(t, l));
          return parser.finish();
        }) as { prefix: string[]; target: string }[] | undefined;
        if (out) for (const r of out) expect(r.prefix.length).toBeGreaterThan(0);
      }),
    ));

  it('UCI Online Shoppers CSV: rows with every device feature finite and one month, or an InputError', () => {
    const numeric = Object.keys(UCI_DEVICE_COLUMNS);
    const header = [...numeric, 'VisitorType', 'Weekend', 'Month', 'Revenue'].join(',');
    // Mostly well-formed columns, so that one odd cell is what decides.
    const odd = fc.oneof(fc.constantFrom('', 'NaN', 'Infinity', '__proto__', 'constructor'), fc.string({ maxLength: 5 }));
    const number = fc.oneof({ weight: 9, arbitrary: fc.constantFrom('0', '1', '2.5', '130') }, odd);
    const bool = fc.oneof({ weight: 9, arbitrary: fc.constantFrom('TRUE', 'FALSE') }, odd);
    const month = fc.oneof({ weight: 2, arbitrary: fc.constantFrom('Feb', 'June', 'Nov') }, fc.constantFrom('constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf', 'Foo'));
    const row = fc.tuple(fc.array(number, { minLength: numeric.length, maxLength: numeric.length }), fc.constantFrom('Returning_Visitor', 'New_Visitor'), bool, month, bool).map(([nums, ...rest]) => [...nums, ...rest]);
    return check(
      fc.property(fc.array(row, { minLength: 1, maxLength: 4 }), (rows) => {
        const out = inputErrorOnly(() => parseShoppersCsv([header, ...rows.map((r) => r.join(','))].join('\n'), 'f.txt')) as ReturnType<typeof parseShoppersCsv> | undefined;
        if (rows.some((r) => !['Feb', 'June', 'Nov'].includes(r[numeric.length + 2]!))) expect(out).toBeUndefined();
        if (out)
          for (const r of out) {
            for (const f of [...Object.values(UCI_DEVICE_COLUMNS), 'returning_visitor', 'weekend']) expect(Number.isFinite((r.device as Record<string, number>)[f]), f).toBe(true);
            expect(Object.entries(r.device).filter(([k, v]) => k.startsWith('month_') && v === 1)).toHaveLength(1);
          }
      }),
    );
  });

  it('catalog files: records with an id, or an InputError', () =>
    check(
      fc.property(fc.oneof(nastyString(200), nastyValue.map((v) => JSON.stringify(v) ?? ''), fc.array(nastyValue, { maxLength: 4 }).map((vs) => vs.map((v) => JSON.stringify(v)).join('\n'))), (text) => {
        const out = inputErrorOnly(() => parseProductRecords(text, 'f.txt')) as Record<string, unknown>[] | null | undefined;
        if (out) for (const r of out) expect(['string', 'number']).toContain(typeof r.id);
        expectNoPollution();
      }),
    ));
});
