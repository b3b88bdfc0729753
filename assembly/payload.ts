// PERF_RECORD_CPU_MAP events (docs/contract.md §7): the writer's choice of encoding and
// a bounds-checked reader. All fields little endian, payload byte-packed.

import { newMap, nrOf, cpuAt, cpusOf, lastCpu, trueMax, markSorted, markShape, fillAscending, ANY_CPU } from "./map";
import { CPU_LIMIT, STRICT } from "./limits";
import {
  fail, STATUS_ETRUNCATED as E_TRUNCATED, STATUS_EBADTYPE as E_BAD_TYPE,
  STATUS_EBADLONGSIZE as E_BAD_LONG_SIZE, STATUS_EBADCPU as E_BAD_CPU,
  STATUS_EBADANYCPU as E_BAD_ANY_CPU, STATUS_EMPTY_PAYLOAD as E_EMPTY_PAYLOAD,
  STATUS_EREVERSED as E_REVERSED, STATUS_ETOOLARGE as E_TOO_LARGE,
} from "./status";

/** perf_event_header.type of a cpu map event. */
export const PERF_RECORD_CPU_MAP: u32 = 74;
/** Bytes of perf_event_header in front of the payload. */
export const EVENT_HEADER_BYTES: i32 = 8;
export const TYPE_CPUS: u16 = 0;
export const TYPE_MASK: u16 = 1;
export const TYPE_RANGE: u16 = 2;
const LIMIT = CPU_LIMIT;
const HEADER = EVENT_HEADER_BYTES;

// libperf's nr() and cpu() with NULL's meaning: the writer treats NULL as [-1]
@inline function nrOrOne(map: usize): i32 { return map == 0 ? 1 : nrOf(map); }
@inline function entry(map: usize, i: i32): i32 {
  return map == 0 || <u32>i >= <u32>nrOf(map) ? ANY_CPU : cpuAt(map, i);
}

@inline function roundUp8(n: i32): i32 { return (n + 7) & ~7; }

/** Room encode() may need for `map`: the CPUS form, or the largest MASK (1024 words). */
export function encodeCapacity(map: usize): usize {
  const cpus = 4 + 2 * nrOrOne(map);
  const mask = 6 + 4 * 1024;
  return <usize>(HEADER + roundUp8(cpus > mask ? cpus : mask));
}

function writeHeader(out: usize, payload: i32): i32 {
  const size = HEADER + roundUp8(payload);
  memory.fill(out, 0, <usize>size);
  store<u32>(out, PERF_RECORD_CPU_MAP);
  store<u16>(out + 6, <u16>size);
  return size;
}

/**
 * perf_event__synthesize_cpu_map: the whole event at `out`, its size returned
 * (-1 with E_TOO_LARGE past the u16 size field). Choice as upstream; but MASK
 * gets enough words for its largest cpu (upstream writes ceil(max/32) words
 * and readers lose a largest cpu that is a multiple of 32).
 */
export function encode(map: usize, out: usize): i32 {
  const p = out + HEADER;
  if (map != 0 && nrOf(map) == 0) {
    // CpuMap.empty(): CPUS with nr 0, which perf reads back as the empty map
    const size = writeHeader(out, 4);
    store<u16>(p, TYPE_CPUS);
    return size;
  }
  const n = nrOrOne(map);
  const any: i32 = entry(map, 0) == ANY_CPU ? 1 : 0;
  const lo = entry(map, any);
  const hi = lastCpu(map);
  if (hi - lo + 1 == n - any) {
    const size = writeHeader(out, 8);
    store<u16>(p, TYPE_RANGE);
    store<u8>(p + 2, <u8>any);
    store<u16>(p + 4, <u16>lo);
    store<u16>(p + 6, <u16>hi);
    return size;
  }
  const cpusSize = 4 + 2 * n;
  const maskSize = 6 + 4 * ((hi + 31) >> 5);
  let negative = false;
  for (let i = any; i < n; i++) if (entry(map, i) < 0) { negative = true; break; }
  if (any != 0 || cpusSize < maskSize || negative) {
    if (HEADER + roundUp8(cpusSize) > 0xffff) { fail(E_TOO_LARGE, 0, n); return -1; }
    const size = writeHeader(out, cpusSize);
    store<u16>(p, TYPE_CPUS);
    store<u16>(p + 2, <u16>n);
    for (let i = 0; i < n; i++) store<u16>(p + 4 + (<usize>i << 1), <u16>entry(map, i));
    return size;
  }
  const top = trueMax(map);
  const words = (top + 32) >> 5; // ceil((top + 1) / 32)
  const size = writeHeader(out, 6 + 4 * words);
  store<u16>(p, TYPE_MASK);
  store<u16>(p + 2, <u16>words);
  store<u16>(p + 4, 4);
  for (let i = 0; i < n; i++) {
    const c = cpuAt(map, i);
    const at = p + 6 + (<usize>(c >> 5) << 2);
    store<u32>(at, load<u32>(at) | (<u32>1 << (c & 31)));
  }
  return size;
}

