// @ts-check
// The checker's price on a perf-shaped workload (workload.mjs), beside
// AddressSanitizer's on the same workload in C (workload.c), in one run:
// every implementation lives in a process of its own and they take turns,
// round by round (the order rotates each round), so a noisy machine slows
// them alike. Each batch is timed as wall time and as the process's CPU time
// (all its threads); with 2 cores shared by several people the CPU time is
// the steadier figure, so the ratios use it (wall times are printed too).
// Prints medians, spreads and the two slowdown ratios.
//
//   npm run build && node bench/refcheck/run.mjs [--rounds=15] [--batch-ms=100] [--modes=off,on,on-depth0]
//     [--compare=DIR]   also time another build's dist/ (DIR), checker off and on, in the same rounds
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import { REFERENCES } from './workload.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '../..');
const arg = (name, dflt) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const rounds = Number(arg('rounds', '15'));
const batchMs = Number(arg('batch-ms', '100'));
const modes = arg('modes', 'off,on,on-put0,on-depth1-put0,on-depth0').split(',');

if (!existsSync(join(root, 'dist/index.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(1);
}

/** gcc builds of workload.c: plain, and ASan with a heap cell per reference. */
function buildC() {
  const out = join(root, 'bench/build');
  mkdirSync(out, { recursive: true });
  const src = [join(here, 'workload.c'), join(root, 'bench/c/cpumap.c')];
  const builds = {
    'c-plain': ['-O2'],
    'c-asan': ['-O2', '-fsanitize=address', '-fno-omit-frame-pointer', '-DREF_CHECK'],
  };
  const made = {};
  for (const [name, flags] of Object.entries(builds)) {
    const exe = join(out, `refcheck-${name}`);
    const r = spawnSync('gcc', [...flags, '-Wall', '-Wextra', '-o', exe, ...src], { encoding: 'utf8' });
    if (r.error || r.status !== 0) {
      console.error(`gcc ${name}: ${r.error?.message ?? r.stderr} (no C column)`);
      continue;
    }
    made[name] = exe;
  }
  return made;
}

/** A child process speaking the line protocol: one request, one line back. */
function peer(name, command, args) {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, CPUMAP_REFCHECK: '' } });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    name,
    async ask(request) {
      child.stdin.write(`${request}\n`);
      const { value, done } = await lines.next();
      if (done) throw new Error(`${name} ended without answering ${request}`);
      return value;
    },
    async close() {
      child.stdin.end();
      const code = await new Promise((r) => (child.exitCode !== null ? r(child.exitCode) : child.once('exit', r)));
      if (code !== 0) throw new Error(`${name} exited with ${code}`);
    },
  };
}

async function timed(p, n) {
  const [wall, cpu, sum] = (await p.ask(`run ${n}`)).split(' ').map(Number);
  return { ns: cpu / n, wall: wall / n, sum };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const peers = modes.map((m) => peer(`js ${m}`, process.execPath, [join(here, 'child.mjs'), `--mode=${m}`]));
const compare = arg('compare', undefined);
if (compare !== undefined) {
  for (const m of ['off', 'on']) peers.push(peer(`other ${m}`, process.execPath, [join(here, 'child.mjs'), `--mode=${m}`, `--dist=${compare}`]));
}
for (const [name, exe] of Object.entries(buildC())) peers.push(peer(name, exe, []));

// agreement: every implementation computes the same checksum
const checks = await Promise.all(peers.map((p) => p.ask('check')));
if (new Set(checks).size !== 1) {
  console.error('implementations disagree:', peers.map((p, i) => `${p.name}=${checks[i]}`).join(' '));
  process.exit(1);
}
const checksum = Number(checks[0]);

// warm-up and batch sizes: each batch about batchMs
const size = new Map();
for (const p of peers) {
  let n = 1;
  for (;;) {
    const { ns } = await timed(p, n);
    if (ns * n >= batchMs * 1e6 / 4 || n >= 1 << 20) {
      size.set(p, Math.max(1, Math.round((batchMs * 1e6) / ns)));
      break;
    }
    n *= 4;
  }
  await timed(p, size.get(p)); // one more at full size: the JIT settles
}

const times = new Map(peers.map((p) => [p, []]));
const walls = new Map(peers.map((p) => [p, []]));
for (let r = 0; r < rounds; r++) {
  const order = peers.map((_, i) => peers[(i + r) % peers.length]);
  for (const p of order) {
    const n = size.get(p);
    const { ns, wall, sum } = await timed(p, n);
    if (sum !== checksum * n) throw new Error(`${p.name}: checksum ${sum}, expected ${checksum * n}`);
    times.get(p).push(ns);
    walls.get(p).push(wall);
  }
}
await Promise.all(peers.map((p) => p.close()));

const byName = Object.fromEntries(peers.map((p) => [p.name, times.get(p)]));
console.log(`checker workload: ${REFERENCES} references per iteration; ${rounds} interleaved rounds of ~${batchMs} ms batches`);
console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, ${os.type()} ${os.release()}`);
console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('implementation        CPU µs/iteration: median (min..max)     wall µs/iteration: median (min..max)');
const range = (t) => `${(median(t) / 1e3).toFixed(1).padStart(9)} (${(Math.min(...t) / 1e3).toFixed(1)}..${(Math.max(...t) / 1e3).toFixed(1)})`;
for (const p of peers) console.log(`${p.name.padEnd(20)} ${range(times.get(p)).padEnd(36)} ${range(walls.get(p))}`);

/**
 * Slowdown of `slow` over `base`: the ratio of medians; the median and range
 * of the per-round ratios; the ratio of the fastest batches (the least
 * disturbed by other processes).
 */
function ratio(slow, base) {
  const a = byName[slow], b = byName[base];
  if (!a || !b) return;
  const per = a.map((x, i) => x / b[i]);
  console.log(`${`${slow} / ${base}`.padEnd(26)} ${(median(a) / median(b)).toFixed(2).padStart(6)}x  ` +
    `(per round: median ${median(per).toFixed(2)}x, ${Math.min(...per).toFixed(2)}..${Math.max(...per).toFixed(2)}; ` +
    `fastest batches: ${(Math.min(...a) / Math.min(...b)).toFixed(2)}x)`);
}
console.log('slowdowns (CPU time)');
for (const m of modes) if (m !== 'off') ratio(`js ${m}`, 'js off');
ratio('other on', 'other off');
ratio('c-asan', 'c-plain');
