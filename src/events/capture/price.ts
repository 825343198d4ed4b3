/**
 * Price text as shops write it, in every common locale: `"1.299,00 €"`, `"$1,299.00"`, `"1 299,50 zł"`
 * (a space, no-break space U+00A0 or narrow no-break space U+202F as thousands separator), `"CHF 1'299.50"`,
 * `"12,-"`, `"₹1,29,999"` (Indian grouping), `"ab 19,99 €"`, `"$10.00 – $20.00"`, `"29,99 € 39,99 €"`.
 *
 * A text that holds several amounts (a sale and a "was" price, a range, a unit price) gives ONE of them, never
 * their digits joined: the first amount written next to a currency sign or code, else the first amount.
 * Amounts followed by `%` are discounts, not prices. The scan is one linear pass over at most
 * `MAX_PRICE_TEXT` characters, since it runs inside the page's own calls.
 *
 * Which separator is the decimal one: the last of two different ones (`1.299,00`, `1,299.00`); a separator
 * that repeats is a thousands separator (`1.299.000`, `1,29,999`); a single one followed by exactly three
 * digits is ambiguous: a comma is a thousands separator (`1,299` = 1299), and so is a dot in display text or
 * for a currency without minor units (`Rp 31.500`, `¥1.980`), but in a machine value (schema.org `price`,
 * `content`) it is the decimal point schema.org prescribes (`"1.299"` = 1.299).
 */

/** Longer price text is read up to here: enough for a sale price, a "was" price and their labels. */
export const MAX_PRICE_TEXT = 200;

/** How a price string is to be read. */
export interface PriceHint {
  /** Display text (an element's text), rather than a machine value (JSON-LD, `content`). */
  text?: boolean;
  /** The ISO 4217 code the amount is in, when known: currencies without minor units read `1.980` as 1980. */
  currency?: string | undefined;
}

/** ISO 4217 currencies with no minor unit in practice (ISO gives HUF and COP two, shops write none). */
const WHOLE_CURRENCIES = new Set(['JPY', 'KRW', 'VND', 'IDR', 'CLP', 'ISK', 'PYG', 'UGX', 'HUF', 'COP', 'XOF', 'XAF', 'KMF', 'GNF', 'RWF', 'VUV', 'TWD']);

const isDigit = (c: number) => c >= 48 && c <= 57;
/** Spaces and apostrophes that group thousands: space, no-break, figure, thin, narrow no-break; ' and ’ (Swiss). */
const isGroupSpace = (c: number) => c === 0x20 || c === 0xa0 || c === 0x2007 || c === 0x2009 || c === 0x202f || c === 0x27 || c === 0x2019;

/** Currency signs and the words shops write for them, just before or just after an amount. */
const SIGN_BEFORE = /(?:[$€£¥₹₽₩₪₫฿₺₴₦₱₲₵₡₭₮₸₼₾]|\b[A-Z]{3}|\bRp|\bRs\.?|\bkr\.?|\bzł|\bKč|\bFt|\bRM|\bTL|\bLei)\s*$/;
const SIGN_AFTER = /^\s*(?:[$€£¥₹₽₩₪₫฿₺₴₦₱₲₵₡₭₮₸₼₾]|[A-Z]{3}\b|zł|Kč|kr\b|Ft\b|lei\b|Lei\b|TL\b|руб|р\.|грн|лв|din)/;

interface Amount {
  start: number;
  end: number;
  /** The amount ends in `,-` or `.-` (`12,-`): no decimals, the dash's separator is the decimal one. */
  whole: ',' | '.' | null;
}

