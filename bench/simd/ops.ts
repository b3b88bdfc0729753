// Experimental variants of the core's hot loops, built with WebAssembly SIMD
// (asc --enable simd, bench/simd/asconfig.json) into bench/build/simd.wasm.
//
// The module re-exports the whole core (assembly/index.ts, unmodified), so the
// "scalar" figures are the core's own functions compiled with the same
// options, and every variant below uses the core's allocator and map layout
// ([u32 refcnt][i32 nr][i16 cpus]). bench/simd/run.mjs checks that each
// variant returns exactly what the core returns, then times both.
//
// Variants:
//   equalV        v128 compare, 64 bytes per step (core: memory.compare, u64 steps)
//   isSubsetV     the libperf cursor walk with two block steps: 8 equal lanes
//                 (advance both by 8) and 8 lanes of `a` below b[j] (skip 8)
//   intersectV    core's intersect (subset tests, count walk, write walk) with
//                 the same block steps in both walks
//   intersectB    branchless scalar walks (no SIMD)
//   mergeV        core's union with block steps (8 equal: copy once; 8 of one
//                 side below the other's head: copy them)
//   mergeB        branchless scalar union walks (no SIMD)
//   decodeV       RANGE payloads: memory.fill + an i16x8 counter (core: two scalar loops)
//   bm*           a bitmap representation (1 bit per cpu): equal, subset,
//                 or, and on u32 words, scalar (u64 steps) and v128

export * from "../../assembly/index";

import { newMap, nrOf, cpuAt, cpusOf, mapGet, CPUS } from "../../assembly/map";
import { decode as coreDecode } from "../../assembly/payload";
import { clearStatus } from "../../assembly/status";
import { alloc, free } from "../../assembly/alloc";

@inline function at(map: usize, i: i32): usize { return map + CPUS + (<usize>i << 1); }

// ---------------------------------------------------------------- equal

export function equalV(a: usize, b: usize): bool {
  if (a == b) return true;
  if (a == 0 || b == 0) return false;
  const n = nrOf(a);
  if (n != nrOf(b)) return false;
  let p = a + CPUS, q = b + CPUS;
  let bytes = <usize>n << 1;
  while (bytes >= 64) {
    const d = v128.or(
      v128.or(v128.xor(v128.load(p), v128.load(q)), v128.xor(v128.load(p, 16), v128.load(q, 16))),
      v128.or(v128.xor(v128.load(p, 32), v128.load(q, 32)), v128.xor(v128.load(p, 48), v128.load(q, 48))));
    if (v128.any_true(d)) return false;
    p += 64; q += 64; bytes -= 64;
  }
  while (bytes >= 16) {
    if (v128.any_true(v128.xor(v128.load(p), v128.load(q)))) return false;
    p += 16; q += 16; bytes -= 16;
  }
  while (bytes >= 2) {
    if (load<u16>(p) != load<u16>(q)) return false;
    p += 2; q += 2; bytes -= 2;
  }
  return true;
}

// ---------------------------------------------------------------- is_subset

/** "Is b contained in a", libperf's walk, with 8-lane block steps. */
export function isSubsetV(a: usize, b: usize): bool {
  if (a == b || b == 0) return true;
  if (a == 0) return false;
  const na = nrOf(a);
  const nb = nrOf(b);
  if (nb > na) return false;
  if (nb == 0) return true;
  let i: i32 = 0, j: i32 = 0;
  while (i < na) {
    if (i + 8 <= na && j + 8 <= nb) {
      // cheap scalar filters first; the v128 test decides
      const a0 = cpuAt(a, i), a7 = cpuAt(a, i + 7), b0 = cpuAt(b, j);
      if (a0 == b0 && a7 == cpuAt(b, j + 7)) {
        if (i16x8.all_true(i16x8.eq(v128.load(at(a, i)), v128.load(at(b, j))))) {
          i += 8; j += 8;
          if (j == nb) return true;
          continue;
        }
      } else if (a7 < b0) {
        if (i16x8.all_true(i16x8.lt_s(v128.load(at(a, i)), i16x8.splat(<i16>b0)))) { i += 8; continue; }
      }
    }
    // up to 8 scalar steps before the next block attempt
    const stop = i + 8 < na ? i + 8 : na;
    for (; i < stop; i++) {
      const va = cpuAt(a, i), vb = cpuAt(b, j);
      if (va > vb) return false;
      if (va == vb) { j++; if (j == nb) return true; }
    }
  }
  return false;
}

