/**
 * Subresource-Integrity-style pinning of the model's entry file (`data-model-integrity` / `modelIntegrity`),
 * read as the SRI spec reads an `integrity` attribute: whitespace-separated `<alg>-<base64 digest>` tokens,
 * optional `?options` ignored, and only the tokens of the strongest algorithm present are compared.
 * https://www.w3.org/TR/SRI/#agility
 */

const ALGORITHMS = { sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' } as const;
type Algorithm = keyof typeof ALGORITHMS;
const STRENGTH: Algorithm[] = ['sha256', 'sha384', 'sha512'];

export interface IntegrityToken {
  algorithm: Algorithm;
  /** Base64 digest as written (standard alphabet, with or without padding). */
  digest: string;
}

/**
 * Parses an integrity value. Returns null when it holds no usable token: unlike a browser, which then skips
 * the check, Tacit treats that as a configuration error, because a typo must not silently turn pinning off.
 */
export function parseIntegrity(value: string): IntegrityToken[] | null {
  const tokens: IntegrityToken[] = [];
  for (const raw of value.trim().split(/\s+/)) {
    const m = /^(sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})(\?.*)?$/.exec(raw);
    if (m) tokens.push({ algorithm: m[1] as Algorithm, digest: m[2]!.replace(/=+$/, '') });
  }
  return tokens.length ? tokens : null;
}

function base64(bytes: ArrayBuffer): string {
  let s = '';
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s);
}

/** Whether `bytes` match the strongest algorithm's tokens in `tokens`. */
export async function matchesIntegrity(bytes: Uint8Array, tokens: readonly IntegrityToken[]): Promise<boolean> {
  const strongest = STRENGTH.filter((a) => tokens.some((t) => t.algorithm === a)).pop();
  if (!strongest) return false;
  const digest = base64(await crypto.subtle.digest(ALGORITHMS[strongest], bytes as BufferSource)).replace(/=+$/, '');
  return tokens.some((t) => t.algorithm === strongest && t.digest === digest);
}

/** The SRI value (`sha384-…`) of some bytes: what to put in `data-model-integrity`. */
export async function integrityOf(bytes: Uint8Array, algorithm: Algorithm = 'sha384'): Promise<string> {
  return `${algorithm}-${base64(await crypto.subtle.digest(ALGORITHMS[algorithm], bytes as BufferSource))}`;
}
