/** Model folders on disk: write a published version with its pointer, and read one back through the verified loader. */
import { mkdir, readFile, writeFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeModel, pointerFor, MANIFEST_FILE, POINTER_FILE, type EncodedModel, type ModelParts } from '../model/encode.js';
import { validateManifest, validatePointer } from '../model/format.js';
import { loadVerifiedModel, type VerifiedModel } from '../model/load.js';

/** How many published versions `writeModelFolder` keeps by default: the new one, the one pages may still be fetching, one more. */
export const DEFAULT_KEEP = 3;

/**
 * Writes `<dir>/<version>/…` and then `<dir>/latest.json` (last, so a reader never sees a pointer to a
 * half-written folder). Then removes older versions beyond `keep`, but only folders this tool wrote (see
 * `publishedVersions`), oldest publication first, and never the new version or the one the previous
 * `latest.json` named: pages that loaded the old pointer may still be fetching that folder's files.
 */
export async function writeModelFolder(dir: string, parts: ModelParts, keep = DEFAULT_KEEP): Promise<EncodedModel> {
  return publishModel(dir, await encodeModel(parts), keep);
}

/** Publishes an encoded model into `dir` as `writeModelFolder` does (version folder, pointer last, pruning). */
export async function publishModel(dir: string, model: EncodedModel, keep = DEFAULT_KEEP): Promise<EncodedModel> {
  const version = model.manifest.modelVersion;
  const previous = await pointedVersion(dir);
  const versionDir = join(dir, version);
  await mkdir(versionDir, { recursive: true });
  for (const [name, bytes] of model.files) await writeFile(join(versionDir, name), bytes);
  await writeFile(join(dir, POINTER_FILE), JSON.stringify(pointerFor(model), null, 2) + '\n');
  const spare = new Set([version, previous]);
  const published = await publishedVersions(dir);
  let excess = published.length - Math.max(keep, 1);
  for (const old of published) {
    if (excess <= 0) break;
    if (spare.has(old.version)) continue;
    await rm(join(dir, old.version), { recursive: true, force: true });
    excess--;
  }
  return model;
}

/** The version that `<dir>/latest.json` names, or undefined when there is no valid pointer. */
async function pointedVersion(dir: string): Promise<string | undefined> {
  try {
    return validatePointer(JSON.parse(await readFile(join(dir, POINTER_FILE), 'utf8'))).modelVersion;
  } catch {
    return undefined;
  }
}

/**
 * The version folders of `dir` that this tool published, oldest first: a folder counts only when it holds a
 * valid Tacit `manifest.json` whose `modelVersion` is the folder's own name. Anything else (`.git`, `src`,
 * another shop's model folder, a folder someone put there) is not ours and is never touched. Publication
 * time is the manifest file's modification time: version names are content hashes, so their alphabetical
 * order says nothing about age.
 */
export async function publishedVersions(dir: string): Promise<{ version: string; publishedMs: number }[]> {
  const found: { version: string; publishedMs: number; createdMs: number }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const file = join(dir, entry.name, MANIFEST_FILE);
    try {
      const manifest = validateManifest(JSON.parse(await readFile(file, 'utf8')));
      if (manifest.modelVersion !== entry.name) continue;
      const createdMs = Date.parse(manifest.createdAt);
      found.push({ version: entry.name, publishedMs: (await stat(file)).mtimeMs, createdMs: Number.isNaN(createdMs) ? 0 : createdMs });
    } catch {
      // not a version folder this tool wrote
    }
  }
  // Linux stamps files with a coarse clock (a few ms), so versions published in one quick run can share a
  // modification time: the manifest's own creation time orders those, and the name only breaks full ties.
  found.sort((a, b) => a.publishedMs - b.publishedMs || a.createdMs - b.createdMs || (a.version < b.version ? -1 : 1));
  return found.map(({ version, publishedMs }) => ({ version, publishedMs }));
}

/** Reads a model folder from disk with the same verification the browser applies. */
export function readModelFolder(dir: string, entry = POINTER_FILE): Promise<VerifiedModel> {
  return loadVerifiedModel(async (path) => new Uint8Array(await readFile(join(dir, path))), entry);
}
