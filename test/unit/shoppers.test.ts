import { describe, it, expect } from 'vitest';
import { parseShoppersCsv, InputError } from '../../src/trainer/shoppers.js';
import { propensityTerms } from '../../src/trainer/propensity-terms.js';
import { DEVICE_FEATURES } from '../../src/engine/features.js';
import { throwsWith } from './helpers.js';

// The header of the UCI file (online_shoppers_intention.csv), verbatim.
const HEADER =
  'Administrative,Administrative_Duration,Informational,Informational_Duration,ProductRelated,ProductRelated_Duration,BounceRates,ExitRates,PageValues,SpecialDay,Month,OperatingSystems,Browser,Region,TrafficType,VisitorType,Weekend,Revenue';
// Row 1 is the file's first data row; row 2 is made up so that every column has a distinct value.
const ROW1 = '0,0,0,0,1,0,0.2,0.2,0,0,Feb,1,1,1,1,Returning_Visitor,FALSE,FALSE';
const ROW2 = '2,30.5,1,10,12,345.25,0.01,0.02,5.5,0.4,June,2,3,4,5,New_Visitor,TRUE,TRUE';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'June', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const csv = (...lines: string[]) => lines.join('\r\n') + '\r\n';

describe('parseShoppersCsv', () => {
  it('maps the columns onto device features, extras and the label (CRLF line ends)', () => {
    const rows = parseShoppersCsv(csv(HEADER, ROW1, ROW2), 'data.csv');
    expect(rows).toHaveLength(2);
    const [a, b] = rows as [(typeof rows)[0], (typeof rows)[0]];

    expect(a.label).toBe(0);
    expect(a.device.product_views).toBe(1);
    expect(a.device.product_seconds).toBe(0);
    expect(a.device.returning_visitor).toBe(1);
    expect(a.device.weekend).toBe(0);
    for (const m of MONTHS) expect((a.device as Record<string, number>)[`month_${m}`], m).toBe(m === 'Feb' ? 1 : 0);

    expect(b.label).toBe(1);
    expect(b.device).toEqual({
      account_views: 2,
      account_seconds: 30.5,
      info_views: 1,
      info_seconds: 10,
      product_views: 12,
      product_seconds: 345.25,
      page_value: 5.5,
      bounce_rate: 0.01,
      exit_rate: 0.02,
      special_day: 0.4,
      returning_visitor: 0,
      weekend: 1,
      ...Object.fromEntries(MONTHS.map((m) => [`month_${m}`, m === 'June' ? 1 : 0])),
    });
    // Only the columns a browser cannot know stay outside the device features.
    expect(b.extra).toEqual({
      OperatingSystems: 2,
      Browser: 3,
      Region: 4,
      TrafficType: 5,
    });
  });

  it('accepts LF line ends and a missing final newline', () => {
    const rows = parseShoppersCsv([HEADER, ROW1, ROW2].join('\n'), 'data.csv');
    expect(rows.map((r) => r.label)).toEqual([0, 1]);
  });

  it('treats a visitor type other than Returning_Visitor as not returning', () => {
    const other = ROW1.replace('Returning_Visitor', 'Other');
    expect(parseShoppersCsv(csv(HEADER, other), 'd.csv')[0]!.device.returning_visitor).toBe(0);
  });

  it('produces every device feature, which are all the shipped terms read', () => {
    const rows = parseShoppersCsv(csv(HEADER, ROW1, ROW2), 'd.csv');
    expect(Object.keys(rows[1]!.device).sort()).toEqual(Object.keys(DEVICE_FEATURES).sort());
    const read = new Set(propensityTerms(rows.map((r) => r.device)).flatMap((t) => [t.name, ...(t.times ? [t.times.name] : [])]));
    for (const name of read) expect(Object.keys(DEVICE_FEATURES), name).toContain(name);
  });

  it('reports a bad line as file:line with the column', () => {
    throwsWith(() => parseShoppersCsv(csv(HEADER, ROW1, ROW2.replace('TRUE,TRUE', 'yes,TRUE')), 'data.csv'), InputError, 'data.csv:3', '"Weekend"', '"yes"');
    throwsWith(() => parseShoppersCsv(csv(HEADER, ROW1.replace('FALSE,FALSE', 'FALSE,maybe')), 'data.csv'), InputError, 'data.csv:2', '"Revenue"');
    throwsWith(() => parseShoppersCsv(csv(HEADER, ROW1, ROW2.replace('June', 'Sept')), 'data.csv'), InputError, 'data.csv:3', '"Month"', '"Sept"');
    throwsWith(() => parseShoppersCsv(csv(HEADER, ROW1.replace('0,0,0,0,1,', '0,0,0,0,abc,')), 'data.csv'), InputError, 'data.csv:2', '"ProductRelated"');
    throwsWith(() => parseShoppersCsv(csv(HEADER, ROW1, ROW2 + ',extra'), 'data.csv'), InputError, 'data.csv:3', '18', '19');
    throwsWith(() => parseShoppersCsv(csv(HEADER, ROW1.slice(0, ROW1.lastIndexOf(','))), 'data.csv'), InputError, 'data.csv:2');
  });

  it('reports a missing required column on line 1', () => {
    throwsWith(() => parseShoppersCsv(csv(HEADER.replace('VisitorType', 'Visitor'), ROW1), 'data.csv'), InputError, 'data.csv:1', '"VisitorType"');
    throwsWith(() => parseShoppersCsv('', 'empty.csv'), InputError, 'empty.csv:1');
  });
});
