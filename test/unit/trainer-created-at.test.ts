/**
 * Issue 12, defect 8: every exported model said it was created on 2026-01-01. The manifest now records the
 * real time, and `SOURCE_DATE_EPOCH` (reproducible builds) fixes it for byte-identical rebuilds.
 */
import { describe, it, expect } from 'vitest';
import { createdAt } from '../../src/trainer/created-at.js';
import { InputError } from '../../src/trainer/errors.js';
import { preprocess } from '../../src/trainer/sessions.js';
import { trainSessionModel, exportSessionModel, DEFAULT_SESSION_MODEL } from '../../src/trainer/session-model.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { throwsWith } from './helpers.js';

describe('createdAt', () => {
  it('is now without SOURCE_DATE_EPOCH, and the epoch value with it', () => {
    expect(createdAt({}, Date.UTC(2026, 11, 2, 1, 2, 3))).toBe('2026-12-02T01:02:03.000Z');
    expect(createdAt({ SOURCE_DATE_EPOCH: '' }, 0)).toBe('1970-01-01T00:00:00.000Z');
    expect(createdAt({ SOURCE_DATE_EPOCH: '1767225600' })).toBe('2026-01-01T00:00:00.000Z');
    for (const bad of ['-1', '1.5', 'yesterday', ' 12', '1e9', '999999999999']) throwsWith(() => createdAt({ SOURCE_DATE_EPOCH: bad }), InputError, 'SOURCE_DATE_EPOCH');
  });

  it('an exported model records the time it was made (fails before the fix: 2026-01-01)', async () => {
    const saved = process.env.SOURCE_DATE_EPOCH;
    delete process.env.SOURCE_DATE_EPOCH;
    const dir = await mkdtemp(join(tmpdir(), 'tacit-created-'));
    try {
      const sessions = Array.from({ length: 60 }, (_, i) => ['a', 'b', 'c', 'd'].map((x) => `${x}${i % 5}`));
      const prep = preprocess(sessions, { minItemCount: 1 });
      const before = Date.now();
      const trained = await trainSessionModel(prep, { ...DEFAULT_SESSION_MODEL, dim: 4, epochs: 1, recentEpochs: 0, negatives: 4, batchSize: 16 });
      const { encoded } = await exportSessionModel(join(dir, 'm'), prep, trained);
      const t = Date.parse(encoded.manifest.createdAt);
      expect(t).toBeGreaterThanOrEqual(before - 1000);
      expect(t).toBeLessThanOrEqual(Date.now() + 1000);
    } finally {
      if (saved !== undefined) process.env.SOURCE_DATE_EPOCH = saved;
      await rm(dir, { recursive: true, force: true });
    }
  });
});
