/** Bugs the unit tests found in src/ (now fixed); each test failed before its fix. */
import { describe, it, expect } from 'vitest';
import { trainLogistic } from '../../src/trainer/logistic.js';
import { tf } from '../../src/trainer/tf.js';
import { parseShoppersCsv, InputError } from '../../src/trainer/shoppers.js';
import { encodeModel } from '../../src/model/encode.js';
import { evaluateModel } from '../../src/trainer/evaluate.js';
import { smallParts } from './helpers.js';
const HEADER =
  'Administrative,Administrative_Duration,Informational,Informational_Duration,ProductRelated,ProductRelated_Duration,BounceRates,ExitRates,PageValues,SpecialDay,Month,OperatingSystems,Browser,Region,TrafficType,VisitorType,Weekend,Revenue';
const ROW1 = '0,0,0,0,1,0,0.2,0.2,0,0,Feb,1,1,1,1,Returning_Visitor,FALSE,FALSE';

describe('regressions found while writing the unit tests', () => {
  it('trainLogistic leaves no tensors behind', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({ product_views: i % 7, weekend: i % 2 }));
    const labels = rows.map((r) => (r.product_views > 3 ? 1 : 0));
    const defs = [{ name: 'product_views', transform: 'identity' as const }, { name: 'weekend', transform: 'identity' as const }];
    await trainLogistic(rows, labels, defs, { epochs: 2, learningRate: 0.1, l2: 0, trainedOn: 'x' }); // warm-up
    const before = tf.memory().numTensors;
    await trainLogistic(rows, labels, defs, { epochs: 2, learningRate: 0.1, l2: 0, trainedOn: 'x' });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('parseShoppersCsv reports the physical line number when blank lines come before the bad one', () => {
    const text = [HEADER, ROW1, '', ROW1.replace('FALSE,FALSE', 'yes,FALSE')].join('\r\n');
    // the bad row is physical line 4
    expect(() => parseShoppersCsv(text, 'data.csv')).toThrow('data.csv:4:');
  });

  it('parseShoppersCsv rejects an empty numeric cell instead of reading it as 0', () => {
    const blank = ROW1.replace('0,0,0,0,1,0,', '0,0,0,0,,0,'); // ProductRelated empty
    expect(() => parseShoppersCsv([HEADER, blank].join('\n'), 'data.csv')).toThrow(InputError);
  });

  it('encodeModel gives different default versions to models that differ outside the weights', async () => {
    const a = await encodeModel(smallParts());
    const b = await encodeModel(smallParts({ encoder: { type: 'decay-pool', decay: 0.9, maxLength: 4 } }));
    expect(a.manifestSha256).not.toBe(b.manifestSha256);
    expect(b.manifest.modelVersion).not.toBe(a.manifest.modelVersion);
  });

  it('evaluateModel refuses maxK < 20 instead of reporting HR@maxK as HR@20', async () => {
    await tf.setBackend('cpu');
    const n = 25;
    const model = {
      encoder: { type: 'decay-pool' as const, decay: 0.5, maxLength: 5 },
      numItems: n,
      query: tf.zeros([n, 2]) as tf.Tensor2D,
      target: tf.zeros([n, 2]) as tf.Tensor2D,
      bias: tf.tensor1d(Array.from({ length: n }, (_, i) => -i)),
    };
    await expect(evaluateModel(model, [{ prefix: [], target: 14 }], { maxK: 10 })).rejects.toThrow(RangeError);
    // With the default list (50), item 14 ranks 15th: a hit at 20 with reciprocal rank 1/15.
    const r = await evaluateModel(model, [{ prefix: [], target: 14 }]);
    [model.query, model.target, model.bias].forEach((t) => t.dispose());
    expect(r.hr20).toBe(1);
    expect(r.mrr20).toBeCloseTo(1 / 15, 9);
  });
});
