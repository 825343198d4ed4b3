/**
 * The single validator every input path goes through (explicit `track`, queued script-tag calls, and the
 * capture modules in `capture/`). It returns a clean `TacitEvent` or throws a `TypeError` whose message
 * says what to change; it never stores what it cannot vouch for.
 */
import { AVAILABILITY, CAPTURE_SOURCES, EVENT_TYPES, ITEM_EVENTS, SEGMENT_NAMES, isEventType, toEventType, type Availability, type EventType, type TacitEvent } from './vocabulary.js';

/** Longest accepted id, and longest accepted free text. Longer input is a programmer error. */
export const MAX_ID_LENGTH = 200;
export const MAX_TEXT_LENGTH = 500;
/** Capture's note of why a source won (`reason`). */
export const MAX_REASON_LENGTH = 200;

const sources = new Set<string>(CAPTURE_SOURCES);
// Lower-case letters only → the schema.org name; Open Graph / Facebook catalog phrases map onto the nearest one.
const availabilityNames = new Map<string, Availability>([...AVAILABILITY.map((a) => [a.toLowerCase(), a] as const), ['oos', 'OutOfStock'], ['availablefororder', 'BackOrder']]);

/**
 * `https://schema.org/InStock`, `schema:InStock`, `InStock`, `in stock`, `in_stock`, `oos` → the bare
 * schema.org name; anything else → undefined.
 */
export function toAvailability(value: unknown): Availability | undefined {
  if (typeof value !== 'string' || value.length > 100) return undefined;
  return availabilityNames.get(value.replace(/^.*[/:#]/, '').replace(/[^a-z]/gi, '').toLowerCase());
}

function fail(message: string): never {
  throw new TypeError(`tacit.track(): ${message}`);
}

function text(input: Record<string, unknown>, field: string, max: number): string | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') fail(`"${field}" must be a string, got ${typeof v}`);
  const s = v.trim();
  if (s.length > max) fail(`"${field}" is ${s.length} characters long; the limit is ${max}`);
  return s === '' ? undefined : s;
}

function num(input: Record<string, unknown>, field: string, min: number, max: number): number | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`"${field}" must be a finite number, got ${typeof v === 'number' ? String(v) : typeof v}`);
  if (v < min || v > max) fail(`"${field}" must be between ${min} and ${max}, got ${v}`);
  return v;
}

/** Normalizes one input event, or throws a `TypeError` that names the field and the fix. */
export function normalizeEvent(input: unknown, now: number = Date.now()): TacitEvent {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    fail('expected an event object such as { type: "view_item", itemId: "sku-123" }');
  }
  const obj = input as Record<string, unknown>;
  const rawType = obj.type;
  if (typeof rawType !== 'string') fail('"type" is required, e.g. "view_item", "add_to_cart", "purchase" or "search"');
  const type = toEventType(rawType);
  if (!type) {
    fail(`unknown event type ${JSON.stringify(rawType.slice(0, 60))}; use one of ${EVENT_TYPES.join(', ')} (or the Segment names ${Object.keys(SEGMENT_NAMES).join(', ')})`);
  }
  const event: TacitEvent = { type, ts: now };
  const itemId = text(obj, 'itemId', MAX_ID_LENGTH) ?? text(obj, 'sku', MAX_ID_LENGTH) ?? text(obj, 'product_id', MAX_ID_LENGTH);
  if (ITEM_EVENTS.has(type) && itemId === undefined) fail(`"${type}" needs an "itemId" (the product id or sku)`);
  if (itemId !== undefined) event.itemId = itemId;
  const fields = { name: MAX_TEXT_LENGTH, currency: 3, category: MAX_TEXT_LENGTH, brand: MAX_TEXT_LENGTH, variant: MAX_TEXT_LENGTH } as const;
  for (const [field, max] of Object.entries(fields)) {
    const v = text(obj, field, max);
    if (v !== undefined) event[field as keyof typeof fields] = v;
  }
  if (event.currency !== undefined && !/^[A-Za-z]{3}$/.test(event.currency)) fail(`"currency" must be an ISO 4217 code such as "EUR", got ${JSON.stringify(event.currency)}`);
  if (event.currency) event.currency = event.currency.toUpperCase();
  const price = num(obj, 'price', 0, 1e9);
  if (price !== undefined) event.price = price;
  const quantity = num(obj, 'quantity', 0, 1e6);
  if (quantity !== undefined) event.quantity = quantity;
  const query = text(obj, 'query', MAX_TEXT_LENGTH);
  if (type === 'search' && query === undefined) fail('"search" needs a "query"');
  if (query !== undefined) event.query = query;
  if (obj.availability !== undefined && obj.availability !== null) {
    const availability = toAvailability(obj.availability);
    if (!availability) fail(`"availability" must be a schema.org availability such as "InStock", "OutOfStock" or "https://schema.org/PreOrder", got ${typeof obj.availability === 'string' ? JSON.stringify(obj.availability.slice(0, 60)) : typeof obj.availability}`);
    event.availability = availability;
  }
  if (obj.source !== undefined) {
    if (typeof obj.source !== 'string' || !sources.has(obj.source)) fail(`"source" must be one of ${CAPTURE_SOURCES.join(', ')} (or left out)`);
    event.source = obj.source as TacitEvent['source'];
  }
  const reason = text(obj, 'reason', MAX_REASON_LENGTH);
  if (reason !== undefined) event.reason = reason;
  return event;
}

const optionalText = (v: unknown, max: number) => v === undefined || (typeof v === 'string' && v.length <= max);
const optionalAmount = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isFinite(v) && v >= 0);

/**
 * Checks a stored record before use: storage is outside our control (other code, old versions, corruption).
 * Every field `normalizeEvent` can produce must have the shape it produces; unknown extra fields are ignored
 * (a newer version may have written them).
 */
export function isStoredEvent(v: unknown): v is TacitEvent {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return (
    typeof e.type === 'string' &&
    isEventType(e.type) &&
    typeof e.ts === 'number' &&
    Number.isFinite(e.ts) &&
    optionalText(e.itemId, MAX_ID_LENGTH) &&
    (!ITEM_EVENTS.has(e.type as EventType) || typeof e.itemId === 'string') &&
    ['name', 'category', 'brand', 'variant', 'query'].every((f) => optionalText(e[f], MAX_TEXT_LENGTH)) &&
    optionalText(e.currency, 3) &&
    optionalAmount(e.price) &&
    optionalAmount(e.quantity) &&
    (e.availability === undefined || (typeof e.availability === 'string' && availabilityNames.get(e.availability.toLowerCase()) === e.availability)) &&
    (e.source === undefined || (typeof e.source === 'string' && sources.has(e.source))) &&
    optionalText(e.reason, MAX_REASON_LENGTH)
  );
}
