/**
 * Reads a model folder through any byte source (HTTP in the browser, the file system in the trainer),
 * verifying every file against its SHA-256 before a byte of it is decoded.
 */
import { sha256Hex, validateManifest, validatePointer, ManifestError, type TacitManifest } from './format.js';

/** Reads a file of the model folder, by path relative to the entry file. */
export type ReadBytes = (path: string) => Promise<Uint8Array>;

export interface VerifiedModel {
  manifest: TacitManifest;
  /** Path of the manifest relative to the entry file (e.g. `2026-11-28-ab12/manifest.json`). */
  manifestPath: string;
  /** Weight file path (as in the manifest) → verified bytes. */
  files: Map<string, Uint8Array>;
}

/** A file whose bytes do not match the hash its manifest (or pointer) gives. */
export class IntegrityError extends Error {
  override name = 'IntegrityError';
}

const utf8 = new TextDecoder();

function parseJson(bytes: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(utf8.decode(bytes));
  } catch {
    throw new ManifestError(`${what} is not valid JSON`);
  }
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i + 1);
}

async function verify(bytes: Uint8Array, sha256: string, path: string): Promise<void> {
  const got = await sha256Hex(bytes);
  if (got !== sha256) throw new IntegrityError(`model file "${path}" does not match its SHA-256 (expected ${sha256}, got ${got}); refusing to use it`);
}

/**
 * Loads `entry`, which is either a pointer (`latest.json`) or a manifest, then the weight files.
 * Every hash is checked; the manifest is validated field by field.
 */
export async function loadVerifiedModel(read: ReadBytes, entry: string): Promise<VerifiedModel> {
  const entryBytes = await read(entry);
  let json = parseJson(entryBytes, `model file "${entry}"`);
  let manifestPath = entry;
  if (typeof json === 'object' && json !== null && 'manifest' in json && !('weightsManifest' in json)) {
    const pointer = validatePointer(json);
    manifestPath = dirOf(entry) + pointer.manifest;
    const manifestBytes = await read(manifestPath);
    await verify(manifestBytes, pointer.sha256, manifestPath);
    json = parseJson(manifestBytes, `model manifest "${manifestPath}"`);
  }
  const manifest = validateManifest(json);
  const base = dirOf(manifestPath);
  const files = new Map<string, Uint8Array>();
  for (const group of manifest.weightsManifest) {
    for (const path of group.paths) {
      const bytes = await read(base + path);
      const want = manifest.files[path]!;
      if (bytes.byteLength !== want.bytes) {
        throw new IntegrityError(`model file "${base + path}" has ${bytes.byteLength} bytes, its manifest says ${want.bytes} (truncated or replaced?)`);
      }
      await verify(bytes, want.sha256, base + path);
      files.set(path, bytes);
    }
  }
  return { manifest, manifestPath, files };
}
