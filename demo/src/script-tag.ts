/**
 * The script-tag pages talk to Tacit only through `window.tacit`, as a customer's page would:
 *
 *   <script>window.tacit = window.tacit || [];</script>
 *   <script async src="https://cdn…/sdk/tacit.iife.js" data-model="https://cdn…/models/demo/latest.json"></script>
 *   tacit.push(['recommend', { k: 8 }, (items) => render(items)]);
 *   tacit.push((api) => …);                    // runs once the SDK has loaded, with the API
 *
 * Before the script arrives `window.tacit` is an array and pushes queue up; afterwards `push` runs them at
 * once. This adapter turns queued calls into promises so the shared page code can await them. If the SDK has
 * not loaded after `giveUpMs` (CDN down, blocked by an extension), calls resolve with what a missing SDK
 * means (no recommendations, backend null), and the page carries on; the queued calls still run if the SDK
 * arrives later.
 */
import type { Tacit } from 'tacit';

type Queued = unknown[] | ((api: Tacit) => void);
interface TacitQueue {
  push(...calls: Queued[]): number;
}

/** `window.tacit`, whichever form it has: the stub array or the loaded API (both have `push`). */
function queue(): TacitQueue {
  const w = window as unknown as { tacit?: TacitQueue };
  w.tacit ??= [] as unknown as TacitQueue; // the page's inline stub normally did this already
  return w.tacit;
}

const isLoaded = () => !Array.isArray((window as unknown as { tacit?: unknown }).tacit);

export function scriptTagTacit(giveUpMs = 10_000): { tacit: Tacit; loaded: Promise<boolean> } {
  const loaded = new Promise<boolean>((resolve) => {
    queue().push(() => resolve(true));
    setTimeout(() => resolve(isLoaded()), giveUpMs);
  });

  function call<T>(method: keyof Tacit, args: unknown[], missing: T): Promise<T> {
    return new Promise<T>((resolve) => {
      queue().push([method, ...args, (result: T) => resolve(result)]);
      void loaded.then((ok) => ok || resolve(missing));
    });
  }

  const tacit: Tacit = {
    track: (event) => call<void>('track', [event], undefined),
    recommend: (options = {}) => call('recommend', [options], []),
    propensity: () => call('propensity', [], null),
    catalog: () => call('catalog', [], null),
    history: () => call('history', [], []),
    forget: () => call<void>('forget', [], undefined),
    backend: () => call('backend', [], null),
    storage: () => call<'indexeddb' | 'memory' | null>('storage', [], null) as Promise<'indexeddb' | 'memory'>,
    consent: (state) => call<void>('consent', [state], undefined),
    update: () => call('update', [], { modelVersion: null, updated: false }),
  };
  return { tacit, loaded };
}