// ---------------------------------------------------------------- intersect

/** The two-cursor walk with block steps; writes the common values at `out` if out != 0; returns their count. */
@inline function interWalkV(a: usize, b: usize, out: usize): i32 {
  const na = nrOf(a), nb = nrOf(b);
  let i: i32 = 0, j: i32 = 0, n: i32 = 0;
  let o = out;
  while (i < na && j < nb) {
    if (i + 8 <= na && j + 8 <= nb) {
      const a0 = cpuAt(a, i), a7 = cpuAt(a, i + 7), b0 = cpuAt(b, j), b7 = cpuAt(b, j + 7);
      if (a0 == b0 && a7 == b7) {
        const va = v128.load(at(a, i));
        if (i16x8.all_true(i16x8.eq(va, v128.load(at(b, j))))) {
          if (out != 0) { v128.store(o, va); o += 16; }
          n += 8; i += 8; j += 8;
          continue;
        }
      } else if (a7 < b0) {
        if (i16x8.all_true(i16x8.lt_s(v128.load(at(a, i)), i16x8.splat(<i16>b0)))) { i += 8; continue; }
      } else if (b7 < a0) {
        if (i16x8.all_true(i16x8.lt_s(v128.load(at(b, j)), i16x8.splat(<i16>a0)))) { j += 8; continue; }
      }
    }
    let k = 8;
    while (k-- > 0 && i < na && j < nb) {
      const va = cpuAt(a, i), vb = cpuAt(b, j);
      if (va < vb) i++;
      else if (va > vb) j++;
      else { if (out != 0) { store<i16>(o, <i16>va); o += 2; } n++; i++; j++; }
    }
  }
  return n;
}

export function intersectV(orig: usize, other: usize): usize {
  clearStatus();
  if (isSubsetV(other, orig)) return mapGet(orig);
  if (isSubsetV(orig, other)) return mapGet(other);
  const n = interWalkV(orig, other, 0);
  if (n == 0) return 0;
  const out = newMap(n);
  if (out == 0) return 0;
  interWalkV(orig, other, cpusOf(out));
  return out;
}

/** Branchless walks (select instead of branches), scalar. */
export function intersectB(orig: usize, other: usize): usize {
  clearStatus();
  if (isSubsetB(other, orig)) return mapGet(orig);
  if (isSubsetB(orig, other)) return mapGet(other);
  const na = nrOf(orig), nb = nrOf(other);
  let i: i32 = 0, j: i32 = 0, n: i32 = 0;
  while (i < na && j < nb) {
    const va = cpuAt(orig, i), vb = cpuAt(other, j);
    n += <i32>(va == vb);
    i += <i32>(va <= vb);
    j += <i32>(vb <= va);
  }
  if (n == 0) return 0;
  const out = newMap(n);
  if (out == 0) return 0;
  let o = cpusOf(out);
  i = 0; j = 0;
  while (i < na && j < nb) {
    const va = cpuAt(orig, i), vb = cpuAt(other, j);
    store<i16>(o, <i16>va);
    o += <usize>(<i32>(va == vb) << 1);
    i += <i32>(va <= vb);
    j += <i32>(vb <= va);
  }
  return out;
}

/** The subset walk without data-dependent branches except the exits. */
export function isSubsetB(a: usize, b: usize): bool {
  if (a == b || b == 0) return true;
  if (a == 0) return false;
  const na = nrOf(a);
  const nb = nrOf(b);
  if (nb > na) return false;
  if (nb == 0) return true;
  let j: i32 = 0;
  for (let i = 0; i < na; i++) {
    const va = cpuAt(a, i), vb = cpuAt(b, j);
    if (va > vb) return false;
    j += <i32>(va == vb);
    if (j == nb) return true;
  }
  return false;
}

// ---------------------------------------------------------------- merge (union)

