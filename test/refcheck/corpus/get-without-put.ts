// Bug: a second reference is taken and only the first one is put.
import { CpuMap } from '../../../src/index.js';

export function run(): number {
  const m = CpuMap.parse('0-7');
  const extra = m.get(); // @get
  const n = extra.nr + m.nr;
  m.put();
  return n;
}
