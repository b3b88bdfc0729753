// perf's text forms of a map: the cpu list (cpu_map__snprint) and the hex
// mask (cpu_map__snprint_mask). Both write ASCII at `out` and return its length.

import { nrOf, cpuAt, lastCpu, ANY_CPU } from "./map";
import { BITS } from "./bitmap";
import { fail, STATUS_ENEGATIVE } from "./status";

/** Bytes formatList may need for `map`: "-32768," is the longest piece per entry. */
export function listCapacity(map: usize): usize { return <usize>(map == 0 ? 1 : nrOf(map)) * 7 + 8; }

function writeInt(out: usize, v: i32): usize {
  let o = out;
  if (v < 0) { store<u8>(o++, 45); v = -v; }
  let digits = 1;
  for (let t = v; t >= 10; t /= 10) digits++;
  o += digits;
  let q = o;
  do { store<u8>(--q, <u8>(48 + v % 10)); v /= 10; } while (v != 0);
  return o;
}

/** Runs of consecutive values as "a-b", joined by commas; NULL prints as "-1". */
export function formatList(map: usize, out: usize): i32 {
  if (map == 0) return <i32>(writeInt(out, ANY_CPU) - out);
  const n = nrOf(map);
  let o = out;
  let i = 0;
  while (i < n) {
    const start = cpuAt(map, i);
    let j = i;
    while (j + 1 < n && cpuAt(map, j + 1) == cpuAt(map, j) + 1) j++;
    if (i > 0) store<u8>(o++, 44);
    o = writeInt(o, start);
    if (j > i) { store<u8>(o++, 45); o = writeInt(o, cpuAt(map, j)); }
    i = j + 1;
  }
  return <i32>(o - out);
}

/**
 * The `top` cpu of a mask (the last entry, as in perf; 0 for no entry), or
 * -1 with ENEGATIVE when the map has no mask: NULL and maps holding a
 * negative cpu (a negative shift upstream).
 */
export function maskTop(map: usize): i32 {
  if (map == 0) { fail(STATUS_ENEGATIVE, 0, ANY_CPU); return -1; }
  const n = nrOf(map);
  for (let i = 0; i < n; i++) {
    const v = cpuAt(map, i);
    if (v < 0) { fail(STATUS_ENEGATIVE, 0, v); return -1; }
  }
  return n == 0 ? 0 : lastCpu(map);
}

/** Bytes formatMask needs for a largest cpu `top`. */
export function maskCapacity(top: i32): usize { return <usize>(top >> 2) + <usize>(top >> 5) + 8; }

/**
 * Lowercase hex, most significant nibble first, a comma every 8 digits from
 * the right, covering cpus from `top`'s nibble down to 0, where `top` is the
 * last entry as in perf (the largest for the sorted maps libperf builds; for
 * an unsorted decoded map, entries in nibbles above its nibble are not printed, as upstream).
 * `map` and `top` come from maskTop (no NULL, no negative entry). An empty
 * map prints "0".
 */
export function formatMask(map: usize, top: i32, out: usize): i32 {
  const n = nrOf(map);
  if (n == 0) { store<u8>(out, 48); return 1; }
  // set the bits in the shared bitmap (bit c for cpu c), read nibbles, clear
  for (let i = 0; i < n; i++) {
    const c = cpuAt(map, i);
    if ((c >> 2) > (top >> 2)) continue; // past the printed digits
    const at = BITS + (<usize>(c >> 5) << 2);
    store<u32>(at, load<u32>(at) | (<u32>1 << (c & 31)));
  }
  let o = out;
  for (let d = top >> 2; d >= 0; d--) {
    const word = load<u32>(BITS + (<usize>(d >> 3) << 2));
    const nib = (word >> ((d & 7) << 2)) & 15;
    store<u8>(o++, <u8>(nib < 10 ? 48 + nib : 87 + nib));
    if (d > 0 && (d & 7) == 0) store<u8>(o++, 44);
  }
  memory.fill(BITS, 0, <usize>((top >> 5) + 1) << 2);
  return <i32>(o - out);
}
