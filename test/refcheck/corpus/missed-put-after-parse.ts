// Bug: the map from parse is used and never put.
import { CpuMap } from '../../../src/index.js';

export function run(): number {
  const m = CpuMap.parse('0-3'); // @get
  return m.nr;
}