@inline function strictlyAscendingV(map: usize): bool {
  const n = nrOf(map);
  let i: i32 = 0;
  for (; i + 9 <= n; i += 8) {
    if (!i16x8.all_true(i16x8.lt_s(v128.load(at(map, i)), v128.load(at(map, i + 1))))) return false;
  }
  for (i = i > 0 ? i : 1; i < n; i++) if (cpuAt(map, i - 1) >= cpuAt(map, i)) return false;
  return true;
}

@inline function strictlyAscending(map: usize): bool {
  const n = nrOf(map);
  for (let i = 1; i < n; i++) if (cpuAt(map, i - 1) >= cpuAt(map, i)) return false;
  return true;
}

/** Union walk with block steps; writes at out if out != 0; returns the count. */
@inline function unionWalkV(a: usize, b: usize, out: usize): i32 {
  const na = nrOf(a), nb = nrOf(b);
  let i: i32 = 0, j: i32 = 0, n: i32 = 0;
  let o = out;
  while (i < na && j < nb) {
    if (i + 8 <= na && j + 8 <= nb) {
      const a0 = cpuAt(a, i), a7 = cpuAt(a, i + 7), b0 = cpuAt(b, j), b7 = cpuAt(b, j + 7);
      if (a0 == b0 && a7 == b7) {
        const va = v128.load(at(a, i));
        if (i16x8.all_true(i16x8.eq(va, v128.load(at(b, j))))) {
          if (out != 0) { v128.store(o, va); o += 16; }
          n += 8; i += 8; j += 8;
          continue;
        }
      } else if (a7 < b0) {
        const va = v128.load(at(a, i));
        if (i16x8.all_true(i16x8.lt_s(va, i16x8.splat(<i16>b0)))) {
          if (out != 0) { v128.store(o, va); o += 16; }
          n += 8; i += 8;
          continue;
        }
      } else if (b7 < a0) {
        const vb = v128.load(at(b, j));
        if (i16x8.all_true(i16x8.lt_s(vb, i16x8.splat(<i16>a0)))) {
          if (out != 0) { v128.store(o, vb); o += 16; }
          n += 8; j += 8;
          continue;
        }
      }
    }
    let k = 8;
    while (k-- > 0 && i < na && j < nb) {
      const va = cpuAt(a, i), vb = cpuAt(b, j);
      if (va <= vb) {
        if (va == vb) j++;
        if (out != 0) { store<i16>(o, <i16>va); o += 2; }
        i++;
      } else {
        if (out != 0) { store<i16>(o, <i16>vb); o += 2; }
        j++;
      }
      n++;
    }
  }
  if (out != 0) {
    memory.copy(o, at(a, i), <usize>(na - i) << 1);
    o += <usize>(na - i) << 1;
    memory.copy(o, at(b, j), <usize>(nb - j) << 1);
  }
  return n + (na - i) + (nb - j);
}

/** merge() of the core (same result object rules) with SIMD walks; the unsorted path delegates to the core. */
export function mergeV(orig: usize, other: usize): usize {
  clearStatus();
  if (isSubsetV(orig, other)) return orig;
  if (isSubsetV(other, orig)) return mapGet(other);
  if (!(strictlyAscendingV(orig) && strictlyAscendingV(other))) return coreMerge(orig, other);
  const out = newMap(unionWalkV(orig, other, 0));
  if (out == 0) return 0;
  unionWalkV(orig, other, cpusOf(out));
  return out;
}

/** Branchless scalar union walks. */
export function mergeB(orig: usize, other: usize): usize {
  clearStatus();
  if (isSubsetB(orig, other)) return orig;
  if (isSubsetB(other, orig)) return mapGet(other);
  if (!(strictlyAscending(orig) && strictlyAscending(other))) return coreMerge(orig, other);
  const na = nrOf(orig), nb = nrOf(other);
  let i: i32 = 0, j: i32 = 0, n: i32 = 0;
  while (i < na && j < nb) {
    const va = cpuAt(orig, i), vb = cpuAt(other, j);
    i += <i32>(va <= vb);
    j += <i32>(vb <= va);
    n++;
  }
  n += (na - i) + (nb - j);
  const out = newMap(n);
  if (out == 0) return 0;
  let o = cpusOf(out);
  i = 0; j = 0;
  while (i < na && j < nb) {
    const va = cpuAt(orig, i), vb = cpuAt(other, j);
    store<i16>(o, <i16>(va <= vb ? va : vb));
    o += 2;
    i += <i32>(va <= vb);
    j += <i32>(vb <= va);
  }
  memory.copy(o, at(orig, i), <usize>(na - i) << 1);
  o += <usize>(na - i) << 1;
  memory.copy(o, at(other, j), <usize>(nb - j) << 1);
  return out;
}

