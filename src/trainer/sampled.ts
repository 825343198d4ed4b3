/**
 * The recommender trainer, for catalogs of any size: the browser's decay-pool model (v = Σ_j decay^(n-1-j)·query[i_j]
 * over the last maxLength items; scores = target·v + bias) learned with a sampled softmax over the next
 * item, in plain JavaScript on typed arrays.
 *
 * Why not TensorFlow.js here: on this machine tfjs-cpu's matMul ran at 0.6–1.0 GFLOP/s for the shapes of
 * a sampled-softmax batch (512 × 4,096 × 64: 426 ms), a plain Float32Array loop at 1.4 GFLOP/s (192 ms),
 * and tfjs-cpu's gradient of `gather` (UnsortedSegmentSum) takes seconds per batch (docs/trainer.md).
 * Training only touches a few thousand of the 43,097 rows per batch, which typed arrays with sparse
 * ("lazy") Adam updates exploit and dense tfjs ops cannot. `@tensorflow/tfjs-node` cannot be installed
 * here. It is the only trainer: the demo model (trainer/demo.ts) is trained by it too.
 *
 * Sampled softmax: each batch scores its rows against one shared candidate set, the batch's own targets
 * plus `negatives` items drawn ∝ count^negativePower, de-duplicated. Each candidate's logit is corrected by
 * the log of its probability of being in the set (Bengio & Senécal 2008; Jean et al. 2015), so the learned
 * scores estimate the full-softmax logits that the browser ranks by.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createRng, type Rng } from './rng.js';
import { allocBatch, CTRL, PARTS, partRows, rowsKernel, type BatchBuffers } from './sampled-kernel.js';
import { addRepeatScores } from '../engine/score.js';
import { topK } from '../engine/topk.js';

export interface SampledSoftmaxOptions {
  dim: number;
  decay: number;
  maxLength: number;
  epochs: number;
  batchSize: number;
  /** Items sampled per batch as shared negatives (before de-duplication). */
  negatives: number;
  /** Negatives are drawn ∝ count^negativePower. */
  negativePower: number;
  learningRate: number;
  /** L2 penalty per embedding row each time the row is updated (lazy weight decay). */
  l2: number;
  /** One embedding table for both sides (query = target). */
  tied: boolean;
  seed: number;
  /** Standard deviation of the random initial embeddings. */
  initScale: number;
  /** Optional initial embeddings (row-major [items × dim]). */
  initQuery?: Float32Array;
  initTarget?: Float32Array;
  /** Learning-rate multiplier per epoch (default: linear decay to 0.1 of the rate over the run). */
  schedule?: (epoch: number, epochs: number) => number;
  /**
   * Extra passes, after the main epochs, over the most recent sessions only (the last `recentFraction`, in
   * time order), at `recentLearningRate` × `learningRate`: the test period resembles the end of the
   * training period more than its start (new items, trends). Default 0.
   */
  recentEpochs?: number;
  recentFraction?: number;
  recentLearningRate?: number;
  /**
   * Threads for the batch's heavy part (1 or 2; default: 2 where the machine has two cores). The model does
   * not depend on it: a batch is always cut into the same row ranges, summed in the same order.
   */
  threads?: number;
  /** Called after each epoch; return false to stop early. */
  onEpoch?: (epoch: number, loss: number, model: EmbeddingModel) => boolean | void | Promise<boolean | void>;
  /** Called now and then with the examples done in this epoch. */
  onProgress?: (done: number, total: number, epoch: number) => void;
}

export interface EmbeddingModel {
  numItems: number;
  dim: number;
  query: Float32Array;
  target: Float32Array;
  bias: Float32Array;
}

export interface SampledTrainResult extends EmbeddingModel {
  losses: number[];
  /** Wall-clock seconds, and CPU seconds of this process (the machine may be shared). */
  seconds: number;
  cpuSeconds: number;
  examplesPerEpoch: number;
  /** Threads the batches ran on (1 or 2); the model is the same either way. */
  threads: number;
}

/** Walker's alias table: O(1) draws from a discrete distribution. */
export class AliasTable {
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;
  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    let total = 0;
    for (let i = 0; i < n; i++) total += weights[i]!;
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    const scaled = Float64Array.from({ length: n }, (_, i) => (weights[i]! * n) / total);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
    while (small.length && large.length) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.prob[s] = scaled[s]!;
      this.alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      (scaled[l]! < 1 ? small : large).push(l);
    }
    for (const i of [...small, ...large]) this.prob[i] = 1;
  }
  draw(rng: Rng): number {
    const n = this.prob.length;
    const r = rng() * n;
    const i = Math.min(n - 1, Math.floor(r));
    return r - i < this.prob[i]! ? i : this.alias[i]!;
  }
}

