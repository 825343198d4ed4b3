/**
 * Byte helpers shared by the browser (model decoding, streamed fetches) and the trainer (the converter
 * importer): one copy of each, so that the trainer reads float16 exactly as the browser does.
 */

/** The parts, one after the other, in a new array (the only part itself when there is one). */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}

let halfTable: Float32Array | null = null;

/**
 * float16 bits → float32, for all 65,536 patterns (256 KiB, built once on first use). The arithmetic is
 * the one `tf.io.decodeWeights` uses, so values are bit-identical (test/unit/model-decode.test.ts).
 */
export function float16Table(): Float32Array {
  if (halfTable) return halfTable;
  halfTable = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >>> 10) & 0x1f;
    const frac = h & 0x3ff;
    halfTable[h] =
      exp === 0 ? sign * frac * 2 ** -24 : exp === 31 ? (frac ? NaN : sign * Infinity) : sign * (1 + frac / 1024) * 2 ** (exp - 15);
  }
  return halfTable;
}
