/**
 * The engine in the current thread: delivery (docs/delivery.md), one scorer per model version, hot swap on
 * `update()`, propensity. What it serves, best first: a verified model (fresh from the network, or the last
 * one verified into the Cache API) → the popularity list inside a verified manifest → nothing (the caller
 * then returns [] and the page keeps its own markup).
 */
import type { DecodedArray } from '../model/decode.js';
import { deliverCatalog, deliverModel, refreshModel, ModelUnavailable, type Catalog, type DeliveryOptions } from '../model/delivery.js';
import type { LoadedModel } from '../model/load.js';
import { TENSORS } from '../model/format.js';
import { topK } from './topk.js';
import { deviceFeatures } from './features.js';
import { explainPropensity } from './propensity.js';
import { reason, warnOnce } from '../lib/log.js';
import { cpuScorer, scoringArrays, webglScorer, type Scorer } from './scorer.js';
import { chooseScorer } from './choose.js';
import type { ScoringArrays } from './score.js';
import { popularEngine } from './popular.js';
import { DEFAULT_REFRESH_MS, DEFAULT_RETRIES, DEFAULT_TIMEOUT_MS, type BackendName, type BackendPreference, type Engine, type EngineOptions } from './types.js';

/** A model version with its scorer, and the number of calls using it, so that a swap never frees what is in use. */
interface Live {
  loaded: LoadedModel;
  scorer: Scorer;
  index: Map<string, number>;
  propensityWeights: Float32Array | null;
  users: number;
  retired: boolean;
}

const noWebgl = () => warnOnce('no-webgl', 'WebGL is unavailable in this browser; computing on the CPU');

/** The scorer for a forced backend: WebGL when asked and it works, else the CPU (one `[tacit]` line). */
async function scorerFor(preference: 'webgl' | 'cpu', m: ScoringArrays): Promise<Scorer> {
  if (preference === 'webgl') {
    // A forced `webgl` still falls back to `cpu`: a storefront must keep working without WebGL.
    const gpu = await webglScorer(m);
    if (gpu) return gpu;
    noWebgl();
  }
  return cpuScorer(m);
}

async function live(preference: BackendPreference, loaded: LoadedModel, arrays: Map<string, DecodedArray>): Promise<Live> {
  const m = scoringArrays(loaded.manifest, arrays);
  const l: Live = {
    loaded,
    // `auto` answers at once on the CPU path and measures behind it (choose.ts).
    scorer: preference === 'auto' ? cpuScorer(m) : await scorerFor(preference, m),
    index: new Map(loaded.manifest.items.map((id, i) => [id, i])),
    propensityWeights: (arrays.get(TENSORS.propensityWeights)?.values as Float32Array | undefined) ?? null,
    users: 0,
    retired: false,
  };
  if (preference === 'auto') {
    chooseScorer(m, loaded.manifest.modelVersion, l.scorer).then(
      ({ scorer, choice }) => {
        if (choice.medians.webgl === null) noWebgl();
        if (scorer === l.scorer) return;
        if (l.retired) return scorer.dispose();
        l.scorer = scorer;
      },
      (err: unknown) => warnOnce('choose', `the backend could not be measured (${reason(err)}); computing on the CPU`),
    );
  }
  return l;
}

function retire(m: Live): void {
  m.retired = true;
  if (m.users === 0) m.scorer.dispose();
}

/** The delivery options for engine options; `base` resolves a relative model URL. */
export function deliveryOptions(options: EngineOptions, base: string): DeliveryOptions {
  return {
    entry: new URL(options.model, base).href,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retries: options.retries ?? DEFAULT_RETRIES,
    refreshMs: options.refreshMs ?? DEFAULT_REFRESH_MS,
    ...(options.integrity === undefined ? {} : { integrity: options.integrity }),
  };
}

/** Starts the engine in this thread (the page's, or the worker's); `base` resolves a relative model URL. */
export async function startLocalEngine(options: EngineOptions, base: string): Promise<Engine> {
  const delivery = deliveryOptions(options, base);
  let got;
  try {
    got = await deliverModel(delivery);
  } catch (err) {
    if (err instanceof ModelUnavailable && err.manifest) {
      warnOnce('popular', `${err.message}; recommending the model's popular items instead`);
      return popularEngine(err.manifest);
    }
    throw err;
  }
  const delivered = got;
  let current: Live;
  try {
    current = await live(options.backend, delivered.model, delivered.arrays);
  } catch (err) {
    warnOnce('popular', `${reason(err)}; recommending the model's popular items instead`);
    return popularEngine(delivered.model.manifest);
  }

  /** Runs `fn` on the current model version; a swap during the call frees the old one after it. */
  async function use<T>(fn: (m: Live) => Promise<T>): Promise<T> {
    const m = current;
    m.users++;
    try {
      return await fn(m);
    } finally {
      m.users--;
      if (m.retired && m.users === 0) m.scorer.dispose();
    }
  }

  // --- Updates: checked once in the background (effective next page load), or now via update(). A model
  // just fetched from the network needs no check: its pointer is seconds old. ---
  if (delivered.from === 'cache')
    setTimeout(() => {
      refreshModel(delivery, current.loaded).catch((err: unknown) => {
        warnOnce('refresh', `a new model version was refused (${reason(err)}); keeping version ${current.loaded.manifest.modelVersion}`);
      });
    }, 0);

  let catalogFor: { loaded: LoadedModel; feed: Promise<Catalog | null> } | null = null;
  return {
    get backend(): BackendName {
      return current.scorer.backend;
    },
    get manifest() {
      return current.loaded.manifest;
    },
    from: delivered.from,
    recommend(session, k, exclude) {
      return use(async (m) => {
        const toIndices = (ids: readonly string[]) => ids.map((id) => m.index.get(id)).filter((i): i is number => i !== undefined);
        const skip = new Set(toIndices(exclude));
        const scores = await m.scorer.score(toIndices(session));
        const top = topK(scores, k, skip.size > 0 ? (i) => skip.has(i) : undefined);
        return top.map((s) => ({ itemId: m.loaded.manifest.items[s.index]!, score: s.score }));
      });
    },
    propensity(events, now) {
      return use(async (m) => {
        const spec = m.loaded.manifest.propensity;
        if (!spec || !m.propensityWeights) return null;
        return explainPropensity(spec, m.propensityWeights, deviceFeatures(events, now, spec.site));
      });
    },
    catalog() {
      const loaded = current.loaded;
      if (catalogFor?.loaded !== loaded) {
        const feed = deliverCatalog(delivery, loaded);
        feed.catch(() => {});
        catalogFor = { loaded, feed };
      }
      return catalogFor.feed;
    },
    async update() {
      const { next } = await refreshModel(delivery, current.loaded, true);
      if (!next) return { modelVersion: current.loaded.manifest.modelVersion, updated: false };
      // A forced `webgl` whose context was lost stays on the CPU; `auto` measures the new version.
      const old = current;
      current = await live(options.backend === 'webgl' && old.scorer.backend === 'cpu' ? 'cpu' : options.backend, next.model, next.arrays);
      retire(old);
      return { modelVersion: next.model.manifest.modelVersion, updated: true };
    },
    dispose() {
      retire(current);
    },
  };
}