/** Lazy Adam over the rows of a [rows × width] table: only rows with a gradient in a step are updated. */
class SparseAdam {
  readonly m: Float32Array;
  readonly v: Float32Array;
  constructor(
    readonly w: Float32Array,
    readonly width: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly eps = 1e-8,
  ) {
    this.m = new Float32Array(w.length);
    this.v = new Float32Array(w.length);
  }
  /** Applies `grad` (slot-major, [slots × width]) to `rows[slot]`. */
  step(rows: Int32Array, count: number, grad: Float32Array, lr: number, t: number, l2: number): void {
    const { w, m, v, width, beta1, beta2, eps } = this;
    const c1 = 1 - Math.pow(beta1, t);
    const c2 = 1 - Math.pow(beta2, t);
    const a = (lr * Math.sqrt(c2)) / c1;
    for (let s = 0; s < count; s++) {
      const o = rows[s]! * width;
      const g0 = s * width;
      for (let k = 0; k < width; k++) {
        const g = grad[g0 + k]! + l2 * w[o + k]!;
        const mk = (m[o + k] = beta1 * m[o + k]! + (1 - beta1) * g);
        const vk = (v[o + k] = beta2 * v[o + k]! + (1 - beta2) * g * g);
        w[o + k]! -= (a * mk) / (Math.sqrt(vk) + eps);
      }
    }
  }
}

function defaultThreads(): number {
  return Math.min(PARTS, availableParallelism());
}

/**
 * Runs a batch's parts (`rowsKernel`): part 0 on this thread and part 1 on a worker thread when there is
 * one, else both here, one after the other. The worker is started from the compiled trainer
 * (trainer-dist/trainer/sampled-worker.js); where it cannot start (run from the TypeScript sources, as
 * the unit tests do) the parts run here, with identical results.
 */
class BatchRunner {
  private gen = 0;
  get threads(): number {
    return this.worker ? 2 : 1;
  }
  private constructor(
    private readonly buf: BatchBuffers,
    private readonly worker: Worker | null,
  ) {}

  static async start(buf: BatchBuffers, threads: number): Promise<BatchRunner> {
    if (threads < 2 || PARTS !== 2) return new BatchRunner(buf, null);
    let worker: Worker;
    try {
      worker = new Worker(new URL('./sampled-worker.js', import.meta.url), { workerData: buf.shared });
    } catch {
      return new BatchRunner(buf, null);
    }
    // Wait for the worker's own 'ready' (its imports resolved), not 'online', which comes before them: a
    // worker that fails to load must be known before this thread blocks in Atomics.wait.
    const online = await new Promise<boolean>((resolve) => {
      worker.once('message', (m) => resolve(m === 'ready'));
      worker.once('error', () => resolve(false));
      worker.once('exit', () => resolve(false));
    });
    if (!online) {
      await worker.terminate();
      return new BatchRunner(buf, null);
    }
    worker.unref();
    return new BatchRunner(buf, worker);
  }

  /** Runs every part of a batch of `nb` rows against `C` candidates; returns the summed loss. */
  run(nb: number, C: number): number {
    const { buf } = this;
    buf.scalars[0] = 1 / nb;
    if (this.worker) {
      const ctrl = buf.ctrl;
      const [lo1, hi1] = partRows(nb, 1);
      ctrl[CTRL.C] = C;
      ctrl[CTRL.lo] = lo1;
      ctrl[CTRL.hi] = hi1;
      const gen = ++this.gen;
      Atomics.store(ctrl, CTRL.gen, gen);
      Atomics.notify(ctrl, CTRL.gen);
      const [lo0, hi0] = partRows(nb, 0);
      rowsKernel(buf, 0, lo0, hi0, C);
      while (Atomics.load(ctrl, CTRL.done) !== gen) {
        // A worker that died would leave this thread waiting forever: give up after a minute.
        if (Atomics.wait(ctrl, CTRL.done, Atomics.load(ctrl, CTRL.done), 60_000) === 'timed-out' && Atomics.load(ctrl, CTRL.done) !== gen) {
          throw new Error('sampled-softmax worker thread stopped answering');
        }
      }
    } else {
      for (let part = 0; part < PARTS; part++) rowsKernel(buf, part, ...partRows(nb, part), C);
    }
    let loss = 0;
    for (let part = 0; part < PARTS; part++) loss += buf.scalars[1 + part]!;
    return loss;
  }

