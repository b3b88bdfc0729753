// perf's topology and aggregation functions (tools/perf/util/cpumap.[ch])
// under their own names. perf reads the running machine's sysfs behind
// these calls; here the topology is an argument: each function that perf
// gives a `void *data` (or reads from sysfs) takes the Topology.
// Ids are AggrCpuId objects with perf's fields in camelCase (cache_lvl is
// cacheLevel, thread_idx is threadIdx, cpu is a number).

import { CpuMap } from '../cpumap.js';
import { notAMap } from '../errors.js';
import { Topology } from './topology.js';
import { emptyAggrId, aggrIdEqual, aggrIdIsEmpty, type AggrCpuId } from './aggr-id.js';
import { buildAggrIds } from './aggr-map.js';
import {
  liveSocket, liveDie, liveCluster, liveCore, liveCpu, liveNode, globalId,
  fileSocket, fileDie, fileCluster, fileCore, fileCpu,
} from './levels.js';

export type { AggrCpuId } from './aggr-id.js';

/** perf's aggr_cpu_id_get_t: (cpu, data) => id. */
export type aggr_cpu_id_get_t = (cpu: number, data: Topology) => AggrCpuId;

/** perf's struct cpu_aggr_map: nr and the ids. */
export interface cpu_aggr_map {
  nr: number;
  map: AggrCpuId[];
}

function topo(data: unknown, access: string): Topology {
  if (!(data instanceof Topology)) throw new TypeError(`${access}: data must be a Topology`);
  return data;
}

/** physical_package_id of cpu, or the negative error of the read (-2 for a missing file). */
export function cpu__get_socket_id(cpu: number, topology: Topology): number {
  return topo(topology, 'cpu__get_socket_id').socketId(cpu);
}
/** die_id of cpu, or the negative error of the read. */
export function cpu__get_die_id(cpu: number, topology: Topology): number {
  return topo(topology, 'cpu__get_die_id').dieId(cpu);
}
/** cluster_id of cpu, or the negative error of the read. */
export function cpu__get_cluster_id(cpu: number, topology: Topology): number {
  return topo(topology, 'cpu__get_cluster_id').clusterId(cpu);
}
/** core_id of cpu, or the negative error of the read. */
export function cpu__get_core_id(cpu: number, topology: Topology): number {
  return topo(topology, 'cpu__get_core_id').coreId(cpu);
}
/** The NUMA node of cpu; -1 when none. */
export function cpu__get_node(cpu: number, topology: Topology): number {
  return topo(topology, 'cpu__get_node').node(cpu);
}
/** One past the largest possible node (8 where unknown). */
export function cpu__max_node(topology: Topology): number {
  return topo(topology, 'cpu__max_node').maxNode();
}
/** One past the largest possible cpu (4096 where unknown). */
export function cpu__max_cpu(topology: Topology): number {
  return topo(topology, 'cpu__max_cpu').maxCpu();
}
/** One past the largest present cpu (4096 where unknown). */
export function cpu__max_present_cpu(topology: Topology): number {
  return topo(topology, 'cpu__max_present_cpu').maxPresentCpu();
}

/** perf stat's id function for live topologies, perf stat report's for perf.data ones. */
function byOrigin(access: string, live: (t: Topology, cpu: number) => AggrCpuId,
  file: (t: Topology, cpu: number) => AggrCpuId): aggr_cpu_id_get_t {
  return (cpu, data) => {
    const t = topo(data, access);
    return t.origin === 'perf.data' ? file(t, cpu) : live(t, cpu);
  };
}

/** The socket id of cpu; for a perf.data topology, as perf stat report computes it. */
export const aggr_cpu_id__socket = byOrigin('aggr_cpu_id__socket', liveSocket, fileSocket);
/** Socket and die (live: a missing die_id counts as 0). */
export const aggr_cpu_id__die = byOrigin('aggr_cpu_id__die', liveDie, fileDie);
/** Socket, die and cluster (live: a missing cluster_id counts as 0). */
export const aggr_cpu_id__cluster = byOrigin('aggr_cpu_id__cluster', liveCluster, fileCluster);
/** Socket, die, cluster and core. */
export const aggr_cpu_id__core = byOrigin('aggr_cpu_id__core', liveCore, fileCore);
/** The core id plus the cpu itself (perf.data: without the cluster, as perf stat report). */
export const aggr_cpu_id__cpu = byOrigin('aggr_cpu_id__cpu', liveCpu, fileCpu);
/** The NUMA node only. */
export const aggr_cpu_id__node = byOrigin('aggr_cpu_id__node', liveNode, liveNode);
/** Every cpu aggregates to cpu 0. */
export function aggr_cpu_id__global(_cpu: number, _data?: Topology): AggrCpuId {
  return globalId();
}

/** Every field equal. */
export function aggr_cpu_id__equal(a: AggrCpuId, b: AggrCpuId): boolean {
  return aggrIdEqual(a, b);
}
/** Every field -1. */
export function aggr_cpu_id__is_empty(a: AggrCpuId): boolean {
  return aggrIdIsEmpty(a);
}
/** A new id with every field -1. */
export function aggr_cpu_id__empty(): AggrCpuId {
  return emptyAggrId();
}

/**
 * The distinct ids of the entries of `cpus` (NULL: one entry, -1), in the
 * order met, sorted by perf's order when needs_sort. The cpu map is only
 * read: no reference is taken or dropped.
 */
export function cpu_aggr_map__new(cpus: CpuMap | null, get_id: aggr_cpu_id_get_t, data: Topology, needs_sort: boolean): cpu_aggr_map {
  if (cpus !== null && !(cpus instanceof CpuMap)) throw notAMap('cpu_aggr_map__new', cpus);
  if (typeof get_id !== 'function') throw new TypeError('cpu_aggr_map__new: get_id must be a function');
  const entries = cpus === null ? [-1] : cpus.toArray();
  const map = buildAggrIds(entries, (cpu) => get_id(cpu, data), needs_sort);
  return { nr: map.length, map };
}

/** Events bound to a task use a map of the one entry -1; NULL counts as one (perf_cpu_map__nr(NULL) is 1). */
export function cpu_map__is_dummy(cpus: CpuMap | null): boolean {
  if (cpus === null) return true;
  if (!(cpus instanceof CpuMap)) throw notAMap('cpu_map__is_dummy', cpus);
  return cpus.nr === 1 && cpus.cpu(0) === -1;
}
