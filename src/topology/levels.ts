// The aggregation levels of perf stat, and the id of a cpu at each, for
// the two ways perf computes them:
// - live (perf stat, util/cpumap.c aggr_cpu_id__*): from the machine's
//   sysfs; used for sysfs and plain-object topologies;
// - from a file (perf stat report, builtin-stat.c perf_env__get_*_aggr_by_cpu):
//   from the perf.data header; used for perf.data topologies.
// They differ where data is absent: live reads of a missing file give
// -ENOENT, and a negative die or cluster is read as 0; the file path takes
// the header's values as they are, gives the empty id for cpu -1, and
// leaves the cluster out of the per-cpu id.

import { TopologyError } from './error.js';
import { emptyAggrId, aggrIdIsEmpty, type AggrCpuId } from './aggr-id.js';
import { MAX_CACHE_LEVEL } from './data.js';
import { perfListMin } from './perf-list.js';
import type { Topology } from './topology.js';

export type AggrLevel = 'socket' | 'die' | 'cluster' | 'cache' | 'core' | 'cpu' | 'node' | 'global';
export const AGGR_LEVELS: readonly AggrLevel[] = ['socket', 'die', 'cluster', 'cache', 'core', 'cpu', 'node', 'global'];

/** "Last level cache": what --per-cache without a level asks for. */
export const LAST_LEVEL_CACHE = MAX_CACHE_LEVEL + 1;

export function checkLevel(level: unknown): AggrLevel {
  if (typeof level !== 'string' || !(AGGR_LEVELS as readonly string[]).includes(level)) {
    throw new TopologyError('EBADLEVEL', `unknown aggregation level ${JSON.stringify(level)} (one of ${AGGR_LEVELS.join(', ')})`);
  }
  return level as AggrLevel;
}

/** A cache level 1..4, or undefined for the last level. */
export function checkCacheLevel(level: unknown): number {
  if (level === undefined) return LAST_LEVEL_CACHE;
  if (typeof level !== 'number' || !Number.isInteger(level) || level < 1 || level > MAX_CACHE_LEVEL) {
    throw new TopologyError('EBADLEVEL', `cache level must be 1 to ${MAX_CACHE_LEVEL} (perf's MAX_CACHE_LVL), got ${JSON.stringify(level)}`);
  }
  return level;
}

/** cpu__get_cache_id_from_map: the first cpu of the shared list, or the cpu itself when it has none. */
function cacheInstance(t: Topology, cpu: number, shared: string): number {
  const first = perfListMin(t.perfList(shared));
  return first === -1 ? cpu : first;
}

// ---- live: util/cpumap.c and builtin-stat.c's aggr_cpu_id__cache ----

export function liveSocket(t: Topology, cpu: number): AggrCpuId {
  const id = emptyAggrId();
  id.socket = t.socketId(cpu);
  return id;
}

/** perf's pattern: a level adds its field to the id of the level below, unless that id is empty. */
function extend(id: AggrCpuId, field: 'die' | 'cluster' | 'core' | 'cpu', value: number): AggrCpuId {
  if (!aggrIdIsEmpty(id)) id[field] = value;
  return id;
}

/** A negative die_id (none on legacy systems) counts as die 0. */
export function liveDie(t: Topology, cpu: number): AggrCpuId {
  return extend(liveSocket(t, cpu), 'die', Math.max(t.dieId(cpu), 0));
}

/** A negative cluster_id (none on legacy systems) counts as cluster 0. */
export function liveCluster(t: Topology, cpu: number): AggrCpuId {
  return extend(liveDie(t, cpu), 'cluster', Math.max(t.clusterId(cpu), 0));
}

export function liveCore(t: Topology, cpu: number): AggrCpuId {
  return extend(liveCluster(t, cpu), 'core', t.coreId(cpu));
}

export function liveCpu(t: Topology, cpu: number): AggrCpuId {
  return extend(liveCore(t, cpu), 'cpu', cpu);
}

export function liveNode(t: Topology, cpu: number): AggrCpuId {
  const id = emptyAggrId();
  id.node = t.node(cpu);
  return id;
}

export function globalId(): AggrCpuId {
  const id = emptyAggrId();
  id.cpu = 0; // everything aggregates to cpu 0
  return id;
}

