/**
 * The backend measured fastest for a model on this device, kept in the Cache API (`tacit-backend-v1`) so
 * that a returning visit skips the measurement. A capability of the device and the model, the same for
 * every shopper on it: nothing about behavior. Keyed by the model's version and size, so a new model is
 * measured again. Every failure (no Cache API, storage blocked) reads as "not remembered".
 */
import type { BackendName } from './types.js';

export const BACKEND_CACHE = 'tacit-backend-v1';

export interface Choice {
  backend: BackendName;
  /** Warm median ms per probe session, per candidate (null: the candidate could not run here). */
  medians: Partial<Record<BackendName, number | null>>;
}

/** The cache key: a URL that names the model (never fetched). */
export function choiceKey(modelVersion: string, items: number, dim: number): string {
  return `https://tacit.invalid/backend/${encodeURIComponent(modelVersion)}/${items}x${dim}`;
}

export async function recall(key: string): Promise<Choice | null> {
  try {
    const hit = await (await caches.open(BACKEND_CACHE)).match(key);
    if (!hit) return null;
    const c = (await hit.json()) as Choice;
    return c.backend === 'webgl' || c.backend === 'cpu' ? c : null;
  } catch {
    return null;
  }
}

export async function remember(key: string, choice: Choice): Promise<void> {
  try {
    await (await caches.open(BACKEND_CACHE)).put(key, new Response(JSON.stringify(choice), { headers: { 'content-type': 'application/json' } }));
  } catch {
    // not remembered: measured again next visit
  }
}
