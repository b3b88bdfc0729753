// @ts-check
// One JS side of the checker workload, in a process of its own (the checker's
// mode is fixed per process). Speaks run.mjs's line protocol on stdin/stdout:
// "check" prints one iteration's checksum, "run N" prints "<wall ns> <cpu ns> <checksum sum>"
// (cpu: the process's user+system time, every thread: GC and JIT helpers included).
// Standalone, for a profile:
//   node --cpu-prof bench/refcheck/child.mjs --mode=on --iterations=3000
// --dist=DIR times another build of the package (an older commit's dist/).
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { iteration } from './workload.mjs';

/** Checker settings per mode (configure({ refcheck })); `false` is off. */
export const MODES = {
  off: false,
  on: true,
  'on-put0': { putStackDepth: 0 },
  'on-depth2': { stackDepth: 2 },
  'on-depth1': { stackDepth: 1 },
  'on-depth1-put0': { stackDepth: 1, putStackDepth: 0 },
  'on-depth0': { stackDepth: 0 },
};

const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const mode = arg('mode') ?? 'off';
if (!(mode in MODES)) throw new Error(`unknown mode ${mode}; one of ${Object.keys(MODES).join(', ')}`);

const dist = arg('dist');
const { CpuMap, configure, refcheck } = await import(dist === undefined ? '../../dist/index.js' : pathToFileURL(resolve(dist, 'index.js')).href);
const setting = MODES[mode];
configure({ refcheck: setting === false ? false : { leaksAtExit: true, ...(setting === true ? {} : setting) } });

function run(n) {
  let sum = 0;
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < n; k++) sum += iteration(CpuMap);
  const t1 = process.hrtime.bigint();
  const c1 = process.cpuUsage(c0);
  if (refcheck.enabled !== (setting !== false)) throw new Error(`checker should be ${setting ? 'on' : 'off'}`);
  if (refcheck.enabled && refcheck.report().references !== 0) throw new Error('the workload leaked');
  return `${t1 - t0} ${(c1.user + c1.system) * 1000} ${sum}`;
}

const iterations = arg('iterations');
if (iterations !== undefined) {
  console.log(run(Number(iterations)));
} else {
  for await (const line of createInterface({ input: process.stdin })) {
    const m = /^run (\d+)$/.exec(line.trim());
    if (line.trim() === 'check') console.log(String(iteration(CpuMap)));
    else if (m) console.log(run(Number(m[1])));
  }
}
