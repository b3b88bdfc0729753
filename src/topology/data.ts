// The data a Topology holds, whatever it was read from: per cpu, the values
// perf's own lookups would return for it.

/** What perf's sysfs__read_int returns for a file that does not exist (-ENOENT, perf >= 6.13). */
export const MISSING_FILE = -2;
/** What it returns for a file that exists but gives no bytes (empty, or a read error). */
export const UNREADABLE_FILE = -1;

/** One cache of a cpu: sysfs cache/indexN, or an entry of perf.data's CACHE feature. */
export interface CacheLevelData {
  level: number;
  /** "Data", "Instruction", "Unified" ('' where unknown). */
  type: string;
  /** "32K" ('' where unknown). */
  size: string;
  /** The shared cpu list, as written (libperf syntax, e.g. "0-1"). */
  cpus: string;
}

/** What perf reads for one cpu. A negative number is the error perf's reader returned instead. */
export interface CpuData {
  socket: number;
  die: number;
  cluster: number;
  core: number;
  /** The cpu's caches in index order, or the error of the first one that could not be read. */
  caches: CacheLevelData[] | number;
}

export type TopologyOrigin = 'sysfs' | 'perf.data' | 'object';

export interface NumaNodeData {
  node: number;
  /** The node's cpus (may be none). */
  cpus: number[];
}

export interface TopologyData {
  origin: TopologyOrigin;
  /** Where the data came from, for messages: the sysfs root, "perf.data", "object". */
  source: string;
  cpus: Map<number, CpuData>;
  /**
   * cpu -> NUMA node, as perf's lookup answers: sysfs and objects give the
   * node number; perf.data (perf_env__numa_node) gives the index of the
   * node in the header's NUMA_TOPOLOGY list.
   */
  nodeOf: Map<number, number>;
  /** Node lookups answer -1 for cpus outside 0..nodeMapSize-1 (perf's map size). */
  nodeMapSize: number;
  nodes: NumaNodeData[];
  online?: number[];
  present?: number[];
  possible?: number[];
  /** cpu__max_cpu, cpu__max_present_cpu, cpu__max_node: one past the largest. */
  maxCpu: number;
  maxPresentCpu: number;
  maxNode: number;
  /** perf.data only: the CACHE feature's caches, in header order. */
  headerCaches?: CacheLevelData[];
  /** Contradictions found while reading (a cpu in two nodes, a cache list without its cpu...). */
  problems: string[];
}

/** perf's MAX_CACHE_LVL: caches index0..index3 are read; a level above it means "the last level". */
export const MAX_CACHE_LEVEL = 4;
