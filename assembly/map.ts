// The map block in linear memory: [u32 refcnt][i32 nr][u32 shape][i16 cpus × nr].
// A map pointer of 0 is libperf's NULL. The host reads blocks in place for
// the public queries (src/core.ts); what is here serves the operations.

import { alloc, free, isLive } from "./alloc";
import { fail, failNoMemory, STATUS_EREFCOUNT } from "./status";
import { ANY_CPU } from "./limits";
export { ANY_CPU };

export const REFCNT: usize = 0;
export const NR: usize = 4;
/** What is known of the entries' order, set once when the map is made (SORTED, RANGE). */
export const SHAPE: usize = 8;
/** Byte offset of the cpus in a block: the host reads maps in place from here. */
export const CPUS: usize = 12;
/** Shape bit: entries strictly ascending (every map libperf builds; a decoded one may not be). */
export const SORTED: u32 = 1;
/** Shape bit: entry i is entry 0 + i (implies SORTED): a map of one range, or no entry. */
export const RANGE: u32 = 2;
const SATURATED: u32 = 0xffffffff;

@inline export function nrOf(map: usize): i32 { return load<i32>(map + NR); }
@inline export function cpuAt(map: usize, i: i32): i32 {
  return <i32>load<i16>(map + CPUS + (<usize>i << 1));
}
@inline export function cpusOf(map: usize): usize { return map + CPUS; }
@inline export function shapeOf(map: usize): u32 { return load<u32>(map + SHAPE); }

/** Write `n` ascending values first, first+1, ... at `out`, 8 at a time. */
export function fillAscending(out: usize, first: i32, n: i32): void {
  let p = out;
  const end = out + (<usize>n << 1);
  let v = i16x8.add(i16x8.splat(<i16>first), i16x8(0, 1, 2, 3, 4, 5, 6, 7));
  const eight = i16x8.splat(8);
  for (; p + 16 <= end; p += 16) {
    v128.store(p, v);
    v = i16x8.add(v, eight);
  }
  for (let c = first + <i32>((p - out) >> 1); p < end; p += 2, c++) store<i16>(p, <i16>c);
}

/** Mark a map whose entries are known to be strictly ascending: SORTED, and RANGE when they have no gap. */
export function markSorted(map: usize): usize {
  if (map == 0) return 0;
  const n = nrOf(map);
  const range = n == 0 || cpuAt(map, n - 1) - cpuAt(map, 0) + 1 == n;
  store<u32>(map + SHAPE, SORTED | (range ? RANGE : 0));
  return map;
}

/** Mark a map of entries in any order (decoded, intersected): one scan. */
export function markShape(map: usize): usize {
  if (map == 0) return 0;
  const n = nrOf(map);
  for (let i = 1; i < n; i++) {
    if (cpuAt(map, i) <= cpuAt(map, i - 1)) { store<u32>(map + SHAPE, 0); return map; }
  }
  return markSorted(map);
}

/** A new block of `nr` uninitialised entries with refcount 1; 0 on ENOMEM. */
export function newMap(nr: i32): usize {
  const map = alloc(CPUS + (<usize>nr << 1));
  if (map == 0) { failNoMemory(); return 0; }
  store<u32>(map + REFCNT, 1);
  store<i32>(map + NR, nr);
  store<u32>(map + SHAPE, 0); // unknown until the maker marks it
  return map;
}

export function mapGet(map: usize): usize {
  if (map == 0) return 0;
  // refcount_t: a get after the last put is a bug; a saturated count never moves
  if (!isLive(map)) { fail(STATUS_EREFCOUNT, 0, 0); return 0; }
  const rc = load<u32>(map + REFCNT);
  if (rc != SATURATED) store<u32>(map + REFCNT, rc + 1);
  return map;
}

/** Drop one reference; returns the count left (0 when the block was freed, -1 on a bad put). */
export function mapPut(map: usize): i32 {
  if (map == 0) return 0;
  if (!isLive(map)) { fail(STATUS_EREFCOUNT, 0, 0); return -1; }
  const rc = load<u32>(map + REFCNT);
  if (rc == SATURATED) return <i32>0x7fffffff;
  if (rc == 1) {
    store<u32>(map + REFCNT, 0);
    free(map);
    return 0;
  }
  store<u32>(map + REFCNT, rc - 1);
  return <i32>(rc - 1);
}

/** The count of a live map (at least 1); 0 for NULL, and 0 with EREFCOUNT for a block that is not a live map. */
export function mapRefcnt(map: usize): u32 {
  if (map == 0) return 0;
  if (!isLive(map)) { fail(STATUS_EREFCOUNT, 0, 0); return 0; }
  return load<u32>(map + REFCNT);
}

// ---- what the set operations and the writer need (the host answers the
// public queries itself, reading blocks in place: src/core.ts) ----

/** The last entry (libperf's max: the largest only if sorted); ANY_CPU for NULL or no entry. */
export function lastCpu(map: usize): i32 {
  if (map == 0) return ANY_CPU;
  const n = nrOf(map);
  return n == 0 ? ANY_CPU : cpuAt(map, n - 1);
}

