// @ts-check
/**
 * workload.mjs - the benchmark's cases (shape x size), their inputs, and a
 * plain-array model of every operation's result, used for two things:
 *
 *   - the expected checksum of a timed batch: every op loop returns the sum of
 *     its results, and the harness compares it with expectedSum(op, n) after
 *     every batch (so the work is consumed and verified, not just "used");
 *   - the text of the agreement lines (agreementLines below formats what an
 *     implementation computed; bench/c/native.c --dump prints the same lines).
 *
 * Operands and probes come from prng.mjs, which mirrors native.c.
 */
import { CPU_LIMIT, NPROBES, SHAPES, SIZES, joinValues, operandA, operandB, probes, subsetShape } from './prng.mjs';
import { listText, maskText } from './pure-ts.mjs';

export { SHAPES, SIZES, NPROBES };

/** Every timed operation, in native.c's order. */
export const OPS = /** @type {const} */ ([
  'parse', 'format_list', 'format_mask', 'iterate', 'has', 'equal',
  'is_subset', 'merge', 'intersect', 'get_put', 'encode', 'decode',
]);

/** Long texts shown as "#<FNV-1a 32>/<length>", exactly as native.c's show(). */
export const SHOW_MAX = 160;

/** @param {string} s */
export function show(s) {
  if (s.length <= SHOW_MAX) return s;
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return `#${h.toString(16).padStart(8, '0')}/${s.length}`;
}

/** Size of the PERF_RECORD_CPU_MAP event for sorted non-negative values (assembly/payload.ts rule). */
export function eventSize(v) {
  const n = v.length;
  const lo = v[0];
  const hi = v[n - 1];
  if (hi - lo + 1 === n) return 16;
  const cpus = 4 + 2 * n;
  const payload = cpus < 6 + 4 * ((hi + 31) >> 5) ? cpus : 6 + 4 * ((hi + 32) >> 5);
  return 8 + ((payload + 7) & ~7);
}

/**
 * One benchmark case: operands, the text every implementation parses, the
 * probes for `has`, and the model's results.
 * @param {'dense' | 'sparse'} shape
 * @param {number} size
 */
export function makeCase(shape, size) {
  const a = operandA(shape, size);
  const b = operandB(shape, size);
  const aSet = new Set(a);
  const bSet = new Set(b);
  const union = [...new Set([...a, ...b])].sort((x, y) => x - y);
  const inter = a.filter((c) => bSet.has(c));
  const pr = probes(NPROBES, a.length, (i) => a[i]);
  const hitPrefix = new Int32Array(NPROBES + 1);
  for (let i = 0; i < NPROBES; i++) hitPrefix[i + 1] = hitPrefix[i] + (aSet.has(pr[i]) ? 1 : 0);
  const text = listText(a);
  const text2 = subsetShape(shape) ? listText(b) : text;
  return {
    shape,
    size,
    label: `${shape}-${size}`,
    a,
    b,
    /** What A and B are built from (native.c: comma-joined values). */
    aJoined: joinValues(a),
    bJoined: joinValues(b),
    /** Canonical list text of A: what `parse` is timed on. */
    text,
    /** Text of A2, the second operand of equal and is_subset: A's again, or B's in alt and half. */
    text2,
    probes: pr,
    model: {
      nrA: a.length,
      sumA: a.reduce((s, c) => s + c, 0),
      list: text,
      mask: maskText(a),
      union,
      inter,
      hits: hitPrefix[NPROBES],
      hitPrefix,
      eventSize: eventSize(a),
      /** equal(A, A2) */
      equalA2: text2 === text ? 1 : 0,
    },
  };
}

/** @typedef {ReturnType<typeof makeCase>} Case */

/** Every case, dense first, sizes ascending (native.c's order). */
export function allCases() {
  /** @type {Case[]} */
  const out = [];
  for (const shape of SHAPES) for (const size of SIZES) out.push(makeCase(shape, size));
  return out;
}

/**
 * The checksum an op loop of n iterations must return (native.c's header
 * comment lists the same per-op values).
 * @param {Case} c
 * @param {string} op
 * @param {number} n
 */
export function expectedSum(c, op, n) {
  const m = c.model;
  switch (op) {
    case 'parse':
    case 'decode':
      return n * m.nrA;
    case 'format_list':
      return n * m.list.length;
    case 'format_mask':
      return n * m.mask.length;
    case 'iterate':
      return n * m.sumA;
    case 'has':
      return Math.floor(n / NPROBES) * m.hits + m.hitPrefix[n % NPROBES];
    case 'equal':
      return n * m.equalA2;
    case 'is_subset':
    case 'get_put':
      return n;
    case 'merge':
      return n * m.union.length;
    case 'intersect':
      return n * m.inter.length;
    case 'encode':
      return n * m.eventSize;
    default:
      throw new Error(`expectedSum: unknown op ${op}`);
  }
}

/**
 * What an implementation computed for one case, as the lines native.c
 * --dump prints. Maps are given as arrays of their entries (an empty or NULL
 * result as []); booleans as 0/1.
 * @param {string} label
 * @param {object} r
 * @param {number[]} r.parsed      entries of parse(text of A)
 * @param {string} r.list          list format of A
 * @param {string | null} r.mask   mask format of A (null: failed)
 * @param {number[]} r.iterated    cpu(A, i) for i < nr(A), via nr/cpu
 * @param {number[]} r.has         has(A, probe) for the 1024 probes
 * @param {number[]} r.idx         idx(A, last), idx(A, first), idx(A, 0), idx(A, 32766)
 * @param {number[]} r.equal       equal(A, A2), equal(A, B)
 * @param {number[]} r.isSubset    is_subset(A, A2), (A, B), (B, A)   ("second in first")
 * @param {number[]} r.merged      entries of the union
 * @param {number[]} r.intersected entries of the intersection
 * @param {number[]} r.refcounts   refcount of A before get, after get, after put
 * @param {Uint8Array} r.event     encode(A), header included
 * @param {number[]} r.decoded     entries of decode(payload of that event)
 */
export function agreementLines(label, r) {
  const hexOf = (/** @type {Uint8Array} */ b) => Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');
  const mapShow = (/** @type {number[]} */ v) => (v.length ? show(listText(v)) : '');
  const hits = r.has.reduce((s, x) => s + x, 0);
  const L = [
    `parse ${r.parsed.length} ${show(listText(r.parsed))}`,
    `format_list ${r.list.length} ${show(r.list)}`,
    `format_mask ${r.mask === null ? '-1 ERR' : `${r.mask.length} ${show(r.mask)}`}`,
    `iterate ${r.iterated.length} ${r.iterated.reduce((s, x) => s + x, 0)} ${show(r.iterated.join(','))}`,
    `has ${hits} ${show(r.has.join(''))}`,
    `idx ${r.idx.join(' ')}`,
    `equal ${r.equal.join(' ')}`,
    `is_subset ${r.isSubset.join(' ')}`,
    `merge ${r.merged.length} ${mapShow(r.merged)}`,
    `intersect ${r.intersected.length} ${mapShow(r.intersected)}`,
    `get_put ${r.refcounts.join(' ')}`,
    `encode ${r.event.length} ${show(hexOf(r.event))}`,
    `decode ${r.decoded.length} ${mapShow(r.decoded)}`,
  ];
  return L.map((l) => `${label} ${l}`);
}

/** Maps used to measure memory per map: about 16 MB of CPU arrays per size (native.c memory_maps). */
export function memoryMaps(size) {
  return Math.max(1000, Math.min(20000, Math.floor(16e6 / (2 * size + 16))));
}

export { CPU_LIMIT };
