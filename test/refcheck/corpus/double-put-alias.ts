// Bug: two names for one reference, and both are put.
import { CpuMap } from '../../../src/index.js';

export function run(): void {
  const a = CpuMap.parse('1,3'); // @get
  const b = a;
  a.put(); // @put
  b.put(); // @second-put
}
