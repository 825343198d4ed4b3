/**
 * The one reader of item-id files, for every command that takes one (`tacit train --catalog`, `tacit
 * import --items` and `--popular`): a JSON array of ids, product records with an "id" (a JSON array,
 * `{ "products": [...] }` or JSON lines: trainer/catalog.ts reads them), a CSV or TSV with an "id"
 * column, or one id per line. Order is kept: the importer's list is the order of the embedding rows.
 */
import { readFile } from 'node:fs/promises';
import { InputError } from './errors.js';
import { parseProductRecords } from './catalog.js';

/** A JSON array of ids, else the product records of trainer/catalog.ts (array, `{ products }`, JSON lines). */
function fromJson(text: string, file: string): string[] {
  try {
    const json: unknown = JSON.parse(text);
    if (Array.isArray(json) && json.every((x) => typeof x === 'string' || typeof x === 'number')) return json.map(String);
  } catch {
    // Not one JSON value: JSON lines, or broken (parseProductRecords says which line).
  }
  return parseProductRecords(text, file)!.map((r) => String(r.id));
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
  const t = text.trimStart().replace(/^\uFEFF/, '');
  const ids = t.startsWith('[') || t.startsWith('{') ? fromJson(t, file) : fromLines(text, file);
  if (ids.length === 0) throw new InputError(`${file}: holds no item ids`);
  return ids;
}

/** The ids of a catalog file, as a set (`tacit train --catalog`). */
export async function readCatalogIds(file: string): Promise<Set<string>> {
  return new Set(await readItemIds(file));
}
