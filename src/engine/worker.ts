/**
 * The engine's side of the worker: the bootstrap that thread.ts starts imports this module (inside
 * `tacit-engine.js`) and calls `serveWorker()`. From then on the worker runs the engine of local.ts —
 * delivery, verification, decoding, WebGL through OffscreenCanvas or the CPU path — and answers the page.
 */
import { startLocalEngine } from './local.js';
import { reason } from '../lib/log.js';
import type { Engine } from './types.js';
import type { EngineState, Reply, Request } from './protocol.js';

interface WorkerScope {
  postMessage(message: Reply): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<Request>) => void): void;
}

function offscreenWebgl(): boolean {
  try {
    const gl = typeof OffscreenCanvas === 'undefined' ? null : new OffscreenCanvas(1, 1).getContext('webgl2');
    gl?.getExtension('WEBGL_lose_context')?.loseContext();
    return gl !== null;
  } catch {
    return false;
  }
}

/** Starts answering the page's requests. Call once, inside the worker. */
export function serveWorker(): void {
  const scope = globalThis as unknown as WorkerScope;
  // The page's console is where integrators look; the worker's own lines go there (one each, as on the
  // main thread: warnOnce dedupes inside the worker).
  for (const level of ['warn', 'error'] as const) {
    console[level] = (...args: unknown[]) => scope.postMessage({ op: 'log', level, text: args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ') });
  }
  let engine: Engine | null = null;
  let sentManifest: unknown = null;
  const state = (e: Engine): EngineState => {
    const s: EngineState = { backend: e.backend, from: e.from };
    if (e.manifest !== sentManifest) s.manifest = sentManifest = e.manifest;
    return s;
  };
  const answer = async (req: Request): Promise<unknown> => {
    if (req.op === 'start') {
      engine = await startLocalEngine(req.options, req.base);
      return null;
    }
    if (!engine) throw new Error('unreachable: the engine was not started');
    switch (req.op) {
      case 'recommend':
        return engine.recommend(req.session, req.k, req.exclude);
      case 'propensity':
        return engine.propensity(req.events, req.now);
      case 'catalog':
        return engine.catalog();
      case 'update':
        return engine.update();
      case 'dispose':
        engine.dispose();
        return null;
    }
  };
  scope.addEventListener('message', (e) => {
    const req = e.data;
    // A page that asks for WebGL gets it: where workers have no WebGL on OffscreenCanvas, the engine moves
    // to the main thread (thread.ts) rather than scoring on the CPU here.
    if (req.op === 'start' && req.options.backend === 'webgl' && !offscreenWebgl()) {
      return scope.postMessage({ op: 'failed', error: 'WebGL on OffscreenCanvas is unavailable in workers here' });
    }
    answer(req).then(
      (value) => scope.postMessage({ op: 'answer', id: req.id, ok: true, value, state: state(engine!) }),
      (err: unknown) => scope.postMessage({ op: 'answer', id: req.id, ok: false, error: reason(err) }),
    );
  });
  scope.postMessage({ op: 'ready' });
}