/** Every amount in `s`, in order: digit runs joined by `.` `,` and thousands spaces (a space only before three digits). */
export function amountsIn(s: string): Amount[] {
  const out: Amount[] = [];
  let i = 0;
  while (i < s.length) {
    if (!isDigit(s.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    let sawPoint = false;
    let whole: Amount['whole'] = null;
    for (;;) {
      while (i < s.length && isDigit(s.charCodeAt(i))) i++;
      const c = s.charCodeAt(i);
      if ((c === 0x2c || c === 0x2e) && isDigit(s.charCodeAt(i + 1))) {
        sawPoint = true;
        i++;
      } else if ((c === 0x2c || c === 0x2e) && s.charCodeAt(i + 1) === 0x2d) {
        whole = c === 0x2c ? ',' : '.';
        break;
      } else if (
        !sawPoint &&
        isGroupSpace(c) &&
        isDigit(s.charCodeAt(i + 1)) &&
        isDigit(s.charCodeAt(i + 2)) &&
        isDigit(s.charCodeAt(i + 3)) &&
        !isDigit(s.charCodeAt(i + 4))
      ) {
        i++;
      } else break;
    }
    out.push({ start, end: i, whole });
    if (whole) i += 2;
  }
  return out;
}

/** The number an amount's characters spell, or undefined when its grouping is not one any locale writes. */
function valueOf(raw: string, whole: Amount['whole'], hint: PriceHint): number | undefined {
  let s = raw.replace(/[\s'’\u2007\u2009\u202f]/g, '');
  if (whole) s = s.split(whole === ',' ? '.' : ',').join('') + '.0';
  const dot = s.split('.').length - 1;
  const comma = s.split(',').length - 1;
  let int = s;
  let frac = '';
  let sep = '';
  if (dot && comma) {
    const decimal = s.lastIndexOf('.') > s.lastIndexOf(',') ? '.' : ',';
    if ((decimal === '.' ? dot : comma) > 1) return undefined;
    [int, frac] = s.split(decimal) as [string, string];
    sep = decimal === '.' ? ',' : '.';
  } else if (dot + comma === 1) {
    const mark = dot ? '.' : ',';
    const [a, b] = s.split(mark) as [string, string];
    const thousands = b.length === 3 && a !== '0' && (mark === ',' || hint.text === true || WHOLE_CURRENCIES.has(hint.currency ?? ''));
    if (thousands) int = a + b;
    else [int, frac] = [a, b];
  } else if (dot + comma > 1) {
    sep = dot ? '.' : ',';
  }
  if (sep) {
    // Thousands groups: three digits each, or the Indian lakh/crore grouping (twos, then a final three).
    const groups = int.split(sep);
    const last = groups.pop()!;
    if (last.length !== 3 || groups[0]!.length > 3 || groups.slice(1).some((g) => g.length !== 3 && g.length !== 2)) return undefined;
    if (groups.slice(1).some((g) => g.length === 2) && groups.slice(1).some((g) => g.length === 3)) return undefined;
    int = groups.join('') + last;
  }
  if (!/^\d+$/.test(int) || !/^\d*$/.test(frac)) return undefined;
  const n = Number(frac ? `${int}.${frac}` : int);
  return Number.isFinite(n) && n <= 1e9 ? n : undefined;
}

/**
 * A price from a number or from text (see the module comment). Negative, non-finite, over 10⁹ and unreadable
 * values give undefined.
 */
export function parsePrice(v: unknown, hint: PriceHint = {}): number | undefined {
  if (Array.isArray(v)) v = v[0];
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 && v <= 1e9 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.slice(0, MAX_PRICE_TEXT);
  const amounts = amountsIn(s).filter((a) => !/^\s*%/.test(s.slice(a.end, a.end + 3)));
  const signed = (a: Amount) => SIGN_BEFORE.test(s.slice(Math.max(0, a.start - 6), a.start)) || SIGN_AFTER.test(s.slice(a.end + (a.whole ? 2 : 0), a.end + 8));
  const amount = amounts.find(signed) ?? amounts[0];
  if (!amount) return undefined;
  // A minus just before the amount (or its currency sign) makes it a refund or a discount, not a price; a dash
  // set off by spaces after a word is punctuation ("2 Piece - $6.75").
  const minus = /[-−]\s*(?:[^\d\s]{1,3}\s*)?$/.exec(s.slice(0, amount.start));
  if (minus && !/[\p{L}\d]\s$/u.test(s.slice(Math.max(0, minus.index - 2), minus.index))) return undefined;
  return valueOf(s.slice(amount.start, amount.end), amount.whole, hint);
}

/** How many amounts a text holds (not counting percentages): more than one means it needs choosing. */
export function amountCount(v: string): number {
  const s = v.slice(0, MAX_PRICE_TEXT);
  return amountsIn(s).filter((a) => !/^\s*%/.test(s.slice(a.end, a.end + 3))).length;
}
