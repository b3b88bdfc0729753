// perf's struct aggr_cpu_id: where a cpu's counts are aggregated. A field
// of -1 is not part of the aggregation; the empty id has every field -1.

export interface AggrCpuId {
  threadIdx: number;
  node: number;
  socket: number;
  die: number;
  cluster: number;
  /** The cache level (perf's cache_lvl). */
  cacheLevel: number;
  /** The cache instance: the first cpu of its shared list. */
  cache: number;
  core: number;
  cpu: number;
}

export function emptyAggrId(): AggrCpuId {
  return { threadIdx: -1, node: -1, socket: -1, die: -1, cluster: -1, cacheLevel: -1, cache: -1, core: -1, cpu: -1 };
}

const FIELDS = ['threadIdx', 'node', 'socket', 'die', 'cluster', 'cacheLevel', 'cache', 'core', 'cpu'] as const;

export function aggrIdEqual(a: AggrCpuId, b: AggrCpuId): boolean {
  return FIELDS.every((f) => a[f] === b[f]);
}

export function aggrIdIsEmpty(a: AggrCpuId): boolean {
  return FIELDS.every((f) => a[f] === -1);
}

/** perf's sort order for aggregation maps: node, socket, die, cluster, cache level, cache, core, thread (never cpu). */
const ORDER = ['node', 'socket', 'die', 'cluster', 'cacheLevel', 'cache', 'core', 'threadIdx'] as const;

export function compareAggrIds(a: AggrCpuId, b: AggrCpuId): number {
  for (const f of ORDER) if (a[f] !== b[f]) return a[f] - b[f];
  return 0;
}
