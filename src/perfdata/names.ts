/**
 * Record-type and header-feature numbers of the perf.data format, with the
 * short names perf itself prints (`perf report -D` "Aggregated stats",
 * `perf report --header-only` "missing features").
 */

/** Kernel record types (include/uapi/linux/perf_event.h, enum perf_event_type). */
const KERNEL_EVENT_NAMES: readonly string[] = [
  'TOTAL', // 0 is not a record type; perf uses the slot for its total
  'MMAP',
  'LOST',
  'COMM',
  'EXIT',
  'THROTTLE',
  'UNTHROTTLE',
  'FORK',
  'READ',
  'SAMPLE',
  'MMAP2',
  'AUX',
  'ITRACE_START',
  'LOST_SAMPLES',
  'SWITCH',
  'SWITCH_CPU_WIDE',
  'NAMESPACES',
  'KSYMBOL',
  'BPF_EVENT',
  'CGROUP',
  'TEXT_POKE',
  'AUX_OUTPUT_HW_ID',
  'CALLCHAIN_DEFERRED',
];

/** perf-tool record types, from 64 (tools/lib/perf/include/perf/event.h, enum perf_user_event_type). */
const USER_EVENT_NAMES: readonly string[] = [
  'ATTR', // 64 PERF_RECORD_HEADER_ATTR
  'EVENT_TYPE', // 65, deprecated
  'TRACING_DATA', // 66
  'BUILD_ID', // 67
  'FINISHED_ROUND', // 68
  'ID_INDEX', // 69
  'AUXTRACE_INFO', // 70
  'AUXTRACE', // 71
  'AUXTRACE_ERROR', // 72
  'THREAD_MAP', // 73
  'CPU_MAP', // 74
  'STAT_CONFIG', // 75
  'STAT', // 76
  'STAT_ROUND', // 77
  'EVENT_UPDATE', // 78
  'TIME_CONV', // 79
  'FEATURE', // 80 PERF_RECORD_HEADER_FEATURE
  'COMPRESSED', // 81
  'FINISHED_INIT', // 82
  'COMPRESSED2', // 83
  'BPF_METADATA', // 84
  'SCHEDSTAT_CPU', // 85
  'SCHEDSTAT_DOMAIN', // 86
];

export const PERF_RECORD_HEADER_ATTR = 64;
export const PERF_RECORD_HEADER_TRACING_DATA = 66;
export const PERF_RECORD_AUXTRACE = 71;
export const PERF_RECORD_CPU_MAP = 74;
export const PERF_RECORD_STAT_CONFIG = 75;
export const PERF_RECORD_EVENT_UPDATE = 78;
export const PERF_RECORD_HEADER_FEATURE = 80;

/** PERF_RECORD_EVENT_UPDATE kinds (the u64 `type` after the header). */
export const PERF_EVENT_UPDATE__CPUS = 3;

export function eventTypeName(type: number): string {
  if (type >= 1 && type < KERNEL_EVENT_NAMES.length) return KERNEL_EVENT_NAMES[type]!;
  if (type >= 64 && type < 64 + USER_EVENT_NAMES.length) return USER_EVENT_NAMES[type - 64]!;
  return `UNKNOWN_${type}`;
}

/** Header features (tools/perf/util/header.h): bit numbers in the file header's feature bitmap. */
export const HEADER_TRACING_DATA = 1;
export const HEADER_BUILD_ID = 2;
export const HEADER_HOSTNAME = 3;
export const HEADER_OSRELEASE = 4;
export const HEADER_VERSION = 5;
export const HEADER_ARCH = 6;
export const HEADER_NRCPUS = 7;
export const HEADER_CPUDESC = 8;
export const HEADER_CPUID = 9;
export const HEADER_TOTAL_MEM = 10;
export const HEADER_CMDLINE = 11;
export const HEADER_EVENT_DESC = 12;
export const HEADER_CPU_TOPOLOGY = 13;
export const HEADER_NUMA_TOPOLOGY = 14;
export const HEADER_PMU_MAPPINGS = 16;
export const HEADER_GROUP_DESC = 17;
export const HEADER_STAT = 19;
export const HEADER_CACHE = 20;
export const HEADER_HYBRID_TOPOLOGY = 30;
export const HEADER_FEAT_BITS = 256;

const FEATURE_NAMES: readonly string[] = [
  'RESERVED',
  'TRACING_DATA',
  'BUILD_ID',
  'HOSTNAME',
  'OSRELEASE',
  'VERSION',
  'ARCH',
  'NRCPUS',
  'CPUDESC',
  'CPUID',
  'TOTAL_MEM',
  'CMDLINE',
  'EVENT_DESC',
  'CPU_TOPOLOGY',
  'NUMA_TOPOLOGY',
  'BRANCH_STACK',
  'PMU_MAPPINGS',
  'GROUP_DESC',
  'AUXTRACE',
  'STAT',
  'CACHE',
  'SAMPLE_TIME',
  'MEM_TOPOLOGY',
  'CLOCKID',
  'DIR_FORMAT',
  'BPF_PROG_INFO',
  'BPF_BTF',
  'COMPRESSED',
  'CPU_PMU_CAPS',
  'CLOCK_DATA',
  'HYBRID_TOPOLOGY',
  'PMU_CAPS',
  'CPU_DOMAIN_INFO',
];

export function featureName(id: number): string {
  return id >= 0 && id < FEATURE_NAMES.length ? FEATURE_NAMES[id]! : `FEATURE_${id}`;
}