  async stop(): Promise<void> {
    if (!this.worker) return;
    Atomics.store(this.buf.ctrl, CTRL.quit, 1);
    Atomics.store(this.buf.ctrl, CTRL.gen, ++this.gen);
    Atomics.notify(this.buf.ctrl, CTRL.gen);
    await this.worker.terminate();
  }
}

/** Rows touched in a batch and their gradient slots. */
class Slots {
  readonly slotOf: Int32Array;
  rows: Int32Array;
  grad: Float32Array;
  count = 0;
  constructor(
    numItems: number,
    private readonly width: number,
    capacity: number,
  ) {
    this.slotOf = new Int32Array(numItems).fill(-1);
    this.rows = new Int32Array(capacity);
    this.grad = new Float32Array(capacity * width);
  }
  slot(item: number): number {
    let s = this.slotOf[item]!;
    if (s >= 0) return s;
    if (this.count === this.rows.length) {
      const rows = new Int32Array(this.rows.length * 2);
      rows.set(this.rows);
      this.rows = rows;
      const grad = new Float32Array(this.grad.length * 2);
      grad.set(this.grad);
      this.grad = grad;
    }
    s = this.count++;
    this.slotOf[item] = s;
    this.rows[s] = item;
    this.grad.fill(0, s * this.width, (s + 1) * this.width);
    return s;
  }
  reset(): void {
    for (let s = 0; s < this.count; s++) this.slotOf[this.rows[s]!] = -1;
    this.count = 0;
  }
}

/** (session start, position) of every next-item example: the prefix is items[start .. start+pos), the target items[start+pos]. */
export function exampleIndex(offsets: Int32Array): Int32Array {
  let n = 0;
  for (let s = 0; s + 1 < offsets.length; s++) n += Math.max(0, offsets[s + 1]! - offsets[s]! - 1);
  const ex = new Int32Array(n * 2);
  let e = 0;
  for (let s = 0; s + 1 < offsets.length; s++) {
    for (let p = offsets[s]! + 1; p < offsets[s + 1]!; p++) {
      ex[e++] = offsets[s]!;
      ex[e++] = p;
    }
  }
  return ex;
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1e6;
}

/** Examples contributed by the sessions before session `s`. */
function exampleCountBefore(offsets: Int32Array, s: number): number {
  let n = 0;
  for (let i = 0; i < s; i++) n += Math.max(0, offsets[i + 1]! - offsets[i]! - 1);
  return n;
}

export function packFlat(sessions: readonly (readonly number[])[]): { offsets: Int32Array; items: Int32Array } {
  const offsets = new Int32Array(sessions.length + 1);
  sessions.forEach((s, i) => (offsets[i + 1] = offsets[i]! + s.length));
  const items = new Int32Array(offsets[sessions.length]!);
  sessions.forEach((s, i) => items.set(s, offsets[i]!));
  return { offsets, items };
}

function gaussian(rng: Rng): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