import { merge as coreMergeFn, intersect as coreIntersectFn } from "../../assembly/setops";
import { BITS, wordOf, testAndSet, drainSorted, clearWords } from "../../assembly/bitmap";

// ---------------------------------------------------------------- set operations through the shared bitmap

/**
 * Union through the core's scratch bitmap (bitmap.ts), for every input: set
 * the bits of both maps, drain them in order.  The core takes this path only
 * for unsorted inputs; for sorted sparse inputs it avoids the merge walk's
 * unpredictable branches.  Subset tests as mergeV.
 */
export function mergeBits(orig: usize, other: usize): usize {
  clearStatus();
  if (isSubsetV(orig, other)) return orig;
  if (isSubsetV(other, orig)) return mapGet(other);
  const na = nrOf(orig), nb = nrOf(other);
  let lo: i32 = 0x7fffffff, hi: i32 = -1, n: i32 = 0;
  for (let k = 0; k < 2; k++) {
    const m = k == 0 ? orig : other;
    const c = k == 0 ? na : nb;
    for (let i = 0; i < c; i++) {
      const v = cpuAt(m, i);
      n += <i32>testAndSet(v);
      const w = wordOf(v);
      if (w < lo) lo = w;
      if (w > hi) hi = w;
    }
  }
  const out = newMap(n);
  if (out == 0) { clearWords(lo, hi); return 0; }
  drainSorted(lo, hi, cpusOf(out));
  return out;
}

@inline function bitOf(v: i32): i32 {
  const i = v + 32768;
  return <i32>((load<u32>(BITS + (<usize>(i >> 5) << 2)) >> (i & 31)) & 1);
}

/**
 * Intersection through the bitmap for sorted inputs (the result is then the
 * sorted common values, which is what libperf's walk gives): set orig's bits,
 * keep other's values whose bit is set (branch-free store), clear.  Unsorted
 * inputs go to the core (libperf's walk has its own answer there).
 */
export function intersectBits(orig: usize, other: usize): usize {
  clearStatus();
  if (isSubsetV(other, orig)) return mapGet(orig);
  if (isSubsetV(orig, other)) return mapGet(other);
  if (!(strictlyAscendingV(orig) && strictlyAscendingV(other))) return coreIntersectFn(orig, other);
  const na = nrOf(orig), nb = nrOf(other);
  for (let i = 0; i < na; i++) testAndSet(cpuAt(orig, i));
  let n: i32 = 0;
  for (let j = 0; j < nb; j++) n += bitOf(cpuAt(other, j));
  const lo = wordOf(cpuAt(orig, 0)), hi = wordOf(cpuAt(orig, na - 1));
  if (n == 0) { clearWords(lo, hi); return 0; }
  const out = newMap(n);
  if (out == 0) { clearWords(lo, hi); return 0; }
  let o = cpusOf(out);
  for (let j = 0; j < nb; j++) {
    const v = cpuAt(other, j);
    store<i16>(o, <i16>v);
    o += <usize>(bitOf(v) << 1);
  }
  clearWords(lo, hi);
  return out;
}
@inline function coreMerge(a: usize, b: usize): usize { return coreMergeFn(a, b); }

// ---------------------------------------------------------------- decode (RANGE)

