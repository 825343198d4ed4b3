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

export * from '@tensorflow/tfjs-core/dist/base.js';

/**
 * tfjs-backend-webgl reads `backend_util.x` off namespace objects, which the bundler keeps whole (all of
 * tfjs-core's conv, slice, ragged, sparse and einsum helpers: ~7 kB gzip). These local exports shadow the
 * `export *` above (ECMAScript: a module's own export wins over a star export) with only the members that
 * the WebGL backend's modules in this bundle read (grep of `backend_util.`/`kernel_impls.` in them).
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
