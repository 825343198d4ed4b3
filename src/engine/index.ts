/**
 * The compute engine: TensorFlow.js with the WebGL backend and the CPU fallback, the model, and scoring.
 * This module is loaded lazily (a separate chunk) so that pages pay for it only once Tacit starts, and it
 * is the only module that pulls TensorFlow.js into the browser bundle.
 *
 * What it serves, best first (docs/delivery.md): a verified model (fresh from the network, or the last one
 * verified into the Cache API) → the popularity list inside a verified manifest → nothing (the caller then
 * returns [] and the page keeps its own markup).
 */
// First import: isolates this copy of TensorFlow.js from any other on the page (see tf.ts). The backends
// are bare imports here, in the entry, because the package is `"sideEffects": false`: bare imports in
// another module of it would be dropped by the bundler.
import { tfIsolated } from './tf.js';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-cpu';
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import type { TacitManifest } from '../model/format.js';
import { decodeWeightArrays, type DecodedArray } from '../model/decode.js';
import { modelFromArrays, type DecodedModel } from './tensors.js';
import { deliverCatalog, deliverModel, refreshModel, ModelUnavailable, type Catalog, type Delivered, type DeliveryOptions } from '../model/delivery.js';
import type { LoadedModel } from '../model/load.js';
import { recommendIndices } from './score.js';
import { deviceFeatures } from './features.js';
import { explainPropensity, type PropensityResult } from './propensity.js';
import type { TacitEvent } from '../events/vocabulary.js';
import { reason, warnOnce } from '../lib/log.js';

export type BackendName = 'webgl' | 'cpu';
export type { Catalog };
export type BackendPreference = BackendName | 'auto';

export interface EngineOptions {
  /** URL of `latest.json` or of a `manifest.json`. */
  model: string;
  backend: BackendPreference;
  /** SRI value (`sha384-…`) that the entry file (pointer or manifest) must match. */
  integrity?: string;
  /** A model request that sends nothing for this long is abandoned (then retried), ms. Default 10,000. */
  timeoutMs?: number;
  /** Retries per model request after the first try, with exponential backoff and jitter. Default 2. */
  retries?: number;
  /** Least time between two revalidations of `latest.json`, ms. Default 5 minutes. */
  refreshMs?: number;
}

export interface Recommendation {
  itemId: string;
  score: number;
}

/** Where the engine's answers come from: a verified model (downloaded now, or cached), or the manifest's popularity list. */
/** What the engine serves from: a verified model delivered from the network or the Cache API, or only the manifest's popular list. */
export type ServedFrom = 'network' | 'cache' | 'popular';

export interface UpdateResult {
  /** The model version serving after the call (null when nothing could be loaded). */
  modelVersion: string | null;
  /** Whether this call switched to another version. */
  updated: boolean;
}

