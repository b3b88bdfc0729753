// The checker under load: a million live references from a few sites, then
// the grouped report; memory per reference; memory after they are all put.
//   npm run build && node --expose-gc scripts/refcheck-load.mjs [--cells 1000000] [--depth 4]
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const cells = arg('--cells', 1_000_000);
const depth = arg('--depth', 4);
const { CpuMap, configure, refcheck } = await import('../dist/index.js');
configure({ refcheck: { leaksAtExit: false, stackDepth: depth } });
const gc = globalThis.gc ?? (() => {});
const heap = () => { gc(); return process.memoryUsage().heapUsed; };

const base = CpuMap.parse('0-63');
const held = [];
const sites = [
  () => base.get(), () => base.get(), () => base.get(), () => base.get(), () => base.get(),
  () => base.get(), () => base.get(), () => base.get(), () => base.get(), () => base.get(),
];
const h0 = heap();
let t = performance.now();
for (let i = 0; i < cells; i++) held.push(sites[i % sites.length]());
const makeMs = performance.now() - t;
const h1 = heap();
t = performance.now();
const report = refcheck.report();
const reportMs = performance.now() - t;
t = performance.now();
const text = refcheck.reportText(report);
const textMs = performance.now() - t;
t = performance.now();
const again = refcheck.report();
const againMs = performance.now() - t;
const h2 = heap();
console.log(`node ${process.version}, stackDepth ${depth}`);
console.log(`${cells} live references made in ${makeMs.toFixed(0)} ms (${(makeMs * 1000 / cells).toFixed(2)} µs each)`);
console.log(`JS heap per live reference (handle + cell + site): ${((h1 - h0) / cells).toFixed(0)} bytes`);
console.log(`report(): ${report.groups.length} groups, ${report.references} references, in ${reportMs.toFixed(0)} ms (first; formats every site), ${againMs.toFixed(0)} ms again`);
console.log(`reportText(): ${text.length} characters in ${textMs.toFixed(1)} ms; heap after formatting: +${((h2 - h1) / cells).toFixed(0)} bytes per reference`);
t = performance.now();
for (const h of held) h.put();
const putMs = performance.now() - t;
held.length = 0;
const h3 = heap();
console.log(`all put in ${putMs.toFixed(0)} ms; JS heap then ${((h3 - h0) / 2 ** 20).toFixed(1)} MiB above the start; live references ${refcheck.report().references}`);
base.put();
