/**
 * Paths shared by the project's scripts and the demo build.
 * - `ROOT`: the repository root (absolute).
 * - `SHARED_DATA`: the public data sets (catalog, sessions, UCI Online Shoppers). They are read in place and
 *   never copied into the project, because their licences forbid publishing them: `$TACIT_DATA` when set,
 *   otherwise `../shared/data` next to the repository.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

export const SHARED_DATA = process.env.TACIT_DATA ?? resolve(ROOT, '../shared/data');