export interface Engine {
  /**
   * The backend that scores now; it changes to `cpu` if the WebGL context is lost. Meaningless when `from`
   * is `popular` (nothing is scored; `tacit.backend()` then says null).
   */
  readonly backend: BackendName;
  readonly manifest: TacitManifest;
  readonly from: ServedFrom;
  /** Top k items for a session of item ids (oldest first); unknown ids are ignored. */
  recommend(session: readonly string[], k: number, exclude: readonly string[]): Promise<Recommendation[]>;
  /** Propensity for the history as it is at `now`, or null when the model has no propensity part. */
  propensity(events: readonly TacitEvent[], now: number): Promise<PropensityResult | null>;
  /** The model's verified catalog feed (fetched on first call), or null when it has none or it is refused. */
  catalog(): Promise<Catalog | null>;
  /**
   * Revalidates the pointer now and, if it names another verified version, switches to it for the calls
   * that follow (calls in flight finish on the old one). Rejects if the new version is refused.
   */
  update(): Promise<UpdateResult>;
  dispose(): void;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_RETRIES = 2;
export const DEFAULT_REFRESH_MS = 5 * 60_000;

/**
 * Whether a WebGL context can be had where tfjs-webgl would make one (an OffscreenCanvas when the browser
 * has it, else a canvas). Asking first keeps tfjs from printing its own failure and stack trace into the
 * host page's console. The probe context is released at once: browsers cap live contexts (16 in Chromium).
 */
function webglAvailable(): boolean {
  try {
    const canvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(1, 1) : document.createElement('canvas');
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
    gl?.getExtension('WEBGL_lose_context')?.loseContext();
    return gl !== null;
  } catch {
    return false;
  }
}

/**
 * Activates the first backend that works, in order of preference, and proves it with a real op:
 * `setBackend` can resolve false without throwing, and a broken WebGL can still report `webgl` until the
 * first op silently moves to `cpu` (TFJS-FACTS.md), so the backend is read again after the op.
 */
export async function activateBackend(preference: BackendPreference): Promise<BackendName> {
  if (!tfIsolated) throw new Error('unreachable: TensorFlow.js was not isolated');
  // A forced `webgl` still falls back to `cpu`: a storefront must keep working without WebGL.
  const order: BackendName[] = preference === 'cpu' ? ['cpu'] : ['webgl', 'cpu'];
  for (const name of order) {
    try {
      if (name === 'webgl' && !webglAvailable()) {
        warnOnce('no-webgl', 'WebGL is unavailable in this browser; computing on the CPU');
        continue;
      }
      if (!(await tf.setBackend(name))) continue;
      await tf.ready();
      const probe = tf.tidy(() => tf.sum(tf.mul(tf.tensor1d([1, 2, 3]), tf.scalar(2))));
      const [value] = await probe.data();
      probe.dispose();
      if (tf.getBackend() === name && value === 12) return name;
    } catch {
      // try the next backend
    }
  }
  throw new Error('no TensorFlow.js backend could run (tried ' + order.join(', ') + ')');
}

/** The WebGL context Tacit's tfjs computes on, or null on another backend. Tests use it to lose the context. */
export function activeWebGLContext(): WebGLRenderingContext | WebGL2RenderingContext | null {
  if (tf.getBackend() !== 'webgl') return null;
  return (tf.backend() as MathBackendWebGL).gpgpu?.gl ?? null;
}

/** A decoded model plus the number of calls using it, so that a swap never disposes tensors in use. */
interface Live {
  loaded: LoadedModel;
  decoded: DecodedModel;
  index: Map<string, number>;
  users: number;
  retired: boolean;
}

function live(loaded: LoadedModel, arrays: Map<string, DecodedArray>): Live {
  return { loaded, decoded: modelFromArrays(loaded.manifest, arrays), index: new Map(loaded.manifest.items.map((id, i) => [id, i])), users: 0, retired: false };
}

function release(m: Live): void {
  try {
    m.decoded.dispose();
  } catch {
    // tensors of a lost WebGL context: nothing left to free
  }
}

/** Recommendations from the manifest's popularity list: score 1/rank, best first. */
function popularRecommend(manifest: TacitManifest, k: number, exclude: readonly string[]): Recommendation[] {
  const skip = new Set(exclude);
  return manifest.popular.filter((id) => !skip.has(id)).slice(0, k).map((itemId, i) => ({ itemId, score: 1 / (i + 1) }));
}

function popularEngine(manifest: TacitManifest, backend: BackendName = 'cpu'): Engine {
  return {
    backend,
    manifest,
    from: 'popular',
    async recommend(_session, k, exclude) {
      return popularRecommend(manifest, k, exclude);
    },
    async propensity() {
      return null;
    },
    async catalog() {
      return null;
    },
    async update() {
      return { modelVersion: manifest.modelVersion, updated: false };
    },
    dispose() {},
  };
}

export async function startEngine(options: EngineOptions): Promise<Engine> {
  const delivery: DeliveryOptions = {
    entry: new URL(options.model, document.baseURI).href,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retries: options.retries ?? DEFAULT_RETRIES,
    refreshMs: options.refreshMs ?? DEFAULT_REFRESH_MS,
    ...(options.integrity === undefined ? {} : { integrity: options.integrity }),
  };
  // Fetch and verify while the backend initializes (shader set-up can take a while on software GL).
  const [got, active] = await Promise.allSettled([deliverModel(delivery), activateBackend(options.backend)]);
  if (got.status === 'rejected') {
    const err = got.reason;
    if (err instanceof ModelUnavailable && err.manifest) {
      warnOnce('popular', `${err.message}; recommending the model's popular items instead`);
      return popularEngine(err.manifest, active.status === 'fulfilled' ? active.value : 'cpu');
    }
    throw err;
  }
  const delivered: Delivered = got.value;
  if (active.status === 'rejected') {
    warnOnce('popular', `${reason(active.reason)}; recommending the model's popular items instead`);
    return popularEngine(delivered.model.manifest);
  }
  let backend: BackendName = active.value;
  let current = live(delivered.model, delivered.arrays);

  // --- A lost WebGL context moves scoring to the CPU, re-decoding the verified bytes there. ---
  // A read-back in flight when the context goes never settles (tfjs waits on a fence of the dead context),
  // so calls on WebGL race against the context's loss and are then run again on the CPU.
  let lost = false;
  let signalLost = () => {};
  const lostSignal = new Promise<void>((resolve) => (signalLost = resolve));
  const watch = () => {
    const gl = activeWebGLContext();
    const canvas = gl?.canvas as (HTMLCanvasElement | OffscreenCanvas) | undefined;
    canvas?.addEventListener(
      'webglcontextlost',
      () => {
        lost = true;
        signalLost();
        void moveToCpu().catch((err: unknown) => warnOnce('cpu-after-webgl', reason(err)));
      },
      { once: true },
    );
    return gl;
  };
  const gl = backend === 'webgl' ? watch() : null;
  const contextLost = () => backend === 'webgl' && (lost || (gl?.isContextLost() ?? false));
  let moving: Promise<void> | null = null;
  const moveToCpu = () =>
    (moving ??= (async () => {
      warnOnce('webgl-lost', 'the WebGL context was lost; scoring moved to the CPU backend');
      if (!(await tf.setBackend('cpu'))) throw new Error('the CPU backend could not start after the WebGL context was lost');
      const old = current;
      current = live(old.loaded, decodeWeightArrays(old.loaded));
      backend = 'cpu';
      old.retired = true;
      if (old.users === 0) release(old);
    })());

  /** Runs `fn` on the current model, moving to the CPU first (or once, after a failure) if WebGL is gone. */
  async function use<T>(fn: (m: Live) => Promise<T>): Promise<T> {
    if (contextLost()) await moveToCpu();
    const m = current;
    const onWebgl = backend === 'webgl';
    m.users++;
    try {
      if (!onWebgl) return await fn(m);
      const run = fn(m);
      run.catch(() => {}); // abandoned if the context is lost first
      return await Promise.race([
        run,
        lostSignal.then(() => {
          throw new Error('the WebGL context was lost during the call');
        }),
      ]);
    } catch (err) {
      // Only a call that started on WebGL and met the context's loss runs again (once: then on the CPU).
      if (!onWebgl || !(lost || (gl?.isContextLost() ?? false))) throw err;
      await moveToCpu();
      return use(fn);
    } finally {
      m.users--;
      if (m.retired && m.users === 0) release(m);
    }
  }

  // --- Updates: checked once in the background (effective next page load), or now via update(). A model
  // just fetched from the network needs no check: its pointer is seconds old. ---
  if (delivered.from === 'cache') setTimeout(() => {
    refreshModel(delivery, current.loaded).catch((err: unknown) => {
      warnOnce('refresh', `a new model version was refused (${reason(err)}); keeping version ${current.loaded.manifest.modelVersion}`);
    });
  }, 0);

  let catalogFor: { loaded: LoadedModel; feed: Promise<Catalog | null> } | null = null;
  return {
    get backend() {
      return backend;
    },
    get manifest() {
      return current.loaded.manifest;
    },
    from: delivered.from,
    recommend(session, k, exclude) {
      return use(async (m) => {
        const toIndices = (ids: readonly string[]) => ids.map((id) => m.index.get(id)).filter((i): i is number => i !== undefined);
        const top = await recommendIndices(m.decoded, toIndices(session), k, new Set(toIndices(exclude)));
        return top.map((s) => ({ itemId: m.loaded.manifest.items[s.index]!, score: s.score }));
      });
    },
    propensity(events, now) {
      return use(async (m) => {
        const spec = m.loaded.manifest.propensity;
        if (!spec || !m.decoded.propensityWeights) return null;
        return explainPropensity(spec, m.decoded.propensityWeights, deviceFeatures(events, now, spec.site));
      });
    },
    catalog() {
      const loaded = current.loaded;
      if (catalogFor?.loaded !== loaded) {
        const feed = deliverCatalog(delivery, loaded);
        feed.catch(() => {});
        catalogFor = { loaded, feed };
      }
      return catalogFor.feed;
    },
    async update() {
      const { next } = await refreshModel(delivery, current.loaded, true);
      if (!next) return { modelVersion: current.loaded.manifest.modelVersion, updated: false };
      if (contextLost()) await moveToCpu();
      const old = current;
      current = live(next.model, next.arrays);
      old.retired = true;
      if (old.users === 0) release(old);
      return { modelVersion: next.model.manifest.modelVersion, updated: true };
    },
    dispose() {
      current.retired = true;
      if (current.users === 0) release(current);
    },
  };
}

/** Live tensor count, for leak checks. */
export const numTensors = (): number => tf.memory().numTensors;
