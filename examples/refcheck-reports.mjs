// Prints one real report of each kind the reference checker makes (the
// README quotes this output). Run: npm run build && node examples/refcheck-reports.mjs
import { CpuMap, configure, refcheck, RefCheckError } from '../dist/index.js';
import * as lp from '../dist/libperf.js';

configure({ refcheck: { leaksAtExit: false, onError: 'throw' } });

function show(title, fn) {
  console.log(`--- ${title}`);
  try {
    fn();
  } catch (e) {
    if (!(e instanceof RefCheckError)) throw e;
    console.log(`RefCheckError [${e.kind}]: ${e.message}`);
  }
}

show('double put', () => {
  const a = CpuMap.parse('1,3');
  const alias = a;
  a.put();
  alias.put();
});

show('use after put while another reference lives', () => {
  const owner = CpuMap.parse('0-3');
  const borrowed = owner.get();
  borrowed.put();
  try {
    borrowed.has(2);
  } finally {
    owner.put();
  }
});

show('stale merge orig (libperf layer)', () => {
  const orig = { map: lp.perf_cpu_map__new('1-3') };
  const other = lp.perf_cpu_map__new('2-8');
  const before = orig.map;
  lp.perf_cpu_map__merge(orig, other);
  lp.perf_cpu_map__nr(before);
});
refcheck.reset();

console.log('--- leaks, grouped by site');
const mark = refcheck.mark();
const m = CpuMap.parse('0-15');
for (let i = 0; i < 1000; i++) m.get();
function helper() { return CpuMap.parse('4-7'); }
helper();
console.log(refcheck.reportText(refcheck.leaksSince(mark)));

console.log('--- dropped handle');
refcheck.reset();
const mark2 = refcheck.mark();
(() => { CpuMap.parse('8-9').nr; })();
globalThis.gc?.();
await new Promise((r) => setTimeout(r, 0));
console.log(refcheck.reportText(refcheck.leaksSince(mark2)));
