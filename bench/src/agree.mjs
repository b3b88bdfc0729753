// @ts-check
/**
 * agree.mjs - the agreement check that runs before any timing (and alone in
 * bench/smoke.mjs).  For every benchmark case (four shapes, 4..8192
 * CPUs) every implementation computes every operation's result: the parsed
 * map, list and mask text, the iterated values, 1024 `has` answers, idx,
 * equal and is_subset booleans, the merge and intersect results, refcounts
 * around get/put, the encoded event bytes and the decoded map.  The lines
 * must be identical across implementations (the C peer's and the
 * libperf-algorithm peer's `--dump` print the same lines).  Each worker also
 * runs its timed op loops a few times and checks their checksums.  Also run:
 * bench/src/check-peers.mjs (C, emcc and pure JS on the contract's edge cases).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { NATIVE, NATIVE_LIBPERF, ROOT } from './setup.mjs';

const WORKER = join(ROOT, 'bench/src/worker.mjs');

/**
 * @param {string} cmd
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {Promise<{ code: number | null, stdout: string, stderr: string }>}
 */
export function runProcess(cmd, args, env = process.env) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Environment for a worker: the checker off unless the worker turns it on. */
export function workerEnv() {
  return { ...process.env, CPUMAP_REFCHECK: '' };
}

/** @param {Array<() => Promise<void>>} jobs @param {number} width */
async function pool(jobs, width) {
  const queue = [...jobs];
  await Promise.all(Array.from({ length: width }, async () => {
    while (queue.length) await /** @type {() => Promise<void>} */ (queue.shift())();
  }));
}

export class DisagreementError extends Error {}

/**
 * @param {{ impls: string[], native: boolean, emcc: boolean, log?: (s: string) => void }} o
 *   impls: worker implementations to check (api, refcheck, pure, emcc)
 * @returns {Promise<{ reference: string, cases: number, lines: number, implementations: string[], extra: string[] }>}
 */
export async function checkAgreement(o) {
  const log = o.log ?? ((s) => process.stderr.write(`${s}\n`));
  /** @type {Record<string, string[]>} */
  const lines = {};
  /** @type {string[]} */
  const failures = [];
  /** @type {string[]} */
  const extra = [];
  const jobs = o.impls.map((impl) => async () => {
    const r = await runProcess(process.execPath, ['--expose-gc', WORKER, '--impl', impl, '--task', 'check'], workerEnv());
    if (r.code !== 0) {
      failures.push(`${impl}: the check run failed (exit ${r.code}):\n${r.stderr.trim().split('\n').slice(0, 12).join('\n')}`);
      return;
    }
    const got = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
    if (got.lines.length) lines[impl] = got.lines;
  });
  if (o.native) {
    jobs.push(async () => {
      const r = await runProcess(NATIVE, ['--dump']);
      if (r.code !== 0) failures.push(`native --dump failed (exit ${r.code}): ${r.stderr}`);
      else lines['native-c'] = r.stdout.replace(/\n$/, '').split('\n');
    });
    jobs.push(async () => {
      const r = await runProcess(NATIVE_LIBPERF, ['--dump']);
      if (r.code !== 0) failures.push(`native-libperf --dump failed (exit ${r.code}): ${r.stderr}`);
      else lines['libperf-algo'] = r.stdout.replace(/\n$/, '').split('\n');
    });
  }
  if (o.native && o.emcc) {
    jobs.push(async () => {
      const r = await runProcess(process.execPath, [join(ROOT, 'bench/src/check-peers.mjs')]);
      if (r.code !== 0) failures.push(`bench/src/check-peers.mjs (spec edge cases, C vs emcc vs pure JS) failed:\n${r.stdout}${r.stderr}`);
      else extra.push(`check-peers: ${r.stdout.trim().split('\n').join('; ')}`);
    });
  }
  await pool(jobs, 2);

  const names = [...o.impls, 'native-c', 'libperf-algo'].filter((n) => lines[n]);
  const reference = lines['native-c'] ? 'native-c' : names[0];
  if (reference) {
    const want = lines[reference];
    for (const name of names) {
      if (name === reference) continue;
      const got = lines[name];
      const diffs = [];
      for (let i = 0; i < Math.max(want.length, got.length); i++) {
        if (want[i] !== got[i]) diffs.push(`  ${reference}: ${want[i] ?? '(missing)'}\n  ${name}: ${got[i] ?? '(missing)'}`);
      }
      if (diffs.length) failures.push(`${name} disagrees with ${reference} on ${diffs.length} of ${want.length} results:\n${diffs.slice(0, 8).join('\n')}`);
    }
  }
  if (failures.length) {
    throw new DisagreementError(`AGREEMENT CHECK FAILED: the implementations do not compute the same results.\n\n${failures.join('\n\n')}`);
  }
  const cases = reference ? new Set(lines[reference].map((l) => l.split(' ')[0])).size : 0;
  log(`agreement: ${names.length} implementations (${names.join(', ')}), ${cases} cases, ${reference ? lines[reference].length : 0} results each: identical`);
  for (const e of extra) log(`agreement: ${e}`);
  return { reference, cases, lines: reference ? lines[reference].length : 0, implementations: names, extra };
}
