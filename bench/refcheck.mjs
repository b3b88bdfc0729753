// The reference checker's cost: get+put pairs and a parse/has/put workload,
// through the raw wasm exports, with checking off, on (default stack depth)
// and on without stacks. Each mode runs in its own process, because the mode
// is fixed when the first map is made.
//
//   npm run build && node bench/refcheck.mjs [--quick]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

const quick = process.argv.includes('--quick');
const mode = process.argv.find((a) => a.startsWith('--mode='))?.slice(7);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** ns per iteration of fn(n): warm-up, then `runs` timed runs; median, min, max. */
function time(fn, n, runs) {
  fn(Math.min(n, 20_000));
  fn(Math.min(n, 20_000));
  const per = [];
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    const sink = fn(n);
    const t1 = process.hrtime.bigint();
    if (sink === undefined) throw new Error('result not consumed');
    per.push(Number(t1 - t0) / n);
  }
  return { ns: median(per), min: Math.min(...per), max: Math.max(...per) };
}

async function child(mode) {
  if (mode === 'on' || mode === 'on-nostack') process.env.CPUMAP_REFCHECK = '1';
  const { CpuMap, configure, refcheck } = await import('../dist/index.js');
  const { defaultCore } = await import('../dist/instance.js');
  if (mode === 'on-nostack') configure({ refcheck: { stackDepth: 0 } });
  const n = quick ? 100_000 : 1_000_000;
  const runs = quick ? 5 : 11;
  const ex = defaultCore.ex;
  const out = {};
  if (mode === 'raw') {
    const core = defaultCore;
    const len = core.writeString('0-3,8', 'bench');
    const map = ex.parse(core.scratchPtr, len, 0);
    out.getput = time((k) => { let s = 0; for (let i = 0; i < k; i++) { ex.get(map); s += core.nr(map); ex.put(map); } return s; }, n, runs);
    out.parseHasPut = time((k) => {
      let s = 0;
      for (let i = 0; i < k; i++) {
        const l = core.writeString('0-3,8', 'bench');
        const m = ex.parse(core.scratchPtr, l, 0);
        s += (core.idx(m, 2) >= 0 ? 1 : 0) + (core.idx(m, 8) >= 0 ? 1 : 0);
        ex.put(m);
      }
      return s;
    }, n / 4, runs);
  } else {
    const map = CpuMap.parse('0-3,8');
    out.getput = time((k) => { let s = 0; for (let i = 0; i < k; i++) { const r = map.get(); s += r.nr; r.put(); } return s; }, n, runs);
    out.parseHasPut = time((k) => {
      let s = 0;
      for (let i = 0; i < k; i++) {
        const m = CpuMap.parse('0-3,8');
        s += (m.has(2) ? 1 : 0) + (m.has(8) ? 1 : 0);
        m.put();
      }
      return s;
    }, n / 4, runs);
    map.put();
    if (refcheck.enabled && refcheck.report().references !== 0) throw new Error('benchmark leaked');
  }
  out.heapMB = process.memoryUsage().heapUsed / 2 ** 20;
  process.stdout.write(JSON.stringify(out));
}

if (mode) {
  await child(mode);
} else {
  const self = fileURLToPath(import.meta.url);
  const modes = ['raw', 'off', 'on', 'on-nostack'];
  const results = {};
  for (const m of modes) {
    const r = spawnSync(process.execPath, [self, `--mode=${m}`, ...(quick ? ['--quick'] : [])], {
      encoding: 'utf8', env: { ...process.env, CPUMAP_REFCHECK: '' },
    });
    if (r.status !== 0) { console.error(r.stderr); process.exit(1); }
    results[m] = JSON.parse(r.stdout);
  }
  console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}${quick ? ' (quick)' : ''}`);
  console.log('mode        get+put pair ns (min..max)   parse+2 has+put ns (min..max)');
  for (const m of modes) {
    const { getput: g, parseHasPut: p } = results[m];
    console.log(`${m.padEnd(11)} ${g.ns.toFixed(1).padStart(8)} (${g.min.toFixed(1)}..${g.max.toFixed(1)})`.padEnd(42) +
      `${p.ns.toFixed(1).padStart(8)} (${p.min.toFixed(1)}..${p.max.toFixed(1)})`);
  }
  const off = results.off, raw = results.raw;
  console.log(`checker off vs raw: get+put ${((off.getput.ns / raw.getput.ns - 1) * 100).toFixed(1)}%, parse/has/put ${((off.parseHasPut.ns / raw.parseHasPut.ns - 1) * 100).toFixed(1)}%  (target: within 5%)`);
  console.log(`checker on, default stack depth: get+put ${(results.on.getput.ns / 1000).toFixed(2)} µs (target <= 3 µs)`);
  console.log(`checker on, no stacks: get+put ${(results['on-nostack'].getput.ns / 1000).toFixed(2)} µs (target <= 0.3 µs)`);
}
