// merge and intersect with libperf's result-object rules (spec §5).

import { newMap, nrOf, cpuAt, cpusOf, mapGet, mapIsSubset, CPUS } from "./map";
import { addValues, drainIntoMap } from "./bitmap";
import { clearStatus } from "./status";

@inline function strictlyAscending(map: usize): bool {
  const n = nrOf(map);
  for (let i = 1; i < n; i++) if (cpuAt(map, i - 1) >= cpuAt(map, i)) return false;
  return true;
}

/** Sorted, de-duplicated union of every value of a and b (both non-NULL). */
function union(a: usize, b: usize): usize {
  const na = nrOf(a);
  const nb = nrOf(b);
  if (strictlyAscending(a) && strictlyAscending(b)) {
    // count first so the result is allocated once, at its final size
    let i = 0, j = 0, n = 0;
    while (i < na && j < nb) {
      const va = cpuAt(a, i), vb = cpuAt(b, j);
      if (va <= vb) { if (va == vb) j++; i++; } else j++;
      n++;
    }
    n += (na - i) + (nb - j);
    const out = newMap(n);
    if (out == 0) return 0;
    let o = cpusOf(out);
    i = 0; j = 0;
    while (i < na && j < nb) {
      const va = cpuAt(a, i), vb = cpuAt(b, j);
      if (va <= vb) { if (va == vb) j++; store<i16>(o, <i16>va); i++; } else { store<i16>(o, <i16>vb); j++; }
      o += 2;
    }
    memory.copy(o, a + CPUS + (<usize>i << 1), <usize>(na - i) << 1);
    o += <usize>(na - i) << 1;
    memory.copy(o, b + CPUS + (<usize>j << 1), <usize>(nb - j) << 1);
    return out;
  }
  // unsorted input (decoded payloads): libperf sorts and de-duplicates, so the
  // result is the set union all the same; the bitmap gives it in linear time
  const n = addValues(cpusOf(a), na) + addValues(cpusOf(b), nb);
  return drainIntoMap(n);
}

/**
 * perf_cpu_map__merge's choice of result, without its ownership moves (the
 * host makes those, so that a reference checker sees them): returns `orig`
 * itself, with no new reference, when `other` adds nothing; a new reference
 * to `other` when it holds all of `orig`; else a new map. The caller then puts
 * `orig` whenever the result differs from it. 0 with ENOMEM (nothing changed).
 */
export function merge(orig: usize, other: usize): usize {
  clearStatus();
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
  clearStatus();
  if (mapIsSubset(other, orig)) return mapGet(orig);
  if (mapIsSubset(orig, other)) return mapGet(other);
  const na = nrOf(orig), nb = nrOf(other);
  // libperf's two-cursor walk, so unsorted inputs give libperf's answer too
  let i = 0, j = 0, n = 0;
  while (i < na && j < nb) {
    const va = cpuAt(orig, i), vb = cpuAt(other, j);
    if (va < vb) i++;
    else if (va > vb) j++;
    else { n++; i++; j++; }
  }
  if (n == 0) return 0;
  const out = newMap(n);
  if (out == 0) return 0;
  let o = cpusOf(out);
  i = 0; j = 0;
  while (i < na && j < nb) {
    const va = cpuAt(orig, i), vb = cpuAt(other, j);
    if (va < vb) i++;
    else if (va > vb) j++;
    else { store<i16>(o, <i16>va); o += 2; i++; j++; }
  }
  return out;
}
