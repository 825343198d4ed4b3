/**
 * The Tacit instance: the public API shared by the ES module entry and the script tag. It owns the
 * on-device history and starts the engine lazily; everything past the argument checks degrades instead
 * of throwing into the host page.
 */
import type { TrackInput, TacitEvent } from './events/vocabulary.js';
import { ITEM_EVENTS } from './events/vocabulary.js';
import { normalizeEvent } from './events/validate.js';
import { checkHistoryOptions, openHistory, type Consent, type HistoryStore, type HistoryOptions } from './store/history.js';
import { logError, reason, warnOnce } from './lib/log.js';
import type { BackendName, BackendPreference, Catalog, Engine, Recommendation, ThreadPreference, UpdateResult } from './engine/index.js';
import type { PropensityResult } from './engine/propensity.js';

export type { BackendName, BackendPreference, ThreadPreference, Recommendation, PropensityResult, UpdateResult, Consent, Catalog };

export interface TacitOptions extends HistoryOptions {
  /** URL of the model's `latest.json` (or of a `manifest.json`). */
  model: string;
  /**
   * `auto` (default): answers at once on the CPU path, measures WebGL and the CPU on the loaded model, keeps the
   * faster and remembers it for this device and model (docs/engine.md). `cpu` skips WebGL. `webgl` falls back
   * to the CPU only if WebGL fails.
   */
  backend?: BackendPreference;
  /**
   * `auto` (default): the engine runs in a Web Worker, off the page's main thread, where the browser and the
   * page's Content Security Policy (`worker-src blob:`) allow it, else on the main thread with one console
   * line. `main` keeps it on the main thread. Script tag: `data-thread`.
   */
  thread?: ThreadPreference;
  /**
   * Pins the model's entry file (the `model` URL's bytes) as Subresource Integrity does: `sha384-<base64>`.
   * A file that does not match is refused. Script tag: `data-model-integrity`.
   */
  modelIntegrity?: string;
  /** A model request that sends nothing for this long is abandoned and retried (twice, with backoff), ms. Default 10,000. */
  modelTimeoutMs?: number;
}

export interface RecommendOptions {
  /** How many items, 1..100. Default 10. */
  k?: number;
  /** Item ids to recommend from instead of the stored history (e.g. the product in view, for "similar items"). */
  context?: readonly string[];
  /** Item ids never to return (e.g. the product in view, the cart). */
  exclude?: readonly string[];
  /**
   * Also say why: each item gets `because`, the session item that contributed most to its score, computed
   * on this device in the same pass as the scores. Default false.
   */
  explain?: boolean;
}

export interface Tacit {
  /**
   * Records an event on this device. Rejects with a `TypeError` naming the field when the event is invalid.
   * @example tacit.track({ type: 'view_item', itemId: 'sku-42', price: 19.9, currency: 'EUR' })
   */
  track(event: TrackInput): Promise<void>;
  /**
   * Ranked recommendations computed on this device; `[]` when the model cannot be used.
   * @example const items = await tacit.recommend({ k: 4, exclude: ['sku-42'] })
   */
  recommend(options?: RecommendOptions): Promise<Recommendation[]>;
  /**
   * Purchase propensity of the current session with each feature's contribution; null without a model.
   * @example const p = await tacit.propensity(); if (p && p.probability > 0.5) showOffer()
   */
  propensity(): Promise<PropensityResult | null>;
  /**
   * The model's public catalog feed (`catalog.json`: name, link, price, image, category, availability per
   * item), verified against its manifest; null when the model has none or it cannot be had. Fetched on the
   * first call, the same file for every shopper; pages that never call it never fetch it.
   * @example const feed = await tacit.catalog(); feed?.items.get('sku-42')?.name
   */
  catalog(): Promise<Catalog | null>;
  /**
   * Every event stored on this device, oldest first (what a privacy panel shows).
   * @example console.table(await tacit.history())
   */
  history(): Promise<TacitEvent[]>;
  /**
   * Erases everything Tacit stored about the shopper on this device: the event history and anything
   * derived from it. Cached model files stay: they are the same for every shopper and hold nothing
   * personal (docs/delivery.md).
   * @example await tacit.forget()
   */
  forget(): Promise<void>;
  /**
   * The TensorFlow.js backend that computes, once the engine is up; null if it could not start.
   * @example console.log(await tacit.backend()) // "webgl"
   */
  backend(): Promise<BackendName | null>;
  /**
   * Where the history is kept: `indexeddb`, or `memory` when persistent storage is blocked.
   * @example console.log(await tacit.storage())
   */
  storage(): Promise<'indexeddb' | 'memory'>;
  /**
   * Checks for a newer model version now and switches to it for the calls that follow; rendered slots keep
   * what they show until the page asks again. Without this call, an update found on a visit takes effect
   * on the next page load. Never rejects.
   * @example const { updated } = await tacit.update(); if (updated) refreshSlots()
   */
  update(): Promise<UpdateResult>;
  /**
   * Records the shopper's choice for this page: `granted` keeps the history on this device; `denied` erases
   * what was stored and keeps this page's events in memory only (recommendations still follow the page in
   * view). Call it on every page, as a consent manager does. Rejects with a `TypeError` for any other value.
   * @example await tacit.consent('denied')
   */
  consent(state: Consent): Promise<void>;
}

