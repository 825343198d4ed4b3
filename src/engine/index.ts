/**
 * The engine entry (`tacit-engine.js`), imported lazily by `tacit.js` and by the script tag: delivery,
 * verification and decoding of the model, and scoring on the CPU path (plain typed arrays) or on WebGL
 * (Tacit's own TensorFlow.js, in a chunk of its own that loads only when WebGL scores).
 */
import { startLocalEngine } from './local.js';
import type { Engine, EngineOptions } from './types.js';

export type { BackendName, BackendPreference, Catalog, Engine, EngineOptions, Recommendation, ServedFrom, UpdateResult } from './types.js';
export { DEFAULT_TIMEOUT_MS, DEFAULT_RETRIES, DEFAULT_REFRESH_MS } from './types.js';

/** Starts the engine for a model; rejects only when neither a model nor its popularity list can be used. */
export function startEngine(options: EngineOptions): Promise<Engine> {
  return startLocalEngine(options);
}
