// The settings the README recommends for large test suites,
// { stackDepth: 1, putStackDepth: 0 }: no put is captured, and still every
// leak names its get site, a use after put its access and get, a double put
// its get and second put.
import { it, expect, afterEach } from 'vitest';
import { configure, refcheck } from '../../src/index.js';
import { marks, corpusFile, isAt } from './marks.js';
import { load, thrown } from './programs.js';

configure({ refcheck: { leaksAtExit: false, stackDepth: 1, putStackDepth: 0 } });

afterEach(() => {
  refcheck.reset();
});

it('a leak names its get site', async () => {
  const name = 'leak-in-loop';
  const mark = refcheck.mark();
  (await load(name)).run();
  const report = refcheck.leaksSince(mark);
  expect(report.groups).toHaveLength(1);
  expect(report.groups[0]!.count).toBe(1000);
  expect(report.groups[0]!.api).toBe('CpuMap.get');
  expect(isAt(report.groups[0]!.site, corpusFile(name), marks(name).get!)).toBe(true);
});

it('a use after put names the access and the get; the put has no stack', async () => {
  const name = 'use-after-put-other-ref-lives';
  const m = marks(name);
  const e = thrown((await load(name)).run);
  expect(e.kind).toBe('use-after-put');
  expect(isAt(e.sites.access?.frames[0]?.location, corpusFile(name), m.access!)).toBe(true);
  expect(isAt(e.sites.get?.frames[0]?.location, corpusFile(name), m.get!)).toBe(true);
  expect(e.sites.put?.frames ?? []).toEqual([]);
  expect(e.message).toContain('  put:\n    (no stack captured)');
});

it('a double put names the get and the second put', async () => {
  const name = 'double-put-alias';
  const m = marks(name);
  const e = thrown((await load(name)).run);
  expect(e.kind).toBe('double-put');
  expect(isAt(e.sites.get?.frames[0]?.location, corpusFile(name), m.get!)).toBe(true);
  expect(isAt(e.sites.secondPut?.frames[0]?.location, corpusFile(name), m['second-put']!)).toBe(true);
  expect(e.sites.put?.frames ?? []).toEqual([]);
});
