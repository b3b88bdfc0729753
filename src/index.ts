// cpumap-wasm: Linux perf's cpu maps in WebAssembly, with a reference checker.
export { CpuMap, eventPayload } from './cpumap.js';
export type { ParseOptions, DecodeOptions } from './cpumap.js';
export { CpuMapError } from './errors.js';
export type { CpuMapErrorCode, CpuMapErrorDetails } from './errors.js';
export { configure } from './config.js';
export type { Config, RefcheckOptions } from './config.js';
export { refcheck, RefCheckError } from './refcheck/index.js';
export type {
  RefcheckMark, Mismatch, LeakReport, LeakGroup, RefCheckKind, RefCheckSites, Frame, FormattedSite,
} from './refcheck/index.js';
export { Topology, Aggregation, TopologyError, aggrLabel, AGGR_LEVELS } from './topology/index.js';
export type * from './topology/index.js';
export { parseKernelCpus, readKernelCpuList, KERNEL_LIST_DEFAULT_NBITS } from './kernel-list-file.js';
export type { KernelListOptions } from './kernel-list.js';
