/**
 * The compute engine: TensorFlow.js with the WebGL backend and the CPU fallback, the model, and scoring.
 * This module is loaded lazily (a separate chunk) so that pages pay for it only once Tacit starts, and it
 * is the only module that pulls TensorFlow.js into the browser bundle.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-cpu';
import type { TacitManifest } from '../model/format.js';
import { loadVerifiedModel } from '../model/load.js';
import { decodeModel, type DecodedModel } from '../model/decode.js';
import { recommendIndices } from './score.js';
import { deviceFeatures } from './features.js';
import { explainPropensity, type PropensityResult } from './propensity.js';
import type { TacitEvent } from '../events/vocabulary.js';
import { warnOnce } from '../lib/log.js';

export type BackendName = 'webgl' | 'cpu';
export type BackendPreference = BackendName | 'auto';

export interface EngineOptions {
  /** URL of `latest.json` or of a `manifest.json`. */
  model: string;
  backend: BackendPreference;
  /** Per-request timeout for model files, ms. */
  timeoutMs?: number;
}

export interface Recommendation {
  itemId: string;
  score: number;
}

export interface Engine {
  readonly backend: BackendName;
  readonly manifest: TacitManifest;
  /** Top k items for a session of item ids (oldest first); unknown ids are ignored. */
  recommend(session: readonly string[], k: number, exclude: readonly string[]): Promise<Recommendation[]>;
  /** Propensity for the history as it is at `now`, or null when the model has no propensity part. */
  propensity(events: readonly TacitEvent[], now: number): Promise<PropensityResult | null>;
  dispose(): void;
}

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

/** Reads model files over HTTP: no credentials, no referrer, so requests carry nothing about the shopper. */
function httpReader(timeoutMs: number) {
  return async (url: string): Promise<Uint8Array> => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const res = await fetch(url, { credentials: 'omit', referrerPolicy: 'no-referrer', signal: controller.signal });
      if (!res.ok) throw new Error(`model file ${url} answered HTTP ${res.status}`);
      return new Uint8Array(await res.arrayBuffer());
    } catch (err) {
      if (controller.signal.aborted) throw new Error(`model file ${url} did not arrive within ${timeoutMs} ms`);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  };
}

export async function startEngine(options: EngineOptions): Promise<Engine> {
  // Fetch and verify while the backend initializes (shader set-up can take a while on software GL).
  const [verified, backend] = await Promise.all([
    loadVerifiedModel(httpReader(options.timeoutMs ?? 20_000), new URL(options.model, document.baseURI).href),
    activateBackend(options.backend),
  ]);
  const model: DecodedModel = decodeModel(verified);
  const { manifest } = verified;
  const index = new Map<string, number>(manifest.items.map((id, i) => [id, i]));
  const toIndices = (ids: readonly string[]) => ids.map((id) => index.get(id)).filter((i): i is number => i !== undefined);

  return {
    backend,
    manifest,
    async recommend(session, k, exclude) {
      const top = await recommendIndices(model, toIndices(session), k, new Set(toIndices(exclude)));
      return top.map((s) => ({ itemId: manifest.items[s.index]!, score: s.score }));
    },
    async propensity(events, now) {
      if (!manifest.propensity || !model.propensityWeights) return null;
      return explainPropensity(manifest.propensity, model.propensityWeights, deviceFeatures(events, now));
    },
    dispose() {
      model.dispose();
    },
  };
}

/** Live tensor count, for leak checks. */
export const numTensors = (): number => tf.memory().numTensors;
