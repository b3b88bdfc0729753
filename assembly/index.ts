// The wasm ABI: every export the host (src/core.ts) calls, and nothing else.
// Maps are pointers to blocks (map.ts), 0 is NULL; text and payloads pass
// through one scratch block. Status rule (status.ts): every export begins
// by clearing the status code; a failing call returns its sentinel and
// leaves code, offset and value. Nothing here traps on any argument the
// host can pass. Constants the host needs are exported as globals.

import { alloc, free, blockCapacity, liveBlockCount as allBlocks, liveByteCount as allBytes } from "./alloc";
import { newMap, cpusOf, markSorted, mapGet, mapPut, mapRefcnt, equalEntries, mapIsSubset, nrOf } from "./map";
import { parseList } from "./parse";
import { addValues, drainIntoMap } from "./bitmap";
import { formatList as writeList, formatMask as writeMask, listCapacity, maskCapacity, maskTop } from "./format";
import { encode as writeEvent, encodeCapacity, decode as readPayload } from "./payload";
import { merge as mergeMaps, intersect as intersectMaps, tempBlocks } from "./setops";
import { begin, failNoMemory } from "./status";

export {
  statusCode, statusOffset, statusValue,
  STATUS_OK, STATUS_ENOMEM, STATUS_ESYNTAX, STATUS_ERANGE, STATUS_EREVERSED, STATUS_EDUPLICATE,
  STATUS_EEMPTY, STATUS_ETRAILING, STATUS_ENEGATIVE, STATUS_ETRUNCATED, STATUS_EBADTYPE,
  STATUS_EBADLONGSIZE, STATUS_EBADCPU, STATUS_EBADANYCPU, STATUS_EMPTY_PAYLOAD, STATUS_EREFCOUNT,
  STATUS_ETOOLARGE,
} from "./status";
export { CPU_LIMIT, ANY_CPU, STRICT } from "./limits";
export {
  CPUS as MAP_CPUS_OFFSET, NR as MAP_NR_OFFSET, SHAPE as MAP_SHAPE_OFFSET, SORTED as SHAPE_SORTED, RANGE as SHAPE_RANGE,
} from "./map";
export { setLimitPages } from "./alloc";
export { PERF_RECORD_CPU_MAP, EVENT_HEADER_BYTES } from "./payload";

// ---- memory ----

let scratchPtr: usize = 0;

function ensureScratch(size: usize): usize {
  if (scratchPtr != 0 && blockCapacity(scratchPtr) >= size) return scratchPtr;
  if (scratchPtr != 0) free(scratchPtr);
  scratchPtr = alloc(size < 256 ? 256 : size + (size >> 2));
  if (scratchPtr == 0) failNoMemory();
  return scratchPtr;
}

/** A scratch block of at least `size` bytes (its content is lost when it moves); 0 on ENOMEM. */
export function scratch(size: usize): usize {
  begin();
  return ensureScratch(size);
}

/** Drop a large scratch block so its memory can serve maps again. */
export function shrinkScratch(): void {
  begin();
  if (scratchPtr != 0 && blockCapacity(scratchPtr) > 65536) { free(scratchPtr); scratchPtr = 0; }
}

/** Blocks alive other than the scratch and temp buffers: the maps (for leak checks). */
export function liveBlockCount(): i32 {
  begin();
  return allBlocks() - (scratchPtr != 0 ? 1 : 0) - tempBlocks();
}

/** Bytes held by live blocks, scratch and temp buffers included (for soak runs). */
export function liveByteCount(): usize {
  begin();
  return allBytes();
}

// ---- references ----

/** A new reference to `map` (the same pointer); 0 with EREFCOUNT for a block that is not a live map. */
export function get(map: usize): usize { begin(); return mapGet(map); }
/** Drop a reference; the count left (0: freed), -1 with EREFCOUNT. */
export function put(map: usize): i32 { begin(); return mapPut(map); }
export function refcnt(map: usize): u32 { begin(); return mapRefcnt(map); }

// ---- constructors ----

/** perf_cpu_map__new on `len` UTF-8 bytes at `ptr` (flags: STRICT). */
export function parse(ptr: usize, len: i32, flags: i32): usize {
  begin();
  return parseList(ptr, len, flags);
}

/** A map of `n` i16 values at `ptr`, sorted and de-duplicated. */
export function fromCpus(ptr: usize, n: i32): usize {
  begin();
  return drainIntoMap(addValues(ptr, n));
}

/** perf_cpu_map__new_int: one entry, the value truncated to 16 bits, unchecked. */
export function newInt(cpu: i32): usize {
  begin();
  const map = newMap(1);
  if (map != 0) store<i16>(cpusOf(map), <i16>cpu);
  return markSorted(map);
}

/** A map with no entries (not libperf's NULL): CpuMap.empty(). */
export function newEmpty(): usize {
  begin();
  return markSorted(newMap(0));
}

/** cpu_map__new_data on `len` payload bytes at `ptr` (flags: STRICT); EMPTY_PAYLOAD for no cpu. */
export function decode(ptr: usize, len: i32, flags: i32): usize {
  begin();
  return readPayload(ptr, len, flags);
}

// ---- the comparisons the set operations are built on ----

/** Two maps of the same entry count hold the same entries (src/core.ts equal() has the rest of the rule). */
export function equalCpus(a: usize, b: usize): bool { begin(); return equalEntries(a, 0, b, nrOf(a)); }
/** Is `b` contained in `a` (libperf's argument order). */
export function isSubset(a: usize, b: usize): bool { begin(); return mapIsSubset(a, b); }

/** perf_cpu_map__merge's result (see setops.ts): `orig` itself, a new reference to `other`, or a new map. */
export function merge(orig: usize, other: usize): usize { begin(); return mergeMaps(orig, other); }
/** perf_cpu_map__intersect: a new reference, 0 for nothing in common (status OK) or ENOMEM. */
export function intersect(orig: usize, other: usize): usize { begin(); return intersectMaps(orig, other); }

// ---- text and events out: written at the start of the scratch block,
// which these size themselves; the host reads scratchAddress() after them ----

/** The scratch block's address (after a call that wrote output there). */
export function scratchAddress(): usize { return scratchPtr; }

/** The cpu list of `map` (NULL prints "-1"); its length, -1 on ENOMEM. */
export function formatList(map: usize): i32 {
  begin();
  const out = ensureScratch(listCapacity(map));
  return out == 0 ? -1 : writeList(map, out);
}

/** The hex mask of `map`; its length, or -1 (ENEGATIVE, ENOMEM). */
export function formatMask(map: usize): i32 {
  begin();
  const top = maskTop(map);
  if (top < 0) return -1;
  const out = ensureScratch(maskCapacity(top));
  return out == 0 ? -1 : writeMask(map, top, out);
}

/** The PERF_RECORD_CPU_MAP event for `map`; its size, or -1 (ETOOLARGE, ENOMEM). */
export function encode(map: usize): i32 {
  begin();
  const out = ensureScratch(encodeCapacity(map));
  return out == 0 ? -1 : writeEvent(map, out);
}
