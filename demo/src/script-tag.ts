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
import type { Tacit, TacitMethod } from 'tacit';

/**
 * What each call resolves with when the SDK never loaded: no recommendations, no backend, nothing stored.
 * Keyed by `TacitMethod` (the SDK's TACIT_METHODS list), so a method added to the API and missing here
 * fails to compile. Types only: a value imported from 'tacit' would put the ES module build into the
 * script-tag pages' bundle.
 */
const MISSING: Record<TacitMethod, unknown> = {
  track: undefined,
  recommend: [],
  propensity: null,
  catalog: null,
  history: [],
  forget: undefined,
  backend: null,
  storage: null,
  consent: undefined,
  update: { modelVersion: null, updated: false },
};

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
      void loaded.then((ok) => ok || resolve(structuredClone(missing))); // a copy: the page may change what it gets
    });
  }

  // One forwarder per method of the API, each resolving with what a missing SDK means.
  const tacit = Object.fromEntries((Object.keys(MISSING) as TacitMethod[]).map((method) => [method, (...args: unknown[]) => call(method, args, MISSING[method])])) as unknown as Tacit;
  return { tacit, loaded };
}
