/**
 * writeModelFolder's clean-up (issue 12, defect 1): it once removed every subfolder of `--out` but the
 * alphabetically last three, so `--out .` deleted `.git` and `src`, and `--out models` deleted other shops.
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtemp, mkdir, writeFile, readdir, readFile, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeModelFolder, publishedVersions } from '../../src/trainer/folder.js';
import { smallParts } from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tacit-folder-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Publishes a distinct small model (its version is a content hash, so `n` makes it distinct). */
async function publish(n: number, keep?: number): Promise<string> {
  const model = await writeModelFolder(dir, smallParts({ createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString() }), keep);
  return model.manifest.modelVersion;
}

/** Sets a version's publication time (its manifest's mtime) to `s` seconds after an epoch. */
const publishedAt = (version: string, s: number) => utimes(join(dir, version, 'manifest.json'), 1_700_000_000 + s, 1_700_000_000 + s);

const subfolders = async () => (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();

describe('writeModelFolder keeps what it did not write', () => {
  it('never removes folders that are not its own version folders', async () => {
    const first = await publish(0);
    // What a project folder or a shared `models/` folder holds besides this model's versions.
    await mkdir(join(dir, '.git'));
    await writeFile(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    await mkdir(join(dir, 'src'));
    await writeFile(join(dir, 'src', 'index.ts'), 'export {};\n');
    await mkdir(join(dir, 'data'));
    // Another shop's model folder: a pointer and a real version folder one level down.
    await mkdir(join(dir, 'other-shop'));
    await writeFile(join(dir, 'other-shop', 'latest.json'), '{}');
    // A folder with a manifest.json that is not a Tacit manifest, and a copied version under another name.
    await mkdir(join(dir, 'zz-notes'));
    await writeFile(join(dir, 'zz-notes', 'manifest.json'), '{"name":"not a model"}');
    await mkdir(join(dir, 'zz-copy'));
    await writeFile(join(dir, 'zz-copy', 'manifest.json'), await readFile(join(dir, first, 'manifest.json')));

    const versions = [first];
    for (let n = 1; n < 6; n++) versions.push(await publish(n));

    const left = await subfolders();
    for (const mine of ['.git', 'src', 'data', 'other-shop', 'zz-notes', 'zz-copy']) expect(left).toContain(mine);
    expect(await readFile(join(dir, '.git', 'HEAD'), 'utf8')).toBe('ref: refs/heads/main\n');
    // Of the six versions, the three newest remain.
    expect(left.filter((n) => versions.includes(n)).sort()).toEqual(versions.slice(-3).sort());
  });

  it('removes the oldest publications first, whatever the names sort as', async () => {
    const versions: string[] = [];
    for (let n = 0; n < 4; n++) versions.push(await publish(n, 10));
    // Publication order opposite to name order: the alphabetically last is the oldest.
    const byName = [...versions].sort().reverse();
    for (const [i, v] of byName.entries()) await publishedAt(v, i);
    expect((await publishedVersions(dir)).map((p) => p.version)).toEqual(byName);

    const newest = await publish(9, 3);
    const left = (await subfolders()).filter((n) => n !== newest);
    // Five versions, keep three: the two oldest by publication go, except the one the old pointer named.
    const pointed = versions[3]!;
    const removed = byName.filter((v) => v !== pointed).slice(0, 2);
    expect(left.sort()).toEqual(byName.filter((v) => !removed.includes(v)).sort());
    expect(left).toContain(pointed);
  });

  it('orders versions published within one clock tick by their creation time', async () => {
    // Linux stamps files with a coarse clock: a quick run can publish several versions with one mtime.
    const versions: string[] = [];
    for (let n = 0; n < 4; n++) versions.push(await publish(n, 10));
    for (const v of versions) await publishedAt(v, 0);
    expect((await publishedVersions(dir)).map((p) => p.version)).toEqual(versions);
  });

  it('never removes the version the previous pointer named, even with keep = 1', async () => {
    const a = await publish(0, 1);
    const b = await publish(1, 1);
    expect(await subfolders()).toEqual([a, b].sort());
    const c = await publish(2, 1);
    expect(await subfolders()).toEqual([b, c].sort());
    const pointer = JSON.parse(await readFile(join(dir, 'latest.json'), 'utf8')) as { modelVersion: string };
    expect(pointer.modelVersion).toBe(c);
  });
});
