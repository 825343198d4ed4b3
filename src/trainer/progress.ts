/**
 * Progress on stderr for steps that take more than a second. On a terminal: one redrawn bar
 * (`label [#####.....]  45%  12.3 s`); otherwise (CI logs, pipes): a line every 10 seconds and a last
 * line with the time taken. Nothing at all for steps that end within a second, and nothing when quiet.
 */

export interface Progress {
  /** `done` out of the step's total (or any count when the total is unknown, 0). */
  update(done: number, note?: string): void;
  /** Ends the step; prints its time when the step was shown. */
  end(note?: string): void;
}

export interface ProgressOptions {
  quiet?: boolean;
  stream?: NodeJS.WriteStream;
  /** Milliseconds before anything is shown. Default 1000. */
  delayMs?: number;
}

const WIDTH = 24;

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function progress(label: string, total: number, opts: ProgressOptions = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  if (opts.quiet) return { update() {}, end() {} };
  const tty = Boolean(stream.isTTY);
  const delay = opts.delayMs ?? 1000;
  const t0 = Date.now();
  let shown = false;
  let lastDraw = 0;
  let lastNote = '';
  const text = (done: number, note: string) => {
    const el = Date.now() - t0;
    if (total > 0) {
      const f = Math.min(1, Math.max(0, done / total));
      const fill = Math.round(f * WIDTH);
      return `${label} [${'#'.repeat(fill)}${'.'.repeat(WIDTH - fill)}] ${(f * 100).toFixed(0).padStart(3)}%  ${secs(el)}${note ? `  ${note}` : ''}`;
    }
    return `${label} ${done > 0 ? done.toLocaleString('en-US') + ' ' : ''}${secs(el)}${note ? `  ${note}` : ''}`;
  };
  return {
    update(done, note) {
      if (note !== undefined) lastNote = note;
      const now = Date.now();
      if (now - t0 < delay) return;
      if (tty) {
        if (now - lastDraw < 100) return;
        lastDraw = now;
        shown = true;
        const cols = stream.columns || 100;
        stream.write(`\r${text(done, lastNote).slice(0, cols - 1)}\x1b[K`);
      } else if (now - lastDraw >= 10_000) {
        lastDraw = now;
        shown = true;
        stream.write(text(done, lastNote) + '\n');
      }
    },
    end(note) {
      const el = Date.now() - t0;
      if (el < delay && !shown) return;
      const final = `${label}: done in ${secs(el)}${note ? `  ${note}` : lastNote ? `  ${lastNote}` : ''}`;
      stream.write(tty ? `\r${final}\x1b[K\n` : final + '\n');
    },
  };
}
