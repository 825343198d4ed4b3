/** What a view needs: the Tacit API, the catalog, and how this version of the shop links to products. */
import type { Tacit } from 'tacit';
import type { Catalog } from './catalog.js';
import type { ProductLink } from './cards.js';

export interface ShopContext {
  tacit: Tacit;
  catalog: Catalog;
  link: ProductLink;
  /** Link to the catalog (optionally filtered) and to the cart. */
  shopHref: (category?: string) => string;
  cartHref: string;
  /** Aborted when the view goes away (SPA route change); listeners registered by the view use it. */
  signal: AbortSignal;
}

/** Track an event without letting a failure reach the page (the SDK logs its own errors). */
export function trackQuietly(ctx: ShopContext, event: Parameters<Tacit['track']>[0]): Promise<void> {
  return ctx.tacit.track(event).catch((err: unknown) => console.warn('demo: track failed', err));
}
