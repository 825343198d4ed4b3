#!/usr/bin/env node
/**
 * Trains one epoch on the first N Diginetica training sessions on one thread, then on two, and prints the
 * times and whether the weights are identical (they must be: trainer/sampled-kernel.ts).
 * Usage: npm run build:trainer && node scripts/trainer-threads.mjs [sessions=40000] [dim=32]
 */
import { dataFile, loadTrainer } from './eval-common.mjs';

const { readSessions, preprocess } = await loadTrainer('sessions.js');
const { trainSampledSoftmax } = await loadTrainer('sampled.js');
const { DEFAULT_SESSION_MODEL } = await loadTrainer('session-model.js');
const raw = await readSessions(dataFile('diginetica', 'train_sessions.txt.gz'));
const prep = preprocess(raw.sessions.slice(0, Number(process.argv[2] ?? 40000)), {});
const opts = { ...DEFAULT_SESSION_MODEL, dim: Number(process.argv[3] ?? 32), epochs: 1, recentEpochs: 0 };
const runs = [];
for (const threads of [1, 2]) {
  const r = await trainSampledSoftmax(prep.sessions, prep.items.size, { ...opts, threads });
  runs.push(r);
  console.log(`threads ${threads} (ran on ${r.threads}): ${r.seconds.toFixed(1)} s, loss ${r.losses[0].toFixed(5)}`);
}
const same = (a, b) => Buffer.compare(Buffer.from(a.buffer), Buffer.from(b.buffer)) === 0;
console.log(`identical weights: ${same(runs[0].query, runs[1].query) && same(runs[0].bias, runs[1].bias)}`);
