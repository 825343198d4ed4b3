/** The engine that serves a verified manifest's popularity list when no model can score (docs/delivery.md). */
import type { TacitManifest } from '../model/format.js';
import type { BackendName, Engine, Recommendation } from './types.js';

/** Recommendations from the manifest's popularity list: score 1/rank, best first. */
export function popularRecommend(manifest: TacitManifest, k: number, exclude: readonly string[]): Recommendation[] {
  const skip = new Set(exclude);
  return manifest.popular.filter((id) => !skip.has(id)).slice(0, k).map((itemId, i) => ({ itemId, score: 1 / (i + 1) }));
}

export function popularEngine(manifest: TacitManifest, backend: BackendName = 'cpu'): Engine {
  return {
    backend,
    manifest,
    from: 'popular',
    async recommend(_session, k, exclude) {
      return popularRecommend(manifest, k, exclude);
    },
    async propensity() {
      return null;
    },
    async catalog() {
      return null;
    },
    async update() {
      return { modelVersion: manifest.modelVersion, updated: false };
    },
    dispose() {},
  };
}
