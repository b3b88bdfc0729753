// Checked references that are put must not pile up: a synchronous loop of
// get+put never lets FinalizationRegistry cleanup tasks run, so anything the
// registry still held for retired cells (their stacks) would grow without bound.
import { it, expect } from 'vitest';
import { CpuMap, configure, refcheck } from '../../src/index.js';

configure({ refcheck: { leaksAtExit: false } });

it('200,000 checked get+put pairs in one synchronous loop leave the JS heap where it was', async () => {
  const gc = (globalThis as { gc?: () => void }).gc!;
  expect(gc, 'tests run with --expose-gc').toBeTypeOf('function');
  const m = CpuMap.parse('0-7');
  const loop = (n: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const r = m.get();
      s += r.nr;
      r.put();
    }
    return s;
  };
  loop(20_000);
  gc();
  await new Promise((r) => setTimeout(r, 0));
  gc();
  const before = process.memoryUsage().heapUsed;
  expect(loop(200_000)).toBe(1_600_000);
  gc();
  const after = process.memoryUsage().heapUsed;
  // each retired cell's stacks are about 1 KB: 200,000 kept would be 200 MB
  expect(after - before).toBeLessThan(20 * 2 ** 20);
  expect(refcheck.report().references).toBe(1);
  m.put();
});
