// Entry for the "refcheck" export condition of 'cpumap-wasm/libperf'.
import { enableByCondition } from './config.js';
export * from './libperf.js';
enableByCondition();
