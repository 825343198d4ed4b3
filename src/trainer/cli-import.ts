/**
 * `tacit import`: wraps a TensorFlow.js-converter export (a team that trains in Python) and an item-id list
 * into a Tacit model folder with hashes (trainer/import-converter.ts does the work; this is its command
 * line). Its options are its own, so they are parsed here rather than in cli.ts's shared table.
 */
import { parseArgs } from 'node:util';
import { InputError } from './errors.js';
import { importConverterExport, type ImportConverterOptions } from './import-converter.js';
import { readItemIds } from './item-ids.js';
import { DEFAULT_ENCODER } from './session-model.js';
import type { Quantization } from '../model/encode.js';

export const IMPORT_HELP = `tacit import <model.json> --items <ids> --out <dir> [options]

Wraps a TensorFlow.js-converter export (tensorflowjs_converter, or tfjs.converters.save_keras_model) and
an item-id list into a Tacit model folder (<dir>/<version>/manifest.json, weights.bin, <dir>/latest.json),
with a SHA-256 per file. Other tensors of the export (a Keras session encoder's kernels) are listed and
ignored: the browser encodes the session with the decay-pool encoder over the item embeddings.

  --items <file>                 item ids in the order of the embedding rows: a JSON array, a CSV with an
                                 "id" column, or one per line
  --out <dir>                    model folder to write (required)
  --query-tensor <name>          the item embedding matrix (default: the only float tensor [items, dim])
  --target-tensor <name>         a second table for the candidate side (two-tower); default: the query table
  --bias-tensor <name>           an item bias vector [items] or [items, 1]; default: none
  --row-offset <n>               leading rows to skip (Keras Embedding often reserves row 0); default 0
  --popular <file>               item ids, most popular first (the fallback list); default: by bias
  --quantization float16|uint8|float32   storage in the Tacit folder (default float16)
  --decay <x>                    session encoder decay per step back, 0 < x ≤ 1 (default ${DEFAULT_ENCODER.decay})
  --max-length <n>               items of the session the encoder reads (default ${DEFAULT_ENCODER.maxLength})
  --keep <n>                     older versions to keep in <dir> (default 3)
`;

function positive(raw: string | undefined, name: string, integer: boolean, max = Infinity): number | undefined {
  if (raw === undefined) return undefined;
  const x = Number(raw);
  const ok = raw.trim() !== '' && Number.isFinite(x) && x > 0 && x <= max && (!integer || Number.isInteger(x));
  if (!ok) throw new InputError(`--${name} must be ${integer ? 'a positive integer' : `a number in (0, ${max}]`}, got "${raw}"`);
  return x;
}

/** Runs `tacit import …` (argv after the word "import"); user mistakes are `InputError`s. */
export async function importCommand(argv: string[], out: (line: string) => void): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        items: { type: 'string' },
        out: { type: 'string', short: 'o' },
        'query-tensor': { type: 'string' },
        'target-tensor': { type: 'string' },
        'bias-tensor': { type: 'string' },
        'row-offset': { type: 'string' },
        popular: { type: 'string' },
        quantization: { type: 'string' },
        decay: { type: 'string' },
        'max-length': { type: 'string' },
        keep: { type: 'string' },
      },
    });
  } catch (err) {
    throw new InputError(`${(err as Error).message.split('\n')[0]} (see tacit import --help)`);
  }
  const v = parsed.values;
  if (v.help) return out(IMPORT_HELP);
  const [modelJson, extra] = parsed.positionals;
  if (!modelJson) throw new InputError('missing <model.json> (the converter export; see tacit import --help)');
  if (extra !== undefined) throw new InputError(`unexpected argument "${extra}" (one <model.json> only)`);
  if (!v.items) throw new InputError('missing --items <file> (the item ids, in the order of the embedding rows)');
  if (!v.out) throw new InputError('missing --out <dir> (where the model folder is written)');
  const quantization = (v.quantization ?? 'float16') as Quantization;
  if (!['float16', 'uint8', 'float32'].includes(quantization)) throw new InputError(`--quantization must be float16, uint8 or float32, got "${quantization}"`);

  const options: ImportConverterOptions = { modelJson, items: await readItemIds(v.items), out: v.out, quantization };
  if (v['query-tensor']) options.queryTensor = v['query-tensor'];
  if (v['target-tensor']) options.targetTensor = v['target-tensor'];
  if (v['bias-tensor']) options.biasTensor = v['bias-tensor'];
  if (v['row-offset'] !== undefined) {
    const offset = Number(v['row-offset']);
    if (!Number.isInteger(offset) || offset < 0) throw new InputError(`--row-offset must be an integer ≥ 0, got "${v['row-offset']}"`);
    options.rowOffset = offset;
  }
  if (v.popular) options.popular = await readItemIds(v.popular);
  const decay = positive(v.decay, 'decay', false, 1);
  const maxLength = positive(v['max-length'], 'max-length', true);
  if (decay !== undefined || maxLength !== undefined) options.encoder = { type: 'decay-pool', decay: decay ?? DEFAULT_ENCODER.decay, maxLength: maxLength ?? DEFAULT_ENCODER.maxLength };
  const keep = v.keep === undefined ? undefined : Number(v.keep);
  if (keep !== undefined) {
    if (!Number.isInteger(keep) || keep < 0) throw new InputError(`--keep must be an integer ≥ 0, got "${v.keep}"`);
    options.keep = keep;
  }

  const r = await importConverterExport(options);
  out(
    `wrote ${v.out}/latest.json → ${r.modelVersion}: ${r.items} items × ${r.dim} (${quantization}, ${r.weightsBytes} bytes); ` +
      `query "${r.used.query}", target "${r.used.target}", bias ${r.used.bias ? `"${r.used.bias}"` : 'none'}` +
      (r.ignored.length ? `; ignored ${r.ignored.join(', ')}` : '') +
      '\n' +
      r.notes.map((n) => `  ${n}\n`).join(''),
  );
}
