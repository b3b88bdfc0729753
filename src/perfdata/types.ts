/** Public result types of readPerfData(). */
import type { PerfDataProblem } from './problems.js';

export type { PerfDataProblem, PerfDataProblemCode, ReadPerfDataOptions } from './problems.js';

export type PerfDataMode = 'file' | 'pipe';
export type PerfByteOrder = 'little' | 'big';

/** A cpu_map_data payload found in the event stream. */
export interface PerfCpuMapEvent {
  /** 'cpu_map': a PERF_RECORD_CPU_MAP (74); 'event_update': a PERF_RECORD_EVENT_UPDATE (78) of kind CPUS (3). */
  source: 'cpu_map' | 'event_update';
  /** File offset of the event's 8-byte header (in pipe mode `perf report -D` prints this minus 16). */
  offset: number;
  /** header.size: the whole event, header included. */
  size: number;
  /**
   * The `struct perf_record_cpu_map_data` bytes exactly as stored, header
   * excluded (for event_update also the u64 type and u64 id excluded), to
   * the end of the event, trailing padding included. A view into the input.
   */
  payload: Uint8Array;
  /**
   * The same bytes with every field converted to little endian as spec
   * section 7.1 describes. For little-endian files this is `payload` itself.
   */
  payloadLittleEndian: Uint8Array;
  /** For event_update: the u64 sample id the update applies to. */
  eventId?: bigint;
}

/**
 * A PERF_RECORD_STAT_CONFIG (75) event: `perf stat record`'s settings as
 * u64 tag/value pairs (tag 0 AGGR_MODE, 1 INTERVAL, 2 SCALE, 3 AGGR_LEVEL).
 * Values are as the writer stored them: AGGR_MODE is perf's `enum aggr_mode`
 * of the perf version that wrote the file, whose numbering changed over time.
 */
export interface PerfStatConfigEvent {
  /** File offset of the event's 8-byte header. */
  offset: number;
  /** The entry count the event declares. */
  nr: bigint;
  /** The entries that lie inside the event (at most nr). */
  entries: { tag: bigint; value: bigint }[];
}

/** HEADER_NRCPUS. */
export interface PerfNrCpus {
  online: number;
  /** nr_cpus_avail (stored first, despite the format document); it sizes CPU_TOPOLOGY's per-CPU ids. */
  available: number;
}

/** Per-CPU ids from CPU_TOPOLOGY, indexed by CPU number (0 .. nrcpus.available - 1). */
export interface PerfCpuIds {
  coreId: number;
  socketId: number;
  /** Present only when the section carries the die revision. */
  dieId?: number;
}

/** HEADER_CPU_TOPOLOGY. Every sibling list is a CPU list string such as "0-1", as perf stored it. */
export interface PerfCpuTopology {
  /** core_siblings_list per package; perf prints them as "sibling sockets". */
  coreSiblings: string[];
  /** thread_siblings_list (core_cpus_list) per core; "sibling threads". */
  threadSiblings: string[];
  /** die_cpus_list per die; "sibling dies". Absent in files without the die revision. */
  dieSiblings?: string[];
  /**
   * Per CPU ids. Absent when the section has no per-CPU part (very old
   * writers) or when the file has no NRCPUS feature to say how many.
   */
  cpus?: PerfCpuIds[];
}

/** One HEADER_NUMA_TOPOLOGY node. */
export interface PerfNumaNode {
  node: number;
  /** kB (exact up to 2^53, the nearest double above: a large value is never an error). */
  memTotal: number;
  /** kB (exact up to 2^53, the nearest double above). */
  memFree: number;
  /** CPU list string, e.g. "0-1". */
  cpus: string;
}

/** One HEADER_CACHE level entry. */
export interface PerfCacheLevel {
  level: number;
  lineSize: number;
  sets: number;
  ways: number;
  type: string;
  size: string;
  /** CPU list string of the CPUs sharing this cache. */
  map: string;
}

/** One HEADER_HYBRID_TOPOLOGY entry. */
export interface PerfHybridNode {
  pmuName: string;
  /** CPU list string. */
  cpus: string;
}

/** Decoded header features. Features not listed here are only reported in `featureSections`. */
export interface PerfDataFeatures {
  hostname?: string;
  osRelease?: string;
  version?: string;
  arch?: string;
  nrcpus?: PerfNrCpus;
  cpuDesc?: string;
  cpuId?: string;
  /** kB. Exact up to 2^53 (9 ZiB); a larger value, which no machine has but a damaged file may hold, is the nearest double: never an error. */
  totalMem?: number;
  cmdline?: string[];
  cpuTopology?: PerfCpuTopology;
  numaTopology?: PerfNumaNode[];
  pmuMappings?: Array<{ type: number; name: string }>;
  /** HEADER_STAT is a flag: the file holds `perf stat record` data. */
  stat?: boolean;
  cache?: PerfCacheLevel[];
  hybridTopology?: PerfHybridNode[];
}

/** Where one feature's data lies (file mode: a header section; pipe mode: inside a FEATURE event). */
export interface PerfFeatureSection {
  id: number;
  name: string;
  offset: number;
  size: number;
}

/** One perf_event_attr, from the attrs section (file mode) or an ATTR event (pipe mode). */
export interface PerfAttr {
  type: number;
  config: bigint;
  ids: bigint[];
}

export interface PerfFileSection {
  offset: number;
  size: number;
}

export interface PerfDataInfo {
  mode: PerfDataMode;
  byteOrder: PerfByteOrder;
  /** header.size: 104 (file) or 16 (pipe); 72 for pre-feature-bitmap files. */
  headerSize: number;
  /** File mode only: the attrs and data sections of the header. */
  attrSection?: PerfFileSection;
  dataSection?: PerfFileSection;
  attrs: PerfAttr[];
  /** Number of events by perf's short type name ('CPU_MAP', 'EVENT_UPDATE', 'FEATURE', 'UNKNOWN_99' ...). */
  events: Record<string, number>;
  totalEvents: number;
  cpuMapEvents: PerfCpuMapEvent[];
  /** PERF_RECORD_STAT_CONFIG events, in file order (perf stat report applies each in turn). */
  statConfigEvents: PerfStatConfigEvent[];
  featureSections: PerfFeatureSection[];
  features: PerfDataFeatures;
  /**
   * What could not be read, in file order of discovery (empty for a sound
   * file). Everything else in this object was read despite them.
   */
  problems: PerfDataProblem[];
}
