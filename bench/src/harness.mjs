// @ts-check
/**
 * harness.mjs - the timing loop, the same method as bench/c/native.c:
 *
 *   calibration: the batch size n starts at 1 and grows (x8 while a batch
 *     takes < target/16, then scaled to the target + 5%) until one batch takes
 *     >= target (5 ms; 1 ms with --quick).  These batches are the warm-up;
 *     JS adds 3 more batches of the final size (JIT tiers settle);
 *   measurement: `runs` batches (11; 5 with --quick) of n operations, each
 *     timed with process.hrtime (monotonic, ns); ns/op = batch time / n;
 *     reported: median, min, max and quartiles over the batches.
 *
 * Every batch's return value (the sum of its results) is checked against the
 * expected sum and added to a sink printed at the end, so no work can be
 * skipped by the JIT and a wrong result aborts the run.
 */

let sink = 0;

/** The sum of every batch's checksum (print it: it keeps the work observable). */
export function sinkValue() {
  return sink;
}

/**
 * Quantile of sorted xs, linear interpolation (R type 7), as native.c.
 * @param {number[]} xs
 * @param {number} p
 */
export function quantile(xs, p) {
  const h = (xs.length - 1) * p;
  const lo = Math.floor(h);
  return lo + 1 < xs.length ? xs[lo] + (h - lo) * (xs[lo + 1] - xs[lo]) : xs[lo];
}

/**
 * @param {(n: number) => number} fn
 * @param {number} n
 * @param {(n: number, sum: number) => void} check
 */
function batch(fn, n, check) {
  const t0 = process.hrtime.bigint();
  const s = fn(n);
  const t1 = process.hrtime.bigint();
  check(n, s);
  sink += s;
  return Number(t1 - t0);
}

/**
 * @param {(n: number) => number} fn   runs n operations, returns their checksum
 * @param {{ targetNs: number, runs: number, warm: number, check: (n: number, sum: number) => void }} o
 */
export function measure(fn, o) {
  let n = 1;
  for (;;) {
    const t = batch(fn, n, o.check);
    if (t >= o.targetNs) break;
    n = t < o.targetNs / 16 ? n * 8 : Math.floor((n * o.targetNs) / t * 1.05) + 1;
  }
  for (let w = 0; w < o.warm; w++) batch(fn, n, o.check);
  const ns = [];
  for (let r = 0; r < o.runs; r++) ns.push(batch(fn, n, o.check) / n);
  ns.sort((x, y) => x - y);
  return {
    ns_per_op: quantile(ns, 0.5),
    ns_min: ns[0],
    ns_max: ns[ns.length - 1],
    ns_q1: quantile(ns, 0.25),
    ns_q3: quantile(ns, 0.75),
    runs: o.runs,
    batch: n,
  };
}

/** Settings per mode: full as native.c, quick as native.c --quick. */
export function timing(quick) {
  return quick ? { targetNs: 1e6, runs: 5, warm: 3 } : { targetNs: 5e6, runs: 11, warm: 3 };
}
