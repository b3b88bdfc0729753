// Bug (libperf layer): orig.map is kept in a variable across perf_cpu_map__merge,
// which put it and replaced it, then used.
import {
  perf_cpu_map__new, perf_cpu_map__merge, perf_cpu_map__nr, perf_cpu_map__put,
} from '../../../src/libperf.js';

export function run(): number {
  const orig = { map: perf_cpu_map__new('1-3') }; // @get
  const other = perf_cpu_map__new('2-8');
  const before = orig.map;
  perf_cpu_map__merge(orig, other); // @put
  try {
    return perf_cpu_map__nr(before); // @access
  } finally {
    perf_cpu_map__put(orig.map);
    perf_cpu_map__put(other);
  }
}
