/**
 * `auto`: the backend chosen by measurement. The first calls are answered at once on the CPU path; in the
 * background, fixed probe sessions (spread over the catalog, never the shopper's history) are timed on each
 * candidate with the model as loaded, the fastest is kept, and the choice is remembered for this device and
 * model (remember.ts). WebGL is chosen only when it beats the CPU: on software GL it rarely does.
 */
import type { ScoringArrays } from './score.js';
import { loadWebgl, webglScorer, type Scorer } from './scorer.js';
import { choiceKey, recall, remember, type Choice } from './remember.js';
import type { BackendName } from './types.js';

const WARMUPS = 2;
const RUNS = 7;

/** Three fixed sessions of five items at fixed strides through the catalog. */
export function probeSessions(numItems: number): number[][] {
  return [1, 2, 3].map((s) => Array.from({ length: 5 }, (_, j) => Math.floor(((s * 7 + j * 13) * numItems) / 101) % numItems));
}

const yieldToPage = () => new Promise<void>((r) => setTimeout(r, 0));

/**
 * A sample times enough passes over the sessions to last about this long: a page (and its workers) that is
 * not cross-origin isolated reads a clock coarsened to 100 µs, under one CPU pass on a small model.
 */
const SAMPLE_MS = 1;
const MAX_PASSES = 1000;

async function passes(s: Scorer, sessions: number[][], n: number): Promise<number> {
  const t = performance.now();
  for (let r = 0; r < n; r++) for (const session of sessions) await s.score(session);
  return performance.now() - t;
}

/** Warm median ms per session over the probe sessions. Yields between samples: on the main thread no long task. */
export async function timeScorer(s: Scorer, sessions: number[][]): Promise<number> {
  let n = 1;
  for (let i = 0; i < WARMUPS; i++) {
    const ms = await passes(s, sessions, n);
    // A reading of 0 is under the clock's resolution: count it as one tick.
    if (ms < SAMPLE_MS) n = Math.min(MAX_PASSES, Math.ceil((n * SAMPLE_MS) / Math.max(ms, 0.1)));
    await yieldToPage();
  }
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    times.push((await passes(s, sessions, n)) / (n * sessions.length));
    await yieldToPage();
  }
  times.sort((a, b) => a - b);
  return times[RUNS >> 1]!;
}

/**
 * Resolves the scorer that `auto` keeps for a model: the remembered choice when there is one, else the
 * faster of the CPU and WebGL on the probes (remembered). `cpu` is the CPU scorer already serving.
 */
export async function chooseScorer(m: ScoringArrays, modelVersion: string, cpu: Scorer): Promise<{ scorer: Scorer; choice: Choice }> {
  const key = choiceKey(modelVersion, m.numItems, m.dim);
  const known = await recall(key);
  if (known) {
    if (known.backend === 'cpu') return { scorer: cpu, choice: known };
    const gpu = await webglScorer(m);
    if (gpu) return { scorer: gpu, choice: known };
  }
  // Fetch the WebGL chunk while the CPU is timed: the request then goes out right after the engine starts,
  // not at a moment that depends on how long the CPU took.
  void loadWebgl().catch(() => {});
  const sessions = probeSessions(m.numItems);
  const medians: Partial<Record<BackendName, number | null>> = { cpu: await timeScorer(cpu, sessions) };
  const gpu = await webglScorer(m);
  medians.webgl = gpu ? await timeScorer(gpu, sessions) : null;
  const useGpu = gpu !== null && medians.webgl! < medians.cpu!;
  if (gpu && !useGpu) gpu.dispose();
  const choice: Choice = { backend: useGpu ? 'webgl' : 'cpu', medians };
  await remember(key, choice);
  return { scorer: useGpu ? gpu : cpu, choice };
}
