// Bug (libperf layer): intersect returns a new reference (here to one of its
// inputs, since one contains the other), and it is never put.
import {
  perf_cpu_map__new, perf_cpu_map__intersect, perf_cpu_map__nr, perf_cpu_map__put,
} from '../../../src/libperf.js';

export function run(): number {
  const small = perf_cpu_map__new('2-3');
  const big = perf_cpu_map__new('0-7');
  const common = perf_cpu_map__intersect(small, big); // @get
  const n = perf_cpu_map__nr(common);
  perf_cpu_map__put(small);
  perf_cpu_map__put(big);
  return n;
}
