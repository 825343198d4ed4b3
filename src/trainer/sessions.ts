/**
 * Session data in, dense item indices out.
 *
 * Readers (plain text or gzip, detected by the magic bytes, streamed line by line):
 * - `lines`: one session per line, item ids separated by spaces, oldest first (Diginetica's
 *   `train_sessions.txt.gz`, `test_sessions.txt`). Blank lines are skipped.
 * - `rows`: `session,item,timestamp` rows, comma- or tab-separated, with or without a header (yoochoose:
 *   TSV `SessionId ItemId Time`). Events are grouped by session and ordered by time within it (ties keep
 *   file order); sessions are ordered by their first event's time (ties keep file order), so "later" means
 *   "more recent" for every method that cares. Times are numbers (unix seconds or ms) or ISO dates.
 * - `prefix-target`: header `prefix<TAB>target`, then one evaluation row per line (Diginetica's
 *   `test_prefix_target.tsv`).
 * Every malformed line is an `InputError` naming `file:line` and what was expected.
 *
 * Preprocessing as the session-recommendation literature does it (SR-GNN's split, among others), each step
 * configurable: drop sessions of one event, drop items seen fewer than N times, drop sessions left shorter
 * than 2, optionally collapse immediate repeats (A A B → A B), then map item ids to dense indices
 * (most frequent first) and back.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { InputError, inputError } from './errors.js';

export type SessionFormat = 'lines' | 'rows' | 'prefix-target';

/** Sessions of raw item ids, oldest event first, sessions in time order. */
export interface RawSessions {
  file: string;
  format: 'lines' | 'rows';
  sessions: string[][];
  /** The session keys of a `rows` file, parallel to `sessions`. */
  keys?: string[];
}

/** One evaluation row of raw ids: rank every item given `prefix`; `target` is what came next. */
export interface RawPrefixRow {
  prefix: string[];
  target: string;
}

export interface ReadProgress {
  /** Bytes of the file read so far (compressed bytes for a .gz file) and its size. */
  (bytesRead: number, totalBytes: number): void;
}

// ---------------------------------------------------------------------------------------------------------
// Line sources

