// @ts-check
/**
 * bench/run.mjs - `npm run bench`: every implementation of the cpumap, side
 * by side, in one run.
 *
 *   1. builds what is missing or stale: dist/ (npm run build), the C peers
 *      (bench/c/build.sh: gcc and emcc; a missing compiler drops its column
 *      with a note), the SIMD experiment (asc --enable simd);
 *   2. agreement check: every implementation computes every operation's
 *      result for every case; any difference aborts the run (bench/src/agree.mjs);
 *   3. timing: each implementation in a fresh process, one after another
 *      (bench/src/worker.mjs; native C: bench/build/native), same loops,
 *      same inputs, same method as native.c;
 *   4. memory per map, the reference checker's costs (bench/refcheck.mjs)
 *      and the SIMD/bitmap experiment (bench/simd/run.mjs);
 *   5. writes latest.json, latest.md (tables, target verdicts) and
 *      latest.svg (chart) to bench/results/.
 *
 * Options:
 *   --quick         short batches (1 ms x 5): under a minute, for CI smoke runs;
 *                   writes to bench/results/tmp/ (git-ignored) unless --out is given
 *   --check-only    steps 1-2 only (see also bench/smoke.mjs)
 *   --repeat N      time everything N times (fresh processes each round) and
 *                   keep, per case, the run with the lowest median (for a noisy machine)
 *   --impls a,b     only these implementations (api raw refcheck pure emcc js-array native-c)
 *   --ops a,b       only these operations          --sizes 4,64   only these sizes
 *   --no-build      use dist/ and bench/build/ as they are
 *   --out DIR       where to write the results (default bench/results)
 *   --render FILE   no measuring: re-render latest.md/svg (and the targets) from
 *                   an existing latest.json (after a change to src/report.mjs)
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { DisagreementError, checkAgreement, runProcess, workerEnv } from './src/agree.mjs';
import { evaluateTargets, renderMarkdown, renderSvg, toolsLine } from './src/report.mjs';
import { NATIVE, ROOT, ensureBuilds, environment } from './src/setup.mjs';
import { OPS, SHAPES, SIZES, expectedSum, makeCase } from './src/workload.mjs';

const argv = process.argv.slice(2);
/** @param {string} name */
const opt = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = argv.includes('--quick');
const checkOnly = argv.includes('--check-only');
const repeat = Math.max(1, Number(opt('--repeat') ?? 1));
const list = (/** @type {string | undefined} */ s) => (s ? s.split(',').filter(Boolean) : undefined);
const onlyImpls = list(opt('--impls'));
const onlyOps = list(opt('--ops'));
const onlySizes = list(opt('--sizes'))?.map(Number);
const outDir = opt('--out') ?? join(ROOT, quick ? 'bench/results/tmp' : 'bench/results');
const t0 = Date.now();
const log = (/** @type {string} */ s) => process.stderr.write(`${s}\n`);

const JS_IMPLS = ['api', 'raw', 'refcheck', 'pure', 'emcc', 'js-array'];

/**
 * Spawns cmd and calls onLine for each JSON line of its stdout.
 * @param {string} cmd @param {string[]} args @param {NodeJS.ProcessEnv} env @param {(o: any) => void} onLine
 */