/** decode() with a SIMD fill for RANGE payloads with any_cpu 0 or 1; everything else goes to the core. */
export function decodeV(ptr: usize, len: i32, flags: i32): usize {
  if (len < 8 || load<u16>(ptr) != 2) return coreDecode(ptr, len, flags);
  const any = <i32>load<u8>(ptr + 2);
  const start = <i32>load<u16>(ptr + 4);
  const end = <i32>load<u16>(ptr + 6);
  if (any > 1 || start >= 32767 || end >= 32767 || end < start) return coreDecode(ptr, len, flags);
  clearStatus();
  const n = end - start + 1 + any;
  const map = newMap(n);
  if (map == 0) return 0;
  let o = cpusOf(map);
  if (any != 0) { store<i16>(o, -1); o += 2; }
  let c = start;
  let v = i16x8.add(i16x8.splat(<i16>start), i16x8(0, 1, 2, 3, 4, 5, 6, 7));
  const eight = i16x8.splat(8);
  for (; c + 8 <= end + 1; c += 8) {
    v128.store(o, v);
    v = i16x8.add(v, eight);
    o += 16;
  }
  for (; c <= end; c++) { store<i16>(o, <i16>c); o += 2; }
  return map;
}

// ---------------------------------------------------------------- bitmap representation

/** A zeroed block of `words` u32 (words a multiple of 4). */
export function bmAlloc(words: i32): usize {
  const p = alloc(<usize>words << 2);
  if (p != 0) memory.fill(p, 0, <usize>words << 2);
  return p;
}

/** Bits of a map's cpus (all >= 0, < words * 32) into a zeroed bitmap. */
export function bmFromMap(map: usize, bm: usize): void {
  const n = nrOf(map);
  for (let i = 0; i < n; i++) {
    const c = cpuAt(map, i);
    const w = bm + (<usize>(c >> 5) << 2);
    store<u32>(w, load<u32>(w) | (<u32>1 << (c & 31)));
  }
}

/** A new sorted map of a bitmap's bits (what nr/cpu(i) would need). */
export function bmToMap(bm: usize, words: i32): usize {
  let n: i32 = 0;
  for (let w = 0; w < words; w += 2) n += <i32>popcnt(load<u64>(bm + (<usize>w << 2)));
  const map = newMap(n);
  if (map == 0) return 0;
  let o = cpusOf(map);
  for (let w = 0; w < words; w++) {
    let bits = load<u32>(bm + (<usize>w << 2));
    while (bits != 0) {
      store<i16>(o, <i16>((w << 5) + <i32>ctz(bits)));
      o += 2;
      bits &= bits - 1;
    }
  }
  return map;
}

export function bmEqual(a: usize, b: usize, words: i32): bool {
  for (let w = 0; w < words; w += 2) if (load<u64>(a + (<usize>w << 2)) != load<u64>(b + (<usize>w << 2))) return false;
  return true;
}

export function bmEqualV(a: usize, b: usize, words: i32): bool {
  for (let w = 0; w < words; w += 4) {
    if (v128.any_true(v128.xor(v128.load(a + (<usize>w << 2)), v128.load(b + (<usize>w << 2))))) return false;
  }
  return true;
}

/** b contained in a: no bit of b outside a. */
export function bmSubset(a: usize, b: usize, words: i32): bool {
  for (let w = 0; w < words; w += 2) {
    if ((load<u64>(b + (<usize>w << 2)) & ~load<u64>(a + (<usize>w << 2))) != 0) return false;
  }
  return true;
}

export function bmSubsetV(a: usize, b: usize, words: i32): bool {
  for (let w = 0; w < words; w += 4) {
    if (v128.any_true(v128.andnot(v128.load(b + (<usize>w << 2)), v128.load(a + (<usize>w << 2))))) return false;
  }
  return true;
}

export function bmOr(dst: usize, a: usize, b: usize, words: i32): void {
  for (let w = 0; w < words; w += 2) {
    const o = <usize>w << 2;
    store<u64>(dst + o, load<u64>(a + o) | load<u64>(b + o));
  }
}

export function bmOrV(dst: usize, a: usize, b: usize, words: i32): void {
  for (let w = 0; w < words; w += 4) {
    const o = <usize>w << 2;
    v128.store(dst + o, v128.or(v128.load(a + o), v128.load(b + o)));
  }
}

export function bmAnd(dst: usize, a: usize, b: usize, words: i32): void {
  for (let w = 0; w < words; w += 2) {
    const o = <usize>w << 2;
    store<u64>(dst + o, load<u64>(a + o) & load<u64>(b + o));
  }
}

