/**
 * `@tensorflow/tfjs-core` as the wasm peer's bundle sees it (scripts/bench.mjs builds bench/wasm-peer.js):
 * the engine's own trimmed tfjs-core (src/engine/webgl/core.ts), plus the one name tfjs-backend-wasm needs
 * beyond what the WebGL backend does. So the peer's bytes are what a wasm candidate in the engine would cost.
 */
export * from '../src/engine/webgl/core.ts';
export { deprecationWarn } from '@tensorflow/tfjs-core/dist/globals.js';
