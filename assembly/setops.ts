// merge and intersect with libperf's result-object rules (docs/contract.md §5).

import { newMap, nrOf, cpusOf, mapGet, mapIsSubset, markSorted, markShape, shapeOf, SORTED } from "./map";
import { alloc, free } from "./alloc";
import { addValues, drainIntoMap } from "./bitmap";
import { failNoMemory } from "./status";

// Results are built in one pass into a reusable temp block, then copied into
// a map of the exact size: one walk instead of a counting walk and a filling walk.
let tmpPtr: usize = 0;
let tmpCap: usize = 0;

function temp(bytes: usize): usize {
  if (bytes <= tmpCap) return tmpPtr;
  free(tmpPtr);
  tmpPtr = alloc(bytes < 64 ? 64 : bytes);
  tmpCap = tmpPtr == 0 ? 0 : bytes;
  if (tmpPtr == 0) failNoMemory();
  return tmpPtr;
}

export function tempBlocks(): i32 { return tmpPtr != 0 ? 1 : 0; }

function fromTemp(t: usize, end: usize): usize {
  const n = <i32>((end - t) >> 1);
  const out = newMap(n);
  if (out != 0) memory.copy(cpusOf(out), t, end - t);
  return out;
}

/**
 * Sorted, de-duplicated union of every value of a and b (both non-NULL).
 * For sorted inputs a merge walk; its output is strictly ascending exactly
 * when the inputs were sorted and unique, which the walk checks as it goes.
 * Otherwise (decoded payloads) libperf sorts and de-duplicates, so the result
 * is the set union all the same: the bitmap gives it in linear time.
 */
function union(a: usize, b: usize): usize {
  const na = nrOf(a);
  const nb = nrOf(b);
  const t = temp(<usize>(na + nb) << 1);
  if (t == 0) return 0;
  let pa = cpusOf(a), pb = cpusOf(b);
  const ea = pa + (<usize>na << 1), eb = pb + (<usize>nb << 1);
  let o = t;
  let prev: i32 = -32769;
  let ascending = true;
  while (pa < ea && pb < eb) {
    const va = <i32>load<i16>(pa), vb = <i32>load<i16>(pb);
    let v = va;
    if (va < vb) pa += 2;
    else if (va > vb) { v = vb; pb += 2; }
    else { pa += 2; pb += 2; }
    if (v <= prev) ascending = false;
    prev = v;
    store<i16>(o, <i16>v);
    o += 2;
  }
  // the rest of whichever input is left
  let p = pa < ea ? pa : pb;
  const e = pa < ea ? ea : eb;
  for (; p < e; p += 2, o += 2) {
    const v = <i32>load<i16>(p);
    if (v <= prev) ascending = false;
    prev = v;
    store<i16>(o, <i16>v);
  }
  if (ascending) return markSorted(fromTemp(t, o));
  return drainIntoMap(addValues(cpusOf(a), na) + addValues(cpusOf(b), nb));
}

/**
 * perf_cpu_map__merge's choice of result, without its ownership moves (the
 * host makes those, so that a reference checker sees them): returns `orig`
 * itself, with no new reference, when `other` adds nothing; a new reference
 * to `other` when it holds all of `orig`; else a new map. The caller then puts
 * `orig` whenever the result differs from it. 0 with ENOMEM (nothing changed).
 */
export function merge(orig: usize, other: usize): usize {
  if (mapIsSubset(orig, other)) return orig;
  if (mapIsSubset(other, orig)) return mapGet(other);
  return union(orig, other);
}

/**
 * perf_cpu_map__intersect(orig, other): a new reference; to `orig` when it is
 * contained in `other`, else to `other` when it is contained in `orig`, else to
 * a new map of the common values. 0 for no common value (status OK) or ENOMEM.
 */
export function intersect(orig: usize, other: usize): usize {
  if (mapIsSubset(other, orig)) return mapGet(orig);
  if (mapIsSubset(orig, other)) return mapGet(other);
  const na = nrOf(orig), nb = nrOf(other);
  const t = temp(<usize>(na < nb ? na : nb) << 1);
  if (t == 0) return 0;
  // libperf's two-cursor walk (so unsorted inputs give libperf's answer too),
  // on pointers; branches here beat a branch-free walk in V8's wasm tiers
  let pa = cpusOf(orig), pb = cpusOf(other);
  const ea = pa + (<usize>na << 1), eb = pb + (<usize>nb << 1);
  let o = t;
  while (pa < ea && pb < eb) {
    const va = <i32>load<i16>(pa), vb = <i32>load<i16>(pb);
    if (va < vb) pa += 2;
    else if (va > vb) pb += 2;
    else { store<i16>(o, <i16>va); o += 2; pa += 2; pb += 2; }
  }
  if (o == t) return 0;
  // the walk's output ascends when both inputs did
  const out = fromTemp(t, o);
  return (shapeOf(orig) & shapeOf(other) & SORTED) != 0 ? markSorted(out) : markShape(out);
}
