// One 65536-bit scratch bitmap covering every i16 value (bit v + 32768), used
// to find duplicates while parsing and to sort and de-duplicate in linear time.
// Callers set bits in a window of words, read them back in order, and leave
// the bitmap all zero again (clearWords) before returning.

import { newMap, cpusOf, markSorted, fillAscending } from "./map";

export const BITS: usize = memory.data(8192, 16);
export const BIAS: i32 = 32768;

@inline export function wordOf(v: i32): i32 { return (v + BIAS) >> 5; }

/** Set the bit of v; returns false when it was already set. */
@inline export function testAndSet(v: i32): bool {
  const i = v + BIAS;
  const at = BITS + (<usize>(i >> 5) << 2);
  const w = load<u32>(at);
  const m: u32 = 1 << (i & 31);
  if (w & m) return false;
  store<u32>(at, w | m);
  return true;
}

/** testAndSetRange's answer when no value of the range was set. */
export const NO_DUPLICATE: i32 = 0x7fffffff;

/** Bits lo..hi (0..31) of a word. */
@inline function bitsBetween(lo: i32, hi: i32): u32 {
  return (<u32>0xffffffff >>> (31 - hi)) & (<u32>0xffffffff << lo);
}

/**
 * Set the bits of every value a..b (a <= b), a word at a time; returns the
 * smallest value that was already set (and then sets nothing), or NO_DUPLICATE.
 */
export function testAndSetRange(a: i32, b: i32): i32 {
  const ia = a + BIAS, ib = b + BIAS;
  const wa = ia >> 5, wb = ib >> 5;
  for (let w = wa; w <= wb; w++) {
    const m = bitsBetween(w == wa ? ia & 31 : 0, w == wb ? ib & 31 : 31);
    const seen = load<u32>(BITS + (<usize>w << 2)) & m;
    if (seen != 0) return (w << 5) + <i32>ctz(seen) - BIAS;
  }
  for (let w = wa; w <= wb; w++) {
    const at = BITS + (<usize>w << 2);
    store<u32>(at, load<u32>(at) | bitsBetween(w == wa ? ia & 31 : 0, w == wb ? ib & 31 : 31));
  }
  return NO_DUPLICATE;
}

/** Write the values whose bits are set in words lo..hi, ascending, as i16 at out; clears them. */
export function drainSorted(lo: i32, hi: i32, out: usize): void {
  let o = out;
  for (let w = lo; w <= hi; w++) {
    const at = BITS + (<usize>w << 2);
    let bits = load<u32>(at);
    if (bits == 0) continue;
    store<u32>(at, 0);
    const base = (w << 5) - BIAS;
    if (bits == 0xffffffff) { fillAscending(o, base, 32); o += 64; continue; }
    while (bits != 0) {
      const b = <i32>ctz(bits);
      store<i16>(o, <i16>(base + b));
      o += 2;
      bits &= bits - 1;
    }
  }
}

export function clearWords(lo: i32, hi: i32): void {
  if (hi >= lo) memory.fill(BITS + (<usize>lo << 2), 0, <usize>(hi - lo + 1) << 2);
}

// ---- sorting and de-duplicating a set of i16 values ----

let winLo: i32 = 0x7fffffff;
let winHi: i32 = -1;

/** Set the bits of `n` i16 values at `ptr`; returns how many were not set before. */
export function addValues(ptr: usize, n: i32): i32 {
  let added = 0;
  for (let i = 0; i < n; i++) {
    const v = <i32>load<i16>(ptr + (<usize>i << 1));
    if (testAndSet(v)) added++;
    const w = wordOf(v);
    if (w < winLo) winLo = w;
    if (w > winHi) winHi = w;
  }
  return added;
}

/** The values added since the last drain, ascending and unique, as a new map of `count` entries; 0 on ENOMEM. */
export function drainIntoMap(count: i32): usize {
  const map = newMap(count);
  if (map == 0) clearWords(winLo, winHi);
  else drainSorted(winLo, winHi, cpusOf(map));
  winLo = 0x7fffffff;
  winHi = -1;
  return markSorted(map);
}