function streamJson(cmd, args, env, onLine) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd: ROOT, env });
    let buf = '';
    let err = '';
    /** @type {Error | null} */
    let failed = null;
    p.stdout.on('data', (d) => {
      buf += d;
      let k;
      while (!failed && (k = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, k).trim();
        buf = buf.slice(k + 1);
        try {
          if (line) onLine(JSON.parse(line));
        } catch (e) {
          failed = /** @type {Error} */ (e);
          p.kill();
        }
      }
    });
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('close', (code) => {
      if (failed) reject(failed);
      else if (code === 0) resolve(err);
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${err}`));
    });
  });
}

async function main() {
  // 1. builds
  const b = ensureBuilds({ build: !argv.includes('--no-build'), log });
  const impls = JS_IMPLS.filter((i) => (i !== 'emcc' || b.emcc) && (!onlyImpls || onlyImpls.includes(i)));
  const native = b.native && (!onlyImpls || onlyImpls.includes('native-c'));
  for (const n of b.notes) log(`note: ${n}`);

  // 2. agreement
  const agreement = await checkAgreement({ impls, native, emcc: b.emcc, simd: b.simd, log });
  if (checkOnly) {
    log(`check only: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return;
  }

  const env = environment();
  // which code was measured (read-only git queries; not a git checkout: null)
  const git = (/** @type {string[]} */ a) => spawnSync('git', a, { cwd: ROOT, encoding: 'utf8' });
  const head = git(['rev-parse', '--short', 'HEAD']);
  const source = head.status === 0
    ? { commit: head.stdout.trim(), uncommitted_core_changes: git(['status', '--porcelain', '--', 'assembly', 'src']).stdout.trim() !== '' }
    : null;
  log(`machine: ${env.cpu} x${env.cores}, ${env.memory_gib} GiB, ${env.os}; ${toolsLine(env.versions)}`);
  if (env.load_avg_at_start[0] > 0.5) log(`warning: load average ${env.load_avg_at_start[0]} at start: other processes may disturb the timing (consider --repeat 3)`);

  // 3. timing
  /** @type {Record<string, any>} */
  const results = {};
  const cases = new Map(SHAPES.flatMap((shape) => SIZES.map((size) => [`${shape}-${size}`, makeCase(shape, size)])));
  const sizes = onlySizes ?? SIZES;
  const ops = onlyOps ?? [...OPS];
  /** @param {any} r keeps, per case, the run with the lowest median */
  const keep = (r) => {
    const slot = ((results[r.impl] ??= {})[r.shape] ??= {})[String(r.size)] ??= {};
    const prev = slot[r.op];
    const medians = [...(prev?.medians ?? []), r.ns_per_op];
    const { impl, op, size, shape, ...t } = r;
    slot[r.op] = !prev || r.ns_per_op < prev.ns_per_op ? { ...t, medians } : { ...prev, medians };
  };
  const workerArgs = ['--ops', ops.join(','), '--sizes', sizes.join(','), ...(quick ? ['--quick'] : [])];
  for (let round = 1; round <= repeat; round++) {
    for (const impl of [...(native ? ['native-c'] : []), ...impls]) {
      const t1 = Date.now();
      let n = 0;
      process.stderr.write(`timing${repeat > 1 ? ` (round ${round}/${repeat})` : ''}: ${impl} `);
      const onLine = (/** @type {any} */ r) => {
        if (r.impl === 'native-c') {
          // native.c reports its last batch's checksum: check it like the JS harness does
          const want = expectedSum(/** @type {any} */ (cases.get(`${r.shape}-${r.size}`)), r.op, r.batch);
          if (r.sum !== want) throw new Error(`native-c ${r.op} ${r.shape} ${r.size}: checksum ${r.sum}, expected ${want}`);
          if (!sizes.includes(r.size)) return;
          delete r.sum;
        }
        keep(r);
        if (++n % 12 === 0) process.stderr.write('.');
      };
      if (impl === 'native-c') {
        const only = ops.length === 1 ? ['--op', ops[0]] : [];
        await streamJson(NATIVE, [...(quick ? ['--quick'] : []), ...only], process.env, (r) => {
          if (ops.includes(r.op)) onLine(r);
        });
      } else {
        await streamJson(process.execPath, ['--expose-gc', join(ROOT, 'bench/src/worker.mjs'), '--impl', impl, '--task', 'time', ...workerArgs], workerEnv(), onLine);
      }
      process.stderr.write(` ${n} cases, ${((Date.now() - t1) / 1000).toFixed(1)} s\n`);
    }
  }

  // 4a. memory per map
  /** @type {Record<string, any[]>} */
  const memory = {};
  log('memory per map ...');
  for (const impl of impls.filter((i) => i !== 'js-array')) {
    const r = await runProcess(process.execPath, ['--expose-gc', join(ROOT, 'bench/src/worker.mjs'), '--impl', impl, '--task', 'memory'], workerEnv());
    if (r.code !== 0) throw new Error(`memory measure of ${impl} failed:\n${r.stderr}`);
    memory[impl] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  }
  if (native) {
    const r = spawnSync(NATIVE, ['--memory'], { encoding: 'utf8' });
    if (r.status === 0) memory['native-c'] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  }

  // 4b. reference checker (bench/refcheck.mjs, run as is; `repeat` times,
  //     keeping per mode and measure the lowest median, like the timings)
  log(`reference checker: node bench/refcheck.mjs${quick ? ' --quick' : ''}${repeat > 1 ? ` (${repeat} runs)` : ''} ...`);
  /** @type {any} */
  let refcheck = { runs: [] };
  for (let round = 1; round <= repeat; round++) {
    const r = await runProcess(process.execPath, [join(ROOT, 'bench/refcheck.mjs'), ...(quick ? ['--quick'] : [])], workerEnv());
    if (r.code !== 0) {
      refcheck.error = `bench/refcheck.mjs exited with ${r.code}: ${r.stderr.trim().split('\n')[0]}`;
      break;
    }
    const lines = r.stdout.trim().split('\n');
    refcheck.runs.push(lines);
    for (const l of lines) log(`  ${l}`);
    for (const l of lines) {
      const x = /^(raw|off|on|on-nostack)\s+([\d.]+) \(([\d.]+)\.\.([\d.]+)\)\s+([\d.]+) \(([\d.]+)\.\.([\d.]+)\)/.exec(l);
      if (!x) continue;
      const modes = (refcheck.modes ??= {});
      const m = (modes[x[1]] ??= {});
      for (const [key, at] of /** @type {const} */ ([['getput', 2], ['parseHasPut', 5]])) {
        const got = { ns: +x[at], min: +x[at + 1], max: +x[at + 2], medians: [...(m[key]?.medians ?? []), +x[at]] };
        m[key] = !m[key] || got.ns < m[key].ns ? got : { ...m[key], medians: got.medians };
      }
    }
  }
  if (!refcheck.error && !['raw', 'off', 'on', 'on-nostack'].every((k) => refcheck.modes?.[k])) {
    refcheck.error = 'could not read the output of bench/refcheck.mjs';
  }
  if (refcheck.error) {
    log(`  ${refcheck.error}`);
    delete refcheck.modes;
  }

  // 4c. SIMD experiment
  /** @type {any} */
  let simd = { error: b.notes.find((n) => n.startsWith('SIMD')) ?? 'bench/build/simd.wasm not built' };
  if (b.simd) {
    log('SIMD and bitmap experiment: node bench/simd/run.mjs ...');
    const r = await runProcess(process.execPath, [join(ROOT, 'bench/simd/run.mjs'), ...(quick ? ['--quick'] : [])]);
    if (r.code !== 0) throw new Error(`bench/simd/run.mjs failed:\n${r.stderr}`);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const checked = rows.pop()?.checked;
    simd = { rows, checked, summary: simdSummary(rows, checked) };
  }

  // 5. report
  const data = {
    meta: {
      command: `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`,
      date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      quick,
      repeat,
      duration_s: Math.round((Date.now() - t0) / 1000),
      machine: env,
      source,
      load_avg_at_end: os.loadavg().map((x) => Math.round(x * 100) / 100),
      notes: b.notes,
      timing: quick ? { target_ms: 1, runs: 5, warm_batches: 3 } : { target_ms: 10, runs: 21, warm_batches: 3 },
    },
    agreement,
    results,
    memory,
    refcheck,
    simd,
    targets: /** @type {any[]} */ ([]),
  };
  writeReport(data);
}

