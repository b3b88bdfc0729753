// libperf's cpumap API under its own names, so C code and perf's tests port
// line by line. A map is a CpuMap handle; `null` is libperf's NULL, which is
// both "failure" and "the empty map", with NULL's quirks (nr(NULL) is 1,
// cpu(NULL, 0) is -1, ...). Each function states what it does with NULL.
//
// Differences from C that a port cannot avoid: failures a C caller cannot
// see (using a map after its last put, a map from another wasm instance,
// arguments of the wrong type) throw instead of corrupting memory.

import { CpuMap, wrapNew } from './cpumap.js';
import './config.js'; // after cpumap.js: lets CPUMAP_REFCHECK and configure() choose checked handles
import { Core } from './core.js';
import { defaultCore } from './instance.js';
import { notAMap, otherInstance, describeValue } from './errors.js';

/** libperf's `struct perf_cpu_map *`: a handle, or null. */
export type perf_cpu_map = CpuMap;

/** -ENOMEM, as perf_cpu_map__merge returns it. */
export const ENOMEM = -12;

function ptrOf(map: CpuMap | null, access: string): number {
  if (map === null) return 0;
  if (!(map instanceof CpuMap)) throw notAMap(access, map);
  return map._p(access);
}

/** The instance two (possibly NULL) maps live in; they must share it. */
function coreOf(a: CpuMap | null, b: CpuMap | null, access: string): Core {
  if (a !== null && !(a instanceof CpuMap)) throw notAMap(access, a);
  if (b !== null && !(b instanceof CpuMap)) throw notAMap(access, b);
  const core = a?._core ?? b?._core ?? defaultCore;
  if (a !== null && b !== null && a._core !== b._core) throw otherInstance(access);
  return core;
}

function checkInt(access: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new TypeError(`${access}: ${name} must be an integer, got ${describeValue(v)}`);
  }
  return v;
}

/** A handle for a new reference `r` that may point at a's or b's block. */
function refTo(r: number, a: CpuMap | null, b: CpuMap | null, core: Core): CpuMap | null {
  if (r === 0) return null;
  if (a !== null) return a._newRef(r, b);
  if (b !== null) return b._newRef(r, null);
  return wrapNew(core, r);
}

// ---- constructors: each returns a map with one reference, or NULL ----

/**
 * Parse a cpu list ("0-3,8"). NULL (the argument) gives the online cpus; the
 * empty string gives the any-cpu map [-1]; a list libperf rejects gives NULL.
 */
export function perf_cpu_map__new(list: string | null): perf_cpu_map | null {
  if (list === null) return perf_cpu_map__new_online_cpus();
  if (typeof list !== 'string') throw new TypeError(`perf_cpu_map__new: list must be a string or null, got ${describeValue(list)}`);
  const core = defaultCore;
  const ptr = core.parse(list, 0);
  return ptr === 0 ? null : wrapNew(core, ptr);
}

/** The online cpus (sysfs, else 0..N-1 for N processors). */
export function perf_cpu_map__new_online_cpus(): perf_cpu_map | null {
  try {
    return CpuMap.online();
  } catch {
    return null; // only ENOMEM can fail
  }
}

/** The any-cpu map [-1]; NULL only when out of memory. */
export function perf_cpu_map__new_any_cpu(): perf_cpu_map | null {
  const core = defaultCore;
  const ptr = core.ex.newInt(core.ANY_CPU);
  return ptr === 0 ? null : wrapNew(core, ptr);
}

/** The 2022 name of perf_cpu_map__new_any_cpu. */
export const perf_cpu_map__dummy_new = perf_cpu_map__new_any_cpu;

/** A one-entry map of `cpu` truncated to 16 bits, unchecked: 65535 becomes -1, 40000 becomes -25536. */
export function perf_cpu_map__new_int(cpu: number): perf_cpu_map | null {
  checkInt('perf_cpu_map__new_int', 'cpu', cpu);
  const core = defaultCore;
  const ptr = core.ex.newInt(cpu);
  return ptr === 0 ? null : wrapNew(core, ptr);
}

// ---- references ----

/** A new reference to `map` (a new handle when checking is on: use the result); NULL gives NULL. */
export function perf_cpu_map__get(map: perf_cpu_map | null): perf_cpu_map | null {
  if (map === null) return null;
  if (!(map instanceof CpuMap)) throw notAMap('perf_cpu_map__get', map);
  return map.get();
}

/** Drop a reference; the last one frees the map. NULL is ignored. */
export function perf_cpu_map__put(map: perf_cpu_map | null): void {
  if (map === null) return;
  if (!(map instanceof CpuMap)) throw notAMap('perf_cpu_map__put', map);
  map.put();
}

