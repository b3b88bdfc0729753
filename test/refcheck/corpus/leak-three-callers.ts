// Bug: one getter, three callers, none of which puts what it gets.
import { CpuMap } from '../../../src/index.js';

function borrow(m: CpuMap): CpuMap {
  return m.get(); // @get
}

export function run(): number {
  const m = CpuMap.parse('0-7');
  let n = 0;
  for (let i = 0; i < 50; i++) n += borrow(m).nr; // @first
  for (let i = 0; i < 60; i++) n += borrow(m).nr; // @second
  for (let i = 0; i < 40; i++) n += borrow(m).nr; // @third
  m.put();
  return n;
}
