// @ts-check
/**
 * prng.mjs - the benchmark's operands, identical in every implementation.
 *
 * Mirrors the definitions in the header comment of bench/c/native.c; change
 * both together.  Maps are built by parsing joinValues(set), so every
 * implementation starts from the same text.
 */

/** The parser accepts CPUs 0..32766; sparse sets draw from the same range. */
export const CPU_LIMIT = 32767;
export const SIZES = [4, 64, 256, 1024, 4096, 8192];
/**
 * dense: A = 0..n-1, B = n/2..n/2+n-1; sparse: A and B n random cpus each
 * (neither holds the other); alt: A dense, B every other cpu of A; half: A
 * sparse, B a random half of A. In alt and half B is a real subset of A.
 * @type {readonly ['dense', 'sparse', 'alt', 'half']}
 */
export const SHAPES = ['dense', 'sparse', 'alt', 'half'];

/** @param {string} shape true where B is a real subset of A */
export const subsetShape = (shape) => shape === 'alt' || shape === 'half';
/** Probes per `has` workload (a power of two: the driver cycles with `& (NPROBES - 1)`). */
export const NPROBES = 1024;

/**
 * xorshift32 (Marsaglia 2003, shifts 13/17/5) on a uint32 state.
 * The seed is spread by a multiplication so that seeds 1, 2, 3 do not start
 * with tiny states.  `<<` works on int32 in JS: the bit pattern is the same
 * as C's uint32 arithmetic, and `>>> 0` brings it back to an unsigned value.
 */
export class Xorshift32 {
  /** @param {number} seed */
  constructor(seed) {
    this.state = Math.imul(seed, 0x9e3779b9) >>> 0;
  }

  /** @returns {number} the next uint32 */
  next() {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (this.state = x >>> 0);
  }
}

/**
 * n distinct CPUs drawn as next() % 32767, ascending.
 * @param {number} n
 * @param {number} seed
 * @returns {number[]}
 */
export function sparseSet(n, seed) {
  const rng = new Xorshift32(seed);
  const taken = new Uint8Array(CPU_LIMIT);
  for (let k = 0; k < n; ) {
    const c = rng.next() % CPU_LIMIT;
    if (!taken[c]) {
      taken[c] = 1;
      k++;
    }
  }
  const out = [];
  for (let c = 0; c < CPU_LIMIT; c++) if (taken[c]) out.push(c);
  return out;
}

/**
 * @param {number} n
 * @param {number} start
 * @returns {number[]} start .. start + n - 1
 */
export function denseSet(n, start) {
  return Array.from({ length: n }, (_, i) => start + i);
}

/**
 * First operand: dense 0..n-1, or the sparse set of seed 1.
 * @param {string} shape
 * @param {number} n
 */
export function operandA(shape, n) {
  return shape === 'sparse' || shape === 'half' ? sparseSet(n, 1) : denseSet(n, 0);
}

/**
 * Second operand (merge, intersect; is_subset and equal in alt and half):
 * dense n/2 .. n/2+n-1, or sparse seed 2 (neither operand contains the other,
 * so merge builds a new map); alt: every other cpu of A; half: the cpus of A
 * whose draw of seed 4 has bit 16 set (A's first if none).
 * @param {string} shape
 * @param {number} n
 */
export function operandB(shape, n) {
  if (shape === 'sparse') return sparseSet(n, 2);
  if (shape === 'dense') return denseSet(n, n >> 1);
  const a = operandA(shape, n);
  if (shape === 'alt') return a.filter((_, i) => i % 2 === 0);
  const rng = new Xorshift32(4);
  const half = a.filter(() => ((rng.next() >>> 16) & 1) === 1);
  return half.length > 0 ? half : [a[0]];
}

/**
 * Lookup sequence for `has`: even probes are CPUs of the map (hits), odd
 * probes are random CPUs (mostly misses for small maps).  Takes the map's
 * nr and cpu accessors with libperf's NULL semantics (nr 1, cpu -1).
 * @param {number} count
 * @param {number} nr
 * @param {(idx: number) => number} cpu
 * @returns {Int32Array}
 */
export function probes(count, nr, cpu) {
  const rng = new Xorshift32(3);
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const r = rng.next();
    out[i] = i % 2 === 0 ? cpu(r % nr) : r % CPU_LIMIT;
  }
  return out;
}

/**
 * The text the operands are parsed from: "3,17,250".
 * @param {readonly number[]} values
 */
export function joinValues(values) {
  return values.join(',');
}