/** The largest entry wherever it stands (decoded maps may be unsorted); -32769 for no entry. */
export function trueMax(map: usize): i32 {
  const n = nrOf(map);
  let m: i32 = -32769;
  for (let i = 0; i < n; i++) {
    const v = cpuAt(map, i);
    if (v > m) m = v;
  }
  return m;
}

@inline function cpuPtr(map: usize, i: i32): usize { return map + CPUS + (<usize>i << 1); }

/** Entries from + 0..n-1 of a equal entries 0..n-1 of b (the host's equal() calls it for maps of one length). */
export function equalEntries(a: usize, from: i32, b: usize, n: i32): bool {
  // 64, then 16, bytes at a time with WebAssembly SIMD (about 3x the scalar loop)
  let p = cpuPtr(a, from), q = b + CPUS;
  let bytes = <usize>n << 1;
  for (; bytes >= 64; bytes -= 64, p += 64, q += 64) {
    const d = v128.or(
      v128.or(v128.xor(v128.load(p), v128.load(q)), v128.xor(v128.load(p, 16), v128.load(q, 16))),
      v128.or(v128.xor(v128.load(p, 32), v128.load(q, 32)), v128.xor(v128.load(p, 48), v128.load(q, 48))));
    if (v128.any_true(d)) return false;
  }
  for (; bytes >= 16; bytes -= 16, p += 16, q += 16) if (v128.any_true(v128.xor(v128.load(p), v128.load(q)))) return false;
  for (; bytes > 0; bytes -= 2, p += 2, q += 2) if (load<u16>(p) != load<u16>(q)) return false;
  return true;
}

/** Index of the first entry of a sorted map that is >= v (na when none). */
function lowerBound(a: usize, na: i32, v: i32): i32 {
  let lo: i32 = 0, n = na;
  while (n > 0) {
    const half = n >> 1;
    if (cpuAt(a, lo + half) < v) { lo += half + 1; n -= half + 1; } else n = half;
  }
  return lo;
}

/**
 * For b and a strictly ascending, 0 < nb <= na: true when the shapes show
 * that every cpu of b is in a; false when they show it is not, or (-1) when
 * only a walk can tell.
 */
function sortedSubset(a: usize, na: i32, b: usize, nb: i32): i32 {
  const bFirst = cpuAt(b, 0), bLast = cpuAt(b, nb - 1);
  const aFirst = cpuAt(a, 0), aLast = cpuAt(a, na - 1);
  if (bFirst < aFirst || bLast > aLast) return 0;
  // a holds every value between its ends
  if ((shapeOf(a) & RANGE) != 0) return 1;
  // the entries of a from b's first on must run through b's range without a gap
  const at = lowerBound(a, na, bFirst);
  if ((shapeOf(b) & RANGE) != 0) return at + nb <= na && cpuAt(a, at + nb - 1) == bLast ? 1 : 0;
  // as many entries left in a as in b: contained means the same entries
  if (at + nb == na) return equalEntries(a, at, b, nb) ? 1 : 0;
  return -1;
}

/**
 * "Is b contained in a": libperf's cursor walk, which assumes sorted maps,
 * with 8-lane block steps that take exactly the steps the walk would (8
 * equal pairs advance both; 8 entries of a below b's current one advance a),
 * so unsorted maps give libperf's answer too.
 */
export function mapIsSubset(a: usize, b: usize): bool {
  if (a == b || b == 0) return true;
  if (a == 0) return false;
  const na = nrOf(a);
  const nb = nrOf(b);
  if (nb > na) return false;
  if (nb == 0) return true; // a zero-length map (CpuMap.empty) is contained in anything
  // For strictly ascending maps the walk answers "every cpu of b is in a",
  // which their shapes answer faster (the walk below stays for the others).
  if ((shapeOf(a) & shapeOf(b) & SORTED) != 0) {
    const known = sortedSubset(a, na, b, nb);
    if (known >= 0) return known == 1;
  }
  let i: i32 = 0, j: i32 = 0;
  while (i < na) {
    if (i + 8 <= na && j + 8 <= nb) {
      // cheap scalar filters first; the v128 test decides
      const a0 = cpuAt(a, i), a7 = cpuAt(a, i + 7), b0 = cpuAt(b, j);
      if (a0 == b0 && a7 == cpuAt(b, j + 7)) {
        if (i16x8.all_true(i16x8.eq(v128.load(cpuPtr(a, i)), v128.load(cpuPtr(b, j))))) {
          i += 8;
          j += 8;
          if (j == nb) return true;
          continue;
        }
      } else if (a7 < b0) {
        if (i16x8.all_true(i16x8.lt_s(v128.load(cpuPtr(a, i)), i16x8.splat(<i16>b0)))) { i += 8; continue; }
      }
    }
    // up to 8 scalar steps before the next block attempt
    const stop = i + 8 < na ? i + 8 : na;
    for (; i < stop; i++) {
      const va = cpuAt(a, i), vb = cpuAt(b, j);
      if (va > vb) return false;
      if (va == vb) {
        j++;
        if (j == nb) return true;
      }
    }
  }
  return false;
}
