/** Model folders on disk: write a published version with its pointer, and read one back through the verified loader. */
import { mkdir, readFile, writeFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeModel, pointerFor, POINTER_FILE, type EncodedModel, type ModelParts } from '../model/encode.js';
import { loadVerifiedModel, type VerifiedModel } from '../model/load.js';

/**
 * Writes `<dir>/<version>/…` and then `<dir>/latest.json` (last, so a reader never sees a pointer to a
 * half-written folder). With `keep`, older version folders beyond that many are removed.
 */
export async function writeModelFolder(dir: string, parts: ModelParts, keep = 3): Promise<EncodedModel> {
  const model = await encodeModel(parts);
  const versionDir = join(dir, model.manifest.modelVersion);
  await mkdir(versionDir, { recursive: true });
  for (const [name, bytes] of model.files) await writeFile(join(versionDir, name), bytes);
  await writeFile(join(dir, POINTER_FILE), JSON.stringify(pointerFor(model), null, 2) + '\n');
  const versions = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  for (const old of versions.slice(0, Math.max(0, versions.length - keep))) {
    if (old !== model.manifest.modelVersion) await rm(join(dir, old), { recursive: true, force: true });
  }
  return model;
}

/** Reads a model folder from disk with the same verification the browser applies. */
export function readModelFolder(dir: string, entry = POINTER_FILE): Promise<VerifiedModel> {
  return loadVerifiedModel(async (path) => new Uint8Array(await readFile(join(dir, path))), entry);
}
