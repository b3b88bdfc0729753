// Constants both the parser and the payload reader use, defined once. The
// ones the host also needs are exported as wasm globals by index.ts.

/** The first cpu number perf_cpu_map__new rejects: cpus are 0..32766 (docs/contract.md §1). */
export const CPU_LIMIT: i32 = 32767;
/** The any-cpu value (docs/contract.md §1). */
export const ANY_CPU: i32 = -1;
/** Flag bit of parse() and decode(): reject what libperf silently accepts (docs/contract.md §3.1, §7.4). */
export const STRICT: i32 = 1;
