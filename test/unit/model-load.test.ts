/** What the verified reader refuses before it reads further: oversized entries, and tensors that do not fit their files. */
import { describe, it, expect } from 'vitest';
import { encodeModel, pointerFor } from '../../src/model/encode.js';
import { MAX_MANIFEST_BYTES, ManifestError, checkWeightBytes, tensorBytes, validateManifest } from '../../src/model/format.js';
import { loadVerifiedModel, loadVerifiedManifest, type ReadLimits } from '../../src/model/load.js';
import { smallParts, rejectsWith, throwsWith, nodeSha256 } from './helpers.js';

const utf8 = new TextEncoder();

describe('loadVerifiedManifest', () => {
  it('passes size limits to the reader, and holds a reader that ignores them to the limit', async () => {
    const m = await encodeModel(smallParts());
    const v = m.manifest.modelVersion;
    const files = new Map<string, Uint8Array>([
      ['latest.json', utf8.encode(JSON.stringify(pointerFor(m)))],
      [`${v}/manifest.json`, m.files.get('manifest.json')!],
      [`${v}/weights.bin`, m.files.get('weights.bin')!],
    ]);
    const seen: [string, ReadLimits | undefined][] = [];
    const read = async (p: string, limits?: ReadLimits) => (seen.push([p, limits]), files.get(p)!);
    await loadVerifiedModel(read, 'latest.json');
    expect(seen).toEqual([
      ['latest.json', { maxBytes: MAX_MANIFEST_BYTES }],
      [`${v}/manifest.json`, { maxBytes: MAX_MANIFEST_BYTES }],
      [`${v}/weights.bin`, { bytes: m.manifest.files['weights.bin']!.bytes, maxBytes: m.manifest.files['weights.bin']!.bytes }],
    ]);
    // A 6 MiB manifest from a reader that ignores limits (the file system, a cache): refused, not parsed.
    const huge = new Uint8Array(6 * 1024 * 1024).fill(0x20);
    files.set(`${v}/manifest.json`, huge);
    files.set('latest.json', utf8.encode(JSON.stringify({ ...pointerFor(m), sha256: nodeSha256(huge) })));
    await rejectsWith(loadVerifiedManifest(read, 'latest.json'), ManifestError, `"${v}/manifest.json" is ${huge.byteLength} bytes, over the ${MAX_MANIFEST_BYTES}-byte limit`);
  });

  it('refuses tensors that do not fit their files before reading a weight file', async () => {
    const m = await encodeModel(smallParts());
    const manifest = JSON.parse(JSON.stringify(m.manifest));
    manifest.files['weights.bin'].bytes -= 4;
    const bytes = utf8.encode(JSON.stringify(manifest));
    const seen: string[] = [];
    await rejectsWith(
      loadVerifiedManifest(async (p) => (seen.push(p), bytes), 'manifest.json'),
      ManifestError,
      'field "weightsManifest[0]"',
      `need ${m.manifest.files['weights.bin']!.bytes} bytes`,
      `hold ${m.manifest.files['weights.bin']!.bytes - 4}`,
    );
    expect(seen).toEqual(['manifest.json']);
  });
});

describe('checkWeightBytes / tensorBytes', () => {
  it('counts 4, 2 and 1 bytes per value for float32, float16 and uint8', () => {
    expect(tensorBytes({ name: 'a', shape: [3, 5], dtype: 'float32' })).toBe(60);
    expect(tensorBytes({ name: 'a', shape: [3, 5], dtype: 'float32', quantization: { dtype: 'float16' } })).toBe(30);
    expect(tensorBytes({ name: 'a', shape: [3, 5], dtype: 'float32', quantization: { dtype: 'uint8', scale: 1, min: 0 } })).toBe(15);
  });
  it('accepts what the writer writes, for every quantization', async () => {
    for (const quantization of ['float32', 'float16', 'uint8'] as const) {
      const { manifest } = await encodeModel(smallParts({ quantization }));
      expect(() => checkWeightBytes(manifest)).not.toThrow();
    }
  });
  it('refuses a uint8 scale whose decoded values overflow float32', async () => {
    const m = JSON.parse(JSON.stringify((await encodeModel(smallParts({ quantization: 'uint8' }))).manifest));
    m.weightsManifest[0].weights[0].quantization.scale = 1e37;
    throwsWith(() => validateManifest(m), ManifestError, 'weightsManifest[0].weights[0].quantization', 'fit in float32');
  });
});