/** Targets, then latest.json, latest.svg and latest.md in outDir. @param {any} data */
function writeReport(data) {
  data.targets = evaluateTargets(data);
  mkdirSync(outDir, { recursive: true });
  // 5 significant digits are plenty for timings and keep the file small
  const json = JSON.stringify(data, (_, v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(5)) : v), 1);
  writeFileSync(join(outDir, 'latest.json'), `${json}\n`);
  writeFileSync(join(outDir, 'latest.svg'), renderSvg(data));
  writeFileSync(join(outDir, 'latest.md'), renderMarkdown(data, { svgName: 'latest.svg' }));
  log('');
  for (const t of data.targets) log(`${t.id} ${t.met === null ? 'n/a' : t.met ? 'met    ' : 'NOT MET'} ${t.text}: ${t.summary}`);
  log(`\nwrote ${['latest.json', 'latest.md', 'latest.svg'].map((f) => relative(process.cwd(), join(outDir, f))).join(', ')} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

/**
 * One paragraph: the best variant per op (not counting the bitmap
 * representation, which would change what a map is) at 1024 and 8192 CPUs.
 * @param {any[]} rows @param {number} checked
 */
function simdSummary(rows, checked) {
  const parts = [];
  for (const op of ['equal', 'is_subset', 'merge', 'intersect', 'decode']) {
    const cells = [];
    for (const shape of ['dense', 'sparse']) {
      for (const size of [1024, 8192]) {
        const here = rows.filter((r) => r.op === op && r.shape === shape && r.size === size);
        const core = here.find((r) => r.variant === 'core');
        const best = here.filter((r) => !r.variant.startsWith('bitmap')).sort((x, y) => x.ns_per_op - y.ns_per_op)[0];
        if (core && best) cells.push(`${shape} ${size}: ${best.variant === 'core' ? 'core is best' : `${best.variant} ${(core.ns_per_op / best.ns_per_op).toFixed(1)}×`}`);
      }
    }
    parts.push(`\`${op}\` (${cells.join(', ')})`);
  }
  return `Every variant was first checked against the core on the benchmark operands and 3000 random pairs, unsorted decoded maps included (${checked} comparisons, all equal). Best variant per operation that keeps the map layout, speed-up over the core as shipped: ${parts.join('; ')}. The bitmap representation columns time the set operation on bitmaps alone (no conversion), i.e. what changing the map layout could give; "+ list out" adds turning the result back into a sorted CPU array.`;
}

try {
  const render = opt('--render');
  if (render) writeReport(JSON.parse(readFileSync(render, 'utf8')));
  else await main();
} catch (e) {
  const msg = /** @type {Error} */ (e).message ?? String(e);
  process.stderr.write(`\n${e instanceof DisagreementError ? msg : `bench failed: ${msg}`}\n`);
  process.exit(1);
}
