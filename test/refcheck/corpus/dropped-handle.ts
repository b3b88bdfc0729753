// Bug: a map is made and its only handle goes out of reach without a put.
import { CpuMap } from '../../../src/index.js';

function count(list: string): number {
  return CpuMap.parse(list).nr; // @get
}

export function run(): number {
  return count('0-7') + count('8-9'); // @callers
}
