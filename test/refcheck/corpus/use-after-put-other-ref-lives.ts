// Bug: a reference is used after its put, while another reference keeps the map alive.
import { CpuMap } from '../../../src/index.js';

export function run(): boolean {
  const owner = CpuMap.parse('0-3');
  const borrowed = owner.get(); // @get
  borrowed.put(); // @put
  try {
    return borrowed.has(2); // @access
  } finally {
    owner.put();
  }
}