/** cpu__get_cache_details: [level, instance], or undefined where perf's read fails. */
function liveCacheDetails(t: Topology, cpu: number, cacheLevel: number): [number, number] | undefined {
  const caches = t.caches(cpu);
  if (typeof caches === 'number' || caches.length === 0) return undefined;
  if (cacheLevel > MAX_CACHE_LEVEL) {
    let top = 0;
    for (let i = 1; i < caches.length; i++) if (caches[i]!.level > caches[top]!.level) top = i;
    return [caches[top]!.level, cacheInstance(t, cpu, caches[top]!.cpus)];
  }
  let found: [number, number] = [cacheLevel, -1];
  for (const c of caches) if (c.level === cacheLevel) found = [cacheLevel, cacheInstance(t, cpu, c.cpus)];
  return found;
}

export function liveCache(t: Topology, cpu: number, cacheLevel: number): AggrCpuId {
  const id = liveDie(t, cpu);
  if (aggrIdIsEmpty(id)) return id;
  const details = liveCacheDetails(t, cpu, cacheLevel);
  if (details === undefined) return id;
  [id.cacheLevel, id.cache] = details;
  return id;
}

// ---- from a file: builtin-stat.c perf_env__get_*_aggr_by_cpu ----

/** The header's ids of a cpu perf.data knows; undefined otherwise (perf would read past its array). */
function fileIds(t: Topology, cpu: number): { socket: number; die: number; cluster: number; core: number } | undefined {
  return cpu === -1 ? undefined : t.cpuData(cpu);
}

export function fileSocket(t: Topology, cpu: number): AggrCpuId {
  const id = emptyAggrId();
  const d = fileIds(t, cpu);
  if (d !== undefined) id.socket = d.socket;
  return id;
}

export function fileDie(t: Topology, cpu: number): AggrCpuId {
  const id = emptyAggrId();
  const d = fileIds(t, cpu);
  if (d !== undefined) {
    id.socket = d.socket;
    id.die = d.die;
  }
  return id;
}

export function fileCluster(t: Topology, cpu: number): AggrCpuId {
  const id = fileDie(t, cpu);
  const d = fileIds(t, cpu);
  if (d !== undefined) id.cluster = d.cluster;
  return id;
}

export function fileCore(t: Topology, cpu: number): AggrCpuId {
  const id = fileCluster(t, cpu);
  const d = fileIds(t, cpu);
  if (d !== undefined) id.core = d.core;
  return id;
}

/** The per-cpu id of a file leaves the cluster out, as perf's does. */
export function fileCpu(t: Topology, cpu: number): AggrCpuId {
  const id = fileDie(t, cpu);
  const d = fileIds(t, cpu);
  if (d !== undefined) {
    id.core = d.core;
    id.cpu = cpu;
  }
  return id;
}

export const fileNode = liveNode;

/** perf_env__get_cache_id_for_cpu: searches the header's caches from the last. */
function fileCacheDetails(t: Topology, cpu: number, cacheLevel: number): [number, number] {
  const caches = t.headerCaches();
  const none: [number, number] = [cacheLevel > MAX_CACHE_LEVEL ? 0 : cacheLevel, -1];
  for (let i = caches.length - 1; i >= 0; i--) {
    const c = caches[i]!;
    if (cacheLevel <= MAX_CACHE_LEVEL && c.level !== cacheLevel) continue;
    const members = t.perfList(c.cpus);
    if (members !== null && members.includes(cpu)) return [c.level, cacheInstance(t, cpu, c.cpus)];
  }
  return none;
}

export function fileCache(t: Topology, cpu: number, cacheLevel: number): AggrCpuId {
  const id = emptyAggrId();
  const d = fileIds(t, cpu);
  if (d !== undefined) {
    id.socket = d.socket;
    id.die = d.die;
    [id.cacheLevel, id.cache] = fileCacheDetails(t, cpu, cacheLevel);
  }
  return id;
}

/** The id of `cpu` at `level`, the way perf computes it for this topology's origin. */
export function aggrIdAt(t: Topology, cpu: number, level: AggrLevel, cacheLevel: number = LAST_LEVEL_CACHE): AggrCpuId {
  const file = t.origin === 'perf.data';
  switch (level) {
    case 'socket': return file ? fileSocket(t, cpu) : liveSocket(t, cpu);
    case 'die': return file ? fileDie(t, cpu) : liveDie(t, cpu);
    case 'cluster': return file ? fileCluster(t, cpu) : liveCluster(t, cpu);
    case 'cache': return file ? fileCache(t, cpu, cacheLevel) : liveCache(t, cpu, cacheLevel);
    case 'core': return file ? fileCore(t, cpu) : liveCore(t, cpu);
    case 'cpu': return file ? fileCpu(t, cpu) : liveCpu(t, cpu);
    case 'node': return liveNode(t, cpu);
    case 'global': return globalId();
  }
}
