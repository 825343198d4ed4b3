/**
 * The shopper's on-device history: IndexedDB (through idb-keyval, on the connection in idb.ts), with the
 * page's own events always kept in memory too. Each event is its own record under a time-ordered key, so two
 * tabs writing at once never overwrite each other; the cap and the retention period are enforced inside the
 * write transaction, which IndexedDB runs one at a time across tabs. Nothing here is ever sent anywhere.
 *
 * Consent decides where events go. Granted (the default, unless the browser sends Global Privacy Control
 * and the shop configured nothing): IndexedDB. Denied: memory only, and whatever was stored is erased.
 * Storage that is blocked, full or broken degrades to memory with one console warning, never an exception.
 */
import { entries, delMany, promisifyRequest } from 'idb-keyval';
import type { TacitEvent } from '../events/vocabulary.js';
import { reason, warnOnce } from '../lib/log.js';
import { connect, deleteDatabase, type Connection } from './idb.js';
import { META_KEY, SCHEMA_VERSION, eventKeys, migrate, readRecord, toRecord } from './schema.js';

/** `granted`: the history persists on this device. `denied`: it lives in the page's memory only. */
export type Consent = 'granted' | 'denied';

export interface HistoryOptions {
  /** Most events kept; the oldest go first. Default 1,000. Script tag: `data-max-events`. */
  maxEvents?: number;
  /** Events older than this are dropped. Default 90 days. Script tag: `data-retention-days`. */
  retentionDays?: number;
  /** `memory` keeps nothing across page loads. Default `indexeddb`. */
  storage?: 'indexeddb' | 'memory';
  /**
   * Consent to keep the history on this device, until `consent()` changes it. Default: `granted`, or
   * `denied` when the browser sends Global Privacy Control (`navigator.globalPrivacyControl`); setting it
   * either way overrides that signal. Script tag: `data-consent`.
   */
  consent?: Consent;
}

/** The shopper's event history on this device. (Not `History`: that is the DOM's `window.history`.) */
export interface HistoryStore {
  add(event: TacitEvent): Promise<void>;
  /** Every event, oldest first: the stored ones, plus this page's when they could not be stored. */
  all(): Promise<TacitEvent[]>;
  /** Erases everything: this page's events and the database itself. */
  clear(): Promise<void>;
  /** Changes consent; `denied` erases what was stored. */
  setConsent(consent: Consent): Promise<void>;
  /** Where new events go now: `indexeddb`, or `memory` (consent denied, storage unavailable, or configured). */
  readonly kind: 'indexeddb' | 'memory';
  readonly consent: Consent;
}

export const DB_NAME = 'tacit';
export const STORE_NAME = 'events';
export const DEFAULT_MAX_EVENTS = 1000;
export const DEFAULT_RETENTION_DAYS = 90;
export { SCHEMA_VERSION };

/** Throws a `TypeError` naming the option when a history option is invalid (called by `createTacit`). */
export function checkHistoryOptions(o: Record<string, unknown>): void {
  const fail = (m: string) => {
    throw new TypeError(`createTacit(): ${m}`);
  };
  if (o.maxEvents !== undefined && !(Number.isInteger(o.maxEvents) && (o.maxEvents as number) >= 1 && (o.maxEvents as number) <= 100_000)) fail('"maxEvents" must be an integer from 1 to 100000');
  if (o.retentionDays !== undefined && !(typeof o.retentionDays === 'number' && o.retentionDays > 0 && o.retentionDays <= 3650)) fail('"retentionDays" must be a number of days from 0 to 3650 (not 0)');
  if (o.consent !== undefined && o.consent !== 'granted' && o.consent !== 'denied') fail('"consent" must be "granted" or "denied"');
}

/** The configured consent, else what the browser's Global Privacy Control signal says. */
export function initialConsent(options: HistoryOptions, nav: unknown = globalThis.navigator): Consent {
  if (options.consent) return options.consent;
  return (nav as { globalPrivacyControl?: unknown } | undefined)?.globalPrivacyControl === true ? 'denied' : 'granted';
}

let seq = 0;
/** Sortable key: base-36 time, then a per-page counter and a random tag so two tabs never collide. */
function keyFor(ts: number): string {
  seq = (seq + 1) % 1679616;
  return `${timeKey(ts)}-${seq.toString(36).padStart(4, '0')}-${Math.random().toString(36).slice(2, 8)}`;
}
const timeKey = (ts: number) => Math.max(0, Math.floor(ts)).toString(36).padStart(9, '0');

class MemoryHistory {
  private events: TacitEvent[] = [];
  constructor(private readonly max: number, private readonly retentionMs: number) {}
  add(event: TacitEvent) {
    this.events.push(event);
    if (this.events.length > this.max) this.events.splice(0, this.events.length - this.max);
  }
  all() {
    const cutoff = Date.now() - this.retentionMs;
    return this.events.filter((e) => e.ts >= cutoff);
  }
  clear() {
    this.events = [];
  }
}

/** The events object store: batched writes that also enforce the cap and retention; validated reads. */
class StoredEvents {
  private queue: [string, TacitEvent][] = [];
  private flushing: Promise<void> | null = null;
  /** Set by `erase()` until the next write, so that reading the (empty) history does not recreate the database. */
  private erased = false;
  /** The last batch written: a read waits for it, so that a tab reads its own writes. */
  private written: Promise<void> = Promise.resolve();
  private constructor(readonly db: Connection, private readonly max: number, private readonly retentionMs: number) {}

