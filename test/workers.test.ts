// Node worker_threads: each thread has its own wasm instance; maps do not
// cross threads (they cannot be cloned, and a look-alike is refused). With
// checking on, a worker's leaks fail the whole process.
import { it, expect } from 'vitest';
import * as workerThreads from 'node:worker_threads';
import { Worker } from 'node:worker_threads';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { CpuMap } from '../src/index.js';

const dist = pathToFileURL(join(fileURLToPath(new URL('..', import.meta.url)), 'dist/index.js')).href;

function runWorker(code: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const w = new Worker(`import(${JSON.stringify(dist)}).then(async (lib) => { const { parentPort } = await import('node:worker_threads'); ${code} });`, { eval: true });
    w.once('message', (m) => { resolve(m); void w.terminate(); });
    w.once('error', reject);
  });
}

it('workers have instances of their own and give the same answers', async () => {
  const here = CpuMap.parse('0-3');
  const results = await Promise.all([0, 1, 2].map((i) => runWorker(`
    const m = lib.CpuMap.parse('${i}-${i + 4}');
    const u = m.merge(lib.CpuMap.parse('10'));
    parentPort.postMessage({ list: u.toString(), ptr: m._ptr, refcount: m.refcount });`)));
  expect(results.map((r) => (r as { list: string }).list)).toEqual(['0-4,10', '1-5,10', '2-6,10']);
  // every worker's first map sits at the same address in its own memory
  expect(new Set(results.map((r) => (r as { ptr: number }).ptr)).size).toBe(1);
  expect(here.toString()).toBe('0-3');
  here.put();
});

it('a map cannot be posted to another thread, and a cloned look-alike is refused', async () => {
  const m = CpuMap.parse('0-3');
  const { port1, port2 } = new MessageChannel();
  expect(() => port1.postMessage(m)).toThrowError(/could not be cloned/);
  const lookalike = structuredClone({ _ptr: (m as unknown as { _ptr: number })._ptr });
  expect(() => m.merge(lookalike as unknown as CpuMap)).toThrowError(TypeError);
  expect(() => m.merge(lookalike as unknown as CpuMap)).toThrowError(/expected a CpuMap, got an object/);
  port1.close();
  port2.close();
  m.put();
});

it('with checking on, a leak in a worker fails the whole process and the report names the worker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cpumap-worker-leak-'));
  const worker = join(dir, 'worker.mjs');
  const main = join(dir, 'main.mjs');
  writeFileSync(worker, `import { CpuMap } from ${JSON.stringify(dist)};
const m = CpuMap.parse('0-3');
m.get();
`);
  // the main thread holds nothing and ends normally once its worker is done
  writeFileSync(main, `import * as workerThreads from 'node:worker_threads';
import { Worker } from 'node:worker_threads';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import ${JSON.stringify(dist)};
const w = new Worker(${JSON.stringify(worker)}, { name: 'loader' });
w.on('exit', (code) => console.log('worker exit code', code));
`);
  const r = spawnSync(process.execPath, [main], { encoding: 'utf8', env: { ...process.env, CPUMAP_REFCHECK: '1', NODE_OPTIONS: '' } });
  expect(r.stdout).toContain('worker exit code 1');
  const threadId = 1;
  // Node exposes a worker's name inside it from 22.20 and 24.6 (worker_threads.threadName); Node 20 has only its id
  const named = 'threadName' in workerThreads ? `worker ${threadId} ("loader")` : `worker ${threadId}`;
  expect(r.stderr).toContain(`cpumap-wasm refcheck (${named}): 2 leaked references to 1 map, from 2 sites`);
  expect(r.stderr).toContain(`1 reference made by CpuMap.get, never put (references #2):\n    at ${worker}:3:3`);
  expect(r.stderr).toContain('cpumap-wasm refcheck: worker 1 exited holding 2 references (reports above); the process exits with code 1');
  expect(r.status).toBe(1);
});

it('a worker that puts everything leaves the process exit code alone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cpumap-worker-clean-'));
  const main = join(dir, 'main.mjs');
  writeFileSync(main, `import * as workerThreads from 'node:worker_threads';
import { Worker } from 'node:worker_threads';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import ${JSON.stringify(dist)};
new Worker(\`import(${JSON.stringify(dist)}).then(({ CpuMap }) => { const m = CpuMap.parse('0-3'); m.get().put(); m.put(); });\`, { eval: true });
`);
  const r = spawnSync(process.execPath, [main], { encoding: 'utf8', env: { ...process.env, CPUMAP_REFCHECK: '1', NODE_OPTIONS: '' } });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
});
