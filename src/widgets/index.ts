/**
 * The widgets chunk (`tacit-widgets.js`): custom elements a store adds with markup alone. The script tag
 * imports it only when the page has a Tacit element (standalone.ts); ES module users call
 * `defineTacitElements(tacit)` (widgets/lazy.ts), which imports it on demand. Pages without a widget never
 * fetch it, nor the catalog feed the cards show.
 */
import { recommendationsElement } from './recommendations.js';
import type { WidgetTarget } from './types.js';

export type { WidgetTarget, Card, RenderDetail, FallbackDetail } from './types.js';

/** The elements this chunk defines; the script tag looks for these names before importing it. */
export const WIDGET_TAGS = ['tacit-recommendations'] as const;

/**
 * Defines Tacit's elements for one instance. A name the page already defined (a second call, or a second
 * copy of Tacit) is left alone: custom element names are defined once per page.
 */
export function defineTacitElements(tacit: WidgetTarget): void {
  const define = (name: string, element: CustomElementConstructor) => customElements.get(name) || customElements.define(name, element);
  define('tacit-recommendations', recommendationsElement(tacit));
}
