/**
 * Issue 12, defect 7: `--dim` had no upper bound until export, after the whole training run, and the
 * manifest size limit that readers enforce (MAX_MANIFEST_BYTES) was not checked when writing a manifest,
 * so the trainer could publish a model no browser would load.
 */
import { describe, it, expect, vi, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/trainer/cli.js';
import { InputError } from '../../src/trainer/errors.js';
import { trainSessionModel, DEFAULT_SESSION_MODEL } from '../../src/trainer/session-model.js';
import type { Prepared } from '../../src/trainer/sessions.js';
import { encodeModel } from '../../src/model/encode.js';
import { MAX_MANIFEST_BYTES, ManifestError } from '../../src/model/format.js';
import { smallParts, rejectsWith } from './helpers.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tacit-limits-'));
  await writeFile(join(dir, 'train.txt'), Array.from({ length: 200 }, (_, i) => `p${i % 7} p${(i + 1) % 7} p${(i + 2) % 7}`).join('\n') + '\n');
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('trainer limits are checked before the work', () => {
  it('--dim over 4096 is refused before the sessions are read (before the fix: after training)', async () => {
    const err: string[] = [];
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
    const o = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await main(['train', join(dir, 'train.txt'), '--out', join(dir, 'm'), '--dim', '5000', '--epochs', '1', '--quiet'])).toBe(2);
    } finally {
      e.mockRestore();
      o.mockRestore();
    }
    expect(err.join('')).toContain('--dim must be an integer between 1 and 4096, got "5000"');
    expect(err.join('')).not.toContain('sessions:'); // nothing was read
    expect(existsSync(join(dir, 'm'))).toBe(false);
  });

  it('items × dim over the table limit is refused before training starts', async () => {
    const prep = { items: { size: 10_000 }, sessions: [] } as unknown as Prepared;
    await rejectsWith(trainSessionModel(prep, { ...DEFAULT_SESSION_MODEL, dim: 4096 }), InputError, '10000 items × dimension 4096', 'choose a smaller --dim');
  });

  it('a manifest over the readers’ size limit is refused when written', async () => {
    // 30,000 ids of 190 characters: about 5.7 MB of manifest for a model of one dimension.
    const items = Array.from({ length: 30_000 }, (_, i) => `${'x'.repeat(180)}-${String(i).padStart(9, '0')}`);
    const n = items.length;
    const parts = smallParts({ items, popular: items.slice(0, 10), dim: 1, query: new Float32Array(n), target: new Float32Array(n), bias: new Float32Array(n) });
    await rejectsWith(encodeModel(parts), ManifestError, `over the ${MAX_MANIFEST_BYTES}-byte limit readers enforce`);
  });
});
