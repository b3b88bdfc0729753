// @ts-check
/**
 * pure-ts.mjs - the cpumap a user would write in plain TypeScript without
 * wasm: a refcounted class over a sorted Int16Array, the same grammar and
 * semantics as libperf (docs/contract.md, sections in
 * brackets), written the obvious way: correct, not tuned (a Set catches
 * duplicate CPUs in the parser, strings are built by concatenation, payloads
 * through a DataView).
 *
 * The empty map is `null`, as in libperf.  Instance methods need a map; the
 * static methods and the *Of helpers accept null with libperf's meaning
 * (nr 1, cpu -1, list "-1").
 */

const LIMIT = 32767; // parser rejects CPUs >= 32767 [§1]
const SAT = 2 ** 24; // numbers saturate here: anything >= LIMIT fails anyway
const RECORD_CPU_MAP = 74;
const CPUS = 0;
const MASK = 1;
const RANGE = 2;
const HEX = '0123456789abcdef';

/** @param {number} c */
const isDigit = (c) => c >= 48 && c <= 57;
/** C-locale isspace: space, \t \n \v \f \r. @param {number} c */
const isSpace = (c) => c === 32 || (c >= 9 && c <= 13);

/** @param {number} c a char code; 99 when not a hex digit */
function digitValue(c) {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return 99;
}

/**
 * strtoul(s + p, &end, 0) within [p, e): white space, an optional sign
 * (negative non-zero wraps to a huge value, "-0" is 0), automatic base.
 * "0x" is a prefix only when a hex digit follows.  No digits: 0, end = p.
 * @param {string} s
 * @param {number} p
 * @param {number} e
 * @returns {{ value: number, end: number }}
 */
export function readNumber(s, p, e) {
  let q = p;
  let neg = false;
  let base = 10;
  let value = 0;
  let any = false;
  while (q < e && isSpace(s.charCodeAt(q))) q++;
  if (q < e && (s[q] === '+' || s[q] === '-')) neg = s[q++] === '-';
  if (q < e && s[q] === '0') {
    if (q + 2 < e && (s[q + 1] === 'x' || s[q + 1] === 'X') && digitValue(s.charCodeAt(q + 2)) < 16) {
      base = 16;
      q += 2;
    } else {
      base = 8;
    }
  }
  for (; q < e; q++) {
    const d = digitValue(s.charCodeAt(q));
    if (d >= base) break;
    any = true;
    if (value < SAT) value = value * base + d;
  }
  if (!any) return { value: 0, end: p };
  if (value > SAT || (neg && value !== 0)) value = SAT;
  return { value, end: q };
}

/**
 * Sorted, duplicate-free copy.  Merging sorted maps gives sorted output, so
 * the sort only runs for decoded (unsorted) inputs.
 * @param {number[]} values
 * @returns {Int16Array}
 */
function normalise(values) {
  const c = Int16Array.from(values);
  let ascending = true;
  for (let k = 1; k < c.length && ascending; k++) ascending = c[k] > c[k - 1];
  if (ascending) return c;
  c.sort(); // typed arrays sort numerically
  let n = 1;
  for (let k = 1; k < c.length; k++) if (c[k] !== c[n - 1]) c[n++] = c[k];
  return c.slice(0, n);
}

/**
 * The CPUs of a list [§3.1], sorted, or null.  Reads up to the first NUL.
 * "" gives [-1]; a syntax error, a duplicate or a CPU >= 32767 gives null.
 * Text after a separator that is not followed by a digit is ignored ("0, 1"
 * is [0]).  Shared with test/model.ts, whose parser this is.
 * @param {string} text
 * @returns {Int16Array | null}
 */
export function parseCpus(text) {
  const nul = text.indexOf('\0');
  const e = nul < 0 ? text.length : nul;
  if (e === 0) return Int16Array.of(-1);
  if (!isDigit(text.charCodeAt(0))) return null;
  const seen = new Set();
  /** @type {number[]} */
  const cpus = [];
  let p = 0;
  while (p < e && isDigit(text.charCodeAt(p))) {
    const a = readNumber(text, p, e);
    const first = a.value;
    p = a.end;
    if (first >= LIMIT) return null;
    if (p < e && text[p] !== ',' && text[p] !== '-' && text[p] !== '\n') return null;
    let last = first;
    if (p < e && text[p] === '-') {
      const b = readNumber(text, p + 1, e); // may skip spaces and a sign
      last = b.value;
      p = b.end;
      if (last >= LIMIT) return null;
      if (p < e && text[p] !== ',' && text[p] !== '\n') return null;
      if (last < first) return null;
    }
    for (let c = first; c <= last; c++) {
      if (seen.has(c)) return null; // duplicates are errors, not merged
      seen.add(c);
      cpus.push(c);
    }
    if (p < e) p++; // exactly one separator
  }
  return Int16Array.from(cpus).sort(); // typed arrays sort numerically
}

