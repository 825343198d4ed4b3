/**
 * The script-tag entry (IIFE):
 *   <script async src="https://cdn.example.com/tacit/tacit.iife.js" data-model="https://cdn.example.com/models/shop/latest.json"></script>
 * Reads its configuration from data-* attributes, replays calls queued in `window.tacit` before it loaded,
 * exposes the same API on `window.tacit`, and starts capture (events/capture) unless `data-capture="off"`.
 * The engine (`tacit-engine.js`), capture (`tacit-capture.js`) and, on pages with a Tacit element, the
 * widgets (`tacit-widgets.js`) are imported lazily from the
 * folder this script came from; the host serving them must allow CORS for module scripts.
 */
import { createTacitWith, TACIT_METHODS as METHODS, type TacitMethod as Method, type Tacit, type TacitOptions, type EngineModule } from './tacit.js';
import { logError, reason, warnOnce } from './lib/log.js';
import type { CaptureOptions } from './events/capture/index.js';

type CaptureModule = typeof import('./events/capture/index.js');
type WidgetsModule = typeof import('./widgets/index.js');

type QueuedCall = [string, ...unknown[]] | ((api: TacitApi) => void);

/** `window.tacit` once loaded: the instance's methods, which log instead of rejecting, plus `push`. */
export interface TacitApi extends Tacit {
  push(...calls: QueuedCall[]): number;
  readonly loaded: true;
}

declare global {
  interface Window {
    tacit?: TacitApi | QueuedCall[];
  }
}

function fallbackFor(method: Method): unknown {
  if (method === 'update') return { modelVersion: null, updated: false };
  return method === 'recommend' || method === 'history' ? [] : null;
}

function install(script: HTMLScriptElement): void {
  const existing = window.tacit;
  if (existing && !Array.isArray(existing) && existing.loaded) {
    warnOnce('twice', 'the Tacit script is on this page twice; the second copy does nothing');
    return;
  }
  const model = script.dataset.model;
  if (!model) {
    logError('the script tag needs data-model="https://…/latest.json"; Tacit is off on this page');
    return;
  }
  const options: TacitOptions = { model };
  const { backend, storage } = script.dataset;
  if (backend) options.backend = backend as TacitOptions['backend'];
  if (script.dataset.thread) options.thread = script.dataset.thread as TacitOptions['thread'];
  if (storage) options.storage = storage as TacitOptions['storage'];
  if (script.dataset.modelIntegrity) options.modelIntegrity = script.dataset.modelIntegrity;
  const { consent, maxEvents, retentionDays } = script.dataset;
  if (consent) options.consent = consent as TacitOptions['consent'];
  if (maxEvents) options.maxEvents = Number(maxEvents);
  if (retentionDays) options.retentionDays = Number(retentionDays);
  const engineUrl = new URL('tacit-engine.js', script.src).href;
  const instance = createTacitWith(options, () => import(/* @vite-ignore */ engineUrl) as Promise<EngineModule>);

  // Script-tag callers get a log line instead of a rejected promise: an unhandled rejection would surface
  // in the host page as an error that is not the page's own.
  const api = { loaded: true } as TacitApi;
  const methods = api as unknown as Record<Method, (...args: unknown[]) => Promise<unknown>>;
  for (const method of METHODS) {
    methods[method] = (...args: unknown[]) =>
      (instance[method] as (...a: unknown[]) => Promise<unknown>)(...args).catch((err: unknown) => {
        logError(`${method}(): ${reason(err)}`);
        return fallbackFor(method);
      });
  }
  const run = (call: QueuedCall) => {
    try {
      if (typeof call === 'function') return void call(api);
      if (!Array.isArray(call) || !METHODS.includes(call[0] as Method)) {
        return logError(`tacit.push(): expected [method, ...args] with a method among ${METHODS.join(', ')}, or a function`);
      }
      const [method, ...args] = call;
      const last = args[args.length - 1];
      const callback = typeof last === 'function' ? (args.pop() as (result: unknown) => void) : null;
      void methods[method as Method](...args).then((result) => {
        try {
          callback?.(result);
        } catch (err) {
          logError(`a callback passed to tacit.push(['${method}', …]) threw: ${reason(err)}`);
        }
      });
    } catch (err) {
      logError(`tacit.push(): ${reason(err)}`);
    }
  };
  api.push = (...calls: QueuedCall[]) => {
    calls.forEach(run);
    return 0;
  };
  const queued = Array.isArray(existing) ? existing.slice() : [];
  window.tacit = api;
  queued.forEach(run); // in the order the page queued them
  if (Array.isArray(existing)) {
    // A page (or a tag manager) that kept a reference to the queue, `const q = window.tacit = []`, may push
    // into it after the script has loaded: run those calls too, instead of leaving them in a dead array
    // (issue 12, defect 7). Arrays frozen by the page keep their push.
    try {
      Object.defineProperty(existing, 'push', { value: api.push, configurable: true, writable: true });
    } catch {
      // frozen: nothing can be pushed into it anyway
    }
  }
  // The lazy chunks come from this script's folder; a chunk that cannot load leaves the page as it is.
  const chunk = <M>(name: string, start: (m: M) => unknown) =>
    import(/* @vite-ignore */ new URL(`tacit-${name}.js`, script.src).href)
      .then(start)
      .catch((err: unknown) => warnOnce(name, `${name} could not start: ${reason(err)}`));
  // After the queue, so that the page's own calls come first; the second copy of the script never gets here.
  if (script.dataset.capture !== 'off') {
    // Capture is a module of its own (tacit-capture.js, about 8 kB gzip) fetched from this script's folder,
    // so that the script tag itself stays small. Nothing is lost while it loads: it reads the markup and
    // the dataLayer entries already on the page when it starts.
    const captureOptions: CaptureOptions = script.dataset.datalayer ? { dataLayer: script.dataset.datalayer } : {};
    chunk<CaptureModule>('capture', (m) => m.startCapture(instance, captureOptions));
  }
  // The widgets (tacit-widgets.js) only for a page with a Tacit element, looked for at the load event, when
  // the engine starts too (elements a page script added before then count). Cards cannot come earlier.
  const widgets = () => document.querySelector('tacit-recommendations,tacit-privacy') && chunk<WidgetsModule>('widgets', (m) => m.defineTacitElements(api));
  if (document.readyState === 'complete') widgets();
  else addEventListener('load', widgets);
}

try {
  const script = document.currentScript;
  if (script instanceof HTMLScriptElement) install(script);
  else logError('load tacit.iife.js with a classic <script> tag, or use the ES module build');
} catch (err) {
  // Programmer errors in the data-* configuration end up here: log, never throw into the page.
  logError(reason(err));
}