  /** Opens the database and brings its records to the current schema; rejects when storage is unusable. */
  static async open(max: number, retentionMs: number): Promise<StoredEvents> {
    if (typeof indexedDB === 'undefined') throw new Error('indexedDB is not available');
    const db = connect(DB_NAME, STORE_NAME);
    await db.store('readwrite', async (store) => {
      const meta = (await promisifyRequest(store.get(META_KEY))) as { schema?: unknown } | undefined;
      const from = typeof meta?.schema === 'number' ? meta.schema : 0;
      if (from < SCHEMA_VERSION) await migrate(store, from);
      return promisifyRequest(store.transaction);
    });
    return new StoredEvents(db, max, retentionMs);
  }

  /** Queues the event; the events queued in one turn are written in one transaction. */
  add(event: TacitEvent): Promise<void> {
    this.queue.push([keyFor(event.ts), event]);
    return (this.flushing ??= this.written = Promise.resolve().then(() => this.flush()));
  }

  private flush(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    this.flushing = null;
    this.erased = false;
    return this.db.store('readwrite', async (store) => {
      for (const [key, event] of batch) store.put(toRecord(event), key);
      store.delete(IDBKeyRange.bound('0', timeKey(Date.now() - this.retentionMs), false, true));
      const over = (await promisifyRequest(store.count(eventKeys()))) - this.max;
      if (over > 0) {
        const oldest = await promisifyRequest(store.getAllKeys(eventKeys(), over));
        store.delete(IDBKeyRange.bound('0', oldest[oldest.length - 1]!));
      }
      return promisifyRequest(store.transaction);
    });
  }

  async all(): Promise<TacitEvent[]> {
    await this.written.catch(() => {});
    if (this.erased) return [];
    const rows = await entries<string, unknown>(this.db.store); // key order = time order
    const cutoff = Date.now() - this.retentionMs;
    const events: TacitEvent[] = [];
    const corrupt: string[] = [];
    for (const [key, value] of rows) {
      if (key === META_KEY) continue;
      // Records are checked on the way out too: storage can hold anything (other versions, other code).
      const event = readRecord(value);
      if (!event) corrupt.push(key);
      else if (event.ts >= cutoff) events.push(event);
    }
    if (corrupt.length) {
      warnOnce('corrupt', `ignored and removed ${corrupt.length} unreadable record(s) in the on-device history`);
      delMany(corrupt, this.db.store).catch(() => {});
    }
    return events.slice(-this.max);
  }

  /** Empties the store and deletes the database. */
  async erase(): Promise<void> {
    try {
      await this.db.store('readwrite', (store) => {
        store.clear();
        return promisifyRequest(store.transaction);
      });
    } catch {
      // deleting the database below still removes it
    }
    this.db.close();
    this.erased = true;
    await deleteDatabase(DB_NAME);
  }
}

class ShopperHistory implements HistoryStore {
  private readonly page: MemoryHistory;
  /** This page's events that are not in IndexedDB (recorded while consent was denied, or storage failed). */
  private unsaved: TacitEvent[] = [];
  private stored: StoredEvents | null = null;
  private failed = false;

  constructor(
    public consent: Consent,
    private readonly options: HistoryOptions,
    private readonly max: number,
    private readonly retentionMs: number,
  ) {
    this.page = new MemoryHistory(max, retentionMs);
  }

  get kind(): 'indexeddb' | 'memory' {
    return this.consent === 'granted' && this.stored && !this.failed ? 'indexeddb' : 'memory';
  }

  private fail(err: unknown): void {
    this.failed = true;
    warnOnce('storage', `IndexedDB failed (${reason(err)}); keeping history in memory for this page only`);
  }

  /** Opens IndexedDB when consent allows it; erases it when consent is denied. */
  async start(): Promise<void> {
    if (this.consent === 'denied') return deleteDatabase(DB_NAME);
    if (this.options.storage === 'memory') return;
    try {
      this.stored = await StoredEvents.open(this.max, this.retentionMs);
    } catch (err) {
      warnOnce('storage', `IndexedDB is unavailable (${reason(err)}); keeping history in memory for this page only`);
    }
  }

  async add(event: TacitEvent) {
    this.page.add(event);
    if (this.kind === 'indexeddb') {
      try {
        return await this.stored!.add(event);
      } catch (err) {
        this.fail(err); // e.g. QuotaExceededError
      }
    }
    this.unsaved.push(event);
    if (this.unsaved.length > this.max) this.unsaved.shift();
  }

  async all() {
    if (this.consent === 'granted' && this.stored) {
      try {
        const stored = await this.stored.all();
        if (!this.unsaved.length) return stored;
        const cutoff = Date.now() - this.retentionMs;
        return [...stored, ...this.unsaved.filter((e) => e.ts >= cutoff)].sort((a, b) => a.ts - b.ts).slice(-this.max);
      } catch (err) {
        this.fail(err);
      }
    }
    return this.page.all();
  }

  async clear() {
    this.page.clear();
    this.unsaved = [];
    // The store stays usable: the next event recreates the database.
    await (this.stored ? this.stored.erase() : deleteDatabase(DB_NAME));
  }

  async setConsent(consent: Consent) {
    if (consent === this.consent) return;
    this.consent = consent;
    if (consent === 'denied') {
      const stored = this.stored;
      this.stored = null;
      return stored ? stored.erase() : deleteDatabase(DB_NAME);
    }
    // Events recorded while consent was denied stay in this page's memory: they are never written.
    this.failed = false;
    await this.start();
  }
}

/** Opens the history. Never rejects: any storage failure yields the in-memory history and one warning. */
export async function openHistory(options: HistoryOptions = {}): Promise<HistoryStore> {
  const max = options.maxEvents ?? DEFAULT_MAX_EVENTS;
  const retentionMs = (options.retentionDays ?? DEFAULT_RETENTION_DAYS) * 86_400_000;
  const history = new ShopperHistory(initialConsent(options), options, max, retentionMs);
  await history.start();
  return history;
}