/**
 * Every method of `Tacit`, in one list: the script tag (standalone.ts) wraps and queues exactly these, and
 * the demo's script-tag adapter forwards exactly these. Adding a method to `Tacit` without listing it here
 * fails to compile (the check below).
 */
export const TACIT_METHODS = ['track', 'recommend', 'propensity', 'catalog', 'history', 'forget', 'backend', 'storage', 'consent', 'update'] as const satisfies readonly (keyof Tacit)[];
export type TacitMethod = (typeof TACIT_METHODS)[number];
// Compile-time completeness check: `true` only when every key of Tacit is in TACIT_METHODS.
const everyMethodListed: Exclude<keyof Tacit, TacitMethod> extends never ? true : false = true;
void everyMethodListed;

export type EngineModule = typeof import('./engine/index.js');

const DEFAULT_K = 10;
const MAX_K = 100;

function checkOptions(options: unknown): asserts options is TacitOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('createTacit(): pass an options object, e.g. createTacit({ model: "https://cdn.example.com/models/shop/latest.json" })');
  }
  const o = options as Record<string, unknown>;
  if (typeof o.model !== 'string' || o.model.trim() === '') {
    throw new TypeError('createTacit(): "model" must be the URL of the model\'s latest.json or manifest.json');
  }
  if (o.backend !== undefined && o.backend !== 'auto' && o.backend !== 'webgl' && o.backend !== 'cpu') {
    throw new TypeError('createTacit(): "backend" must be "auto", "webgl" or "cpu"');
  }
  if (o.thread !== undefined && o.thread !== 'auto' && o.thread !== 'worker' && o.thread !== 'main') {
    throw new TypeError('createTacit(): "thread" must be "auto", "worker" or "main"');
  }
  if (o.storage !== undefined && o.storage !== 'indexeddb' && o.storage !== 'memory') {
    throw new TypeError('createTacit(): "storage" must be "indexeddb" or "memory"');
  }
  checkHistoryOptions(o);
  if (o.modelIntegrity !== undefined && (typeof o.modelIntegrity !== 'string' || !/^\s*sha(256|384|512)-[A-Za-z0-9+/]+={0,2}/.test(o.modelIntegrity))) {
    throw new TypeError('createTacit(): "modelIntegrity" must be an integrity value such as "sha384-<base64 digest>"');
  }
  if (o.modelTimeoutMs !== undefined && !(typeof o.modelTimeoutMs === 'number' && o.modelTimeoutMs > 0)) {
    throw new TypeError('createTacit(): "modelTimeoutMs" must be a positive number of milliseconds');
  }
}

function checkIds(value: unknown, field: string): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' || typeof v === 'number')) {
    throw new TypeError(`tacit.recommend(): "${field}" must be an array of item ids`);
  }
  return value.map(String);
}

