/**
 * Model files over HTTP: a stall timeout, retries with exponential backoff and jitter, one shared fetch per
 * URL for concurrent readers, and size limits enforced from `Content-Length` and while streaming, so that an
 * oversized file is refused without being read to the end. Requests carry no credentials and no referrer:
 * they are the same for every shopper (the privacy invariant, test/e2e/privacy.spec.ts).
 */
import { ManifestError } from './format.js';
import { tooLargeMessage, type ReadLimits } from './load.js';
import { concatBytes } from '../lib/bytes.js';

export interface FetchOptions {
  /** A file that sends no byte for this long (headers or body) counts as timed out. */
  timeoutMs: number;
  /** Further tries after the first, for network errors, timeouts, HTTP 408, 429 and 5xx. */
  retries: number;
  /** First backoff delay; each retry doubles it, and each delay is scaled by a random factor in [0.5, 1.5). */
  backoffMs?: number;
  /** `no-cache` for the pointer (revalidate), the default for immutable versioned files. */
  cache?: RequestCache;
}

/** A failed HTTP read; `retryable` when another try may succeed. */
export class FetchError extends Error {
  override name = 'FetchError';
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

const inflight = new Map<string, Promise<Uint8Array>>();

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function once(url: string, limits: ReadLimits, options: FetchOptions): Promise<Uint8Array> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timedOut = false;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, options.timeoutMs);
  };
  arm();
  try {
    const res = await fetch(url, {
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      cache: options.cache ?? 'default',
      signal: controller.signal,
    });
    if (!res.ok) {
      const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
      void res.body?.cancel().catch(() => {});
      throw new FetchError(`model file "${url}" answered HTTP ${res.status}`, retryable);
    }
    const max = limits.maxBytes ?? Infinity;
    const declared = Number(res.headers.get('content-length') ?? NaN);
    // Content-Length counts encoded bytes: over the limit encoded means over it decoded too.
    if (declared > max) {
      controller.abort();
      throw new ManifestError(tooLargeMessage(url, declared, max));
    }
    if (!res.body) return new Uint8Array(await res.arrayBuffer());
    const reader = res.body.getReader();
    // With the exact size known (a weight file, from its manifest), the bytes go straight into one buffer
    // of that size: the file is held once, not as chunks plus their concatenation (issue 12, defect 5).
    const exact = limits.bytes !== undefined && limits.bytes <= max ? new Uint8Array(limits.bytes) : null;
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      arm();
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > max || (exact && total > exact.byteLength)) {
        void reader.cancel().catch(() => {});
        throw new ManifestError(tooLargeMessage(url, null, exact ? exact.byteLength : max));
      }
      if (exact) exact.set(value, total - value.byteLength);
      else chunks.push(value);
    }
    // Shorter than its manifest says: the caller reports the size mismatch.
    if (exact) return total === exact.byteLength ? exact : exact.slice(0, total);
    return concatBytes(chunks);
  } catch (err) {
    if (timedOut) throw new FetchError(`model file "${url}" sent nothing for ${options.timeoutMs} ms`, true);
    if (err instanceof FetchError || err instanceof ManifestError) throw err;
    // fetch() rejects with a TypeError for network errors, CORS refusals and offline alike.
    throw new FetchError(`model file "${url}" could not be fetched (${err instanceof Error ? err.message : String(err)})`, true);
  } finally {
    clearTimeout(timer);
  }
}

async function withRetries(url: string, limits: ReadLimits, options: FetchOptions): Promise<Uint8Array> {
  const base = options.backoffMs ?? 300;
  for (let attempt = 0; ; attempt++) {
    try {
      return await once(url, limits, options);
    } catch (err) {
      if (!(err instanceof FetchError) || !err.retryable || attempt >= options.retries) {
        if (err instanceof FetchError && attempt > 0) err.message += ` (${attempt + 1} tries)`;
        throw err;
      }
      // Full-range jitter keeps many browsers that failed together from retrying together.
      await sleep(base * 2 ** attempt * (0.5 + Math.random()));
    }
  }
}

/**
 * Fetches a file's bytes. Concurrent calls for the same URL (and cache mode) share one request and its
 * retries, and get the same bytes: callers must not modify them (hashing and decoding only read).
 */
export function fetchBytes(url: string, limits: ReadLimits, options: FetchOptions): Promise<Uint8Array> {
  const key = `${options.cache ?? 'default'} ${url}`;
  let p = inflight.get(key);
  if (!p) {
    p = withRetries(url, limits, options).finally(() => inflight.delete(key));
    inflight.set(key, p);
  }
  return p;
}
