/**
 * A linear-time check that needs no wall-clock constant (the machine is shared and noisy): the time of one
 * run on a large input is compared with the time of `factor` runs on an input `factor` times smaller,
 * measured in the same process a few moments apart (each over at least 20 ms of runs). Linear (or capped) code gives a ratio near 1 or
 * below; quadratic code gives about `factor`. Each side is the best of `trials`, so that a pause of the
 * machine during one run cannot fail the check.
 */
export function linearRatio<T>(make: (scale: number) => T, run: (input: T) => unknown, factor = 1000, trials = 3): number {
  const small = make(1);
  const large = make(factor);
  // Time per run, over at least 20 ms of runs (timer resolution and JIT tiering dominate below that).
  const perRun = (input: T) => {
    let best = Infinity;
    for (let t = 0; t < trials; t++) {
      let n = 0;
      const t0 = performance.now();
      let elapsed = 0;
      do {
        run(input);
        n++;
        elapsed = performance.now() - t0;
      } while (elapsed < 20);
      best = Math.min(best, elapsed / n);
    }
    return best;
  };
  run(small); // warm up the JIT on both shapes
  run(large);
  return perRun(large) / (factor * perRun(small));
}

/** Quadratic code measured 26 or more (the old microdata reader), linear code 0.4 or less: the limit sits between. */
export const LINEAR_LIMIT = 8;
