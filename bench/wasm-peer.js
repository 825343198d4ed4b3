/**
 * The tfjs-backend-wasm peer of `npm run bench` (issue 11): what a WebAssembly candidate backend in the engine
 * would be — the engine's tfjs-core base, tfjs-backend-wasm, and the one kernel the WebGL path registers
 * (_FusedMatMul: session vector × itemsᵀ + bias) — built by scripts/bench.mjs with the project's Vite config
 * into .bench/peer/ and loaded by bench/index.html. Not shipped.
 */
// tfjs-core's engine, flags and platform. The engine's WebGL chunk gets them through core.ts; in this bundle
// that module is reached only by `export *` (bench/wasm-core.js) and its side effects were dropped.
import '@tensorflow/tfjs-core/dist/base_side_effects.js';
import { engine, getBackend, memory, registerKernel, setBackend, tensor } from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm/dist/base.js';
import { _fusedMatMulConfig } from '@tensorflow/tfjs-backend-wasm/dist/kernels/_FusedMatMul.js';

registerKernel(_fusedMatMulConfig);

/** Starts the wasm backend with its .wasm files under `wasmBase` (served locally). Resolves to its name or null. */
export async function startWasm(wasmBase) {
  setWasmPaths(wasmBase);
  const ok = await setBackend('wasm');
  return ok ? getBackend() : null;
}

/**
 * Uploads the item table once; `score(v)` returns v · target[item] + bias[item] for every item. The bias is
 * added in JavaScript on the scores read back: tfjs-backend-wasm 4.22's _FusedMatMul with a rank-1 bias of
 * [items] returned scores off by up to the bias itself (measured in Node: max error 0.05 for a bias in
 * ±0.05, 6e-7 without the bias), and an Add kernel would cost bytes of its own.
 */
export function wasmScorer(target, bias, numItems, dim) {
  const t = tensor(target, [1, numItems, dim], 'float32');
  return {
    async score(v) {
      const a = tensor(v, [1, 1, dim], 'float32');
      const out = engine().runKernel('_FusedMatMul', { a, b: t }, { transposeA: false, transposeB: true, activation: 'linear' });
      try {
        const scores = await out.data();
        for (let i = 0; i < numItems; i++) scores[i] += bias[i];
        return scores;
      } finally {
        a.dispose();
        out.dispose();
      }
    },
    dispose() {
      t.dispose();
    },
  };
}

export const numTensors = () => memory().numTensors;