export async function trainSampledSoftmax(sessions: readonly (readonly number[])[], numItems: number, opts: SampledSoftmaxOptions): Promise<SampledTrainResult> {
  const t0 = Date.now();
  const cpu0 = process.cpuUsage();
  const d = opts.dim;
  const L = opts.maxLength;
  const rng = createRng(opts.seed);
  const { offsets, items } = packFlat(sessions);
  const ex = exampleIndex(offsets);
  const E = ex.length / 2;
  if (E === 0) throw new Error('no training examples: every session needs at least two items');

  // Item statistics: target frequency (for the bias init and the in-batch inclusion probability).
  const targetCount = new Float64Array(numItems);
  const clickCount = new Float64Array(numItems);
  for (let e = 0; e < E; e++) targetCount[items[ex[2 * e + 1]!]!]!++;
  for (const it of items) clickCount[it]!++;
  const sampler = new AliasTable(Array.from(clickCount, (c) => Math.pow(c + 1, opts.negativePower)));
  let qTotal = 0;
  for (let i = 0; i < numItems; i++) qTotal += Math.pow(clickCount[i]! + 1, opts.negativePower);
  const B = opts.batchSize;
  const K = opts.negatives;
  // log P(item is in a batch's candidate set) = log(1 - P(not a target of B rows) · P(not drawn in K draws)).
  const logIncl = new Float32Array(numItems);
  for (let i = 0; i < numItems; i++) {
    const pt = targetCount[i]! / E;
    const q = Math.pow(clickCount[i]! + 1, opts.negativePower) / qTotal;
    const logNot = B * Math.log1p(-Math.min(pt, 1 - 1e-12)) + K * Math.log1p(-Math.min(q, 1 - 1e-12));
    logIncl[i] = Math.log(Math.max(-Math.expm1(logNot), 1e-30));
  }

  // Parameters.
  const query = new Float32Array(numItems * d);
  const target = opts.tied ? query : new Float32Array(numItems * d);
  if (opts.initQuery) query.set(opts.initQuery);
  else for (let i = 0; i < query.length; i++) query[i] = gaussian(rng) * opts.initScale;
  if (!opts.tied) {
    if (opts.initTarget) target.set(opts.initTarget);
    else for (let i = 0; i < target.length; i++) target[i] = gaussian(rng) * opts.initScale;
  }
  const bias = new Float32Array(numItems);
  for (let i = 0; i < numItems; i++) bias[i] = Math.log((targetCount[i]! + 1) / (E + numItems));
  const adamQ = new SparseAdam(query, d);
  const adamT = opts.tied ? adamQ : new SparseAdam(target, d);
  const adamB = new SparseAdam(bias, 1);

  const slotsQ = new Slots(numItems, d, B * L + K + B);
  const slotsT = opts.tied ? slotsQ : new Slots(numItems, d, B + K);
  const slotsB = new Slots(numItems, 1, B + K);

  // Batch buffers, shared with the worker thread (trainer/sampled-kernel.ts).
  const buf = allocBatch(B, B + K, d);
  const { V, dV, Tc, off, pos } = buf;
  const runner = await BatchRunner.start(buf, opts.threads ?? defaultThreads());
  const candidates = new Int32Array(buf.maxC);
  const candStamp = new Int32Array(numItems).fill(-1);
  const candPos = new Int32Array(numItems);
  const weights = new Float32Array(L);
  for (let j = 0; j < L; j++) weights[j] = Math.pow(opts.decay, L - 1 - j);

  const order = new Int32Array(E);
  for (let e = 0; e < E; e++) order[e] = e;
  const losses: number[] = [];
  const schedule = opts.schedule ?? ((ep: number, n: number) => (n <= 1 ? 1 : 1 - (0.9 * ep) / (n - 1)));
  let step = 0;
  let batchNo = 0;

  // Recent passes: examples of the last `recentFraction` of the sessions (a suffix of `ex`, since sessions
  // are in time order), after the main epochs, at `recentLearningRate` × the base rate.
  const recentEpochs = opts.recentEpochs ?? 0;
  const recentFrom = recentEpochs > 0 ? exampleCountBefore(offsets, Math.floor((offsets.length - 1) * (1 - (opts.recentFraction ?? 0.2)))) : E;
  const totalEpochs = opts.epochs + recentEpochs;
  try {
    for (let epoch = 0; epoch < totalEpochs; epoch++) {
      const recent = epoch >= opts.epochs;
      const n = recent ? E - recentFrom : E;
      if (recent) for (let i = 0; i < n; i++) order[i] = recentFrom + i;
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(rng() * (i + 1));
        const t = order[i]!;
        order[i] = order[j]!;
        order[j] = t;
      }
      const lr = opts.learningRate * (recent ? (opts.recentLearningRate ?? 0.1) : schedule(epoch, opts.epochs));
      let lossSum = 0;
      for (let start = 0; start < n; start += B) {
        const nb = Math.min(B, n - start);
        batchNo++;
        // 1. Session vectors.
        V.fill(0, 0, nb * d);
        for (let b = 0; b < nb; b++) {
          const e = order[start + b]!;
          const s0 = ex[2 * e]!;
          const p = ex[2 * e + 1]!;
          const from = Math.max(s0, p - L);
          const vo = b * d;
          for (let q = from; q < p; q++) {
            const w = weights[L - (p - q)]!;
            const qo = items[q]! * d;
            for (let k = 0; k < d; k++) V[vo + k]! += w * query[qo + k]!;
          }
        }
        // 2. Candidates: the batch's targets, then sampled negatives.
        let C = 0;
        for (let b = 0; b < nb; b++) {
          const e = order[start + b]!;
          const t = items[ex[2 * e + 1]!]!;
          if (candStamp[t] !== batchNo) {
            candStamp[t] = batchNo;
            candPos[t] = C;
            candidates[C++] = t;
          }
          pos[b] = candPos[t]!;
        }
        for (let k = 0; k < K; k++) {
          const c = sampler.draw(rng);
          if (candStamp[c] !== batchNo) {
            candStamp[c] = batchNo;
            candPos[c] = C;
            candidates[C++] = c;
          }
        }
        // 3. Gather the candidates' target rows into one contiguous block (the rows lie scattered over a
        //    table of megabytes; the block stays in cache for the whole batch), with their logit offsets.
        for (let c = 0; c < C; c++) {
          const it = candidates[c]!;
          Tc.set(target.subarray(it * d, it * d + d), c * d);
          off[c] = bias[it]! - logIncl[it]!;
        }
        // 4–5. Logits, softmax, loss and gradients, the rows cut in PARTS fixed ranges (two threads).
        lossSum += runner.run(nb, C);
        for (let c = 0; c < C; c++) {
          const it = candidates[c]!;
          const go = slotsT.slot(it) * d;
          const gT = slotsT.grad;
          const co = c * d;
          const gb = slotsB.slot(it);
          // The parts' partial gradients, always summed in part order.
          for (let part = 0; part < PARTS; part++) {
            const GT = buf.GT[part]!;
            for (let k = 0; k < d; k++) gT[go + k]! += GT[co + k]!;
            slotsB.grad[gb]! += buf.gBias[part]![c]!;
          }
        }
        for (let b = 0; b < nb; b++) {
          const e = order[start + b]!;
          const s0 = ex[2 * e]!;
          const p = ex[2 * e + 1]!;
          const from = Math.max(s0, p - L);
          const vo = b * d;
          for (let q = from; q < p; q++) {
            const w = weights[L - (p - q)]!;
            const sQ = slotsQ.slot(items[q]!);
            const gQ = slotsQ.grad;
            const go = sQ * d;
            for (let k = 0; k < d; k++) gQ[go + k]! += w * dV[vo + k]!;
          }
        }
        // 6. Updates.
        step++;
        adamQ.step(slotsQ.rows, slotsQ.count, slotsQ.grad, lr, step, opts.l2);
        if (!opts.tied) adamT.step(slotsT.rows, slotsT.count, slotsT.grad, lr, step, opts.l2);
        adamB.step(slotsB.rows, slotsB.count, slotsB.grad, lr, step, 0);
        slotsQ.reset();
        if (!opts.tied) slotsT.reset();
        slotsB.reset();
        if (opts.onProgress && (batchNo & 63) === 0) opts.onProgress(start + nb, n, epoch);
      }
      losses.push(lossSum / n);
      const model: EmbeddingModel = { numItems, dim: d, query, target, bias };
      if ((await opts.onEpoch?.(epoch, lossSum / n, model)) === false) break;
    }
  } finally {
    await runner.stop();
  }
  return { numItems, dim: d, query, target: opts.tied ? query.slice() : target, bias, losses, seconds: (Date.now() - t0) / 1000, cpuSeconds: cpuSecondsSince(cpu0), examplesPerEpoch: E, threads: runner.threads };
}

