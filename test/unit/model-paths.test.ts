/**
 * Issue 12, defect 6: only a literal `..` was refused in the pointer's manifest path, and any `[\w.-]+` name
 * in the weights paths: `%2e%2e/` (which URL resolution, hence `fetch()`, reads as `..`), `.` and `..` got
 * through, and the model cache compared the normalized URLs that `cache.keys()` returns with unnormalized
 * strings. Every path is now resolved, then checked to stay inside the model folder.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { encodeModel, pointerFor } from '../../src/model/encode.js';
import { ManifestError, validateManifest, validatePointer } from '../../src/model/format.js';
import { loadVerifiedManifest, loadVerifiedModel, resolveInside, dirOf } from '../../src/model/load.js';
import { openModelCache } from '../../src/model/cache.js';
import { smallParts, rejectsWith, throwsWith, nodeSha256 } from './helpers.js';

const utf8 = new TextEncoder();
const ENTRY = 'https://cdn.example/models/shop/latest.json';

describe('paths in pointers and manifests stay inside the model folder', () => {
  const escapes = ['%2e%2e/evil/manifest.json', '%2E%2e/manifest.json', 'v/%2e%2e/%2e%2e/manifest.json', '../evil/manifest.json', 'v/../../manifest.json', './manifest.json', '.', '..', 'v/.', 'v/..', 'https://evil.example/manifest.json', '//evil.example/manifest.json', '/models/other/manifest.json', 'v\\..\\..\\manifest.json', 'v/manifest.json?x=1', 'v/manifest.json#x', ''];

  it('a pointer naming a manifest outside its folder is refused before the manifest is read', async () => {
    const m = await encodeModel(smallParts());
    const manifest = m.files.get('manifest.json')!;
    for (const path of [...escapes, 'v//manifest.json', 'a'.repeat(301)]) {
      const pointer = utf8.encode(JSON.stringify({ ...pointerFor(m), manifest: path, sha256: nodeSha256(manifest) }));
      const reads: string[] = [];
      // A hostile host serves the (self-consistent) manifest wherever it is asked for.
      const read = async (url: string) => (reads.push(url), url === ENTRY ? pointer : manifest);
      await rejectsWith(loadVerifiedManifest(read, ENTRY), ManifestError, 'field "manifest"');
      expect(reads, path).toEqual([ENTRY]);
    }
  });

  it('weight files named ".", ".." or with a "%" are refused by the manifest check', async () => {
    const m = await encodeModel(smallParts());
    for (const name of ['.', '..', '...', '%2e%2e', 'a/b', '']) {
      const json = JSON.parse(JSON.stringify(m.manifest));
      json.weightsManifest[0].paths = [name];
      json.files = { [name]: json.files['weights.bin'] };
      throwsWith(() => validateManifest(json), ManifestError, 'weightsManifest[0].paths');
    }
    expect(() => validatePointer({ ...pointerFor(m), manifest: `${m.manifest.modelVersion}/manifest.json` })).not.toThrow();
  });

  it('resolveInside: normalized URLs inside the folder; relative folders keep their form', () => {
    expect(resolveInside('https://cdn.example/models/shop/', 'v1/manifest.json', 'f')).toBe('https://cdn.example/models/shop/v1/manifest.json');
    expect(resolveInside('HTTPS://CDN.example:443/models/shop/', 'weights.bin', 'f')).toBe('https://cdn.example/models/shop/weights.bin');
    expect(resolveInside('', 'v1/manifest.json', 'f')).toBe('v1/manifest.json');
    expect(resolveInside('/srv/models/', 'weights.bin', 'f')).toBe('/srv/models/weights.bin');
    for (const path of escapes) throwsWith(() => resolveInside('https://cdn.example/models/shop/', path, 'f'), ManifestError, 'inside the model folder');
    for (const path of escapes) throwsWith(() => resolveInside('models/', path, 'f'), ManifestError, 'inside the model folder');
    expect(dirOf('https://cdn.example/models/shop/latest.json?v=a/b')).toBe('https://cdn.example/models/shop/');
    expect(dirOf('models/shop/latest.json')).toBe('models/shop/');
  });

  it('the folder loader still reads what the writer writes', async () => {
    const m = await encodeModel(smallParts());
    const v = m.manifest.modelVersion;
    const files = new Map<string, Uint8Array>([
      ['https://cdn.example/models/shop/latest.json', utf8.encode(JSON.stringify(pointerFor(m)))],
      [`https://cdn.example/models/shop/${v}/manifest.json`, m.files.get('manifest.json')!],
      [`https://cdn.example/models/shop/${v}/weights.bin`, m.files.get('weights.bin')!],
    ]);
    const loaded = await loadVerifiedModel(async (p) => files.get(p)!, ENTRY);
    expect(loaded.manifestPath).toBe(`https://cdn.example/models/shop/${v}/manifest.json`);
  });
});

/** The Cache API's keying, as the spec defines it: by the request's parsed (normalized) URL. */
class UrlKeyedCache {
  readonly store = new Map<string, Response>();
  private key = (r: RequestInfo | URL) => new Request(r instanceof Request ? r.url : String(r)).url;
  async match(r: RequestInfo | URL) {
    return this.store.get(this.key(r))?.clone();
  }
  async put(r: RequestInfo | URL, res: Response) {
    this.store.set(this.key(r), res);
  }
  async delete(r: RequestInfo | URL) {
    return this.store.delete(this.key(r));
  }
  async keys() {
    return [...this.store.keys()].map((u) => new Request(u));
  }
}

describe('the model cache compares normalized URLs', () => {
  const g = globalThis as { caches?: unknown };
  afterEach(() => {
    delete g.caches;
  });

  it('an entry URL written unnormalized: older versions are pruned, the current one is kept', async () => {
    const cache = new UrlKeyedCache();
    g.caches = { open: async () => cache };
    const entry = 'HTTPS://CDN.example:443/models/shop/latest.json';
    const versions = [];
    for (const seed of [1, 2]) {
      const m = await encodeModel(smallParts({ items: ['a', 'b', 'c', `v${seed}`, 'e'] }));
      const files = new Map<string, Uint8Array>([
        [entry, utf8.encode(JSON.stringify(pointerFor(m)))],
        [`https://cdn.example/models/shop/${m.manifest.modelVersion}/manifest.json`, m.files.get('manifest.json')!],
        [`https://cdn.example/models/shop/${m.manifest.modelVersion}/weights.bin`, m.files.get('weights.bin')!],
      ]);
      const model = await loadVerifiedModel(async (p) => files.get(p)!, entry);
      await (await openModelCache())!.commit(model, 1);
      versions.push(m.manifest.modelVersion);
    }
    const keys = [...cache.store.keys()].sort();
    expect(keys).toEqual(
      ['https://cdn.example/models/shop/latest.json', `https://cdn.example/models/shop/${versions[1]}/manifest.json`, `https://cdn.example/models/shop/${versions[1]}/weights.bin`].sort(),
    );
  });
});