/** The reference count (internal in libperf, used by its tests); 0 for NULL. */
export function perf_cpu_map__refcnt(map: perf_cpu_map | null): number {
  const p = ptrOf(map, 'perf_cpu_map__refcnt');
  return p === 0 ? 0 : map!._core.refcnt(p, 'perf_cpu_map__refcnt');
}

// ---- queries: all accept NULL ----

/** Number of entries; 1 for NULL (so loops see one -1). */
export function perf_cpu_map__nr(map: perf_cpu_map | null): number {
  const p = ptrOf(map, 'perf_cpu_map__nr');
  return (map?._core ?? defaultCore).nr(p);
}

/** Entry `idx`; -1 for an index outside 0..nr-1 (negative ones included) and for NULL. */
export function perf_cpu_map__cpu(map: perf_cpu_map | null, idx: number): number {
  const p = ptrOf(map, 'perf_cpu_map__cpu');
  if ((idx | 0) !== idx) checkInt('perf_cpu_map__cpu', 'idx', idx);
  return (map?._core ?? defaultCore).cpu(p, idx);
}

/** Index of `cpu` by libperf's binary search; -1 if absent or NULL. */
export function perf_cpu_map__idx(map: perf_cpu_map | null, cpu: number): number {
  const p = ptrOf(map, 'perf_cpu_map__idx');
  if ((cpu | 0) !== cpu) checkInt('perf_cpu_map__idx', 'cpu', cpu);
  return (map?._core ?? defaultCore).idx(p, cpu);
}

/** idx(map, cpu) != -1; false for NULL. */
export function perf_cpu_map__has(map: perf_cpu_map | null, cpu: number): boolean {
  return perf_cpu_map__idx(map, cpu) !== -1;
}

/** The first entry that is not -1 (index order); -1 if none or NULL. */
export function perf_cpu_map__min(map: perf_cpu_map | null): number {
  const p = ptrOf(map, 'perf_cpu_map__min');
  return (map?._core ?? defaultCore).min(p);
}

/** The last entry (the largest for sorted maps); -1 for NULL, as in the latest libperf. */
export function perf_cpu_map__max(map: perf_cpu_map | null): number {
  const p = ptrOf(map, 'perf_cpu_map__max');
  return (map?._core ?? defaultCore).max(p);
}

/** First entry is -1; false for NULL. */
export function perf_cpu_map__has_any_cpu(map: perf_cpu_map | null): boolean {
  const p = ptrOf(map, 'perf_cpu_map__has_any_cpu');
  return (map?._core ?? defaultCore).hasAnyCpu(p);
}

/** NULL, or first entry is -1. */
export function perf_cpu_map__has_any_cpu_or_is_empty(map: perf_cpu_map | null): boolean {
  const p = ptrOf(map, 'perf_cpu_map__has_any_cpu_or_is_empty');
  return (map?._core ?? defaultCore).hasAnyCpuOrIsEmpty(p);
}

/** NULL, or exactly [-1]. */
export function perf_cpu_map__is_any_cpu_or_is_empty(map: perf_cpu_map | null): boolean {
  const p = ptrOf(map, 'perf_cpu_map__is_any_cpu_or_is_empty');
  return (map?._core ?? defaultCore).isAnyCpuOrIsEmpty(p);
}

/** True only for NULL. */
export function perf_cpu_map__is_empty(map: perf_cpu_map | null): boolean {
  return ptrOf(map, 'perf_cpu_map__is_empty') === 0;
}

/** Same object (NULL equals NULL), or same entries; one NULL: false. */
export function perf_cpu_map__equal(a: perf_cpu_map | null, b: perf_cpu_map | null): boolean {
  const core = coreOf(a, b, 'perf_cpu_map__equal');
  return core.equal(ptrOf(a, 'perf_cpu_map__equal'), ptrOf(b, 'perf_cpu_map__equal'));
}

/** "Is b contained in a": true when b is NULL or the same map; false when a is NULL. */
export function perf_cpu_map__is_subset(a: perf_cpu_map | null, b: perf_cpu_map | null): boolean {
  const core = coreOf(a, b, 'perf_cpu_map__is_subset');
  return core.isSubset(ptrOf(a, 'perf_cpu_map__is_subset'), ptrOf(b, 'perf_cpu_map__is_subset'));
}

/** Calls fn(cpu, idx) for idx 0..nr-1: once with -1 for NULL. */
export function perf_cpu_map__for_each_cpu(map: perf_cpu_map | null, fn: (cpu: number, idx: number) => void): void {
  const n = perf_cpu_map__nr(map);
  for (let i = 0; i < n; i++) fn(perf_cpu_map__cpu(map, i), i);
}