/**
 * Ranks of the targets under the browser's scoring math, computed here in plain JavaScript for fast
 * validation during training (the shipped numbers always come from `evaluateModel` on the exported files).
 * Returns HR@20 and MRR@20; ties count against the target.
 *
 * `repeat` is the encoder's repeat term (`SessionEncoderSpec.repeat`), added by the browser's own
 * `addRepeatScores` (engine/score.ts): score_j += weight · Σ_p decay^(n-1-p) · [i_p = j] over the prefix.
 */
export function quickRankMetrics(
  model: EmbeddingModel,
  rows: readonly { prefix: readonly number[]; target: number }[],
  decay: number,
  maxLength: number,
  repeat?: { weight: number; decay: number },
): { hr20: number; mrr20: number } {
  const { numItems: N, dim: d, query, target, bias } = model;
  const v = new Float32Array(d);
  const boost = repeat && repeat.weight > 0 ? new Float64Array(N) : null;
  let hits = 0;
  let rr = 0;
  for (const r of rows) {
    if (r.target < 0) continue;
    sessionVector(model, r.prefix, decay, maxLength, v);
    if (boost) addRepeatScores(repeat, [r.prefix], boost, N);
    const score = (i: number) => {
      let s = bias[i]!;
      const o = i * d;
      for (let k = 0; k < d; k++) s += target[o + k]! * v[k]!;
      return boost ? s + boost[i]! : s;
    };
    const st = score(r.target);
    let above = 0;
    for (let i = 0; i < N && above < 20; i++) if (i !== r.target && score(i) >= st) above++;
    if (above < 20) {
      hits++;
      rr += 1 / (above + 1);
    }
    if (boost) for (const j of r.prefix) if (j >= 0 && j < N) boost[j] = 0;
  }
  return { hr20: hits / rows.length, mrr20: rr / rows.length };
}

