/**
 * The shape of stored records, versioned. Each record carries `v`, its schema version; the database's meta
 * record (`#meta`, which sorts before every event key) says which version every record has been brought to.
 * A newer Tacit adds a step to `STEPS` and bumps `SCHEMA_VERSION`; `migrate` then rewrites the stored records
 * once, in one transaction, and `readRecord` upgrades any record an older copy of Tacit (another tab) writes
 * afterwards. Records from a newer Tacit are read for the fields this version knows.
 *
 * Versions: 0 — Tacit 0.1: a `TacitEvent`, no `v`. 1 — a `TacitEvent` plus `v: 1` (adds `availability` and
 * `source`, both optional, so the step from 0 only stamps the version).
 */
import { promisifyRequest } from 'idb-keyval';
import { isStoredEvent } from '../events/validate.js';
import type { TacitEvent } from '../events/vocabulary.js';

export const SCHEMA_VERSION = 1;
export const META_KEY = '#meta';
/** Every event key: base-36 time first (see history.ts), so all of them sort at or after "0". */
export const eventKeys = (): IDBKeyRange => IDBKeyRange.lowerBound('0');

type Raw = Record<string, unknown>;
/** `STEPS[n]` turns a version-n record into a version-(n+1) one. */
const STEPS: readonly ((record: Raw) => Raw)[] = [(r) => ({ ...r, v: 1 })];

const FIELDS = ['type', 'ts', 'itemId', 'name', 'price', 'currency', 'category', 'brand', 'variant', 'quantity', 'query', 'availability', 'source'] as const;

/** A stored value → the event it holds (older versions upgraded), or null when it is not a valid record. */
export function readRecord(value: unknown): TacitEvent | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  let record = value as Raw;
  const from = record.v ?? 0;
  if (typeof from !== 'number' || !Number.isInteger(from) || from < 0) return null;
  for (let v = from; v < SCHEMA_VERSION; v++) record = STEPS[v]!(record);
  if (!isStoredEvent(record)) return null;
  const event = {} as Raw;
  for (const f of FIELDS) if (record[f] !== undefined) event[f] = record[f];
  return event as unknown as TacitEvent;
}

/** The record written for an event. */
export const toRecord = (event: TacitEvent): TacitEvent & { v: number } => ({ ...event, v: SCHEMA_VERSION });

/**
 * Brings every record in `store` (a readwrite transaction's) from `fromVersion` to `SCHEMA_VERSION`, deletes
 * those that are not valid records, and writes the meta record. Resolves when the requests are issued and run.
 */
export async function migrate(store: IDBObjectStore, fromVersion: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const request = store.openCursor(eventKeys());
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const cursor = request.result;
      if (!cursor) return resolve();
      const value = cursor.value as Raw | null;
      const event = readRecord(typeof value === 'object' && value !== null && value.v === undefined ? { ...value, v: fromVersion } : value);
      if (!event) cursor.delete();
      else if (!((value as Raw).v as number >= SCHEMA_VERSION)) cursor.update(toRecord(event)); // never rewrite a newer version's record
      cursor.continue();
    };
  });
  await promisifyRequest(store.put({ schema: SCHEMA_VERSION }, META_KEY));
}
