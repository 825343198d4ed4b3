/**
 * Reads a model folder through any byte source (HTTP in the browser, the Cache API, the file system in the
 * trainer), verifying every file before a byte of it is parsed or decoded: the entry file against the
 * integrity pin (when there is one), the manifest against the pointer's SHA-256, each weight file against
 * the manifest's size and SHA-256.
 */
import {
  MAX_MANIFEST_BYTES,
  ManifestError,
  checkWeightBytes,
  sha256Hex,
  validateManifest,
  validatePointer,
  type LatestPointer,
  type TacitManifest,
} from './format.js';
import { matchesIntegrity, parseIntegrity } from './integrity.js';

/** What a reader may use to refuse a file early (from `Content-Length`, or while streaming it). */
export interface ReadLimits {
  /** Refuse the file once it is known to be larger than this. */
  maxBytes?: number;
  /** The file's exact size as its manifest gives it; a reader may stop reading past it. */
  bytes?: number;
}

/** Reads a file of the model folder, by path relative to the entry file. Readers may ignore `limits`. */
export type ReadBytes = (path: string, limits?: ReadLimits) => Promise<Uint8Array>;

export interface LoadOptions {
  /** SRI value (`sha384-…`) that the entry file's bytes must match (`data-model-integrity`). */
  integrity?: string;
}

/** The verified entry file and manifest, before any weight file is read. */
export interface VerifiedManifest {
  manifest: TacitManifest;
  /** Path of the manifest relative to the entry file (e.g. `2026-11-28-ab12/manifest.json`). */
  manifestPath: string;
  manifestBytes: Uint8Array;
  /** The file the load started from: a pointer, or the manifest itself. */
  entryPath: string;
  entryBytes: Uint8Array;
  /** The parsed pointer, or null when the entry is the manifest. */
  pointer: LatestPointer | null;
}

/** What decoding needs: the manifest and the verified weight files. */
export interface VerifiedModel {
  manifest: TacitManifest;
  manifestPath: string;
  /** Weight file path (as in the manifest) → verified bytes. */
  files: Map<string, Uint8Array>;
}

/** A whole verified model folder, with the bytes of its entry and manifest (what a cache keeps). */
export interface LoadedModel extends VerifiedManifest, VerifiedModel {}

/** A file whose bytes do not match the hash its manifest (or pointer, or integrity pin) gives. */
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

/** The message for a file over a size limit; the HTTP reader uses the same words. */
export function tooLargeMessage(path: string, bytes: number | null, limit: number): string {
  return `model file "${path}" is ${bytes === null ? 'larger than' : `${bytes} bytes, over`} the ${limit}-byte limit for it; refusing it without parsing it`;
}

/**
 * The folder of a file, ending in `/`: for an absolute URL, the normalized URL of its folder (what `fetch()`
 * requests and the Cache API stores; a query that holds a `/` is not a folder); for a relative path (the
 * trainer's file system), everything up to the last `/`.
 */
export function dirOf(path: string): string {
  try {
    return new URL('./', path).href;
  } catch {
    const i = path.lastIndexOf('/');
    return i < 0 ? '' : path.slice(0, i + 1);
  }
}

/** Stands in for the folder of a relative path, so that both kinds resolve by the same URL rules. */
const RELATIVE_BASE = 'https://tacit.invalid/';

/**
 * `path` (as a pointer or manifest names a file) resolved against `folder` (from `dirOf`), or a
 * `ManifestError` unless the result is a file inside that folder. Resolution follows the URL standard,
 * as `fetch()` does, so `%2e%2e/`, `.` and `..` are seen for what they are; an absolute URL, a query, a
 * fragment or a backslash is refused (issue 12, defect 6). Returns the normalized URL for an absolute
 * folder, else the folder and the path as given.
 */