/**
 * cpu_map__new_data: decode a payload (event header excluded) of `len` bytes.
 * Every read is checked against len before it happens, and no allocation is
 * sized by a field that has not been checked against the bytes present.
 * Returns 0 with a status on failure; E_EMPTY_PAYLOAD is a valid payload that
 * holds no cpu (libperf's NULL). A MASK long_size other than 4 or 8 is
 * refused in both modes (docs/contract.md §7.4, §11); strict mode also
 * refuses any_cpu above 1, which lenient mode uses as a count like older perf.
 */
export function decode(ptr: usize, len: i32, flags: i32): usize {
  const strict = (flags & STRICT) != 0;
  if (len < 2) { fail(E_TRUNCATED, 0, len); return 0; }
  const type = load<u16>(ptr);
  if (type == TYPE_CPUS) {
    if (len < 4) { fail(E_TRUNCATED, 2, len); return 0; }
    const nr = <i32>load<u16>(ptr + 2);
    if (4 + 2 * nr > len) { fail(E_TRUNCATED, 2, nr); return 0; }
    if (nr == 0) { fail(E_EMPTY_PAYLOAD, 2, 0); return 0; }
    // one pass checks every value and learns whether they ascend
    let prev: i32 = -32769;
    let ascending = true;
    for (let i = 0; i < nr; i++) {
      const v = <i32>load<u16>(ptr + 4 + (<usize>i << 1));
      if (v >= LIMIT && v != 0xffff) { fail(E_BAD_CPU, 4 + 2 * i, v); return 0; }
      const c = v == 0xffff ? ANY_CPU : v;
      ascending = ascending && c > prev;
      prev = c;
    }
    const map = newMap(nr);
    if (map == 0) return 0;
    memory.copy(cpusOf(map), ptr + 4, <usize>nr << 1); // 0xffff is -1 as i16
    return ascending ? markSorted(map) : map; // newMap leaves the shape unknown
  }
  if (type == TYPE_MASK) {
    if (len < 6) { fail(E_TRUNCATED, len < 4 ? 2 : 4, len); return 0; }
    const nr = <i32>load<u16>(ptr + 2);
    const longSize = <i32>load<u16>(ptr + 4);
    // older perf read any other long_size as 8-byte words numbered i * long_size * 8,
    // newer perf refuses it: refused here too (docs/contract.md §11)
    if (longSize != 4 && longSize != 8) { fail(E_BAD_LONG_SIZE, 4, longSize); return 0; }
    const wide = longSize == 8;
    const base: i32 = wide ? 10 : 6;
    const wordBytes: i32 = wide ? 8 : 4;
    if (base + nr * wordBytes > len && nr > 0) { fail(E_TRUNCATED, 2, nr); return 0; }
    let count = 0;
    for (let w = 0; w < nr; w++) {
      const at = ptr + <usize>(base + w * wordBytes);
      const bits: u64 = wide ? load<u64>(at) : <u64>load<u32>(at);
      if (bits == 0) continue;
      const highest = w * wordBytes * 8 + 63 - <i32>clz(bits);
      if (highest >= LIMIT) { fail(E_BAD_CPU, base + w * wordBytes, highest); return 0; }
      count += <i32>popcnt(bits);
    }
    if (count == 0) { fail(E_EMPTY_PAYLOAD, 2, nr); return 0; }
    const map = newMap(count);
    if (map == 0) return 0;
    let o = cpusOf(map);
    for (let w = 0; w < nr; w++) {
      let bits: u64 = wide ? load<u64>(ptr + <usize>(base + w * 8)) : <u64>load<u32>(ptr + <usize>(base + w * 4));
      const cpuBase = w * wordBytes * 8;
      while (bits != 0) {
        store<i16>(o, <i16>(cpuBase + <i32>ctz(bits)));
        o += 2;
        bits &= bits - 1;
      }
    }
    return markSorted(map);
  }
  if (type == TYPE_RANGE) {
    if (len < 8) { fail(E_TRUNCATED, len < 3 ? 2 : len < 6 ? 4 : 6, len); return 0; }
    const any = <i32>load<u8>(ptr + 2);
    const start = <i32>load<u16>(ptr + 4);
    const end = <i32>load<u16>(ptr + 6);
    if (strict && any > 1) { fail(E_BAD_ANY_CPU, 2, any); return 0; }
    if (start >= LIMIT) { fail(E_BAD_CPU, 4, start); return 0; }
    if (end >= LIMIT) { fail(E_BAD_CPU, 6, end); return 0; }
    if (end + 1 < start) { fail(E_REVERSED, 6, end); return 0; }
    const n = end - start + 1 + any;
    if (n == 0) { fail(E_EMPTY_PAYLOAD, 6, end); return 0; }
    const map = newMap(n);
    if (map == 0) return 0;
    // any_cpu is used as a count upstream: -1 first, start..end, then any-1 more -1s
    let o = cpusOf(map);
    if (any != 0) { store<i16>(o, <i16>ANY_CPU); o += 2; }
    fillAscending(o, start, end - start + 1);
    o += <usize>(end - start + 1) << 1;
    for (let k = 1; k < any; k++, o += 2) store<i16>(o, <i16>ANY_CPU);
    return any <= 1 ? markSorted(map) : markShape(map);
  }
  fail(E_BAD_TYPE, 0, type);
  return 0;
}
