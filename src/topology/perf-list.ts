// Cpu lists inside topology data are read as perf reads them: with
// perf_cpu_map__new (libperf's grammar), where "" is the any-cpu map [-1]
// and a list libperf rejects is NULL.

import { CpuMap } from '../cpumap.js';

/** The entries of perf_cpu_map__new(text), or null where it returns NULL. */
export function readPerfList(text: string): number[] | null {
  let map: CpuMap;
  try {
    map = CpuMap.parse(text);
  } catch {
    return null;
  }
  try {
    return map.toArray();
  } finally {
    map.put();
  }
}

/** perf_cpu_map__min of such a list: the first entry that is not -1, or -1 (also for NULL). */
export function perfListMin(entries: readonly number[] | null): number {
  if (entries === null) return -1;
  for (const c of entries) if (c !== -1) return c;
  return -1;
}
