#!/usr/bin/env node
/**
 * `npm run eval:yoochoose`: the same pipeline on the yoochoose-100k sample (RecSys Challenge 2015):
 * trained on `..._train_full.txt`, tested on every prefix of every session of `..._test.txt`.
 */
import { REPORTS, dataFile, loadTrainer, run } from './eval-common.mjs';

const { runSessionBenchmark } = await loadTrainer('benchmarks.js');
const { DEFAULT_SESSION_MODEL, YOOCHOOSE_SESSION_MODEL } = await loadTrainer('session-model.js');

await run(() =>
  runSessionBenchmark({
    dataset: 'yoochoose-100k',
    trainFile: dataFile('yoochoose-100k', 'yoochoose-clicks-100k_train_full.txt'),
    testFile: dataFile('yoochoose-100k', 'yoochoose-clicks-100k_test.txt'),
    // No filtering: the sample is already clean (no one-event sessions) and every test item occurs in
    // training; this is what reproduces the reference popularity 0.0894 / 0.0264 exactly.
    preprocess: { minItemCount: 1, minSessionLength: 1, dropSingleClickSessions: false, collapseRepeats: false },
    config: { ...DEFAULT_SESSION_MODEL, ...YOOCHOOSE_SESSION_MODEL },
    reportsDir: REPORTS,
    reference: { popularity: [0.0894, 0.0264], 'v-sknn': [0.6752, 0.3477] },
    protocol:
      'yoochoose-100k: TSV SessionId/ItemId/Time; training sessions ordered by their first event (time order), events by time. Trained on the 17,794 sessions of the train_full file without filtering; tested on every prefix of every one of the 3,416 test sessions (10,152 rows). Every test item occurs in training here; a target the model did not know would still count as a miss.',
  }),
);
