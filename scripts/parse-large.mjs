// Parsing is linear in the input: times for 10 MB lists of several shapes
// (libperf's own parser compares every value with every earlier one).
//   npm run build && node scripts/parse-large.mjs
import { CpuMap, CpuMapError } from '../dist/index.js';
import * as lp from '../dist/libperf.js';
import { defaultCore } from '../dist/instance.js';

const MB = 10 * 2 ** 20;
const allCpus = Array.from({ length: 32767 }, (_, i) => i).join(',');
const cases = {
  'every cpu 0..32766 listed singly (180 KB)': allCpus,
  'the same, then 10 MB of ",x" (dropped by libperf)': allCpus + ',x'.repeat(MB / 2),
  '10 MB of zeros then 1 (one octal number)': '0'.repeat(MB) + '1',
  '10 MB of digits (one huge number)': '9'.repeat(MB),
  '"0-" then 10 MB of spaces then 3': `0-${' '.repeat(MB)}3`,
  '10 MB of "0-1," (duplicate at the second item)': '0-1,'.repeat(MB / 4),
  '10 MB of "€" (non-ASCII, rejected at once)': '€'.repeat(MB / 3),
};

console.log(`node ${process.version}`);
for (const [name, text] of Object.entries(cases)) {
  for (const strict of [false, true]) {
    const times = [];
    let outcome = '';
    for (let r = 0; r < 5; r++) {
      const t0 = performance.now();
      try {
        const m = CpuMap.parse(text, { strict });
        outcome = `${m.nr} cpus`;
        m.put();
      } catch (e) {
        if (!(e instanceof CpuMapError)) throw e;
        outcome = `${e.code} at ${e.position}`;
      }
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(`${(text.length / 2 ** 20).toFixed(1).padStart(5)} MB  ${strict ? 'strict ' : 'lenient'}  ${times[2].toFixed(1).padStart(7)} ms  ${outcome.padEnd(22)} ${name}`);
  }
}
const t0 = performance.now();
const m = lp.perf_cpu_map__new(allCpus);
console.log(`libperf layer, all 32767 cpus listed singly: ${(performance.now() - t0).toFixed(2)} ms, nr ${lp.perf_cpu_map__nr(m)}`);
lp.perf_cpu_map__put(m);
console.log(`wasm memory after: ${(defaultCore.ex.memory.buffer.byteLength / 2 ** 20).toFixed(1)} MiB, live blocks ${defaultCore.ex.liveBlockCount()}`);
