/**
 * Reads the UCI "Online Shoppers Purchasing Intention" data set and maps each session, column by column, onto
 * the propensity features the SDK computes on the device (engine/features.ts):
 *   Administrative, _Duration   → account_views, account_seconds (UCI's "administrative": account pages)
 *   Informational, _Duration    → info_views, info_seconds
 *   ProductRelated, _Duration   → product_views, product_seconds
 *   PageValues                  → page_value  \
 *   BounceRates                 → bounce_rate  } per-page site aggregates averaged over the session's pages:
 *   ExitRates                   → exit_rate   /  the device does the same with the tables in the model
 *   SpecialDay                  → special_day   (closeness to a special day, from the model's calendar)
 *   VisitorType                 → returning_visitor (1 for Returning_Visitor)
 *   Weekend                     → weekend
 *   Month                       → month_<Mon>   (one-hot; the data spells June in full)
 * OperatingSystems, Browser, Region and TrafficType are opaque codes a browser could only fingerprint or
 * not know at all; they are kept in `extra` for the reference benchmark on every column.
 */
import { MONTHS, monthFeature, type DeviceFeature } from '../engine/features.js';
import { InputError } from './errors.js';

export interface ShopperRow {
  device: Record<DeviceFeature, number>;
  extra: Record<string, number | string>;
  label: 0 | 1;
}

/** UCI column → device feature, for the numeric columns that map one to one. */
export const UCI_DEVICE_COLUMNS: Readonly<Record<string, DeviceFeature>> = {
  Administrative: 'account_views',
  Administrative_Duration: 'account_seconds',
  Informational: 'info_views',
  Informational_Duration: 'info_seconds',
  ProductRelated: 'product_views',
  ProductRelated_Duration: 'product_seconds',
  PageValues: 'page_value',
  BounceRates: 'bounce_rate',
  ExitRates: 'exit_rate',
  SpecialDay: 'special_day',
};

// InputError lives in errors.ts (every reader uses it); re-exported here so existing imports keep working.
export { InputError };

const REQUIRED = [...Object.keys(UCI_DEVICE_COLUMNS), 'VisitorType', 'Weekend', 'Month', 'Revenue'] as const;

export function parseShoppersCsv(text: string, file: string): ShopperRow[] {
  // Physical line numbers are kept through the filtering of blank lines, for error messages.
  const lines = text
    .split(/\r?\n/)
    .map((l, i) => ({ l, line: i + 1 }))
    .filter(({ l }) => l.trim() !== '');
  const header = lines[0]?.l.split(',').map((h) => h.trim()) ?? [];
  for (const col of REQUIRED) {
    if (!header.includes(col)) throw new InputError(`${file}:${lines[0]?.line ?? 1}: missing column "${col}" (expected the UCI Online Shoppers header)`);
  }
  const col = Object.fromEntries(header.map((h, i) => [h, i]));
  const bool = (v: string, line: number, name: string) => {
    if (v === 'TRUE') return 1;
    if (v === 'FALSE') return 0;
    throw new InputError(`${file}:${line}: column "${name}" must be TRUE or FALSE, got "${v}"`);
  };
  return lines.slice(1).map(({ l, line }) => {
    const cells = l.split(',');
    if (cells.length !== header.length) throw new InputError(`${file}:${line}: expected ${header.length} comma-separated values, got ${cells.length}`);
    const get = (name: string) => cells[col[name]!]!.trim();
    const num = (name: string) => {
      const v = get(name) === '' ? NaN : Number(get(name)); // Number('') is 0: an empty cell is an error
      if (!Number.isFinite(v)) throw new InputError(`${file}:${line}: column "${name}" must be a number, got "${get(name)}"`);
      return v;
    };
    const month = (MONTHS as readonly string[]).indexOf(get('Month'));
    if (month < 0) throw new InputError(`${file}:${line}: column "Month" must be a month abbreviation such as Feb or June, got "${get('Month')}"`);
    const device: Partial<Record<DeviceFeature, number>> = {
      ...Object.fromEntries(Object.entries(UCI_DEVICE_COLUMNS).map(([column, feature]) => [feature, num(column)])),
      returning_visitor: get('VisitorType') === 'Returning_Visitor' ? 1 : 0,
      weekend: bool(get('Weekend'), line, 'Weekend'),
    };
    MONTHS.forEach((_, m) => (device[monthFeature(m)] = m === month ? 1 : 0));
    const extra: Record<string, number | string> = {};
    for (const h of header) {
      if ((REQUIRED as readonly string[]).includes(h)) continue;
      const v = get(h);
      extra[h] = v !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
    }
    return { device: device as Record<DeviceFeature, number>, extra, label: bool(get('Revenue'), line, 'Revenue') as 0 | 1 };
  });
}
