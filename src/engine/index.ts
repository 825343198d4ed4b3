/**
 * The engine entry (`tacit-engine.js`), imported lazily by `tacit.js` and by the script tag: delivery,
 * verification and decoding of the model, and scoring on the CPU path (plain typed arrays) or on WebGL
 * (Tacit's own TensorFlow.js, in a chunk of its own that loads only when WebGL scores). The same module is
 * what the engine's worker imports (thread.ts, worker.ts): one file, fetched once.
 */
import { startThreadedEngine } from './thread.js';
import type { Engine, EngineOptions } from './types.js';

export type { BackendName, BackendPreference, Catalog, Engine, EngineOptions, Recommendation, ServedFrom, ThreadPreference, UpdateResult } from './types.js';
export { DEFAULT_TIMEOUT_MS, DEFAULT_RETRIES, DEFAULT_REFRESH_MS } from './types.js';
export { serveWorker } from './worker.js';

/**
 * Starts the engine for a model, in a worker unless `thread` is `main` or a worker cannot run here; rejects
 * only when neither a model nor its popularity list can be used.
 */
export function startEngine(options: EngineOptions): Promise<Engine> {
  return startThreadedEngine(options, import.meta.url);
}
