/**
 * `startCapture` for the ES module entry: the capture code (about 5 kB gzip) is a chunk of its own, fetched
 * when a shop calls this, so that `tacit.js` stays small for shops that only call `track()`. The script tag
 * (standalone.ts) imports the same module, `tacit-capture.js`, from its own folder.
 */
import { reason, warnOnce } from '../../lib/log.js';
import type { CaptureOptions, CaptureTarget } from './index.js';

/**
 * Starts zero-config capture (JSON-LD, microdata, Open Graph, dataLayer, `data-tacit-*`, SPA navigation)
 * for `tacit` on this page; returns a function that stops it. A second start on the same page does nothing.
 * @example import { createTacit, startCapture } from 'tacit'; startCapture(createTacit({ model }))
 */
export function startCapture(tacit: CaptureTarget, options: CaptureOptions = {}): () => void {
  let stop: (() => void) | undefined;
  let stopped = false;
  import('./index.js')
    .then((m) => {
      if (!stopped) stop = m.startCapture(tacit, options);
    })
    .catch((err: unknown) => warnOnce('capture', `capture could not start: ${reason(err)}`));
  return () => {
    stopped = true;
    stop?.();
  };
}
