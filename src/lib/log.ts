/**
 * Console output with a fixed `[tacit]` prefix. `warnOnce` keeps a degraded feature from flooding the
 * host page's console: each distinct key is reported once per page.
 */
const PREFIX = '[tacit]';
const seen = new Set<string>();

export function warnOnce(key: string, message: string, detail?: unknown): void {
  if (seen.has(key)) return;
  seen.add(key);
  if (detail === undefined) console.warn(`${PREFIX} ${message}`);
  else console.warn(`${PREFIX} ${message}`, detail);
}

export function logError(message: string, detail?: unknown): void {
  if (detail === undefined) console.error(`${PREFIX} ${message}`);
  else console.error(`${PREFIX} ${message}`, detail);
}

/** A short reason for an unknown thrown value, for log lines. */
export function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