/** Calls `onLine(text, lineNumber)` for every line of a file, gunzipping it when it starts with gzip magic. */
export async function forEachLine(file: string, onLine: (text: string, line: number) => void, onProgress?: ReadProgress): Promise<void> {
  let size: number;
  let gz: boolean;
  try {
    const st = await stat(file);
    if (st.isDirectory()) throw inputError(file, undefined, 'is a folder; expected a session file');
    size = st.size;
    const fh = await open(file, 'r');
    try {
      const head = Buffer.alloc(2);
      const { bytesRead } = await fh.read(head, 0, 2, 0);
      gz = bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
    } finally {
      await fh.close();
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw inputError(file, undefined, `cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const raw = createReadStream(file);
  let read = 0;
  if (onProgress) raw.on('data', (chunk) => onProgress((read += chunk.length), size));
  let source: Readable = raw;
  if (gz) source = raw.pipe(createGunzip());
  // A stream error (a truncated gzip, a read error) must reject, not crash: readline does not forward it.
  const failed = new Promise<never>((_, reject) => {
    const fail = (err: Error) => reject(inputError(file, undefined, gz ? `is not a valid gzip file (${err.message})` : `cannot be read (${err.message})`));
    raw.on('error', fail);
    if (source !== raw) source.on('error', fail);
  });
  failed.catch(() => {});
  const rl = createInterface({ input: source, crlfDelay: Infinity });
  let n = 0;
  const lines = (async () => {
    for await (const text of rl) onLine(text, ++n);
  })();
  try {
    await Promise.race([lines, failed]);
  } finally {
    rl.close();
    raw.destroy();
  }
}

/** Feeds a string to the same line parsers (for tests and in-memory data). */
export function forEachLineOfText(text: string, onLine: (text: string, line: number) => void): void {
  const lines = text.split(/\r?\n/);
  // A trailing newline does not make an extra line.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((l, i) => onLine(l, i + 1));
}

// ---------------------------------------------------------------------------------------------------------
// Parsers: each is a line consumer plus a `finish()`

/** A line parser for one format: feed it lines in order, then call `finish`. */
export interface LineParser<T> {
  line(text: string, line: number): void;
  finish(): T;
}

const ID = /^[^\s,;"']+$/;

/** `lines` format: one session per line, item ids separated by spaces (or tabs). */
export function sessionLinesParser(file: string): LineParser<RawSessions> {
  const sessions: string[][] = [];
  return {
    line(text, line) {
      const t = text.trim();
      if (t === '') return;
      const ids = t.split(/\s+/);
      for (const id of ids) {
        if (!ID.test(id)) {
          throw inputError(file, line, `expected item ids separated by spaces, got "${id.length > 40 ? id.slice(0, 40) + '…' : id}" (for session,item,timestamp rows use --format rows)`);
        }
      }
      sessions.push(ids);
    },
    finish: () => ({ file, format: 'lines', sessions }),
  };
}

function parseTime(v: string): number {
  if (v === '') return NaN;
  const n = Number(v);
  if (Number.isFinite(n)) return n;
  return Date.parse(v);
}

const HEADER_WORDS = /session|item|time|date|product|sku|user/i;

/** `rows` format: `session,item,timestamp`, comma- or tab-separated, optional header. */
export function sessionRowsParser(file: string): LineParser<RawSessions> {
  let delim: string | null = null;
  let first = true;
  let cols = { session: 0, item: 1, time: 2 };
  let width = 3;
  const bySession = new Map<string, { order: number; start: number; events: { item: string; time: number; seq: number }[] }>();
  let seq = 0;
  return {
    line(text, line) {
      if (text.trim() === '') return;
      if (delim === null) delim = text.includes('\t') ? '\t' : ',';
      const cells = text.split(delim).map((c) => c.trim());
      if (first) {
        first = false;
        width = cells.length;
        if (cells.length < 3) throw inputError(file, line, `expected session,item,timestamp separated by ${delim === '\t' ? 'tabs' : 'commas'}, got ${cells.length} field${cells.length === 1 ? '' : 's'}`);
        if (!Number.isFinite(parseTime(cells[2]!)) && cells.some((c) => HEADER_WORDS.test(c))) {
          // A header: find the columns by name where they are named, else take them in order.
          const find = (re: RegExp, dflt: number) => {
            const i = cells.findIndex((c) => re.test(c));
            return i >= 0 ? i : dflt;
          };
          cols = { session: find(/session/i, 0), item: find(/item|product|sku/i, 1), time: find(/time|date/i, 2) };
          return;
        }
      }
      if (cells.length !== width) {
        throw inputError(file, line, `expected ${width} fields (session,item,timestamp) separated by ${delim === '\t' ? 'tabs' : 'commas'}, got ${cells.length}`);
      }
      const session = cells[cols.session]!;
      const item = cells[cols.item]!;
      const time = parseTime(cells[cols.time]!);
      if (session === '') throw inputError(file, line, 'expected a session id, got an empty field');
      if (item === '' || !ID.test(item)) throw inputError(file, line, `expected an item id, got "${item}"`);
      if (!Number.isFinite(time)) throw inputError(file, line, `expected a timestamp (unix seconds, milliseconds or an ISO date), got "${cells[cols.time]}"`);
      let s = bySession.get(session);
      if (!s) bySession.set(session, (s = { order: bySession.size, start: time, events: [] }));
      if (time < s.start) s.start = time;
      s.events.push({ item, time, seq: seq++ });
    },
    finish() {
      const all = [...bySession.entries()].sort((a, b) => a[1].start - b[1].start || a[1].order - b[1].order);
      return {
        file,
        format: 'rows',
        keys: all.map(([k]) => k),
        sessions: all.map(([, s]) => s.events.sort((a, b) => a.time - b.time || a.seq - b.seq).map((e) => e.item)),
      };
    },
  };
}

/** `prefix-target` format: header `prefix<TAB>target`, then `id id id<TAB>id` per line. */
export function prefixTargetParser(file: string): LineParser<RawPrefixRow[]> {
  const rows: RawPrefixRow[] = [];
  let header = false;
  return {
    line(text, line) {
      if (!header) {
        header = true;
        const h = text.split('\t').map((c) => c.trim().toLowerCase());
        if (h.length !== 2 || h[0] !== 'prefix' || h[1] !== 'target') throw inputError(file, line, `expected the header "prefix<TAB>target", got "${text.slice(0, 60)}"`);
        return;
      }
      if (text.trim() === '') return;
      const cells = text.split('\t');
      if (cells.length !== 2) throw inputError(file, line, `expected "prefix<TAB>target" (space-separated item ids, a tab, one item id), got ${cells.length} tab-separated field${cells.length === 1 ? '' : 's'}`);
      const prefix = cells[0]!.trim().split(/\s+/).filter((x) => x !== '');
      const target = cells[1]!.trim();
      if (prefix.length === 0) throw inputError(file, line, 'expected at least one item id in the prefix');
      for (const id of prefix) if (!ID.test(id)) throw inputError(file, line, `expected item ids separated by spaces in the prefix, got "${id}"`);
      if (!ID.test(target)) throw inputError(file, line, `expected one item id as the target, got "${target}"`);
      rows.push({ prefix, target });
    },
    finish: () => rows,
  };
}

/** Guesses a file's format from its first non-blank line. */
export function detectFormat(firstLine: string): SessionFormat {
  const t = firstLine.trim();
  if (/^prefix\ttarget$/i.test(t)) return 'prefix-target';
  if (t.includes('\t') || t.includes(',')) return 'rows';
  return 'lines';
}

async function firstLine(file: string): Promise<string> {
  let first: string | null = null;
  // Reads until the first non-blank line; the stream is torn down by the thrown sentinel.
  const stop = new Error('stop');
  try {
    await forEachLine(file, (text) => {
      if (text.trim() !== '') {
        first = text;
        throw stop;
      }
    });
  } catch (err) {
    if (err !== stop) throw err;
  }
  return first ?? '';
}

/** Reads a session file (`lines` or `rows`; `auto` detects which). */
export async function readSessions(file: string, opts: { format?: SessionFormat | 'auto'; onProgress?: ReadProgress } = {}): Promise<RawSessions> {
  let format = opts.format ?? 'auto';
  if (format === 'auto') format = detectFormat(await firstLine(file));
  if (format === 'prefix-target') throw inputError(file, 1, 'is a prefix<TAB>target evaluation file; expected sessions (one per line, or session,item,timestamp rows)');
  const parser = format === 'rows' ? sessionRowsParser(file) : sessionLinesParser(file);
  await forEachLine(file, (t, l) => parser.line(t, l), opts.onProgress);
  const out = parser.finish();
  if (out.sessions.length === 0) throw inputError(file, undefined, 'holds no sessions');
  return out;
}

/** Reads a `prefix<TAB>target` evaluation file. */
export async function readPrefixTarget(file: string, opts: { onProgress?: ReadProgress } = {}): Promise<RawPrefixRow[]> {
  const parser = prefixTargetParser(file);
  await forEachLine(file, (t, l) => parser.line(t, l), opts.onProgress);
  const rows = parser.finish();
  if (rows.length === 0) throw inputError(file, undefined, 'holds no evaluation rows');
  return rows;
}

/**
 * Reads test data of any format as evaluation rows: a `prefix-target` file as is; a session file as every
 * prefix of every session with the item after it.
 */
export async function readTestRows(file: string, opts: { format?: SessionFormat | 'auto'; onProgress?: ReadProgress } = {}): Promise<RawPrefixRow[]> {
  let format = opts.format ?? 'auto';
  if (format === 'auto') format = detectFormat(await firstLine(file));
  if (format === 'prefix-target') return readPrefixTarget(file, opts);
  return prefixRows((await readSessions(file, { ...opts, format })).sessions);
}

/** Every prefix of every session with the item that came next (a session of n items gives n-1 rows). */
export function prefixRows<T>(sessions: readonly (readonly T[])[]): { prefix: T[]; target: T }[] {
  const rows: { prefix: T[]; target: T }[] = [];
  for (const s of sessions) for (let t = 1; t < s.length; t++) rows.push({ prefix: s.slice(0, t), target: s[t]! });
  return rows;
}

// ---------------------------------------------------------------------------------------------------------
// Preprocessing and the dense index

/** Item ids ↔ dense indices 0..size-1. */
export class ItemIndex {
  private readonly map: Map<string, number>;
  constructor(readonly ids: readonly string[]) {
    this.map = new Map(ids.map((id, i) => [id, i]));
    if (this.map.size !== ids.length) throw new Error('ItemIndex: duplicate item ids');
  }
  get size(): number {
    return this.ids.length;
  }
  /** The dense index of an id, or -1 when the id is unknown. */
  indexOf(id: string): number {
    return this.map.get(id) ?? -1;
  }
  idOf(index: number): string {
    const id = this.ids[index];
    if (id === undefined) throw new RangeError(`ItemIndex: no item at index ${index}`);
    return id;
  }
}

export interface PreprocessOptions {
  /** Drop sessions of a single event before counting items (SR-GNN's first step). Default true. */
  dropSingleClickSessions: boolean;
  /** Drop items seen fewer than this many times (over the sessions kept so far). Default 5. */
  minItemCount: number;
  /** Drop sessions left shorter than this. Default 2. */
  minSessionLength: number;
  /** Collapse immediate repeats (A A B → A B). Default false: repeats are real signal in many shops. */
  collapseRepeats: boolean;
  /** When given, only these items are kept (a catalog), in addition to the count threshold. */
  allowedItems?: ReadonlySet<string>;
}

export const FIELD_PREPROCESSING: PreprocessOptions = { dropSingleClickSessions: true, minItemCount: 5, minSessionLength: 2, collapseRepeats: false };

export interface PreprocessStats {
  sessionsIn: number;
  eventsIn: number;
  itemsIn: number;
  sessionsOut: number;
  eventsOut: number;
  itemsOut: number;
}

export interface Prepared {
  /** Sessions of dense indices, oldest event first, in the input's (time) order. */
  sessions: number[][];
  items: ItemIndex;
  /** Event counts per dense index over the kept sessions. */
  counts: Float64Array;
  stats: PreprocessStats;
}

function collapse<T>(s: readonly T[]): T[] {
  return s.filter((x, i) => i === 0 || s[i - 1] !== x);
}

/**
 * Filters sessions and builds the dense item index (most frequent item first; ties by first appearance).
 * Steps, in order: collapse repeats (optional), drop one-event sessions (optional), count items, drop rare
 * items (and those outside `allowedItems`), drop sessions now shorter than `minSessionLength`.
 */
export function preprocess(raw: readonly (readonly string[])[], options: Partial<PreprocessOptions> = {}): Prepared {
  const opts = { ...FIELD_PREPROCESSING, ...options };
  const eventsIn = raw.reduce((s, x) => s + x.length, 0);
  let sessions = raw.map((s) => (opts.collapseRepeats ? collapse(s) : s.slice()));
  if (opts.dropSingleClickSessions) sessions = sessions.filter((s) => s.length > 1);
  const count = new Map<string, number>();
  for (const s of sessions) for (const id of s) count.set(id, (count.get(id) ?? 0) + 1);
  const keep = (id: string) => (count.get(id) ?? 0) >= opts.minItemCount && (!opts.allowedItems || opts.allowedItems.has(id));
  let kept = sessions.map((s) => s.filter(keep));
  // Dropping an item can make two equal items adjacent: collapse again so the option means what it says.
  if (opts.collapseRepeats) kept = kept.map(collapse);
  kept = kept.filter((s) => s.length >= opts.minSessionLength);
  const finalCount = new Map<string, number>();
  const firstSeen = new Map<string, number>();
  for (const s of kept) {
    for (const id of s) {
      finalCount.set(id, (finalCount.get(id) ?? 0) + 1);
      if (!firstSeen.has(id)) firstSeen.set(id, firstSeen.size);
    }
  }
  const ids = [...finalCount.keys()].sort((a, b) => finalCount.get(b)! - finalCount.get(a)! || firstSeen.get(a)! - firstSeen.get(b)!);
  const items = new ItemIndex(ids);
  const counts = Float64Array.from(ids, (id) => finalCount.get(id)!);
  const dense = kept.map((s) => s.map((id) => items.indexOf(id)));
  const allItems = new Set<string>();
  for (const s of raw) for (const id of s) allItems.add(id);
  return {
    sessions: dense,
    items,
    counts,
    stats: {
      sessionsIn: raw.length,
      eventsIn,
      itemsIn: allItems.size,
      sessionsOut: dense.length,
      eventsOut: dense.reduce((s, x) => s + x.length, 0),
      itemsOut: ids.length,
    },
  };
}

/** A dense evaluation row: `target` is -1 when the model does not know the item (the row still counts, as a miss). */
export interface IndexedRow {
  prefix: number[];
  target: number;
}

/**
 * Maps raw evaluation rows onto a model's dense indices. Prefix items the model does not know are left out
 * (the browser ignores them too); a row whose prefix is left empty is scored on the empty session
 * (the popularity prior); an unknown target can never be hit but the row counts. With `collapseRepeats`
 * the prefix is collapsed the way the training data was.
 */
export function indexRows(rows: readonly RawPrefixRow[], items: ItemIndex, opts: { collapseRepeats?: boolean } = {}): { rows: IndexedRow[]; unknownTargets: number; unknownPrefixItems: number } {
  let unknownTargets = 0;
  let unknownPrefixItems = 0;
  const out = rows.map((r) => {
    const prefix: number[] = [];
    for (const id of r.prefix) {
      const i = items.indexOf(id);
      if (i < 0) unknownPrefixItems++;
      else if (!(opts.collapseRepeats && prefix[prefix.length - 1] === i)) prefix.push(i);
    }
    const target = items.indexOf(r.target);
    if (target < 0) unknownTargets++;
    return { prefix, target };
  });
  return { rows: out, unknownTargets, unknownPrefixItems };
}

/** Splits sessions in time order: the last `fraction` of them (at least one) for validation. */
export function splitByTime<T>(sessions: readonly T[], fraction: number): { train: T[]; validation: T[] } {
  const n = Math.max(1, Math.min(sessions.length - 1, Math.round(sessions.length * fraction)));
  return { train: sessions.slice(0, sessions.length - n), validation: sessions.slice(sessions.length - n) };
}
