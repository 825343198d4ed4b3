/** Shapes shared by the widgets: the part of the Tacit API they call, and what their events carry. */
import type { Tacit } from '../tacit.js';
import type { CatalogItem } from '../model/catalog.js';

/** What the elements need of a Tacit instance (the ES module's `createTacit()` or the script tag's `window.tacit`). */
export type WidgetTarget = Pick<Tacit, 'recommend' | 'catalog' | 'history' | 'forget' | 'consent' | 'storage'>;

/** One rendered card: the catalog feed's fields for the item, its score and, when known, its main reason. */
export interface Card extends CatalogItem {
  score: number;
  /** The session item that contributed most to the score, with its catalog name when the feed has it. */
  because?: { itemId: string; name?: string; share: number };
}

/** `tacit:render`'s `detail`: the cards shown, in order. */
export interface RenderDetail {
  items: Card[];
}

/**
 * `tacit:fallback`'s `detail`: why the element keeps the merchant's own markup. `timeout`: the engine or the
 * model did not answer within the deadline; `empty`: no recommendation had a catalog entry, or there is
 * nothing to recommend from (no history, no context); `error`: the call failed.
 */
export interface FallbackDetail {
  reason: 'timeout' | 'empty' | 'error';
}
