// cpu_aggr_map__new: the distinct ids of a cpu map's entries, in the order
// first met, then sorted by perf's order when asked. (perf compares each id
// with every one kept; a key per id gives the same result in linear time.)

import { compareAggrIds, type AggrCpuId } from './aggr-id.js';

/** A string equal for two ids exactly when aggr_cpu_id__equal says they are. */
export function aggrIdKey(id: AggrCpuId): string {
  return `${id.threadIdx},${id.node},${id.socket},${id.die},${id.cluster},${id.cacheLevel},${id.cache},${id.core},${id.cpu}`;
}

/** The distinct ids of `ids`, first-met order, sorted when needsSort. */
export function distinctAggrIds(ids: readonly AggrCpuId[], needsSort: boolean): AggrCpuId[] {
  const seen = new Map<string, AggrCpuId>();
  for (const id of ids) {
    const key = aggrIdKey(id);
    if (!seen.has(key)) seen.set(key, id);
  }
  const out = [...seen.values()];
  if (needsSort) out.sort(compareAggrIds);
  return out;
}

export function buildAggrIds(entries: readonly number[], getId: (cpu: number) => AggrCpuId, needsSort: boolean): AggrCpuId[] {
  return distinctAggrIds(entries.map(getId), needsSort);
}
