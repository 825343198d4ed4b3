/**
 * TensorFlow.js set-up for the Node trainer. `@tensorflow/tfjs` brings the gradient registrations that
 * tfjs-core's own entry lacks (and whose ES files Node cannot import directly); it shares the one
 * `@tensorflow/tfjs-core` module instance with the scoring code, so trainer and evaluation use one engine.
 * `@tensorflow/tfjs-node` cannot be installed here (it downloads a native binary at install time), so the
 * pure-JavaScript CPU backend runs training; PROD mode silences its advice to install tfjs-node.
 */
import * as tf from '@tensorflow/tfjs';

let ready: Promise<void> | null = null;

/** Activates the CPU backend once per process. */
export function useCpu(): Promise<void> {
  ready ??= (async () => {
    tf.env().set('PROD', true);
    if (!(await tf.setBackend('cpu'))) throw new Error('the TensorFlow.js CPU backend failed to start');
  })();
  return ready;
}

export { tf };
