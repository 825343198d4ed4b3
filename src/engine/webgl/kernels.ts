/**
 * The one place that decides which TensorFlow.js kernels ship: the WebGL path runs a single fused
 * matrix product (session × itemsᵀ + bias, see scorer.ts), with the inputs created in the shapes the kernel
 * wants, so no reshape, gather or reduction kernel is needed. An op that needs an unregistered kernel
 * throws "Kernel '…' not registered for backend 'webgl'": test/e2e/engine.spec.ts runs every path.
 */
import { registerKernel } from '@tensorflow/tfjs-core';
import { _fusedMatMulConfig } from '@tensorflow/tfjs-backend-webgl/dist/kernels/_FusedMatMul.js';

export const KERNELS = [_fusedMatMulConfig] as const;

/** Registers the kernels once; returns their names. */
export function registerKernels(): string[] {
  for (const k of KERNELS) registerKernel(k);
  return KERNELS.map((k) => k.kernelName);
}
