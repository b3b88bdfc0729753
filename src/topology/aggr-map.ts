// cpu_aggr_map__new: the distinct ids of a cpu map's entries, in the order
// first met, then sorted by perf's order when asked.

import { aggrIdEqual, compareAggrIds, type AggrCpuId } from './aggr-id.js';

export function buildAggrIds(entries: readonly number[], getId: (cpu: number) => AggrCpuId, needsSort: boolean): AggrCpuId[] {
  const ids: AggrCpuId[] = [];
  for (const cpu of entries) {
    const id = getId(cpu);
    if (!ids.some((x) => aggrIdEqual(x, id))) ids.push(id);
  }
  if (needsSort) ids.sort(compareAggrIds);
  return ids;
}
