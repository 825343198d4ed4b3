import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { validateManifest, checkWeightBytes, ManifestError, TENSORS, type TacitManifest } from '../../src/model/format.js';
import { encodeModel, WEIGHTS_FILE } from '../../src/model/encode.js';
import { decodeModel } from '../../src/engine/tensors.js';
import { scoreSessions } from '../../src/engine/score.js';
import { smallParts, throwsWith, ENCODER } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const plainJson = (m: TacitManifest): TacitManifest & Record<string, unknown> => JSON.parse(JSON.stringify(m));

describe('encoder.repeat in the manifest', () => {
  it('accepts a valid repeat term and keeps it through encode → validate', async () => {
    const enc = await encodeModel(smallParts({ encoder: { ...ENCODER, repeat: { weight: 12, decay: 0.9 } } }));
    expect(validateManifest(plainJson(enc.manifest)).encoder.repeat).toEqual({ weight: 12, decay: 0.9 });
    for (const repeat of [{ weight: 0, decay: 1 }, { weight: 1e-3, decay: 1e-6 }]) {
      expect(() => validateManifest({ ...plainJson(enc.manifest), encoder: { ...ENCODER, repeat } })).not.toThrow();
    }
  });

  it('rejects weights and decays out of range, naming the field', async () => {
    const m = plainJson((await encodeModel(smallParts())).manifest);
    const bad: [unknown, string][] = [
      [{ weight: -1, decay: 0.9 }, 'encoder.repeat.weight'],
      [{ weight: Number.NaN, decay: 0.9 }, 'encoder.repeat.weight'],
      [{ weight: Infinity, decay: 0.9 }, 'encoder.repeat.weight'],
      [{ weight: '12', decay: 0.9 }, 'encoder.repeat.weight'],
      [{ decay: 0.9 }, 'encoder.repeat.weight'],
      [{ weight: 1, decay: 0 }, 'encoder.repeat.decay'],
      [{ weight: 1, decay: 1.5 }, 'encoder.repeat.decay'],
      [{ weight: 1, decay: -0.5 }, 'encoder.repeat.decay'],
      [{ weight: 1 }, 'encoder.repeat.decay'],
      [[12, 0.9], 'encoder.repeat'],
      [null, 'encoder.repeat'],
    ];
    for (const [repeat, field] of bad) {
      const err = throwsWith(() => validateManifest({ ...m, encoder: { ...ENCODER, repeat } }), ManifestError, `"${field}"`);
      expect(err.message, JSON.stringify(repeat)).toMatch(/must be/);
    }
    // The writer refuses what the reader would refuse.
    await expect(encodeModel(smallParts({ encoder: { ...ENCODER, repeat: { weight: -1, decay: 0.5 } } }))).rejects.toThrow(/encoder\.repeat\.weight/);
  });
});

describe('encoder.tied: one table for both sides', () => {
  it('writes items/query only, half the embedding bytes, and decodes it as both sides', async () => {
    const parts = smallParts({ encoder: { ...ENCODER, tied: true } });
    const tied = await encodeModel(parts);
    const untied = await encodeModel(smallParts({ target: parts.query }));
    expect(tied.manifest.weightsManifest[0]!.weights.map((w) => w.name)).not.toContain(TENSORS.target);
    expect(untied.files.get(WEIGHTS_FILE)!.byteLength - tied.files.get(WEIGHTS_FILE)!.byteLength).toBe(5 * 3 * 4);
    const m = validateManifest(plainJson(tied.manifest));
    checkWeightBytes(m);
    const a = decodeModel({ manifest: m, files: tied.files });
    const b = decodeModel({ manifest: untied.manifest, files: untied.files });
    try {
      expect(a.target).toBe(a.query);
      expect(Array.from(await a.target.data())).toEqual(Array.from(parts.query));
      // Same scores as the untied model that stores the same table twice.
      const sessions = [[0, 3], [4], [1, 1, 2]];
      expect(Array.from(await scoreSessions(a, sessions))).toEqual(Array.from(await scoreSessions(b, sessions)));
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it('keeps manifests without the flag readable, and rejects a tied manifest that still lists items/target', async () => {
    const old = plainJson((await encodeModel(smallParts())).manifest);
    expect(old.encoder.tied).toBeUndefined();
    expect(() => validateManifest(old)).not.toThrow();
    // Without the flag, items/target is still required.
    const tiedM = plainJson((await encodeModel(smallParts({ encoder: { ...ENCODER, tied: true } }))).manifest);
    throwsWith(() => validateManifest({ ...tiedM, encoder: { ...ENCODER } }), ManifestError, `"weightsManifest (tensor "${TENSORS.target}")"`, 'present');
    throwsWith(() => validateManifest({ ...old, encoder: { ...ENCODER, tied: true } }), ManifestError, TENSORS.target, 'absent when encoder.tied');
    throwsWith(() => validateManifest({ ...old, encoder: { ...ENCODER, tied: 'yes' } }), ManifestError, '"encoder.tied"');
    expect(() => validateManifest({ ...old, encoder: { ...ENCODER, tied: false } })).not.toThrow();
  });
});
