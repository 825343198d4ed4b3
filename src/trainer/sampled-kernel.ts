/**
 * The heavy part of one sampled-softmax batch (trainer/sampled.ts): logits, softmax, loss and the two
 * gradient products, for a range of the batch's rows. A batch is always cut into `PARTS` fixed row
 * ranges, each with its own partial candidate gradient, summed in part order afterwards; the parts run
 * on the main thread and a worker thread (sampled-worker.ts) at the same time, or one after the other
 * when no worker is available. Either way every sum happens in the same order, so one seed gives the
 * same model on one core or two.
 *
 * The buffers live in SharedArrayBuffers so that the worker reads the batch (session vectors, the
 * gathered candidate rows) and writes its rows' results without copies.
 */

/** Row ranges per batch; fixed, so that the numbers do not depend on the thread count. */
export const PARTS = 2;

/** Slots of the shared Int32 control block. */
export const CTRL = { gen: 0, done: 1, quit: 2, C: 3, lo: 4, hi: 5 } as const;

export interface BatchShared {
  B: number;
  maxC: number;
  d: number;
  control: SharedArrayBuffer;
  scalars: SharedArrayBuffer;
  V: SharedArrayBuffer;
  dV: SharedArrayBuffer;
  Z: SharedArrayBuffer;
  Tc: SharedArrayBuffer;
  off: SharedArrayBuffer;
  pos: SharedArrayBuffer;
  GT: SharedArrayBuffer;
  gBias: SharedArrayBuffer;
}

export interface BatchBuffers {
  B: number;
  maxC: number;
  d: number;
  ctrl: Int32Array;
  /** [0]: the gradient scale 1/nb; [1 + part]: that part's summed loss. */
  scalars: Float64Array;
  /** [B × d] session vectors and their gradients. */
  V: Float32Array;
  dV: Float32Array;
  /** [B × C] logits, then softmax − one-hot. */
  Z: Float32Array;
  /** [C × d] the candidates' target rows, gathered; [C] their logit offsets. */
  Tc: Float32Array;
  off: Float32Array;
  /** [B] each row's target position among the candidates. */
  pos: Int32Array;
  /** Per part: [C × d] gradient of the candidate rows, [C] of their biases. */
  GT: Float32Array[];
  gBias: Float32Array[];
  shared: BatchShared;
}

export function allocBatch(B: number, maxC: number, d: number): BatchBuffers {
  const f = (n: number) => new SharedArrayBuffer(n * 4);
  return viewBatch({
    B,
    maxC,
    d,
    control: f(8),
    scalars: new SharedArrayBuffer(8 * (1 + PARTS)),
    V: f(B * d),
    dV: f(B * d),
    Z: f(B * maxC),
    Tc: f(maxC * d),
    off: f(maxC),
    pos: f(B),
    GT: f(PARTS * maxC * d),
    gBias: f(PARTS * maxC),
  });
}

export function viewBatch(s: BatchShared): BatchBuffers {
  const { B, maxC, d } = s;
  return {
    B,
    maxC,
    d,
    ctrl: new Int32Array(s.control),
    scalars: new Float64Array(s.scalars),
    V: new Float32Array(s.V),
    dV: new Float32Array(s.dV),
    Z: new Float32Array(s.Z),
    Tc: new Float32Array(s.Tc),
    off: new Float32Array(s.off),
    pos: new Int32Array(s.pos),
    GT: Array.from({ length: PARTS }, (_, p) => new Float32Array(s.GT, p * maxC * d * 4, maxC * d)),
    gBias: Array.from({ length: PARTS }, (_, p) => new Float32Array(s.gBias, p * maxC * 4, maxC)),
    shared: s,
  };
}

/** The rows of part `part` in a batch of `nb` rows. */
export function partRows(nb: number, part: number): [number, number] {
  const per = Math.ceil(nb / PARTS);
  return [Math.min(nb, part * per), Math.min(nb, (part + 1) * per)];
}

/**
 * Rows [lo, hi) against the C candidates: Z = softmax(V·Tcᵀ + off) − onehot(pos) (the loss's gradient
 * per logit), the summed loss into scalars[1 + part], dV rows = scale·Z·Tc, and this part's
 * GT = scale·Zᵀ·V and gBias = scale·Σ_rows Z.
 */
export function rowsKernel(buf: BatchBuffers, part: number, lo: number, hi: number, C: number): void {
  const { d, V, dV, Z, Tc, off, pos } = buf;
  const GT = buf.GT[part]!;
  const gBias = buf.gBias[part]!;
  const scale = buf.scalars[0]!;
  const d4 = d - (d % 4);
  let lossSum = 0;
  for (let b = lo; b < hi; b++) {
    const vo = b * d;
    const zo = b * C;
    let max = -Infinity;
    for (let c = 0; c < C; c++) {
      const co = c * d;
      // Four accumulators: V8 does not vectorize, but independent sums pipeline.
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let k = 0;
      for (; k < d4; k += 4) {
        s0 += Tc[co + k]! * V[vo + k]!;
        s1 += Tc[co + k + 1]! * V[vo + k + 1]!;
        s2 += Tc[co + k + 2]! * V[vo + k + 2]!;
        s3 += Tc[co + k + 3]! * V[vo + k + 3]!;
      }
      for (; k < d; k++) s0 += Tc[co + k]! * V[vo + k]!;
      const s = s0 + s1 + s2 + s3 + off[c]!;
      Z[zo + c] = s;
      if (s > max) max = s;
    }
    let sum = 0;
    for (let c = 0; c < C; c++) sum += Z[zo + c] = Math.exp(Z[zo + c]! - max);
    const inv = 1 / sum;
    for (let c = 0; c < C; c++) Z[zo + c]! *= inv;
    lossSum -= Math.log(Math.max(Z[zo + pos[b]!]!, 1e-30));
    Z[zo + pos[b]!]! -= 1;
  }
  // Gradients of the mean loss: dV = G·Tc and GT = Gᵀ·V in one pass over G.
  dV.fill(0, lo * d, hi * d);
  GT.fill(0, 0, C * d);
  gBias.fill(0, 0, C);
  for (let b = lo; b < hi; b++) {
    const vo = b * d;
    const zo = b * C;
    for (let c = 0; c < C; c++) {
      const g = Z[zo + c]! * scale;
      gBias[c]! += g;
      const co = c * d;
      for (let k = 0; k < d; k++) {
        GT[co + k]! += g * V[vo + k]!;
        dV[vo + k]! += g * Tc[co + k]!;
      }
    }
  }
  buf.scalars[1 + part] = lossSum;
}
