import { describe, it, expect } from 'vitest';
import { allocBatch, partRows, rowsKernel } from '../../src/trainer/sampled-kernel.js';

describe('sampled-softmax batch kernel', () => {
  // One row, dim 1, three candidates: V = 2; Tc = [1, 0, -1]; off = [0, 0.5, 0]; target = candidate 1.
  // logits: [2, 0.5, -2]; softmax p = e^z / Σ; loss = -log p[1].
  function batch() {
    const buf = allocBatch(1, 3, 1);
    buf.V[0] = 2;
    buf.Tc.set([1, 0, -1]);
    buf.off.set([0, 0.5, 0]);
    buf.pos[0] = 1;
    buf.scalars[0] = 1; // 1 / rows
    return buf;
  }
  const softmax = (z: number[]) => {
    const m = Math.max(...z);
    const e = z.map((x) => Math.exp(x - m));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / s);
  };

  it('computes the loss and its gradients as worked by hand', () => {
    const buf = batch();
    rowsKernel(buf, 0, 0, 1, 3);
    const p = softmax([2, 0.5, -2]);
    const g = [p[0]!, p[1]! - 1, p[2]!];
    expect(buf.scalars[1]).toBeCloseTo(-Math.log(p[1]!), 6);
    for (let c = 0; c < 3; c++) {
      expect(buf.Z[c]).toBeCloseTo(g[c]!, 6);
      expect(buf.gBias[0]![c]).toBeCloseTo(g[c]!, 6); // ∂loss/∂off_c
      expect(buf.GT[0]![c]).toBeCloseTo(g[c]! * 2, 6); // ∂loss/∂Tc_c = g_c · V
    }
    expect(buf.dV[0]).toBeCloseTo(g[0]! * 1 + g[1]! * 0 + g[2]! * -1, 6); // ∂loss/∂V = Σ g_c · Tc_c
  });

  it('writes each part’s candidate gradient to its own buffer', () => {
    const buf = allocBatch(2, 3, 1);
    buf.V.set([2, -1]);
    buf.Tc.set([1, 0, -1]);
    buf.pos.set([1, 0]);
    buf.scalars[0] = 0.5;
    for (const part of [0, 1]) rowsKernel(buf, part, ...partRows(2, part), 3);
    const p0 = softmax([2, 0, -2]);
    const p1 = softmax([-1, 0, 1]);
    expect(buf.GT[0]![0]).toBeCloseTo(0.5 * p0[0]! * 2, 6);
    expect(buf.GT[1]![0]).toBeCloseTo(0.5 * (p1[0]! - 1) * -1, 6);
    expect(buf.scalars[1]! + buf.scalars[2]!).toBeCloseTo(-Math.log(p0[1]!) - Math.log(p1[0]!), 6);
  });
});
