// What the page shows of one map, read out of a live CpuMap into plain data
// (so the map can be put at once, and the data can cross from a worker).
// No DOM here: the playground worker uses it too.

import type { CpuMap } from '../src/index.js';

export interface MapInfo {
  /** perf's cpu list ("0-3,8"; "-1" for the any-cpu map; "" for no cpus). */
  list: string;
  nr: number;
  min: number;
  max: number;
  /** perf's hex mask, or why there is none. */
  mask?: string;
  maskWhy?: string;
  /** The entries, -1 for "any cpu" (transferable from a worker). */
  cpus: Int16Array;
  any: boolean;
}

export function describeMap(m: CpuMap): MapInfo {
  const info: MapInfo = {
    list: m.toString(),
    nr: m.nr,
    min: m.min(),
    max: m.max(),
    cpus: Int16Array.from(m.toArray()),
    any: m.hasAnyCpu(),
  };
  try {
    info.mask = m.toMask();
  } catch (e) {
    // ENEGATIVE: "CpuMap.toMask: a map holding cpu -1 has no hex mask (...)"
    info.maskWhy = (e instanceof Error ? e.message : String(e)).replace(/^CpuMap\.toMask: /, '');
  }
  return info;
}