/** Creates an instance; `loadEngine` says where the engine chunk comes from (ES import or script URL). */
export function createTacitWith(options: TacitOptions, loadEngine: () => Promise<EngineModule>): Tacit {
  checkOptions(options);
  const history: Promise<HistoryStore> = openHistory(options);
  // The engine and its model requests start once the page has loaded, so that they never compete with the
  // page's own critical resources, or earlier when the page asks for what needs them (a slot calling
  // recommend()). Both moments are the page's, never a response to what the shopper did: the time of every
  // model request is independent of the history (the privacy invariant).
  let kick = () => {};
  const kicked = new Promise<void>((resolve) => (kick = resolve));
  if (typeof document === 'undefined' || document.readyState === 'complete') setTimeout(kick, 0);
  else addEventListener('load', () => setTimeout(kick, 0), { once: true });
  const engineNow = () => (kick(), engine);
  const engine: Promise<Engine | null> = kicked
    .then(loadEngine)
    .then((m) =>
      m.startEngine({
        model: options.model,
        backend: options.backend ?? 'auto',
        ...(options.thread === undefined ? {} : { thread: options.thread }),
        ...(options.modelIntegrity === undefined ? {} : { integrity: options.modelIntegrity }),
        ...(options.modelTimeoutMs === undefined ? {} : { timeoutMs: options.modelTimeoutMs }),
      }),
    )
    .catch((err: unknown) => {
      logError(`recommendations are off: ${reason(err)}`);
      return null;
    });

  const itemSession = (events: readonly TacitEvent[]) => events.filter((e) => ITEM_EVENTS.has(e.type)).map((e) => e.itemId!);

  return {
    async track(input) {
      const event = normalizeEvent(input);
      await (await history).add(event);
    },
    async recommend(opts = {}) {
      if (typeof opts !== 'object' || opts === null) throw new TypeError('tacit.recommend(): pass an options object such as { k: 4 }');
      const k = opts.k ?? DEFAULT_K;
      if (!Number.isInteger(k) || k < 1 || k > MAX_K) throw new TypeError(`tacit.recommend(): "k" must be an integer from 1 to ${MAX_K}, got ${String(k)}`);
      const context = opts.context === undefined ? undefined : checkIds(opts.context, 'context');
      const exclude = checkIds(opts.exclude, 'exclude');
      const e = await engineNow();
      if (!e) return [];
      try {
        const session = context ?? itemSession(await (await history).all());
        return await e.recommend(session, k, exclude);
      } catch (err) {
        warnOnce('recommend', `recommend() failed: ${reason(err)}`);
        return [];
      }
    },
    async propensity() {
      const e = await engineNow();
      if (!e) return null;
      try {
        return await e.propensity(await (await history).all(), Date.now());
      } catch (err) {
        warnOnce('propensity', `propensity() failed: ${reason(err)}`);
        return null;
      }
    },
    async catalog() {
      const e = await engineNow();
      if (!e) return null;
      try {
        return await e.catalog();
      } catch (err) {
        warnOnce('catalog', `the catalog feed is unavailable: ${reason(err)}`);
        return null;
      }
    },
    async history() {
      return (await history).all();
    },
    async forget() {
      await (await history).clear();
    },
    async backend() {
      const e = await engineNow();
      return e && e.from !== 'popular' ? e.backend : null;
    },
    async storage() {
      return (await history).kind;
    },
    async consent(state) {
      if (state !== 'granted' && state !== 'denied') throw new TypeError('tacit.consent(): pass "granted" or "denied"');
      await (await history).setConsent(state);
    },
    async update() {
      const e = await engineNow();
      if (!e) return { modelVersion: null, updated: false };
      try {
        return await e.update();
      } catch (err) {
        warnOnce('update', `update(): ${reason(err)}; keeping version ${e.manifest.modelVersion}`);
        return { modelVersion: e.manifest.modelVersion, updated: false };
      }
    },
  };
}
