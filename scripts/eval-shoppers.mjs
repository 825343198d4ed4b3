#!/usr/bin/env node
/**
 * `npm run eval:shoppers`: purchase propensity on UCI Online Shoppers: 5-fold stratified cross-validation
 * of logistic regression (tfjs), held-out folds scored by the browser's propensity module; writes
 * reports/online-shoppers.{md,html} with a reliability plot, and prints the JSON summary as the last line.
 */
import { REPORTS, dataFile, loadTrainer, run } from './eval-common.mjs';

const { runShoppersBenchmark } = await loadTrainer('benchmarks.js');

await run(() => runShoppersBenchmark({ file: dataFile('online-shoppers', 'online_shoppers_intention.csv'), reportsDir: REPORTS }));
