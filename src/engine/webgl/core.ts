/**
 * What `@tensorflow/tfjs-core` resolves to in the browser build (vite.config.ts aliases the exact
 * specifier, for Tacit's modules and for tfjs-backend-webgl's alike): tfjs-core's base entry and its
 * required side effects (engine, flags, platform), without the op chaining and gradient registrations that
 * the package's index pulls in. This is what `tfjs-custom-module` generates (TFJS-FACTS.md); the kernels
 * the engine runs are registered by hand in kernels.ts.
 */
// Before tfjs-core's engine exists: a host page's TensorFlow.js is taken off `window` (see tf.ts).
import './hide-host.js';
import '@tensorflow/tfjs-core/dist/base_side_effects.js';
import {
  assertAndGetBroadcastShape,
  assertAxesAreInnerMostDims,
  computeOptimalWindowSize,
  computeOutAndReduceShapes,
  expandShapeToKeepDim,
  fromUint8ToStringArray,
  getAxesPermutation,
  getBroadcastDims,
  getInnerMostAxes,
  mergeRealAndImagArrays,
  upcastType,
  warn,
} from '@tensorflow/tfjs-core/dist/backends/backend_util.js';
import { whereImpl } from '@tensorflow/tfjs-core/dist/backends/where_impl.js';

// Named re-exports of what Tacit's WebGL modules and tfjs-backend-webgl's import from
// `@tensorflow/tfjs-core` (grep of their imports; the build fails on a missing one), not `export *` from
// tfjs-core's base entry: that entry also imports tf.io, whose model stores register themselves and so stay
// in any bundle that reaches them (with io-stub.ts for the platform's own imports of them).
export { Abs, Cast, Complex, Identity, LeakyRelu, Multiply, Prelu, Real, Reshape, Sum, Transpose, _FusedMatMul } from '@tensorflow/tfjs-core/dist/kernel_names.js';
export { DataStorage, KernelBackend } from '@tensorflow/tfjs-core/dist/backends/backend.js';
export { Tensor } from '@tensorflow/tfjs-core/dist/tensor.js';
export { backend, engine, getBackend, memory, ready, registerBackend, setBackend, tidy } from '@tensorflow/tfjs-core/dist/globals.js';
export { env } from '@tensorflow/tfjs-core/dist/environment.js';
export { registerKernel } from '@tensorflow/tfjs-core/dist/kernel_registry.js';
export { buffer } from '@tensorflow/tfjs-core/dist/ops/buffer.js';
export { scalar } from '@tensorflow/tfjs-core/dist/ops/scalar.js';
export { tensor } from '@tensorflow/tfjs-core/dist/ops/tensor.js';
export { nextFrame } from '@tensorflow/tfjs-core/dist/browser_util.js';
export { sumOutType, upcastType } from '@tensorflow/tfjs-core/dist/types.js';
export type { NamedTensorMap } from '@tensorflow/tfjs-core/dist/tensor_types.js';
export * as broadcast_util from '@tensorflow/tfjs-core/dist/ops/broadcast_util.js';
export * as device_util from '@tensorflow/tfjs-core/dist/device_util.js';
export * as util from '@tensorflow/tfjs-core/dist/util.js';

/**
 * tfjs-backend-webgl reads `backend_util.x` off namespace objects, which the bundler keeps whole (all of
 * tfjs-core's conv, slice, ragged, sparse and einsum helpers: ~7 kB gzip). These objects hold only the
 * members that the WebGL backend's modules in this bundle read (grep of `backend_util.`/`kernel_impls.`).
 */
export const backend_util = {
  assertAndGetBroadcastShape,
  assertAxesAreInnerMostDims,
  computeOptimalWindowSize,
  computeOutAndReduceShapes,
  expandShapeToKeepDim,
  fromUint8ToStringArray,
  getAxesPermutation,
  getBroadcastDims,
  getInnerMostAxes,
  mergeRealAndImagArrays,
  upcastType,
  warn,
};
export const kernel_impls = { whereImpl };
