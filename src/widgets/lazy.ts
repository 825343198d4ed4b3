/**
 * `defineTacitElements` for the ES module entry: the widgets (about 3 kB gzip) are a chunk of their own,
 * `tacit-widgets.js`, fetched when a page calls this, so that `tacit.js` stays small for pages without a
 * widget. The script tag imports the same chunk itself when the page has a Tacit element.
 */
import { reason, warnOnce } from '../lib/log.js';
import type { WidgetTarget } from './types.js';

/**
 * Defines `<tacit-recommendations>` (and Tacit's other elements) for `tacit`; elements already in the page
 * upgrade when the chunk arrives. Never throws; resolves when they are defined (false if they could not be).
 * @example import { createTacit, defineTacitElements } from 'tacit'; defineTacitElements(createTacit({ model }))
 */
export function defineTacitElements(tacit: WidgetTarget): Promise<boolean> {
  return import('./index.js')
    .then((m) => (m.defineTacitElements(tacit), true))
    .catch((err: unknown) => (warnOnce('widgets', `the Tacit elements could not load: ${reason(err)}`), false));
}
