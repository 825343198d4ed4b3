/**
 * Where the engine runs. By default in a dedicated module Worker, so that fetching, verifying, decoding,
 * WebGL set-up and scoring never take the page's main thread; on the main thread where a worker cannot
 * run it, with one `[tacit]` line saying why.
 *
 * Browsers refuse `new Worker(url)` for a URL of another origin, and a script-tag page loads Tacit from a
 * CDN. So the worker starts from a same-origin Blob URL holding one line, `import(<this module's URL>)`,
 * and the engine module (fetched with CORS, like every module script of Tacit) serves from there
 * (worker.ts). The page's Content Security Policy governs that Blob (`worker-src`, else `script-src`):
 * where it refuses `blob:`, the engine runs on the main thread.
 */
import { startLocalEngine } from './local.js';
import { reason, warnOnce } from '../lib/log.js';
import { DEFAULT_TIMEOUT_MS, type Engine, type EngineOptions, type UpdateResult } from './types.js';
import type { EngineState, Reply, Request } from './protocol.js';
import type { TacitManifest } from '../model/format.js';
import type { PropensityResult } from './propensity.js';
import type { Recommendation, Catalog } from './types.js';

type RequestBody = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

class WorkerFailed extends Error {}

/** A started engine in a worker, seen from the page. Rejects with `WorkerFailed` when the worker cannot serve. */
function workerEngine(moduleUrl: string, options: EngineOptions, base: string): Promise<Engine> {
  // A copy of the engine inside an application's own bundle may lack `serveWorker` (tree-shaken): that
  // fails here too, and the engine runs on the main thread.
  const bootstrap = `import(${JSON.stringify(moduleUrl)}).then((m) => m.serveWorker()).catch((e) => postMessage({ op: 'failed', error: String((e && e.message) || e) }));`;
  const blobUrl = URL.createObjectURL(new Blob([bootstrap], { type: 'text/javascript' }));
  let worker: Worker;
  try {
    worker = new Worker(blobUrl, { type: 'module', name: 'tacit' });
  } catch (err) {
    URL.revokeObjectURL(blobUrl);
    return Promise.reject(new WorkerFailed(reason(err)));
  }
  return new Promise<Engine>((resolve, reject) => {
    let nextId = 1;
    const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
    let state: EngineState | null = null;
    let manifest: TacitManifest | null = null;
    let dead: Error | null = null;
    const fail = (err: Error) => {
      dead ??= err;
      for (const p of pending.values()) p.reject(err);
      pending.clear();
      worker.terminate();
    };
    const call = (body: RequestBody): Promise<unknown> => {
      if (dead) return Promise.reject(dead);
      const id = nextId++;
      return new Promise((res, rej) => {
        pending.set(id, { resolve: res, reject: rej });
        worker.postMessage({ ...body, id } as Request);
      });
    };
    // A worker that neither loads nor fails (a module fetch that hangs) is given up on like a failed one.
    const giveUp = setTimeout(() => {
      const err = new WorkerFailed('the worker did not start in time');
      fail(err);
      reject(err);
    }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      const err = new WorkerFailed(e.message || 'the worker could not start');
      fail(err);
      reject(err);
    });
    worker.addEventListener('message', (e: MessageEvent<Reply>) => {
      const msg = e.data;
      if (msg.op === 'log') return void (msg.level === 'error' ? console.error(msg.text) : console.warn(msg.text));
      if (msg.op === 'failed') {
        clearTimeout(giveUp);
        const err = new WorkerFailed(msg.error);
        fail(err);
        return reject(err);
      }
      if (msg.op === 'ready') {
        clearTimeout(giveUp);
        URL.revokeObjectURL(blobUrl);
        call({ op: 'start', options, base }).then(() => resolve(engine), (err: Error) => {
          worker.terminate();
          reject(err); // the model's own failure: not a reason to retry on the main thread
        });
        return;
      }
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (!msg.ok) return p.reject(new Error(msg.error));
      state = msg.state;
      if (msg.state.manifest) manifest = msg.state.manifest;
      p.resolve(msg.value);
    });
    const engine: Engine = {
      get backend() {
        return state!.backend;
      },
      get from() {
        return state!.from;
      },
      get manifest() {
        return manifest!;
      },
      recommend: (session, k, exclude) => call({ op: 'recommend', session: [...session], k, exclude: [...exclude] }) as Promise<Recommendation[]>,
      propensity: (events, now) => call({ op: 'propensity', events: [...events], now }) as Promise<PropensityResult | null>,
      catalog: () => call({ op: 'catalog' }) as Promise<Catalog | null>,
      update: () => call({ op: 'update' }) as Promise<UpdateResult>,
      dispose() {
        void call({ op: 'dispose' }).finally(() => fail(new Error('the engine was disposed')));
      },
    };
  });
}

/** Why a worker cannot run the engine here, or null when it can be tried. */
function workerUnsupported(): string | null {
  if (typeof Worker === 'undefined') return 'this browser has no Web Workers';
  if (typeof Blob === 'undefined' || typeof URL.createObjectURL !== 'function') return 'this browser cannot start a worker from a Blob';
  return null;
}

/**
 * Starts the engine in a worker (`thread` `auto` or `worker`) or on the main thread (`main`, or wherever a
 * worker cannot run it). `moduleUrl` is the URL of the engine module itself (`import.meta.url`).
 */
export async function startThreadedEngine(options: EngineOptions, moduleUrl: string): Promise<Engine> {
  const { thread = 'auto', ...engineOptions } = options;
  const base = document.baseURI;
  if (thread !== 'main') {
    const unsupported = workerUnsupported();
    if (!unsupported) {
      try {
        return await workerEngine(moduleUrl, engineOptions, base);
      } catch (err) {
        if (!(err instanceof WorkerFailed)) throw err;
        warnOnce('thread', `the engine could not run in a worker (${err.message}); it runs on the main thread`);
      }
    } else {
      warnOnce('thread', `${unsupported}; the engine runs on the main thread`);
    }
  }
  return startLocalEngine(engineOptions, base);
}
