/**
 * Scorers: one per model and backend, each scoring every item for a session (repeat term included). The
 * CPU scorer is plain typed-array code (engine/score.ts); the WebGL scorer runs one kernel in Tacit's own
 * TensorFlow.js (engine/webgl/, a chunk loaded only here) and moves to the CPU scorer for good when the
 * context is lost.
 */
import { TENSORS, type TacitManifest } from '../model/format.js';
import type { DecodedArray } from '../model/decode.js';
import { addRepeatScores, encodeSession, scoreSessionCpu, type ScoringArrays } from './score.js';
import { warnOnce } from '../lib/log.js';
import type { BackendName } from './types.js';

export interface Scorer {
  /** The backend that scores now; a WebGL scorer says `cpu` once its context is lost. */
  readonly backend: BackendName;
  /** Scores of every item for one session of item indices (oldest first): a fresh array the caller owns. */
  score(session: readonly number[]): Promise<Float32Array>;
  /** Frees GPU memory; idempotent. */
  dispose(): void;
}

/** The model's tensors as typed arrays, without copies (the decoded arrays are already the model's own). */
export function scoringArrays(manifest: TacitManifest, arrays: Map<string, DecodedArray>): ScoringArrays {
  const query = arrays.get(TENSORS.query)!.values as Float32Array;
  return {
    encoder: manifest.encoder,
    numItems: manifest.items.length,
    dim: manifest.dim,
    query,
    // Tied embeddings (schema 1, encoder.tied): one stored table serves both sides.
    target: manifest.encoder.tied ? query : (arrays.get(TENSORS.target)!.values as Float32Array),
    bias: (arrays.get(TENSORS.bias)?.values as Float32Array | undefined) ?? null,
  };
}

export function cpuScorer(m: ScoringArrays): Scorer {
  return {
    backend: 'cpu',
    async score(session) {
      return scoreSessionCpu(m, session);
    },
    dispose() {},
  };
}

type WebglModule = typeof import('./webgl/index.js');
let webglModule: Promise<WebglModule> | null = null;
/** The WebGL chunk (`tacit-webgl.js`), fetched once, on the first WebGL scorer. */
export const loadWebgl = (): Promise<WebglModule> => (webglModule ??= import('./webgl/index.js'));

/** Whether WebGL can score here (the chunk loads, a context starts, the kernel answers right). Never throws. */
export async function webglWorks(): Promise<boolean> {
  try {
    return await (await loadWebgl()).startWebgl();
  } catch {
    return false;
  }
}

/**
 * A WebGL scorer, or null when WebGL cannot score here. A call in flight when the context is lost never
 * settles on its own (tfjs waits on a fence of the dead context), so each call races the loss and then runs
 * on the CPU. The race's loser is dropped when the call ends: the loss is signalled through a set of
 * pending calls, not a promise that would keep one reaction (and its result) per call alive while the
 * context lives.
 */
export async function webglScorer(m: ScoringArrays): Promise<Scorer | null> {
  if (!(await webglWorks())) return null;
  const webgl = await loadWebgl();
  const gl = webgl.activeWebGLContext();
  if (!gl) return null;
  const gpu = webgl.gpuScorer(m.target, m.bias, m.numItems, m.dim);
  const cpu = cpuScorer(m);
  const pending = new Set<(err: Error) => void>();
  let lost = false;
  const isLost = () => lost || gl.isContextLost();
  const onLost = () => {
    warnOnce('webgl-lost', 'the WebGL context was lost; scoring moved to the CPU backend');
    gpu.dispose();
  };
  (gl.canvas as EventTarget).addEventListener(
    'webglcontextlost',
    () => {
      lost = true;
      onLost();
      for (const cancel of pending) cancel(new Error('the WebGL context was lost during the call'));
      pending.clear();
    },
    { once: true },
  );
  return {
    get backend() {
      return isLost() ? 'cpu' : 'webgl';
    },
    async score(session) {
      if (isLost()) {
        onLost();
        return cpu.score(session);
      }
      let cancel: (err: Error) => void = () => {};
      const lostDuringCall = new Promise<never>((_, reject) => (cancel = reject));
      pending.add(cancel);
      try {
        const raw = await Promise.race([gpu.score(encodeSession(m, session)), lostDuringCall]);
        addRepeatScores(m.encoder.repeat, [session], raw, m.numItems);
        return raw;
      } catch (err) {
        if (!isLost()) throw err;
        onLost();
        return cpu.score(session);
      } finally {
        pending.delete(cancel);
      }
    },
    dispose() {
      gpu.dispose();
    },
  };
}
