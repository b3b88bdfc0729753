// Node worker_threads: each thread has its own wasm instance; maps do not
// cross threads (they cannot be cloned, and a look-alike is refused).
import { it, expect } from 'vitest';
import { Worker } from 'node:worker_threads';
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
