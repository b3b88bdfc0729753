// @ts-check
/**
 * setup.mjs - what the benchmark needs before it can run, and a description
 * of the machine it runs on.
 *
 *   ensureBuilds()  builds what is missing or older than its sources:
 *                   dist/ (npm run build), bench/build/native,
 *                   native-libperf and cpumap-emcc.wasm (bench/c/build.sh; a
 *                   missing gcc or emcc only drops those columns).
 *   environment()   CPU, cores, memory, OS, load, Node/V8/gcc/emcc/asc versions.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BUILD = join(ROOT, 'bench/build');
export const NATIVE = join(BUILD, 'native');
export const EMCC_WASM = join(BUILD, 'cpumap-emcc.wasm');
/** The libperf-algorithm peer (bench/c/libperf-algo.c) on native.c's driver. */
export const NATIVE_LIBPERF = join(BUILD, 'native-libperf');
const EMCC_ENV = { ...process.env, NODE_PATH: '/usr/share/nodejs' };

/** @param {string} cmd */
export function hasCommand(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

/** Newest mtime (ms) of the files under dir (recursively), skipping names in `skip`. */
function newest(dir, skip = new Set()) {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (skip.has(e.name)) continue;
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p, skip) : statSync(p).mtimeMs);
  }
  return t;
}

const mtime = (/** @type {string} */ p) => (existsSync(p) ? statSync(p).mtimeMs : 0);

/**
 * @param {string} what
 * @param {string} cmd
 * @param {string[]} args
 * @param {(s: string) => void} log
 * @param {NodeJS.ProcessEnv} [env]
 */
function run(what, cmd, args, log, env = process.env) {
  log(`building ${what}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', env });
  if (r.status !== 0) {
    return `${what} failed (exit ${r.status}):\n${(r.stdout + r.stderr).trim().split('\n').slice(-15).join('\n')}`;
  }
  return null;
}

/**
 * @param {{ build?: boolean, log?: (s: string) => void }} [o]
 * @returns {{ native: boolean, emcc: boolean, notes: string[] }}
 *   which optional parts are available; notes say why one is not
 */
export function ensureBuilds(o = {}) {
  const log = o.log ?? ((s) => process.stderr.write(`${s}\n`));
  const build = o.build !== false;
  /** @type {string[]} */
  const notes = [];

  // 1. dist/ (the package as users get it)
  const dist = join(ROOT, 'dist/index.js');
  const srcTime = Math.max(newest(join(ROOT, 'src'), new Set(['generated'])), newest(join(ROOT, 'assembly')));
  if (!existsSync(dist) || !existsSync(join(ROOT, 'dist/instance.js'))) {
    if (!build) throw new Error('dist/ is missing: run `npm run build` (or drop --no-build)');
    const err = run('dist', 'npm', ['run', 'build', '--silent'], log);
    if (err) throw new Error(err);
  } else if (mtime(dist) < srcTime) {
    if (build) {
      const err = run('dist (older than src/ or assembly/)', 'npm', ['run', 'build', '--silent'], log);
      if (err) throw new Error(`${err}\n(the benchmark measures dist/; fix the build, or pass --no-build to measure the existing dist/)`);
    } else {
      notes.push('dist/ is older than src/ or assembly/ (--no-build): the figures are for the existing dist/.');
    }
  }

  // 2. C peers
  const cTime = newest(join(ROOT, 'bench/c'));
  const gcc = hasCommand('gcc');
  const emcc = hasCommand('emcc');
  const needNative = gcc && Math.min(mtime(NATIVE), mtime(NATIVE_LIBPERF)) < cTime;
  const needEmcc = emcc && mtime(EMCC_WASM) < cTime;
  if ((needNative || needEmcc) && build) {
    const err = run('C peers', 'sh', [join(ROOT, 'bench/c/build.sh')], log, EMCC_ENV);
    if (err) throw new Error(err);
  }
  const native = existsSync(NATIVE) && existsSync(NATIVE_LIBPERF) && (gcc || !build);
  const emccOk = existsSync(EMCC_WASM) && (emcc || !build);
  if (!gcc && !existsSync(NATIVE)) notes.push('gcc not found: no native C columns, neither the C peer nor the libperf-algorithm peer (install gcc, then bench/c/build.sh).');
  if (!emcc && !existsSync(EMCC_WASM)) notes.push('emcc not found: no Emscripten column (Debian: apt-get install emscripten).');

  return { native, emcc: emccOk, notes };
}

/** @param {string} cmd @param {string[]} args @param {NodeJS.ProcessEnv} [env] */
function firstLine(cmd, args, env) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env });
  return r.status === 0 ? (r.stdout || r.stderr).trim().split('\n')[0] : null;
}

/** The machine and the tools, for the report. */
export function environment() {
  const cpus = os.cpus();
  let model = cpus[0]?.model?.trim() ?? 'unknown';
  let flags = '';
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    model = /^model name\s*:\s*(.*)$/m.exec(info)?.[1]?.trim() ?? model;
    const f = /^flags\s*:\s*(.*)$/m.exec(info)?.[1]?.split(' ') ?? [];
    flags = ['sse4_2', 'avx', 'avx2', 'avx512f'].filter((x) => f.includes(x)).join(' ');
  } catch {
    /* not Linux */
  }
  let distro = '';
  try {
    distro = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? '';
  } catch {
    /* no os-release */
  }
  const asc = join(ROOT, 'node_modules/.bin/asc');
  return {
    cpu: model,
    cpu_flags: flags,
    cores: cpus.length,
    mhz: cpus[0]?.speed ?? null,
    memory_gib: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${distro || os.type()} (${os.type()} ${os.release()}, ${os.arch()})`,
    load_avg_at_start: os.loadavg().map((x) => Math.round(x * 100) / 100),
    versions: {
      node: process.version,
      v8: process.versions.v8,
      gcc: firstLine('gcc', ['--version']),
      emcc: firstLine('emcc', ['--version'], EMCC_ENV)?.replace(/^emcc \(Emscripten gcc\/clang-like replacement[^)]*\)\s*/, 'emcc ').replace(/\s*\(\)\s*$/, '') ?? null,
      asc: existsSync(asc) ? firstLine(asc, ['--version'])?.replace(/^Version\s+/, '') ?? null : null,
      package: JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version,
    },
  };
}
