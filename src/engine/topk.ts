/** One scored item, best first in every list the SDK returns. */
export interface Scored {
  index: number;
  score: number;
}

/**
 * The k highest scores of `scores[offset .. offset + n)`, best first, skipping indices for which `skip`
 * returns true. A bounded min-heap: O(n log k), no sort of the whole row, no allocation per item.
 * Ties go to the lower index so that results are deterministic on every backend.
 */
export function topK(scores: ArrayLike<number>, k: number, skip?: (index: number) => boolean, offset = 0, n = scores.length - offset): Scored[] {
  if (k <= 0) return [];
  const heapIdx = new Int32Array(k);
  const heapVal = new Float64Array(k);
  let size = 0;
  // "worse" = lower score, or equal score and higher index.
  const worse = (va: number, ia: number, vb: number, ib: number) => va < vb || (va === vb && ia > ib);
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && worse(heapVal[l]!, heapIdx[l]!, heapVal[m]!, heapIdx[m]!)) m = l;
      if (r < size && worse(heapVal[r]!, heapIdx[r]!, heapVal[m]!, heapIdx[m]!)) m = r;
      if (m === i) return;
      const tv = heapVal[i]!, ti = heapIdx[i]!;
      heapVal[i] = heapVal[m]!; heapIdx[i] = heapIdx[m]!;
      heapVal[m] = tv; heapIdx[m] = ti;
      i = m;
    }
  };
  for (let i = 0; i < n; i++) {
    const v = scores[offset + i]!;
    if (Number.isNaN(v) || (skip && skip(i))) continue;
    if (size < k) {
      // sift up
      let c = size++;
      heapVal[c] = v; heapIdx[c] = i;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!worse(heapVal[c]!, heapIdx[c]!, heapVal[p]!, heapIdx[p]!)) break;
        const tv = heapVal[c]!, ti = heapIdx[c]!;
        heapVal[c] = heapVal[p]!; heapIdx[c] = heapIdx[p]!;
        heapVal[p] = tv; heapIdx[p] = ti;
        c = p;
      }
    } else if (worse(heapVal[0]!, heapIdx[0]!, v, i)) {
      heapVal[0] = v; heapIdx[0] = i;
      siftDown(0);
    }
  }
  const out: Scored[] = [];
  for (let i = 0; i < size; i++) out.push({ index: heapIdx[i]!, score: heapVal[i]! });
  return out.sort((a, b) => b.score - a.score || a.index - b.index);
}
