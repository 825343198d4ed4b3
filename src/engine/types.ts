/**
 * The engine's public shapes: what `startEngine` takes and what it returns, in every mode (in a worker or
 * on the main thread) and on every backend.
 */
import type { TacitManifest } from '../model/format.js';
import type { Catalog } from '../model/delivery.js';
import type { PropensityResult } from './propensity.js';
import type { TacitEvent } from '../events/vocabulary.js';

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
  /**
   * Where the engine runs: `auto` (default) and `worker`, in a dedicated worker where the browser and the
   * page's Content Security Policy allow it, else on the main thread; `main`, on the main thread.
   */
  thread?: ThreadPreference;
}

export type ThreadPreference = 'auto' | 'worker' | 'main';

export interface Recommendation {
  itemId: string;
  score: number;
  /**
   * With `explain`: the session item whose term contributes most to `score`, and that term's share of the
   * session terms' absolute sum (engine/explain.ts). Absent when no session item raises the score.
   */
  because?: { itemId: string; share: number };
}

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

