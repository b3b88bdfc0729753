// The demo's explainer (demo/explain.ts) walks libperf's list grammar on its
// own, to say token by token what the parser did. It must reach the parser's
// verdict on every input: same success and cpus, or same error code at the
// same position, in both modes. Runs in Node (no browser); it lives beside
// the end-to-end tests because it guards what the page shows.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CpuMap, CpuMapError } from '../../src/index.js';
import { explain, type Verdict } from '../../demo/explain.js';

interface Library { ok: true; cpus: number[] } 
type Outcome = Library | { ok: false; code: string; position: number };

function library(s: string, strict: boolean): Outcome {
  let m: CpuMap;
  try {
    m = CpuMap.parse(s, { strict });
  } catch (e) {
    if (e instanceof CpuMapError) return { ok: false, code: e.code, position: e.position ?? -1 };
    throw e;
  }
  const cpus = m.toArray();
  m.put();
  return { ok: true, cpus };
}

function explained(s: string, strict: boolean): Outcome {
  const x = explain(s, strict);
  const v: Verdict = x.verdict;
  if (!v.ok) return { ok: false, code: v.code, position: v.position };
  if (v.any) return { ok: true, cpus: [-1] };
  const cpus: number[] = [];
  for (const [a, b] of x.ranges) for (let c = a; c <= b; c++) cpus.push(c);
  expect(cpus.length).toBe(v.cpus);
  return { ok: true, cpus: cpus.sort((p, q) => p - q) };
}

function agree(s: string): void {
  for (const strict of [false, true]) {
    expect(explained(s, strict), `${JSON.stringify(s)} strict=${strict}`).toEqual(library(s, strict));
  }
}

// every input of the grammar's table of verified examples, and the page's presets
const KNOWN = [
  '', ' ', ' 0', '\t1', '\n', ',', ',1', '-1', '-', '+1', 'a', '0', '0-0', '00', '5-5', '3-1', '5-', '1-', '1-\n',
  '0-', '0-\n', '0-,1', '1,1', '1,1,1', '0-3,2-5', '0-3,0', '1,2-3,3', '1-2,2-3', '1,001', '1-2,3-4', '7,3,5',
  '3,2,1', '10-12,1-3', '1-2-3', '1--3', '1-x', '1 - 3', '0 ', '1\t', '0 ,1', '1;2', '1:2', '1/2', '1.5', '1e3',
  '1,,2', '0,', '0,a', '0,-1', '1,+2', '0, 1', '1, 2', '0,\n1', '1-3,', '1- 3', '1-\t3', '1-+3', '0\n', '0-3\n',
  '0,1\n', '0\n\n', '0\n1', '0x10', '0X10', '0x1f-0x22', '1-0x3', '010', '08', '0x', '0xg', '0b1', '01', '0,01',
  '32766', '0,32766', '0-32766', '0-0x7ffe', '32767', '65535', '2147483647', '18446744073709551616', '0-0x7fff',
  '0-4096', '0-7,16', '4-11', '0-3,9-5', '1,3x', '0-3,7x', '1-\u00e9', '\u00e9', '0,\u00e9', '0\u0000,5', '\u0000',
  '0,\u0000', '1--0', '1-+0x2', '0-077', '1-0', '0x7ffe', '1-2\n,3', '1,\n2', '0\n,1',
];

describe('the explainer reaches the parser\'s verdict', () => {
  it('on every example of the grammar', () => {
    for (const s of KNOWN) agree(s);
  });

  it('on random texts made of the grammar\'s characters', () => {
    const piece = fc.constantFrom('0', '1', '7', '8', '9', '10', '0x', 'f', ',', '-', '\n', ' ', '\t', '+', 'x', '\u0000', '32766', '3276');
    fc.assert(fc.property(fc.array(piece, { maxLength: 14 }).map((a) => a.join('')), (s) => agree(s)), { numRuns: 3000 });
  });

  it('on random strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 16 }), (s) => agree(s)), { numRuns: 1000 });
  });

  it('on a 10,000-cpu list', () => {
    agree(Array.from({ length: 10_000 }, (_, i) => 2 * i).join(','));
  });
});
