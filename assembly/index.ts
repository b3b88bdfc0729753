// The wasm ABI: a few functions over linear memory. Maps are pointers to
// blocks (see map.ts), 0 is NULL; strings and payloads pass through one
// scratch block. A failing call returns 0 (a map) or -1 (a length) and leaves
// its reason in statusCode/statusOffset/statusValue. Nothing here traps on
// any argument the host can pass.

import { alloc, free, blockCapacity, liveBlockCount as allBlocks } from "./alloc";
import { newMap, cpusOf, nrOf, mapMax, mapGet, mapPut } from "./map";
import { parseList } from "./parse";
import { addValues, drainIntoMap } from "./bitmap";
import { formatList, formatMask, listCapacity, maskCapacity } from "./format";
import { encode as encodeEvent, encodeCapacity } from "./payload";
import { fail, clearStatus, ENOMEM } from "./status";

export { statusCode, statusOffset, statusValue } from "./status";
export { setLimitPages, getLimitPages, liveByteCount, isLive } from "./alloc";
export {
  mapRefcnt as refcnt, mapNr as nr, mapCpu as cpu, mapIdx as idx, mapHas as has,
  mapMin as min, mapMax as max, mapHasAnyCpu as hasAnyCpu,
  mapHasAnyCpuOrIsEmpty as hasAnyCpuOrIsEmpty, mapIsAnyCpuOrIsEmpty as isAnyCpuOrIsEmpty,
  mapEqual as equal, mapIsSubset as isSubset,
} from "./map";
export { merge, intersect } from "./setops";
import { tempBlocks } from "./setops";
export { decode } from "./payload";

let scratchPtr: usize = 0;

/** A scratch block of at least `size` bytes (its previous content is lost when it moves); 0 on ENOMEM. */
export function scratch(size: usize): usize {
  if (scratchPtr != 0 && blockCapacity(scratchPtr) >= size) return scratchPtr;
  if (scratchPtr != 0) free(scratchPtr);
  scratchPtr = alloc(size < 256 ? 256 : size + (size >> 2));
  if (scratchPtr == 0) fail(ENOMEM, 0, <i32>size);
  return scratchPtr;
}

/** Blocks alive other than the scratch and temp buffers: the maps (a leak check for tests). */
export function liveBlockCount(): i32 {
  return allBlocks() - (scratchPtr != 0 ? 1 : 0) - tempBlocks();
}

/** Drop a large scratch block so its memory can serve maps again. */
export function shrinkScratch(): void {
  if (scratchPtr != 0 && blockCapacity(scratchPtr) > 65536) { free(scratchPtr); scratchPtr = 0; }
}

export function get(map: usize): usize { return mapGet(map); }
export function put(map: usize): i32 { return mapPut(map); }

/** perf_cpu_map__new on `len` UTF-8 bytes at `ptr` (flags: 1 = strict). */
export function parse(ptr: usize, len: i32, flags: i32): usize {
  clearStatus();
  return parseList(ptr, len, flags);
}

/** A map of `n` i16 values at `ptr`, sorted and de-duplicated. */
export function fromCpus(ptr: usize, n: i32): usize {
  clearStatus();
  return drainIntoMap(addValues(ptr, n));
}

/** perf_cpu_map__new_int: one entry, the value truncated to 16 bits, unchecked. */
export function newInt(cpu: i32): usize {
  clearStatus();
  const map = newMap(1);
  if (map != 0) store<i16>(cpusOf(map), <i16>cpu);
  return map;
}

/** A map with no entries (not libperf's NULL): CpuMap.empty(). */
export function newEmpty(): usize {
  clearStatus();
  return newMap(0);
}

// Text and events are written at `out`, a block of `cap` bytes the host
// sized with the same formulas (listCapacity, maskCapacity, encodeCapacity);
// a call given too little room fails (-1, ENOMEM) instead of writing past it.

/** The cpu list of `map` at `out`; its length. */
export function formatListTo(map: usize, out: usize, cap: usize): i32 {
  clearStatus();
  if (listCapacity(map == 0 ? 1 : nrOf(map)) > cap) { fail(ENOMEM, 0, <i32>cap); return -1; }
  return formatList(map, out);
}

/** The hex mask of `map` at `out`; its length, or -1 (E_NEGATIVE). */
export function formatMaskTo(map: usize, out: usize, cap: usize): i32 {
  clearStatus();
  const top = map == 0 || nrOf(map) == 0 ? 0 : mapMax(map);
  if (maskCapacity(top < 0 ? 0 : top) > cap) { fail(ENOMEM, 0, <i32>cap); return -1; }
  return formatMask(map, top, out);
}

/** The PERF_RECORD_CPU_MAP event for `map` at `out`; its size, or -1 (E_TOO_LARGE). */
export function encodeTo(map: usize, out: usize, cap: usize): i32 {
  clearStatus();
  if (encodeCapacity(map == 0 ? 1 : nrOf(map)) > cap) { fail(ENOMEM, 0, <i32>cap); return -1; }
  return encodeEvent(map, out);
}

/** Where a map's cpus start (for hosts that read them in place). */
export function cpusPtr(map: usize): usize { return cpusOf(map); }
