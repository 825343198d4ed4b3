/**
 * The one reader of item-id files, for every command that takes one (`tacit train --catalog`, `tacit
 * import --items` and `--popular`): a JSON array of ids or of products with an "id" (or `{ "products":
 * [...] }`), a CSV or TSV with an "id" column, or one id per line. Order is kept: the importer's list is
 * the order of the embedding rows.
 */
import { readFile } from 'node:fs/promises';
import { InputError } from './errors.js';

function fromJson(text: string, file: string): string[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  const list = Array.isArray(json) ? json : (json as { products?: unknown } | null)?.products;
  if (!Array.isArray(list)) throw new InputError(`${file}: expected a JSON array of item ids or products, or an object with a "products" array`);
  return list.map((p: unknown, i) => {
    const id = typeof p === 'object' && p !== null ? (p as { id?: unknown }).id : p;
    if (typeof id !== 'string' && typeof id !== 'number') throw new InputError(`${file}: entry #${i} needs to be an item id, or a product with an "id" (string or number)`);
    return String(id);
  });
}

function fromLines(text: string, file: string): string[] {
  const lines = text.split(/\r?\n/);
  const header = lines[0]!.split(/[,\t]/).map((h) => h.trim().toLowerCase());
  const col = header.indexOf('id');
  const ids: string[] = [];
  lines.forEach((l, i) => {
    if (i === 0 && col >= 0) return;
    if (l.trim() === '') return;
    const id = (col >= 0 ? l.split(/[,\t]/)[col] : l)?.trim();
    if (!id) throw new InputError(`${file}:${i + 1}: expected an item id`);
    ids.push(id);
  });
  return ids;
}

/** Item ids in the file's order; `InputError` (naming the file, and the line where it helps) otherwise. */
export async function readItemIds(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(`${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const t = text.trimStart();
  const ids = t.startsWith('[') || t.startsWith('{') ? fromJson(text, file) : fromLines(text, file);
  if (ids.length === 0) throw new InputError(`${file}: holds no item ids`);
  return ids;
}

/** The ids of a catalog file, as a set (`tacit train --catalog`). */
export async function readCatalogIds(file: string): Promise<Set<string>> {
  return new Set(await readItemIds(file));
}
