// Maps described by short strings, for table-driven tests.
import { CpuMap } from '../src/index.js';
import * as lp from '../src/libperf.js';
import { unhex } from './model.js';

export type M = lp.perf_cpu_map | null;

/**
 * A cpu list, 'NULL', 'empty' (CpuMap.empty), 'cpus:a,b,c' (fromCpus),
 * 'int:N' (new_int) or 'hex:PAYLOAD' (cpu_map__new_data). A list that does
 * not parse is a mistake in the test, not a NULL map.
 */
export function makeMap(spec: string): M {
  if (spec === 'NULL') return null;
  if (spec === 'empty') return CpuMap.empty();
  if (spec.startsWith('cpus:')) return CpuMap.fromCpus(spec.slice(5).split(',').map(Number));
  if (spec.startsWith('hex:')) return lp.cpu_map__new_data(unhex(spec.slice(4)));
  if (spec.startsWith('int:')) return lp.perf_cpu_map__new_int(Number(spec.slice(4)));
  const m = lp.perf_cpu_map__new(spec);
  if (m === null) throw new Error(`bad test list ${spec}`);
  return m;
}

/** f on a map made from `spec`, which is put afterwards. */
export function withMap<T>(spec: string, f: (m: M) => T): T {
  const m = makeMap(spec);
  try {
    return f(m);
  } finally {
    lp.perf_cpu_map__put(m);
  }
}