/** As for_each_cpu, skipping every entry that is -1. */
export function perf_cpu_map__for_each_cpu_skip_any(map: perf_cpu_map | null, fn: (cpu: number, idx: number) => void): void {
  perf_cpu_map__for_each_cpu(map, (cpu, idx) => { if (cpu !== -1) fn(cpu, idx); });
}

/** Calls fn(idx) for idx 0..nr-1 (once for NULL). */
export function perf_cpu_map__for_each_idx(map: perf_cpu_map | null, fn: (idx: number) => void): void {
  const n = perf_cpu_map__nr(map);
  for (let i = 0; i < n; i++) fn(i);
}

// ---- set operations ----

/**
 * Union written back through `orig`, as `int merge(struct perf_cpu_map **orig, other)`:
 * orig.map is kept when `other` adds nothing, else its reference is put and
 * replaced by a new reference (to `other` when it holds all of orig.map,
 * NULL included, else to a new map). The reference to `other` is never
 * consumed. Returns 0, or ENOMEM (-12) with nothing changed.
 */
export function perf_cpu_map__merge(orig: { map: perf_cpu_map | null }, other: perf_cpu_map | null): number {
  if (orig === null || typeof orig !== 'object') {
    throw new TypeError(`perf_cpu_map__merge: orig must be an object { map }, got ${describeValue(orig)}`);
  }
  const old = orig.map;
  const core = coreOf(old, other, 'perf_cpu_map__merge');
  const a = ptrOf(old, 'perf_cpu_map__merge');
  const b = ptrOf(other, 'perf_cpu_map__merge');
  if (a === b) return 0;
  const r = core.ex.merge(a, b);
  if (r === 0) {
    if (core.status() !== 'ENOMEM') throw core.statusError('perf_cpu_map__merge');
    return ENOMEM;
  }
  if (r === a) return 0;
  const replacement = refTo(r, old, other, core);
  if (old !== null) old.put();
  orig.map = replacement;
  return 0;
}

/**
 * The common cpus as a new reference: to `a` when b contains it (NULL a
 * included), else to `b` when a contains it, else a new map; NULL when
 * nothing is common (or out of memory). Neither input is consumed.
 */
export function perf_cpu_map__intersect(a: perf_cpu_map | null, b: perf_cpu_map | null): perf_cpu_map | null {
  const core = coreOf(a, b, 'perf_cpu_map__intersect');
  const r = core.ex.intersect(ptrOf(a, 'perf_cpu_map__intersect'), ptrOf(b, 'perf_cpu_map__intersect'));
  return refTo(r, a, b, core);
}

// ---- perf tool helpers (tools/perf/util/cpumap.c, synthetic-events.c) ----

/** The cpu list ("1-2,4"); NULL prints "-1", like [-1]. */
export function cpu_map__snprint(map: perf_cpu_map | null): string {
  const p = ptrOf(map, 'cpu_map__snprint');
  const core = map?._core ?? defaultCore;
  return core.formatList(p, 'cpu_map__snprint');
}

/** The hex mask ("1,00000003"). Undefined upstream for NULL and negative cpus: throws ENEGATIVE. */
export function cpu_map__snprint_mask(map: perf_cpu_map | null): string {
  const p = ptrOf(map, 'cpu_map__snprint_mask');
  const core = map?._core ?? defaultCore;
  return core.formatMask(p, 'cpu_map__snprint_mask');
}

/**
 * Decode a PERF_RECORD_CPU_MAP payload (event header excluded) as perf
 * reads it: unsorted and duplicate entries kept; NULL for a payload without
 * cpus and for any payload perf rejects. A MASK long_size other than 4 or 8
 * is NULL, as in newer perf; a RANGE any_cpu above 1 is a count of -1
 * entries, as in older perf (docs/contract.md §7.4, §11).
 */
export function cpu_map__new_data(payload: Uint8Array): perf_cpu_map | null {
  if (!(payload instanceof Uint8Array)) {
    throw new TypeError(`cpu_map__new_data: expected a Uint8Array, got ${describeValue(payload)}`);
  }
  const core = defaultCore;
  const ptr = core.decode(payload, 0, payload.length, 0);
  return ptr === 0 ? null : wrapNew(core, ptr);
}

/**
 * The PERF_RECORD_CPU_MAP event perf writes for `map` (8-byte header
 * included); NULL is written like [-1]. The MASK form carries enough words
 * for its largest cpu, where perf drops a largest cpu that is a multiple of 32.
 */
export function perf_event__synthesize_cpu_map(map: perf_cpu_map | null): Uint8Array {
  const p = ptrOf(map, 'perf_event__synthesize_cpu_map');
  const core = map?._core ?? defaultCore;
  return core.encode(p, 'perf_event__synthesize_cpu_map');
}
export * from './topology/libperf.js';
