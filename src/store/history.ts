/**
 * The shopper's on-device history: IndexedDB through idb-keyval, falling back to memory when storage is
 * blocked or broken. Each event is its own record under a time-ordered key, so two tabs writing at once
 * never overwrite each other. Nothing here is ever sent anywhere.
 */
import { createStore, entries, set, clear, delMany, keys, type UseStore } from 'idb-keyval';
import { isStoredEvent } from '../events/validate.js';
import type { TacitEvent } from '../events/vocabulary.js';
import { reason, warnOnce } from '../lib/log.js';

export interface HistoryOptions {
  /** Most events kept; the oldest go first. Default 1000. */
  maxEvents?: number;
  /** Events older than this are dropped. Default 90 days. */
  retentionDays?: number;
  /** `memory` keeps nothing across page loads. Default `indexeddb`. */
  storage?: 'indexeddb' | 'memory';
}

export interface History {
  add(event: TacitEvent): Promise<void>;
  /** Every stored event, oldest first. */
  all(): Promise<TacitEvent[]>;
  /** Erases everything stored. */
  clear(): Promise<void>;
  /** Where events live now: `indexeddb`, or `memory` when persistent storage is unavailable. */
  readonly kind: 'indexeddb' | 'memory';
}

export const DB_NAME = 'tacit';
export const STORE_NAME = 'events';
export const DEFAULT_MAX_EVENTS = 1000;
export const DEFAULT_RETENTION_DAYS = 90;

let seq = 0;
/** Sortable key: base-36 time, then a per-page counter and a random tag so two tabs never collide. */
function keyFor(ts: number): string {
  seq = (seq + 1) % 1679616;
  return `${Math.floor(ts).toString(36).padStart(9, '0')}-${seq.toString(36).padStart(4, '0')}-${Math.random().toString(36).slice(2, 8)}`;
}

class MemoryHistory implements History {
  readonly kind = 'memory' as const;
  private events: TacitEvent[] = [];
  constructor(private readonly max: number, private readonly retentionMs: number) {}
  async add(event: TacitEvent) {
    this.events.push(event);
    if (this.events.length > this.max) this.events.splice(0, this.events.length - this.max);
  }
  async all() {
    const cutoff = Date.now() - this.retentionMs;
    return this.events.filter((e) => e.ts >= cutoff);
  }
  async clear() {
    this.events = [];
  }
}

class IdbHistory implements History {
  kind: 'indexeddb' | 'memory' = 'indexeddb';
  private fallback: MemoryHistory | null = null;
  private sincePrune = 0;
  constructor(private readonly store: UseStore, private readonly max: number, private readonly retentionMs: number) {}

  private degrade(err: unknown): MemoryHistory {
    warnOnce('storage', `IndexedDB failed (${reason(err)}); keeping history in memory for this page only`);
    this.kind = 'memory';
    this.fallback ??= new MemoryHistory(this.max, this.retentionMs);
    return this.fallback;
  }

  async add(event: TacitEvent) {
    if (this.fallback) return this.fallback.add(event);
    try {
      await set(keyFor(event.ts), event, this.store);
      // Pruning reads every key: do it now and then, not on every write.
      if (++this.sincePrune >= 50) {
        this.sincePrune = 0;
        await this.prune();
      }
    } catch (err) {
      await this.degrade(err).add(event);
    }
  }

  private async prune() {
    const all = (await keys(this.store)).map(String).sort();
    const cutoff = Math.floor(Date.now() - this.retentionMs).toString(36).padStart(9, '0');
    const old = all.filter((k) => k < cutoff);
    const over = all.length - old.length - this.max;
    const drop = over > 0 ? old.concat(all.slice(old.length, old.length + over)) : old;
    if (drop.length) await delMany(drop, this.store);
  }

  async all() {
    if (this.fallback) return this.fallback.all();
    try {
      const rows = await entries(this.store);
      rows.sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1));
      const cutoff = Date.now() - this.retentionMs;
      // Records are checked on the way out too: storage can hold anything (other versions, other code).
      const events = rows.map((r) => r[1]).filter((e): e is TacitEvent => isStoredEvent(e) && e.ts >= cutoff);
      return events.slice(-this.max);
    } catch (err) {
      return this.degrade(err).all();
    }
  }

  async clear() {
    if (this.fallback) await this.fallback.clear();
    try {
      await clear(this.store);
    } catch (err) {
      this.degrade(err);
    }
  }
}

/** Opens the history, probing IndexedDB once; any failure yields the memory store and one warning. */
export async function openHistory(options: HistoryOptions = {}): Promise<History> {
  const max = options.maxEvents ?? DEFAULT_MAX_EVENTS;
  const retentionMs = (options.retentionDays ?? DEFAULT_RETENTION_DAYS) * 86_400_000;
  if (options.storage === 'memory') return new MemoryHistory(max, retentionMs);
  try {
    if (typeof indexedDB === 'undefined') throw new Error('indexedDB is not available');
    const store = createStore(DB_NAME, STORE_NAME);
    await keys(store); // opens the database: blocked storage fails here, not later
    return new IdbHistory(store, max, retentionMs);
  } catch (err) {
    warnOnce('storage', `IndexedDB is unavailable (${reason(err)}); keeping history in memory for this page only`);
    return new MemoryHistory(max, retentionMs);
  }
}
