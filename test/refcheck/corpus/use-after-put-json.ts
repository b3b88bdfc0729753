// Bug: a map is serialised after its put; JSON.stringify calls its toJSON.
import { CpuMap } from '../../../src/index.js';

export function run(): string {
  const m = CpuMap.parse('2-5'); // @get
  const event = { name: 'cycles', cpus: m };
  m.put(); // @put
  return JSON.stringify(event); // @access
}
