// A short soak (scripts/soak.mjs runs ten million operations): random
// parse/get/put/merge/intersect/encode/decode with a fixed seed; memory must
// plateau, refcounts must match the references held, and nothing may be left.
import { it, expect } from 'vitest';
import { CpuMap, CpuMapError } from '../src/index.js';
import { defaultCore } from '../src/instance.js';
// @ts-expect-error: a plain .mjs module without types
import { soak } from '../scripts/soak.mjs';

interface Mark { op: number; wasmBytes: number; wasmLive: number; heap: number }

it('200,000 random operations: wasm memory plateaus and every block is freed', () => {
  const blocksBefore = defaultCore.ex.liveBlockCount();
  const { marks, liveBlocksAfter } = soak({
    CpuMap, CpuMapError, core: defaultCore, ops: 200_000, seed: 7, checkpoints: 10,
    gc: (globalThis as { gc?: () => void }).gc,
  }) as { marks: Mark[]; liveBlocksAfter: number };
  expect(marks).toHaveLength(10);
  // after warm-up (the first half), memory does not grow at all
  const plateau = marks.slice(5).map((m) => m.wasmBytes);
  expect(new Set(plateau).size).toBe(1);
  expect(Math.max(...marks.map((m) => m.wasmLive))).toBeLessThan(4 * 2 ** 20);
  expect(liveBlocksAfter).toBe(blocksBefore);
});
