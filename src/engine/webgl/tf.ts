/**
 * Tacit's TensorFlow.js, isolated from any other copy on the page.
 *
 * tfjs keeps its engine and its registries on `window` (`_tfengine`, `_tfGlobals`). A second copy that finds
 * them adopts them: it prints "Platform browser has already been set", "backend was already registered" and
 * hundreds of "kernel already registered" warnings, patches the host's Tensor class with its own methods, and
 * `setBackend` in one copy switches the other's backend (TFJS-FACTS.md, "Sharing a page"). So the host's
 * globals are taken off `window` while this copy initializes (hide-host.ts, imported first, runs before
 * tfjs-core's modules), this copy builds its own engine and registries, and the host's are put back.
 *
 * The registries are captured at initialization, but tfjs-core's Tensor methods (`data()`, `dispose()`) look
 * the engine up on `window` at each call (`setTensorTracker(() => ns._tfengine)` in tfjs-core 4.22's
 * engine.js), so that lookup is pointed at this copy's engine. Verified by test/e2e/delivery-tfjs.spec.ts
 * with tf.min.js 4.22 loaded by the page before and after Tacit.
 */
import { hostTf } from './hide-host.js';
import { engine, Tensor } from '@tensorflow/tfjs-core';
// Not in tfjs-core's public API; the package has no `exports` map, so the module resolves to the same
// instance that tfjs-core's index imports.
import { setTensorTracker } from '@tensorflow/tfjs-core/dist/tensor.js';

function isolate(): true {
  const g = globalThis as unknown as Record<string, unknown>;
  const ours = engine();
  setTensorTracker(() => ours);
  if (hostTf.had.engine) g._tfengine = hostTf.engine;
  else delete g._tfengine;
  g._tfGlobals = hostTf.had.globals ? hostTf.globals : new SharedGlobals();
  return true;
}

/**
 * tfjs-core also looks up `window._tfGlobals.get('Tensor')` at each op (`convertToTensor`'s instanceof,
 * which is duck-typed, so any copy's class answers it), and creates the map, with its own class in it, when
 * there is none. A host page that loads TensorFlow.js after Tacit would then adopt Tacit's Tensor class and
 * patch its chained ops onto it instead of its own. This map answers Tacit's lookups with Tacit's class
 * without storing it, so a later host stores and finds its own.
 */
class SharedGlobals extends Map<string, unknown> {
  override set(key: string, value: unknown): this {
    return key === 'Tensor' && value === Tensor ? this : super.set(key, value);
  }
  override get(key: string): unknown {
    return super.has(key) ? super.get(key) : key === 'Tensor' ? Tensor : undefined;
  }
}

/**
 * True once this copy is isolated. The WebGL entry (engine/webgl/index.ts) reads it, which keeps this module in the
 * bundle, and imports the backends right after: they register into the engine and registries captured
 * here, with no global lookup. (Exporting tfjs-core's namespace from here instead would defeat tree
 * shaking of its ops: +130 KB minified.)
 */
export const tfIsolated: true = isolate();