export function bmAndV(dst: usize, a: usize, b: usize, words: i32): void {
  for (let w = 0; w < words; w += 4) {
    const o = <usize>w << 2;
    v128.store(dst + o, v128.and(v128.load(a + o), v128.load(b + o)));
  }
}

// ---------------------------------------------------------------- one pass, pointer walks (scalar)

/**
 * intersect with the core's subset tests, but one walk instead of two: the
 * common values go to a temporary block of min(na, nb) entries, then into a
 * map of the exact size (one memory.copy).  The walk steps pointers, not
 * indices.  Scalar: no SIMD needed.
 */
export function intersectP(orig: usize, other: usize): usize {
  clearStatus();
  if (mapIsSubsetCore(other, orig)) return mapGet(orig);
  if (mapIsSubsetCore(orig, other)) return mapGet(other);
  const na = nrOf(orig), nb = nrOf(other);
  const tmp = alloc(<usize>(na < nb ? na : nb) << 1);
  if (tmp == 0) return 0;
  let pa = orig + CPUS, pb = other + CPUS, o = tmp;
  const ea = pa + (<usize>na << 1), eb = pb + (<usize>nb << 1);
  while (pa < ea && pb < eb) {
    const va = <i32>load<i16>(pa), vb = <i32>load<i16>(pb);
    if (va < vb) pa += 2;
    else if (va > vb) pb += 2;
    else { store<i16>(o, <i16>va); o += 2; pa += 2; pb += 2; }
  }
  const n = <i32>((o - tmp) >> 1);
  let out: usize = 0;
  if (n > 0) {
    out = newMap(n);
    if (out != 0) memory.copy(cpusOf(out), tmp, o - tmp);
  }
  free(tmp);
  return out;
}

/** merge with the core's subset tests and one pointer walk into a temporary block of na + nb entries. */
export function mergeP(orig: usize, other: usize): usize {
  clearStatus();
  if (mapIsSubsetCore(orig, other)) return orig;
  if (mapIsSubsetCore(other, orig)) return mapGet(other);
  if (!(strictlyAscending(orig) && strictlyAscending(other))) return coreMerge(orig, other);
  const na = nrOf(orig), nb = nrOf(other);
  const tmp = alloc(<usize>(na + nb) << 1);
  if (tmp == 0) return 0;
  let pa = orig + CPUS, pb = other + CPUS, o = tmp;
  const ea = pa + (<usize>na << 1), eb = pb + (<usize>nb << 1);
  while (pa < ea && pb < eb) {
    const va = <i32>load<i16>(pa), vb = <i32>load<i16>(pb);
    if (va <= vb) {
      if (va == vb) pb += 2;
      store<i16>(o, <i16>va);
      pa += 2;
    } else {
      store<i16>(o, <i16>vb);
      pb += 2;
    }
    o += 2;
  }
  memory.copy(o, pa, ea - pa);
  o += ea - pa;
  memory.copy(o, pb, eb - pb);
  o += eb - pb;
  const out = newMap(<i32>((o - tmp) >> 1));
  if (out != 0) memory.copy(cpusOf(out), tmp, o - tmp);
  free(tmp);
  return out;
}

import { mapIsSubset as mapIsSubsetCore } from "../../assembly/map";

// ---------------------------------------------------------------- hybrids: pick by density

/** Both maps sorted runs of at least half density: SIMD block steps pay; else they cost. */
@inline function denseish(a: usize, b: usize): bool {
  const na = nrOf(a), nb = nrOf(b);
  return na >= 16 && nb >= 16 &&
    cpuAt(a, na - 1) - cpuAt(a, 0) < 2 * na && cpuAt(b, nb - 1) - cpuAt(b, 0) < 2 * nb;
}

/** intersect: SIMD block walk for dense-ish maps, the one-pass pointer walk otherwise. */
export function intersectH(orig: usize, other: usize): usize {
  if (orig != 0 && other != 0 && denseish(orig, other)) return intersectV(orig, other);
  return intersectP(orig, other);
}

/** merge: SIMD block walk for dense-ish maps, the scratch bitmap otherwise. */
export function mergeH(orig: usize, other: usize): usize {
  if (orig != 0 && other != 0 && denseish(orig, other)) return mergeV(orig, other);
  return mergeBits(orig, other);
}
