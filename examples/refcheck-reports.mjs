// Prints one real report of each kind the reference checker makes (the
// README quotes this output; paths are shown relative to the working folder).
// Run: npm run build && node --expose-gc examples/refcheck-reports.mjs
import { CpuMap, configure, refcheck, RefCheckError } from '../dist/index.js';
import * as lp from '../dist/libperf.js';

configure({ refcheck: { leaksAtExit: false, onError: 'throw' } });

const here = `${process.cwd()}/`;
const print = (text) => console.log(text.replaceAll(here, ''));

function show(title, fn) {
  console.log(`--- ${title}`);
  try {
    fn();
  } catch (e) {
    if (!(e instanceof RefCheckError)) throw e;
    print(`RefCheckError [${e.kind}]: ${e.message}`);
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
print(refcheck.reportText(refcheck.leaksSince(mark)));

console.log('--- leaks, three callers of one getter');
refcheck.reset();
const mark3 = refcheck.mark();
const online = CpuMap.parse('0-7');
function borrow() { return online.get(); }
for (let i = 0; i < 3; i++) borrow();
for (let i = 0; i < 2; i++) borrow();
borrow();
online.put();
print(refcheck.reportText(refcheck.leaksSince(mark3)));

show('use after put through JSON.stringify, put by a disposal', () => {
  const m = CpuMap.parse('2-5');
  m[Symbol.dispose]();
  JSON.stringify({ cpus: m });
});

console.log('--- dropped handle');
refcheck.reset();
const mark2 = refcheck.mark();
(() => { CpuMap.parse('8-9').nr; })();
// handles are watched from the end of the task that made them
await new Promise((r) => setTimeout(r, 0));
globalThis.gc?.();
await new Promise((r) => setTimeout(r, 0));
print(refcheck.reportText(refcheck.leaksSince(mark2)));
