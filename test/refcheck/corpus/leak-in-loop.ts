// Bug: every turn of the loop takes a reference and none is put.
import { CpuMap } from '../../../src/index.js';

export function run(): number {
  const m = CpuMap.parse('0-15');
  let hits = 0;
  for (let i = 0; i < 1000; i++) {
    const r = m.get(); // @get
    if (r.has(i % 16)) hits++;
  }
  m.put();
  return hits;
}
