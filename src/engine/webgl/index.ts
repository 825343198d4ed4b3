/**
 * The WebGL path: Tacit's own TensorFlow.js (tfjs-core's base entry, the WebGL backend, one kernel),
 * loaded as a chunk of its own (`tacit-webgl.js`) only when WebGL scores. The CPU path needs none of it.
 *
 * It scores a session vector that the caller encoded (engine/score.ts `encodeSession`) against the target
 * table held in a texture: one fused matMul + bias, read back with `await data()` (never `dataSync()`,
 * which stalls the pipeline: TFJS-FACTS.md). The caller adds the repeat term and takes the top k.
 */
// First import: isolates this copy of TensorFlow.js from any other on the page (see tf.ts).
import { tfIsolated } from './tf.js';
import { engine, env, getBackend, backend as activeBackend, memory, ready, setBackend, tensor, type NamedTensorMap, type Tensor } from '@tensorflow/tfjs-core';
// A bare import in the entry: the package is `"sideEffects": false` and the backend registers itself here.
import '@tensorflow/tfjs-backend-webgl/dist/base.js';
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import { registerKernels } from './kernels.js';

const kernels: string[] = registerKernels();

/**
 * Whether a WebGL context can be had where tfjs-webgl would make one (an OffscreenCanvas when the browser
 * has it, else a canvas). Asking first keeps tfjs from printing its own failure and stack trace into the
 * host page's console. The probe context is released at once: browsers cap live contexts (16 in Chromium).
 */
export function webglAvailable(): boolean {
  try {
    const canvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(1, 1) : document.createElement('canvas');
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | null;
    gl?.getExtension('WEBGL_lose_context')?.loseContext();
    return gl !== null;
  } catch {
    return false;
  }
}

/** One product [1, 1, dim] × [1, n, dim]ᵀ (+ bias [n]) → [1, 1, n] on the active backend. */
function fusedScores(v: Tensor, target: Tensor, bias: Tensor | null): Tensor {
  const inputs: NamedTensorMap = { a: v, b: target };
  if (bias) inputs.bias = bias;
  return engine().runKernel('_FusedMatMul', inputs, { transposeA: false, transposeB: true, activation: 'linear' }) as Tensor;
}

/**
 * Activates WebGL and proves it with the real kernel: `setBackend` can resolve false without throwing, and
 * a broken WebGL can still report `webgl` until the first op (TFJS-FACTS.md). Resolves false when WebGL
 * cannot score here; never throws.
 */
export async function startWebgl(): Promise<boolean> {
  if (!tfIsolated || kernels.length === 0) return false;
  try {
    if (!webglAvailable()) return false;
    if (!(await setBackend('webgl'))) return false;
    await ready();
    const a = tensor([1, 2], [1, 1, 2]);
    const b = tensor([3, 4, 5, 6], [1, 2, 2]);
    const out = fusedScores(a, b, null);
    const values = await out.data();
    for (const t of [a, b, out]) t.dispose();
    return getBackend() === 'webgl' && values[0] === 11 && values[1] === 17;
  } catch {
    return false;
  }
}

export interface GpuScorer {
  /** Raw scores v · target[item] + bias[item] for one session vector (length dim). */
  score(v: Float32Array): Promise<Float32Array>;
  dispose(): void;
}

/**
 * Uploads the target table and the bias once. Disposed textures go back to tfjs's pool, which by default
 * never frees them (`WEBGL_DELETE_TEXTURE_THRESHOLD` -1; 325 MB pooled for 26 MB in use, TFJS-FACTS.md):
 * past the model's own bytes plus 16 MB, released textures are deleted instead.
 */
export function gpuScorer(target: Float32Array, bias: Float32Array | null, numItems: number, dim: number): GpuScorer {
  env().set('WEBGL_DELETE_TEXTURE_THRESHOLD', (numItems * dim + numItems) * 4 + 16 * 2 ** 20);
  const t = tensor(target, [1, numItems, dim], 'float32');
  const b = bias ? tensor(bias, [numItems], 'float32') : null;
  return {
    async score(v) {
      const a = tensor(v, [1, 1, dim], 'float32');
      let out: Tensor | null = null;
      try {
        out = fusedScores(a, t, b);
        return (await out.data()) as Float32Array;
      } finally {
        a.dispose();
        out?.dispose();
      }
    },
    dispose() {
      try {
        t.dispose();
        b?.dispose();
      } catch {
        // tensors of a lost WebGL context: nothing left to free
      }
    },
  };
}

/** The WebGL context Tacit's tfjs computes on, or null on another backend. Tests use it to lose the context. */
export function activeWebGLContext(): WebGLRenderingContext | WebGL2RenderingContext | null {
  if (getBackend() !== 'webgl') return null;
  return (activeBackend() as MathBackendWebGL).gpgpu?.gl ?? null;
}

/** Live tensor count, for leak checks. */
export const numTensors = (): number => memory().numTensors;

/** tfjs's bookkeeping (tensors, data buffers, bytes; on WebGL the texture pool too), for leak checks in a worker. */
export const tfMemory = (): ReturnType<typeof memory> => memory();