export function resolveInside(folder: string, path: string, field: string): string {
  const refuse = (): never => {
    throw new ManifestError(`model manifest: field "${field}" must name a file inside the model folder, got ${JSON.stringify(path.slice(0, 100))}`);
  };
  if (path === '' || /[?#\\]|^[a-z][\w+.-]*:|^\/|%/i.test(path)) refuse();
  let base: URL;
  let absolute = true;
  try {
    base = new URL(folder);
  } catch {
    absolute = false;
    base = new URL(folder, RELATIVE_BASE);
  }
  let url: URL;
  try {
    url = new URL(path, base);
  } catch {
    return refuse();
  }
  const inside = url.origin === base.origin && url.pathname.startsWith(base.pathname) && url.pathname.length > base.pathname.length && !url.pathname.endsWith('/');
  // Normalization must not have changed what was asked for (`a/./b`, `a/../a/b`): names are taken literally.
  if (!inside || url.search || url.hash || url.pathname.slice(base.pathname.length) !== path) refuse();
  return absolute ? url.href : folder + path;
}

async function verify(bytes: Uint8Array, sha256: string, path: string): Promise<void> {
  const got = await sha256Hex(bytes);
  if (got !== sha256) throw new IntegrityError(`model file "${path}" does not match its SHA-256 (expected ${sha256}, got ${got}); refusing to use it`);
}

async function readLimited(read: ReadBytes, path: string, maxBytes: number): Promise<Uint8Array> {
  const bytes = await read(path, { maxBytes });
  // Readers that ignore the limit (the file system, a cache) are held to it here, before parsing.
  if (bytes.byteLength > maxBytes) throw new ManifestError(tooLargeMessage(path, bytes.byteLength, maxBytes));
  return bytes;
}

/**
 * Reads and verifies the entry (`latest.json` or a `manifest.json`) and the manifest it leads to, and
 * checks that the manifest's tensors fit its files; no weight file is read.
 */
export async function loadVerifiedManifest(read: ReadBytes, entry: string, options: LoadOptions = {}): Promise<VerifiedManifest> {
  const pin = options.integrity === undefined ? null : parseIntegrity(options.integrity);
  if (options.integrity !== undefined && !pin) {
    throw new IntegrityError(`the model integrity value "${options.integrity}" is not sha256-, sha384- or sha512- followed by a base64 digest`);
  }
  const entryBytes = await readLimited(read, entry, MAX_MANIFEST_BYTES);
  if (pin && !(await matchesIntegrity(entryBytes, pin))) {
    throw new IntegrityError(`model file "${entry}" does not match its integrity pin (data-model-integrity / modelIntegrity); refusing to use it`);
  }
  let json = parseJson(entryBytes, `model file "${entry}"`);
  let manifestPath = entry;
  let manifestBytes = entryBytes;
  let pointer: LatestPointer | null = null;
  if (typeof json === 'object' && json !== null && 'manifest' in json && !('weightsManifest' in json)) {
    pointer = validatePointer(json);
    manifestPath = resolveInside(dirOf(entry), pointer.manifest, 'manifest');
    manifestBytes = await readLimited(read, manifestPath, MAX_MANIFEST_BYTES);
    await verify(manifestBytes, pointer.sha256, manifestPath);
    json = parseJson(manifestBytes, `model manifest "${manifestPath}"`);
  }
  const manifest = validateManifest(json);
  checkWeightBytes(manifest);
  return { manifest, manifestPath, manifestBytes, entryPath: entry, entryBytes, pointer };
}

/** Reads every weight file of a verified manifest (in parallel), checking each one's size and SHA-256. */
export async function loadVerifiedWeights(read: ReadBytes, verified: Pick<VerifiedManifest, 'manifest' | 'manifestPath'>): Promise<Map<string, Uint8Array>> {
  const { manifest } = verified;
  const base = dirOf(verified.manifestPath);
  const paths = [...new Set(manifest.weightsManifest.flatMap((g) => g.paths))];
  const files = new Map<string, Uint8Array>();
  await Promise.all(
    paths.map(async (path) => {
      const want = manifest.files[path]!;
      const bytes = await read(resolveInside(base, path, 'weightsManifest.paths'), { bytes: want.bytes, maxBytes: want.bytes });
      if (bytes.byteLength !== want.bytes) {
        throw new IntegrityError(`model file "${base + path}" has ${bytes.byteLength} bytes, its manifest says ${want.bytes} (truncated or replaced?)`);
      }
      await verify(bytes, want.sha256, base + path);
      files.set(path, bytes);
    }),
  );
  // Keep the manifest's order, whatever order the reads finished in.
  return new Map(paths.map((p) => [p, files.get(p)!]));
}

/**
 * Loads `entry`, which is either a pointer (`latest.json`) or a manifest, then the weight files.
 * Every hash is checked; the manifest is validated field by field.
 */
export async function loadVerifiedModel(read: ReadBytes, entry: string, options: LoadOptions = {}): Promise<LoadedModel> {
  const verified = await loadVerifiedManifest(read, entry, options);
  return { ...verified, files: await loadVerifiedWeights(read, verified) };
}
