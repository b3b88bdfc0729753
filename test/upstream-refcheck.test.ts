// The upstream cpumap tests (docs/contract.md §8) again, with the reference checker on:
// they must pass and leave no reference unput.
import { configure } from '../src/index.js';
import { failOnLeaks } from '../src/refcheck/vitest.js';

configure({ refcheck: { leaksAtExit: false } });
failOnLeaks();
await import('./upstream.test.js');
