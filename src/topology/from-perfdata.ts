// A topology from a perf.data header, read as perf's header.c fills its
// perf_env: CPU_TOPOLOGY's per-cpu core and socket ids (and die ids when
// the section has them: older files have none, and perf's zeroed array
// leaves 0), NUMA_TOPOLOGY's nodes, CACHE's levels. The header has no
// cluster ids: perf reads 0 for every cpu.

import type { PerfDataInfo } from '../perfdata/types.js';
import { TopologyError } from './error.js';
import { readPerfList } from './perf-list.js';
import type { CacheLevelData, CpuData, NumaNodeData, TopologyData } from './data.js';

const u32ToInt = (v: number): number => v | 0;

export function readPerfDataTopology(info: PerfDataInfo): TopologyData {
  const f = info.features;
  const topo = f.cpuTopology;
  const nrcpus = f.nrcpus;
  if (topo === undefined || nrcpus === undefined) {
    throw new TopologyError('ENOFEATURE', `the perf.data file has no ${topo === undefined ? 'CPU_TOPOLOGY' : 'NRCPUS'} header feature: perf cannot aggregate it by topology`);
  }
  if (topo.cpus === undefined) {
    throw new TopologyError('ENOFEATURE', 'the perf.data CPU_TOPOLOGY feature has no per-cpu core and socket ids (written by a perf older than 4.0)');
  }
  const avail = nrcpus.available;
  const cpus = new Map<number, CpuData>();
  topo.cpus.forEach((ids, cpu) => {
    // process_cpu_topology drops the whole topology for such a socket id
    if (ids.socketId !== 0xffffffff && ids.socketId > avail) {
      throw new TopologyError('EINCONSISTENT',
        `perf.data CPU_TOPOLOGY: cpu ${cpu} has socket id ${ids.socketId}, above the ${avail} cpus of NRCPUS (perf rejects the topology)`, { cpu });
    }
    cpus.set(cpu, { socket: u32ToInt(ids.socketId), die: u32ToInt(ids.dieId ?? 0), cluster: 0, core: u32ToInt(ids.coreId), caches: [] });
  });

  // perf_env__numa_node: a map sized by the largest cpu of any node, holding
  // the index of the node in the header list
  const nodes: NumaNodeData[] = [];
  const nodeOf = new Map<number, number>();
  let nodeMapSize = 0;
  (f.numaTopology ?? []).forEach((n, index) => {
    const entries = readPerfList(n.cpus);
    if (entries === null) {
      throw new TopologyError('EINCONSISTENT', `perf.data NUMA_TOPOLOGY: node ${n.node} has the cpu list ${JSON.stringify(n.cpus)}, which perf cannot parse`);
    }
    const real = entries.filter((c) => c >= 0);
    nodeMapSize = Math.max(nodeMapSize, entries.length > 0 ? entries[entries.length - 1]! : -1);
    nodes.push({ node: n.node, cpus: real });
    for (const c of real) nodeOf.set(c, index);
  });
  nodeMapSize += 1;

  const headerCaches: CacheLevelData[] = (f.cache ?? []).map((c) => ({ level: c.level, type: c.type, size: c.size, cpus: c.map }));
  const maxNode = nodes.reduce((m, n) => Math.max(m, n.node + 1), 0);
  return {
    origin: 'perf.data', source: 'perf.data', cpus, nodeOf, nodeMapSize, nodes,
    maxCpu: avail, maxPresentCpu: avail, maxNode, headerCaches, problems: [],
  };
}