/** v = Σ_j decay^(n-1-j) · query[i_j] over the last `maxLength` items, written into `v`. */
function sessionVector(model: EmbeddingModel, prefix: readonly number[], decay: number, maxLength: number, v: Float32Array): void {
  const { dim: d, query } = model;
  v.fill(0);
  const n = prefix.length;
  for (let j = Math.max(0, n - maxLength); j < n; j++) {
    const w = Math.pow(decay, n - 1 - j);
    const qo = prefix[j]! * d;
    for (let k = 0; k < d; k++) v[k]! += w * query[qo + k]!;
  }
}

export interface RepeatGridPoint {
  weight: number;
  decay: number;
  hr20: number;
  mrr20: number;
}

/** The grid the repeat term is chosen on (docs/trainer.md). */
export const REPEAT_GRID = { weights: [0, 1, 2, 4, 6, 8, 10, 12, 16, 20, 30, 50], decays: [0.6, 0.7, 0.8, 0.9, 1] } as const;

/**
 * HR@20 / MRR@20 on `rows` for every (weight, decay) of the repeat term at once, with the same counting as
 * `quickRankMetrics` (ties against the target). Each row's base scores are computed once; since the term
 * only moves prefix items, the target's rank under any grid point follows from the 20 best other items
 * outside the prefix and the prefix items' boosted scores. Used to choose the term on a validation split.
 */
export function repeatGridMetrics(
  model: EmbeddingModel,
  rows: readonly { prefix: readonly number[]; target: number }[],
  decay: number,
  maxLength: number,
  grid: { weights: readonly number[]; decays: readonly number[] } = REPEAT_GRID,
): RepeatGridPoint[] {
  const { numItems: N, dim: d, target, bias } = model;
  const v = new Float32Array(d);
  const scores = new Float32Array(N);
  const unit = new Float64Array(N);
  const G = grid.weights.length * grid.decays.length;
  const hits = new Float64Array(G);
  const rr = new Float64Array(G);
  const inPrefix = new Uint8Array(N);
  for (const r of rows) {
    if (r.target < 0) continue;
    sessionVector(model, r.prefix, decay, maxLength, v);
    for (let i = 0; i < N; i++) {
      let s = bias[i]!;
      const o = i * d;
      for (let k = 0; k < d; k++) s += target[o + k]! * v[k]!;
      scores[i] = s;
    }
    const distinct = [...new Set(r.prefix.filter((j) => j >= 0 && j < N))];
    for (const j of distinct) inPrefix[j] = 1;
    // The 20 best items outside the prefix, other than the target: best first.
    const others = topK(scores, 20, (i) => inPrefix[i] === 1 || i === r.target).map((x) => x.score);
    let g = 0;
    for (const dec of grid.decays) {
      addRepeatScores({ weight: 1, decay: dec }, [r.prefix], unit, N);
      for (const w of grid.weights) {
        const st = scores[r.target]! + w * unit[r.target]!;
        let above = 0;
        for (const s of others) if (s >= st) above++;
        for (const j of distinct) if (j !== r.target && scores[j]! + w * unit[j]! >= st) above++;
        if (above < 20) {
          hits[g]!++;
          rr[g]! += 1 / (above + 1);
        }
        g++;
      }
      for (const j of distinct) unit[j] = 0;
    }
    for (const j of distinct) inPrefix[j] = 0;
  }
  const out: RepeatGridPoint[] = [];
  let g = 0;
  for (const dec of grid.decays) for (const w of grid.weights) {
    out.push({ weight: w, decay: dec, hr20: hits[g]! / rows.length, mrr20: rr[g]! / rows.length });
    g++;
  }
  return out;
}

/** The grid point with the best MRR@20 + HR@20 (ties: the smaller weight, then the larger decay). */
export function bestRepeat(points: readonly RepeatGridPoint[]): RepeatGridPoint {
  return [...points].sort((a, b) => b.hr20 + b.mrr20 - (a.hr20 + a.mrr20) || a.weight - b.weight || b.decay - a.decay)[0]!;
}
