/**
 * The time a model is created at, as its manifest records it: now, or `SOURCE_DATE_EPOCH` when it is set,
 * the reproducible-builds convention (https://reproducible-builds.org/specs/source-date-epoch/): whole
 * seconds since 1970-01-01 UTC. With it, a rebuild from the same data and seed writes byte-identical
 * files, content-addressed version name included (`npm run model:demo` sets it). Before this, every
 * model said it was created on 2026-01-01 (issue 12, defect 8).
 */
import { InputError } from './errors.js';

export function createdAt(env: Record<string, string | undefined> = process.env, now: number = Date.now()): string {
  const raw = env.SOURCE_DATE_EPOCH;
  if (raw === undefined || raw === '') return new Date(now).toISOString();
  // The specification asks a build to fail, not to guess, when the value is malformed.
  if (!/^\d{1,11}$/.test(raw)) throw new InputError(`SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC, got "${raw.slice(0, 40)}"`);
  const ms = Number(raw) * 1000;
  if (ms > 8.64e15) throw new InputError(`SOURCE_DATE_EPOCH ${raw} is past the last date JavaScript can represent`);
  return new Date(ms).toISOString();
}
