// Bug: an async helper's map is never put; its callers await it.
import { CpuMap } from '../../../src/index.js';

async function load(list: string): Promise<CpuMap> {
  await null;
  return CpuMap.parse(list); // @get
}

async function setup(): Promise<number> {
  const m = await load('0-3'); // @caller
  return m.nr;
}

export async function run(): Promise<number> {
  return await setup(); // @outer
}
