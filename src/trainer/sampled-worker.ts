/**
 * The worker thread of the sampled-softmax trainer: waits on the shared control block for a batch, runs
 * `rowsKernel` on its part's rows, and signals completion (trainer/sampled-kernel.ts). Blocking waits
 * (Atomics.wait) are allowed in workers and cost far less than a message per batch (about 2,800 batches
 * per Diginetica epoch).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CTRL, rowsKernel, viewBatch, type BatchShared } from './sampled-kernel.js';

const buf = viewBatch(workerData as BatchShared);
const part = 1;
let gen = 0;
// 'online' fires before this module's imports resolve; this says they did and the loop is about to wait.
parentPort?.postMessage('ready');
for (;;) {
  Atomics.wait(buf.ctrl, CTRL.gen, gen);
  gen = Atomics.load(buf.ctrl, CTRL.gen);
  if (Atomics.load(buf.ctrl, CTRL.quit) === 1) break;
  rowsKernel(buf, part, buf.ctrl[CTRL.lo]!, buf.ctrl[CTRL.hi]!, buf.ctrl[CTRL.C]!);
  Atomics.store(buf.ctrl, CTRL.done, gen);
  Atomics.notify(buf.ctrl, CTRL.done);
}
