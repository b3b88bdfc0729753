// libperf's cpu list grammar (perf_cpu_map__new), in linear time.
//
// Upstream collects values and compares each with all earlier ones (quadratic);
// here duplicates are found with the shared bitmap, and the sorted result is
// read straight out of it. Results and failures are libperf's, byte for byte;
// in strict mode the text libperf silently ignores is an error too.

import { testAndSetRange, drainSorted, clearWords, wordOf, NO_DUPLICATE } from "./bitmap";
import { newMap, cpusOf, markSorted, ANY_CPU } from "./map";
import { CPU_LIMIT, STRICT } from "./limits";
import {
  fail, STATUS_ESYNTAX as E_SYNTAX, STATUS_ERANGE as E_RANGE, STATUS_EREVERSED as E_REVERSED,
  STATUS_EDUPLICATE as E_DUPLICATE, STATUS_EEMPTY as E_EMPTY, STATUS_ETRAILING as E_TRAILING,
} from "./status";

const LIMIT: i64 = CPU_LIMIT; // the parser accepts cpus 0..CPU_LIMIT-1
const HUGE: i64 = 1 << 40;  // stands for any value strtoul saturates or wraps

let numNext: usize = 0; // where reading stopped (strtoul's endptr)
const END: i32 = -1;    // "character" past the end of the input (a NUL byte is a character)

@inline function isDigit(c: i32): bool { return <u32>(c - 48) < 10; }
@inline function hexValue(c: i32): i32 {
  if (<u32>(c - 48) < 10) return c - 48;
  const l = c | 0x20;
  if (<u32>(l - 97) < 6) return l - 87;
  return -1;
}
@inline function isSpace(c: i32): bool { return c == 32 || <u32>(c - 9) < 5; } // space, \t \n \v \f \r

/**
 * strtoul(p, &end, 0) on [p, end): automatic base (0x hex, leading 0 octal,
 * else decimal). With `lenient` it first skips white space and one sign, as
 * strtoul does; libperf only reaches that for a range's end. No digits: 0 and
 * numNext = p. Values past the i16 range come back as HUGE.
 */
function readNumber(p: usize, end: usize, lenient: bool): i64 {
  let q = p;
  let negative = false;
  if (lenient) {
    while (q < end && isSpace(load<u8>(q))) q++;
    if (q < end && (load<u8>(q) == 43 || load<u8>(q) == 45)) { negative = load<u8>(q) == 45; q++; }
  }
  // decimal, the common case, in i32 (anything past LIMIT only needs to stay past it)
  if (q < end && load<u8>(q) != 48) {
    const first = q;
    let v: i32 = 0;
    while (q < end) {
      const d = <i32>load<u8>(q) - 48;
      if (<u32>d >= 10) break;
      if (v < 0x1000000) v = v * 10 + d;
      q++;
    }
    if (q == first) { numNext = p; return 0; }
    numNext = q;
    return negative ? HUGE : <i64>v; // a non-zero value after '-' wraps: huge
  }
  let base: i32 = 8;
  if (q + 2 < end && (load<u8>(q + 1) | 0x20) == 120 && hexValue(load<u8>(q + 2)) >= 0) {
    base = 16;
    q += 2;
  }
  let v: i64 = 0;
  const first = q;
  while (q < end) {
    const d = hexValue(load<u8>(q));
    if (d < 0 || d >= base) break;
    if (v < HUGE) v = v * base + d;
    q++;
  }
  if (q == first) { numNext = p; return 0; }
  numNext = q;
  if (v > HUGE) v = HUGE;
  if (negative && v != 0) v = HUGE; // strtoul negates in unsigned arithmetic: a huge value
  return v;
}

/**
 * Parse [ptr, ptr+len). Returns a new map, or 0 with the status set.
 * libperf mode stops at a NUL byte, as C does with its string.
 */
export function parseList(ptr: usize, len: i32, flags: i32): usize {
  const strict = (flags & STRICT) != 0;
  let end = ptr + <usize>len;
  if (!strict) {
    for (let q = ptr; q < end; q++) if (load<u8>(q) == 0) { end = q; break; }
  }
  if (ptr == end) {
    if (strict) { fail(E_EMPTY, 0, 0); return 0; }
    const any = newMap(1);
    if (any != 0) store<i16>(cpusOf(any), <i16>ANY_CPU);
    return markSorted(any);
  }
  if (!isDigit(load<u8>(ptr))) { fail(E_SYNTAX, 0, load<u8>(ptr)); return 0; }

  let p = ptr;
  let count: i32 = 0;
  let lo: i32 = 0x7fffffff;
  let hi: i32 = -1;
  let err: i32 = 0;
  while (p < end && isDigit(load<u8>(p))) {
    const item = p;
    const first = readNumber(p, end, false);
    if (first >= LIMIT) { fail(E_RANGE, <i32>(item - ptr), <i32>min<i64>(first, 0x7fffffff)); err = 1; break; }
    p = numNext;
    let c: i32 = p < end ? load<u8>(p) : END;
    if (c != END && c != 44 && c != 45 && c != 10) { fail(E_SYNTAX, <i32>(p - ptr), c); err = 1; break; }
    let last = first;
    if (c == 45) {
      p++;
      const at = p;
      if (strict && (p >= end || !isDigit(load<u8>(p)))) {
        fail(E_SYNTAX, <i32>(p - ptr), p < end ? load<u8>(p) : END); err = 1; break;
      }
      last = readNumber(p, end, true);
      if (last >= LIMIT) { fail(E_RANGE, <i32>(at - ptr), <i32>min<i64>(last, 0x7fffffff)); err = 1; break; }
      p = numNext;
      c = p < end ? load<u8>(p) : END;
      if (c != END && c != 44 && c != 10) { fail(E_SYNTAX, <i32>(p - ptr), c); err = 1; break; }
      if (last < first) { fail(E_REVERSED, <i32>(item - ptr), <i32>last); err = 1; break; }
    }
    const a = <i32>first;
    const b = <i32>last;
    if (wordOf(a) < lo) lo = wordOf(a);
    if (wordOf(b) > hi) hi = wordOf(b);
    const duplicate = testAndSetRange(a, b);
    if (duplicate != NO_DUPLICATE) { fail(E_DUPLICATE, <i32>(item - ptr), duplicate); err = 1; break; }
    count += b - a + 1;
    if (p < end) {
      const sep = p;
      p++;
      if (strict && (p < end ? !isDigit(load<u8>(p)) : c != 10)) {
        fail(E_TRAILING, <i32>((p < end ? p : sep) - ptr), p < end ? load<u8>(p) : c); err = 1; break;
      }
    }
  }
  if (err) { clearWords(lo, hi); return 0; }
  const map = newMap(count);
  if (map == 0) { clearWords(lo, hi); return 0; }
  drainSorted(lo, hi, cpusOf(map));
  return markSorted(map);
}
