/** SRI-style pinning of the entry file: parsing, the strongest-algorithm rule, and the loader's use of it. */
import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { parseIntegrity, matchesIntegrity, integrityOf } from '../../src/model/integrity.js';
import { loadVerifiedManifest, IntegrityError } from '../../src/model/load.js';
import { encodeModel, pointerFor } from '../../src/model/encode.js';
import { smallParts, rejectsWith } from './helpers.js';

const bytes = new TextEncoder().encode('{"format":"tacit-model"}');
const sri = (alg: string, b: Uint8Array = bytes) => `${alg}-${createHash(alg).update(b).digest('base64')}`;

describe('parseIntegrity', () => {
  it('reads whitespace-separated tokens, ignores ?options and unknown algorithms', () => {
    expect(parseIntegrity(`  ${sri('sha256')}?foo  md5-abc ${sri('sha384')}\n`)).toEqual([
      { algorithm: 'sha256', digest: createHash('sha256').update(bytes).digest('base64').replace(/=+$/, '') },
      { algorithm: 'sha384', digest: createHash('sha384').update(bytes).digest('base64').replace(/=+$/, '') },
    ]);
  });
  it('returns null when no token is usable', () => {
    for (const v of ['', 'sha384:abc', 'md5-abc', 'sha1-abc', 'sha384-']) expect(parseIntegrity(v)).toBeNull();
  });
});

describe('matchesIntegrity', () => {
  it('accepts a matching sha256, sha384 or sha512 value, with or without padding', async () => {
    for (const alg of ['sha256', 'sha384', 'sha512']) {
      expect(await matchesIntegrity(bytes, parseIntegrity(sri(alg))!)).toBe(true);
      expect(await matchesIntegrity(bytes, parseIntegrity(sri(alg).replace(/=+$/, ''))!)).toBe(true);
    }
  });
  it('rejects other bytes', async () => {
    expect(await matchesIntegrity(new TextEncoder().encode('{}'), parseIntegrity(sri('sha384'))!)).toBe(false);
  });
  it('compares only the strongest algorithm present (SRI §3.3.4): a weak match does not rescue a strong mismatch', async () => {
    const other = new TextEncoder().encode('other');
    expect(await matchesIntegrity(bytes, parseIntegrity(`${sri('sha256')} ${sri('sha512', other)}`)!)).toBe(false);
    expect(await matchesIntegrity(bytes, parseIntegrity(`${sri('sha256', other)} ${sri('sha512')}`)!)).toBe(true);
    // any token of the strongest algorithm may match (key rotation)
    expect(await matchesIntegrity(bytes, parseIntegrity(`${sri('sha384', other)} ${sri('sha384')}`)!)).toBe(true);
  });
  it('integrityOf writes what matchesIntegrity accepts, as Node computes it', async () => {
    expect(await integrityOf(bytes)).toBe(sri('sha384'));
    expect(await integrityOf(bytes, 'sha256')).toBe(sri('sha256'));
  });
});

describe('loadVerifiedManifest with an integrity pin', () => {
  it('loads when the entry matches, refuses naming the file when it does not, and reads nothing more', async () => {
    const m = await encodeModel(smallParts());
    const pointer = new TextEncoder().encode(JSON.stringify(pointerFor(m)));
    const files = new Map<string, Uint8Array>([
      ['m/latest.json', pointer],
      [`m/${m.manifest.modelVersion}/manifest.json`, m.files.get('manifest.json')!],
    ]);
    const log: string[] = [];
    const read = async (p: string) => (log.push(p), files.get(p)!);
    const ok = await loadVerifiedManifest(read, 'm/latest.json', { integrity: sri('sha384', pointer) });
    expect(ok.manifest.modelVersion).toBe(m.manifest.modelVersion);
    log.length = 0;
    await rejectsWith(loadVerifiedManifest(read, 'm/latest.json', { integrity: sri('sha384', bytes) }), IntegrityError, '"m/latest.json"', 'integrity pin');
    expect(log).toEqual(['m/latest.json']);
    await rejectsWith(loadVerifiedManifest(read, 'm/latest.json', { integrity: 'sha384:nope' }), IntegrityError, 'not sha256-, sha384- or sha512-');
  });
});
