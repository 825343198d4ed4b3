/**
 * The event vocabulary. Canonical names are GA4's (`view_item`, `add_to_cart`, …); Segment's e-commerce
 * names (`Product Viewed`, `Product Added`, …) are accepted and mapped, so a shop can forward what it
 * already sends elsewhere.
 */

export const EVENT_TYPES = ['view_item', 'add_to_cart', 'remove_from_cart', 'view_cart', 'begin_checkout', 'purchase', 'search'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Segment E-commerce spec v2 name → canonical (GA4) name. */
export const SEGMENT_NAMES: Readonly<Record<string, EventType>> = {
  'Product Viewed': 'view_item',
  'Product Added': 'add_to_cart',
  'Product Removed': 'remove_from_cart',
  'Cart Viewed': 'view_cart',
  'Checkout Started': 'begin_checkout',
  'Order Completed': 'purchase',
  'Products Searched': 'search',
};

/** Event types that name one item and therefore take part in the session the model encodes. */
export const ITEM_EVENTS: ReadonlySet<EventType> = new Set(['view_item', 'add_to_cart', 'purchase']);

/** What `track()` accepts: the canonical or Segment name, and the fields both conventions use. */
export interface TrackInput {
  /** `view_item`, `add_to_cart`, `remove_from_cart`, `view_cart`, `begin_checkout`, `purchase`, `search`, or a Segment name. */
  type: EventType | keyof typeof SEGMENT_NAMES;
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
}
