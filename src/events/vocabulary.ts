/**
 * The event vocabulary. Canonical names are GA4's (`view_item`, `add_to_cart`, …); Segment's e-commerce
 * names (`Product Viewed`, `Product Added`, …) are accepted and mapped, so a shop can forward what it
 * already sends elsewhere.
 */

export const EVENT_TYPES = ['view_item', 'add_to_cart', 'remove_from_cart', 'view_cart', 'begin_checkout', 'purchase', 'search'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Segment E-commerce spec v2 name → canonical (GA4) name. */
export const SEGMENT_NAMES = {
  'Product Viewed': 'view_item',
  'Product Added': 'add_to_cart',
  'Product Removed': 'remove_from_cart',
  'Cart Viewed': 'view_cart',
  'Checkout Started': 'begin_checkout',
  'Order Completed': 'purchase',
  'Products Searched': 'search',
} as const satisfies Readonly<Record<string, EventType>>;
export type SegmentEventName = keyof typeof SEGMENT_NAMES;

const canonicalNames: ReadonlySet<string> = new Set(EVENT_TYPES);

/** Whether `name` is a canonical (GA4) event name; Segment names are not. */
export const isEventType = (name: unknown): name is EventType => typeof name === 'string' && canonicalNames.has(name);

/**
 * The canonical type for a GA4 or Segment event name, or undefined. `Object.hasOwn` keeps names such as
 * "constructor" or "__proto__" from resolving through the prototype.
 */
export function toEventType(name: unknown): EventType | undefined {
  if (typeof name !== 'string') return undefined;
  if (isEventType(name)) return name;
  return Object.hasOwn(SEGMENT_NAMES, name) ? SEGMENT_NAMES[name as SegmentEventName] : undefined;
}

/** Event types that name one item and therefore take part in the session the model encodes. */
export const ITEM_EVENTS: ReadonlySet<EventType> = new Set(['view_item', 'add_to_cart', 'purchase']);

/**
 * Stock states, as schema.org's `ItemAvailability` names them. Input may be the full URL
 * (`https://schema.org/InStock`), the bare name, or Open Graph's phrases (`in stock`, `oos`, `preorder`, …);
 * it is stored as the bare name.
 */
export const AVAILABILITY = [
  'InStock',
  'OutOfStock',
  'PreOrder',
  'PreSale',
  'BackOrder',
  'Discontinued',
  'SoldOut',
  'LimitedAvailability',
  'InStoreOnly',
  'OnlineOnly',
  'MadeToOrder',
  'Reserved',
] as const;
export type Availability = (typeof AVAILABILITY)[number];

/**
 * Where a captured event came from: an explicit `data-tacit-*` attribute, schema.org JSON-LD, microdata or
 * RDFa, a `dataLayer` push, or Open Graph tags. Events from `track()` carry none unless the caller sets one.
 */
export const CAPTURE_SOURCES = ['attribute', 'jsonld', 'microdata', 'rdfa', 'datalayer', 'opengraph'] as const;
export type CaptureSource = (typeof CAPTURE_SOURCES)[number];

/** What `track()` accepts: the canonical or Segment name, and the fields both conventions use. */
export interface TrackInput {
  /** `view_item`, `add_to_cart`, `remove_from_cart`, `view_cart`, `begin_checkout`, `purchase`, `search`, or a Segment name. */
  type: EventType | SegmentEventName;
  /** Product id (or `sku`); required for item events. */
  itemId?: string | number;
  sku?: string | number;
  name?: string;
  price?: number;
  currency?: string;
  category?: string;
  brand?: string;
  variant?: string;
  quantity?: number;
  /** Search text, for `search`. Stored on this device only. */
  query?: string;
  /** `InStock`, `OutOfStock`, … (or `https://schema.org/InStock`, `in stock`); stored as the bare schema.org name. */
  availability?: Availability | string;
  /** Which markup the event was captured from (set by capture; leave it out in explicit calls). */
  source?: CaptureSource;
  /** Why capture took that source's values, e.g. `sources agree: jsonld, opengraph` (set by capture). */
  reason?: string;
}

/** An event as stored on the device. */
export interface TacitEvent {
  type: EventType;
  /** Milliseconds since the epoch, when it happened. */
  ts: number;
  itemId?: string;
  name?: string;
  price?: number;
  currency?: string;
  category?: string;
  brand?: string;
  variant?: string;
  quantity?: number;
  query?: string;
  availability?: Availability;
  source?: CaptureSource;
  /** Why capture took `source`'s values (see `TrackInput.reason`). */
  reason?: string;
}
