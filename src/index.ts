// cpumap-wasm: Linux perf's cpu maps in WebAssembly.
export { CpuMap, eventPayload } from './cpumap.js';
export type { ParseOptions, DecodeOptions } from './cpumap.js';
export { CpuMapError } from './errors.js';
export type { CpuMapErrorCode, CpuMapErrorDetails } from './errors.js';