/**
 * List format [§6.1] of entries in index order: "0-3,8".  Values print
 * signed: [-1,0,1] is "-1-1".  Shared with test/model.ts and workload.mjs.
 * @param {ArrayLike<number>} c
 */
export function listText(c) {
  const parts = [];
  for (let i = 0; i < c.length; ) {
    let j = i;
    while (j + 1 < c.length && c[j + 1] === c[j] + 1) j++;
    parts.push(j > i ? `${c[i]}-${c[j]}` : `${c[i]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/**
 * Mask format [§6.2] of entries: "1,00000003".  null when one is negative
 * (undefined upstream) or there is none.  Sized by the last entry: an
 * unsorted decoded map's CPUs above it do not show.  Shared with
 * test/model.ts and workload.mjs.
 * @param {ArrayLike<number>} cpus
 * @returns {string | null}
 */
export function maskText(cpus) {
  const top = cpus.length > 0 ? cpus[cpus.length - 1] : -1;
  if (top < 0) return null;
  const nibbles = new Uint8Array((top >> 2) + 1);
  for (let i = 0; i < cpus.length; i++) {
    const c = cpus[i];
    if (c < 0) return null;
    if (c <= top) nibbles[c >> 2] |= 1 << (c & 3);
  }
  let s = '';
  for (let k = nibbles.length - 1; k >= 0; k--) {
    s += HEX[nibbles[k]];
    if (k > 0 && k % 8 === 0) s += ','; // after the digit holding CPU 32, 64, ...
  }
  return s;
}

export class CpuMap {
  /** @param {Int16Array} cpus sorted and unique, except for decoded maps [§7.4] */
  constructor(cpus) {
    /** @type {Int16Array} */
    this.cpus = cpus;
    this.refcnt = 1;
  }

  /** The any-CPU map [-1]. */
  static anyCpu() {
    return new CpuMap(Int16Array.of(-1));
  }

  /**
   * Parse a CPU list [§3.1] (see parseCpus).
   * @param {string} text
   * @returns {CpuMap | null}
   */
  static parse(text) {
    const cpus = parseCpus(text);
    return cpus && new CpuMap(cpus);
  }

  /** One more reference to this map (the same object). */
  get() {
    this.refcnt++;
    return this;
  }

  /** Drop a reference; the last one releases the array (later use throws). */
  put() {
    if (--this.refcnt === 0) this.cpus = /** @type {any} */ (null);
  }

  nr() {
    return this.cpus.length;
  }

  /** @param {number} i @returns {number} entry i, or -1 out of range */
  cpu(i) {
    return i >= 0 && i < this.cpus.length ? this.cpus[i] : -1;
  }

  /** libperf's binary search [§4]; -1 when not found. @param {number} cpu */
  idx(cpu) {
    let low = 0;
    let high = this.cpus.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      const v = this.cpus[mid];
      if (v === cpu) return mid;
      if (v > cpu) high = mid;
      else low = mid + 1;
    }
    return -1;
  }

  /** @param {number} cpu */
  has(cpu) {
    return this.idx(cpu) !== -1;
  }

  /** First entry that is not -1, else -1. */
  min() {
    for (const c of this.cpus) if (c !== -1) return c;
    return -1;
  }

  /** The last entry (the largest for sorted maps). */
  max() {
    return this.cpus[this.cpus.length - 1];
  }

  /** List format [§6.1] (listText). */
  toString() {
    return listText(this.cpus);
  }

  /** Mask format [§6.2] (maskText): null when the map holds a negative value. */
  toMask() {
    return maskText(this.cpus);
  }

  /** @returns {Uint8Array | null} the whole PERF_RECORD_CPU_MAP event */
  encode() {
    return CpuMap.encode(this);
  }

  /**
   * Identity is a match, so null equals null [§4].
   * @param {CpuMap | null} a
   * @param {CpuMap | null} b
   */
  static equal(a, b) {
    if (a === b) return true;
    if (!a || !b || a.cpus.length !== b.cpus.length) return false;
    for (let i = 0; i < a.cpus.length; i++) if (a.cpus[i] !== b.cpus[i]) return false;
    return true;
  }

  /**
   * Is b contained in a?  null b: true; null a: false [§4].
   * @param {CpuMap | null} a
   * @param {CpuMap | null} b
   */
  static isSubset(a, b) {
    if (a === b || !b) return true;
    if (!a || b.cpus.length > a.cpus.length) return false;
    let j = 0;
    for (let i = 0; i < a.cpus.length; i++) {
      if (a.cpus[i] > b.cpus[j]) return false;
      if (a.cpus[i] === b.cpus[j] && ++j === b.cpus.length) return true;
    }
    return false;
  }

  /**
   * Union [§5.1].  Consumes the caller's reference to `orig` and returns
   * the new value for it: `orig` itself when `other` adds nothing, another
   * reference to `other` when `orig` is contained in it, else a new map.
   * `other`'s reference is not consumed.
   * @param {CpuMap | null} orig
   * @param {CpuMap | null} other
   * @returns {CpuMap | null}
   */
  static merge(orig, other) {
    if (CpuMap.isSubset(orig, other)) return orig;
    if (CpuMap.isSubset(other, orig)) {
      orig?.put();
      return /** @type {CpuMap} */ (other).get();
    }
    const a = /** @type {CpuMap} */ (orig).cpus;
    const b = /** @type {CpuMap} */ (other).cpus;
    /** @type {number[]} */
    const out = [];
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] <= b[j]) {
        if (a[i] === b[j]) j++; // equal: keep orig's entry
        out.push(a[i++]);
      } else {
        out.push(b[j++]);
      }
    }
    while (i < a.length) out.push(a[i++]);
    while (j < b.length) out.push(b[j++]);
    /** @type {CpuMap} */ (orig).put();
    return new CpuMap(normalise(out));
  }

  /**
   * Intersection [§5.2]: a new reference, possibly to an input; null when
   * empty.
   * @param {CpuMap | null} a
   * @param {CpuMap | null} b
   * @returns {CpuMap | null}
   */
  static intersect(a, b) {
    if (CpuMap.isSubset(b, a)) return a ? a.get() : null;
    if (CpuMap.isSubset(a, b)) return b ? b.get() : null;
    const x = /** @type {CpuMap} */ (a).cpus;
    const y = /** @type {CpuMap} */ (b).cpus;
    /** @type {number[]} */
    const out = [];
    for (let i = 0, j = 0; i < x.length && j < y.length; ) {
      if (x[i] < y[j]) i++;
      else if (x[i] > y[j]) j++;
      else {
        out.push(x[i]);
        i++;
        j++;
      }
    }
    return out.length ? new CpuMap(Int16Array.from(out)) : null;
  }

  /**
   * Whole PERF_RECORD_CPU_MAP event [§7.1-7.2] (8-byte header + payload):
   * upstream's choice of kind, with the MASK word count written fixed to
   * ceil((max + 1) / 32) (the rule of assembly/payload.ts).  null if the
   * event would not fit the u16 size field.
   * @param {CpuMap | null} m
   * @returns {Uint8Array | null}
   */
  static encode(m) {
    const nr = nrOf(m);
    const any = cpuOf(m, 0) === -1 ? 1 : 0;
    const lo = cpuOf(m, any ? 1 : 0);
    const hi = maxOf(m);
    let kind = RANGE;
    let payload = 8;
    let words = 0;
    if (hi - lo + 1 !== nr - any) {
      // upstream's choice (MASK size from ceil(hi / 32) words, CPUS when
      // any_cpu is set or strictly smaller; a negative value has no mask),
      // but ceil((top + 1) / 32) words written: assembly/payload.ts's rule
      let maskOk = !any;
      let top = -1;
      for (let i = 0; maskOk && i < nr; i++) {
        const c = cpuOf(m, i);
        if (c < 0) maskOk = false;
        if (c > top) top = c;
      }
      if (!maskOk || 4 + 2 * nr < 6 + 4 * ((hi + 31) >> 5)) {
        kind = CPUS;
        payload = 4 + 2 * nr;
      } else {
        kind = MASK;
        words = (top + 32) >> 5;
        payload = 6 + 4 * words;
      }
    }
    const total = 8 + ((payload + 7) & ~7);
    if (total > 0xffff) return null;
    const out = new Uint8Array(total);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, RECORD_CPU_MAP, true);
    dv.setUint16(6, total, true);
    dv.setUint16(8, kind, true);
    if (kind === RANGE) {
      out[10] = any;
      dv.setUint16(12, lo & 0xffff, true);
      dv.setUint16(14, hi & 0xffff, true);
    } else if (kind === CPUS) {
      dv.setUint16(10, nr, true);
      for (let i = 0; i < nr; i++) dv.setUint16(12 + 2 * i, cpuOf(m, i) & 0xffff, true);
    } else {
      dv.setUint16(10, words, true);
      dv.setUint16(12, 4, true); // long_size: 32-bit words
      for (const c of /** @type {CpuMap} */ (m).cpus) {
        const at = 14 + 4 * (c >> 5);
        dv.setUint32(at, (dv.getUint32(at, true) | (1 << (c & 31))) >>> 0, true);
      }
    }
    return out;
  }

  /**
   * Decode a payload (header excluded) [§7.4].  CPUS keeps the stored order;
   * null on any error, including a truncated payload.
   * @param {Uint8Array} payload
   * @returns {CpuMap | null}
   */
  static decode(payload) {
    const len = payload.length;
    const dv = new DataView(payload.buffer, payload.byteOffset, len);
    if (len < 2) return null;
    const type = dv.getUint16(0, true);
    if (type === CPUS) {
      if (len < 4) return null;
      const nr = dv.getUint16(2, true);
      if (nr === 0 || 4 + 2 * nr > len) return null;
      const cpus = new Int16Array(nr);
      for (let i = 0; i < nr; i++) {
        const v = dv.getUint16(4 + 2 * i, true);
        if (v >= LIMIT && v !== 0xffff) return null;
        cpus[i] = v; // Int16Array stores 0xffff as -1
      }
      return new CpuMap(cpus);
    }
    if (type === MASK) {
      if (len < 6) return null;
      const words = dv.getUint16(2, true);
      const wide = dv.getUint16(4, true) !== 4; // else 64-bit words at offset 10
      const base = wide ? 10 : 6;
      const halves = words * (wide ? 2 : 1); // a u64 word is two u32 halves, low first
      if (base + 4 * halves > len) return null;
      /** @type {number[]} */
      const cpus = [];
      for (let i = 0; i < halves; i++) {
        const w = dv.getUint32(base + 4 * i, true);
        for (let bit = 0; bit < 32; bit++) {
          if ((w >>> bit) & 1) {
            if (i * 32 + bit >= LIMIT) return null;
            cpus.push(i * 32 + bit);
          }
        }
      }
      return cpus.length ? new CpuMap(Int16Array.from(cpus)) : null;
    }
    if (type === RANGE) {
      if (len < 8) return null;
      const any = payload[2]; // a count upstream: any_cpu = 2 gives two -1 slots
      const start = dv.getUint16(4, true);
      const end = dv.getUint16(6, true);
      if (start >= LIMIT || end >= LIMIT || end < start - 1) return null;
      const nr = end - start + 1 + any;
      if (nr === 0) return null;
      const cpus = new Int16Array(nr).fill(-1);
      for (let c = start, i = any ? 1 : 0; c <= end; c++) cpus[i++] = c;
      return new CpuMap(cpus);
    }
    return null;
  }
}

/** nr with libperf's NULL meaning (1). @param {CpuMap | null} m */
export const nrOf = (m) => (m ? m.nr() : 1);
/** cpu with libperf's NULL meaning (-1). @param {CpuMap | null} m @param {number} i */
export const cpuOf = (m, i) => (m ? m.cpu(i) : -1);
/** max; -1 for null (latest libperf). @param {CpuMap | null} m */
export const maxOf = (m) => (m ? m.max() : -1);
/** min; -1 for null. @param {CpuMap | null} m */
export const minOf = (m) => (m ? m.min() : -1);
/** List format; "-1" for null. @param {CpuMap | null} m */
export const listOf = (m) => (m ? m.toString() : '-1');
