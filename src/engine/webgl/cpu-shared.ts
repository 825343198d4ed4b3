/**
 * What `@tensorflow/tfjs-backend-cpu/dist/shared` resolves to in the browser build (vite.config.ts). The
 * WebGL backend destructures ~50 CPU kernel implementations from that module (for small inputs it forwards
 * to the CPU); a destructuring keeps all of them in the bundle (ragged tensors, string n-grams, 20 kB gzip),
 * though the one kernel Tacit registers can reach only these three. The others resolve to undefined.
 */
export { simpleAbsImpl } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Abs.js';
export { multiplyImpl } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Multiply.js';
export { transposeImpl } from '@tensorflow/tfjs-backend-cpu/dist/kernels/Transpose_impl.js';
