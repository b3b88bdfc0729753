// The map block in linear memory: [u32 refcnt][i32 nr][i16 cpus × nr].
// A map pointer of 0 is libperf's NULL. The host reads blocks in place for
// the public queries (src/core.ts); what is here serves the operations.

import { alloc, free, isLive } from "./alloc";
import { fail, failNoMemory, STATUS_EREFCOUNT } from "./status";
import { ANY_CPU } from "./limits";
export { ANY_CPU };

export const REFCNT: usize = 0;
export const NR: usize = 4;
/** Byte offset of the cpus in a block: the host reads maps in place from here. */
export const CPUS: usize = 8;
const SATURATED: u32 = 0xffffffff;

@inline export function nrOf(map: usize): i32 { return load<i32>(map + NR); }
@inline export function cpuAt(map: usize, i: i32): i32 {
  return <i32>load<i16>(map + CPUS + (<usize>i << 1));
}
@inline export function cpusOf(map: usize): usize { return map + CPUS; }

/** A new block of `nr` uninitialised entries with refcount 1; 0 on ENOMEM. */
export function newMap(nr: i32): usize {
  const map = alloc(CPUS + (<usize>nr << 1));
  if (map == 0) { failNoMemory(); return 0; }
  store<u32>(map + REFCNT, 1);
  store<i32>(map + NR, nr);
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

export function mapEqual(a: usize, b: usize): bool {
  if (a == b) return true;
  if (a == 0 || b == 0) return false;
  const n = nrOf(a);
  if (n != nrOf(b)) return false;
  // 64, then 16, bytes at a time with WebAssembly SIMD (about 3x the scalar loop)
  let p = a + CPUS, q = b + CPUS;
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
