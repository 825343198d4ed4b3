/**
 * Evaluated before TensorFlow.js (see tf.ts): takes a TensorFlow.js that the host page already loaded off
 * `window` for as long as Tacit's own copy initializes, so that the two never share an engine, a kernel
 * registry or a Tensor class. tf.ts puts it back right after.
 */
export interface HostTf {
  engine: unknown;
  globals: unknown;
  had: { engine: boolean; globals: boolean };
}

function hideHostTf(): HostTf {
  const g = globalThis as unknown as Record<string, unknown>;
  const host = { engine: g._tfengine, globals: g._tfGlobals, had: { engine: '_tfengine' in g, globals: '_tfGlobals' in g } };
  delete g._tfengine;
  delete g._tfGlobals;
  return host;
}

// A value computed at module evaluation (not a bare statement): the package is `"sideEffects": false`, and
// the bundler keeps an initializer whose value is used where it would drop a lone statement.
export const hostTf: HostTf = hideHostTf();
