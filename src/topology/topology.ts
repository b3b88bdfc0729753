// Topology: for each cpu its socket, die, cluster, core, NUMA node and
// caches, read from sysfs, a perf.data header or a plain object, with
// perf's answers where data is absent.

import { CpuMap } from '../cpumap.js';
import type { PerfDataInfo } from '../perfdata/types.js';
import { readPerfData } from '../perfdata.js';
import { readSysfsTopology } from './sysfs.js';
import { readPerfDataTopology } from './from-perfdata.js';
import { readObjectTopology, type TopologyObject } from './from-object.js';
import { MISSING_FILE, type CacheLevelData, type CpuData, type TopologyData, type TopologyOrigin } from './data.js';
import { aggrIdAt, checkLevel, checkCacheLevel, type AggrLevel } from './levels.js';
import type { AggrCpuId } from './aggr-id.js';
import { Aggregation } from './aggregation.js';
import { readPerfList } from './perf-list.js';

export interface AggregateOptions {
  /** For 'cache': the cache level 1..4 (default: the last level, as --per-cache without a level). */
  cacheLevel?: number;
}

export class Topology {
  /** @internal */ readonly _data: TopologyData;
  private readonly perfLists = new Map<string, number[] | null>();

  /** @internal Use the static constructors. */
  constructor(data: TopologyData) {
    this._data = data;
  }

  /** The machine's topology from a sysfs tree (Node): root is the directory holding devices/ (default '/sys'). */
  static fromSysfs(root = '/sys'): Topology {
    return new Topology(readSysfsTopology(root));
  }

  /** The topology a perf.data file recorded (its CPU_TOPOLOGY, NUMA_TOPOLOGY and CACHE features). */
  static fromPerfData(file: PerfDataInfo | Uint8Array): Topology {
    return new Topology(readPerfDataTopology(file instanceof Uint8Array ? readPerfData(file) : file));
  }

  /** A topology from a plain object (see TopologyObject); checked, TopologyError where it is wrong. */
  static fromObject(obj: TopologyObject): Topology {
    return new Topology(readObjectTopology(obj));
  }

  /** 'sysfs', 'perf.data' or 'object': decides how absent data reads (see docs/topology.md). */
  get origin(): TopologyOrigin {
    return this._data.origin;
  }

  /** The cpus the topology has data for, ascending. */
  cpus(): number[] {
    return [...this._data.cpus.keys()].sort((a, b) => a - b);
  }

  /** @internal The data of a known cpu. */
  cpuData(cpu: number): CpuData | undefined {
    return this._data.cpus.get(cpu);
  }

  private field(cpu: number, name: 'socket' | 'die' | 'cluster' | 'core'): number {
    const d = this._data.cpus.get(cpu);
    if (d !== undefined) return d[name];
    return this._data.origin === 'perf.data' ? -1 : MISSING_FILE;
  }

  /**
   * physical_package_id (cpu__get_socket_id). Where perf's read fails the
   * error it returns: -2 (ENOENT) for a missing file or unknown cpu, -1 for
   * an empty or unreadable file. perf.data: -1 for cpus the header lacks.
   */
  socketId(cpu: number): number { return this.field(cpu, 'socket'); }
  /** die_id (cpu__get_die_id); errors as socketId. perf.data files without dies: 0. */
  dieId(cpu: number): number { return this.field(cpu, 'die'); }
  /** cluster_id (cpu__get_cluster_id); errors as socketId. perf.data: 0 (the header has no clusters). */
  clusterId(cpu: number): number { return this.field(cpu, 'cluster'); }
  /** core_id (cpu__get_core_id); errors as socketId. */
  coreId(cpu: number): number { return this.field(cpu, 'core'); }

  /**
   * The NUMA node (cpu__get_node): -1 for cpus in no node or outside perf's
   * map. perf.data: the index of the node in the header, as perf_env__numa_node.
   */
  node(cpu: number): number {
    if (cpu < 0 || cpu >= this._data.nodeMapSize) return -1;
    return this._data.nodeOf.get(cpu) ?? -1;
  }

  /** The NUMA nodes, with their cpus (nodes without cpus included). */
  nodes(): { node: number; cpus: number[] }[] {
    return this._data.nodes.map((n) => ({ node: n.node, cpus: [...n.cpus] }));
  }

  /**
   * The cpu's caches (sysfs index order), or the error perf's reader met.
   * perf.data records caches per machine, not per cpu: the header's caches
   * that list the cpu.
   */
  caches(cpu: number): CacheLevelData[] | number {
    if (this._data.origin === 'perf.data') {
      return this.headerCaches().filter((c) => this.perfList(c.cpus)?.includes(cpu) === true);
    }
    const d = this._data.cpus.get(cpu);
    return d === undefined ? [] : d.caches;
  }

  /** @internal perf_cpu_map__new(text)'s entries (null for NULL), parsed once per text. */
  perfList(text: string): readonly number[] | null {
    let entries = this.perfLists.get(text);
    if (entries === undefined) {
      entries = readPerfList(text);
      this.perfLists.set(text, entries);
    }
    return entries;
  }

  /** @internal perf.data's CACHE feature, in header order. */
  headerCaches(): readonly CacheLevelData[] {
    return this._data.headerCaches ?? [];
  }

  /** cpu__max_cpu: one past the largest possible cpu (perf's 4096 where unknown; perf.data: NRCPUS available). */
  maxCpu(): number { return this._data.maxCpu; }
  /** cpu__max_present_cpu: one past the largest present cpu (4096 where unknown). */
  maxPresentCpu(): number { return this._data.maxPresentCpu; }
  /** cpu__max_node: one past the largest possible node (perf's 8 where unknown; perf.data: largest node + 1). */
  maxNode(): number { return this._data.maxNode; }

  private list(which: 'online' | 'present' | 'possible'): CpuMap | null {
    const cpus = this._data[which];
    return cpus === undefined ? null : CpuMap.fromCpus(cpus);
  }
  /** The online cpus as a new CpuMap (put it), or null where the source does not say (perf.data). */
  online(): CpuMap | null { return this.list('online'); }
  /** The present cpus as a new CpuMap, or null. */
  present(): CpuMap | null { return this.list('present'); }
  /** The possible cpus as a new CpuMap, or null. */
  possible(): CpuMap | null { return this.list('possible'); }

  /** Contradictions found in the data (a cpu in two NUMA nodes, ...); empty when consistent. */
  problems(): string[] {
    return [...this._data.problems];
  }

  /** The aggregation id of `cpu` at `level`, as perf stat (or perf stat report, for perf.data) computes it. */
  aggrId(cpu: number, level: AggrLevel, options?: AggregateOptions): AggrCpuId {
    return aggrIdAt(this, cpu, checkLevel(level), checkCacheLevel(options?.cacheLevel));
  }

  /**
   * The groups perf stat prints for `map` at `level`: perf's
   * cpu_aggr_map__new order, each with its id, label and cpus (a new
   * CpuMap each: put the Aggregation, or each group's cpus, when done).
   */
  aggregate(map: CpuMap, level: AggrLevel, options?: AggregateOptions): Aggregation {
    const lvl = checkLevel(level);
    const cacheLevel = checkCacheLevel(options?.cacheLevel);
    if (!(map instanceof CpuMap)) throw new TypeError('Topology.aggregate: expected a CpuMap');
    return Aggregation.build(map.toArray(), lvl, (cpu) => aggrIdAt(this, cpu, lvl, cacheLevel));
  }
}
