/**
 * The messages between the page and the engine's worker (thread.ts ⇄ worker.ts). Small and structured-
 * clonable: item ids and events go in, a few recommendations come out. The model itself never crosses:
 * the worker fetches, verifies, decodes and scores it where it lives.
 */
import type { TacitEvent } from '../events/vocabulary.js';
import type { TacitManifest } from '../model/format.js';
import type { BackendName, EngineOptions, ServedFrom } from './types.js';

export type Request =
  | { id: number; op: 'start'; options: EngineOptions; base: string }
  | { id: number; op: 'recommend'; session: readonly string[]; k: number; exclude: readonly string[] }
  | { id: number; op: 'propensity'; events: readonly TacitEvent[]; now: number }
  | { id: number; op: 'catalog' }
  | { id: number; op: 'update' }
  | { id: number; op: 'dispose' };

/** What the page mirrors of the engine in the worker, sent with every answer. */
export interface EngineState {
  backend: BackendName;
  from: ServedFrom;
  /** Sent when it changed (start, update), else omitted. */
  manifest?: TacitManifest;
}

export type Reply =
  /** The worker's module loaded and listens. */
  | { op: 'ready' }
  /** The worker's module could not load (the bootstrap's `import()` failed). */
  | { op: 'failed'; error: string }
  /** A console line from the worker, printed by the page so that the page's console shows it. */
  | { op: 'log'; level: 'warn' | 'error'; text: string }
  | { op: 'answer'; id: number; ok: true; value: unknown; state: EngineState }
  | { op: 'answer'; id: number; ok: false; error: string };
