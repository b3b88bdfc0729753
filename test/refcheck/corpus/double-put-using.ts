// Bug: a `using` declaration puts the reference when its block ends, and
// the code puts it again.
import { CpuMap } from '../../../src/index.js';

export function run(): void {
  const m = CpuMap.parse('0-3'); // @get
  {
    using borrowed = m; // @using
    if (borrowed.nr !== 4) throw new Error('unexpected');
  }
  m.put(); // @second-put
}
