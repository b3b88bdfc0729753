// Buggy programs, one per kind of reference-count bug: each must be reported
// with its kind and with every site at the right file and line.
import { describe, it, expect, afterEach } from 'vitest';
import { configure, refcheck, RefCheckError, type LeakReport } from '../../src/index.js';
import { marks, corpusFile, isAt } from './marks.js';
import { load, thrown } from './programs.js';

configure({ refcheck: { leaksAtExit: false, stackDepth: 6 } });

function onlyGroup(report: LeakReport) {
  expect(report.groups).toHaveLength(1);
  return report.groups[0]!;
}

afterEach(() => {
  // each program's own leaks were asserted; start the next one clean
  refcheck.reset();
});

describe('leaks: references never put', () => {
  it('missed put after parse: one leak at the parse', async () => {
    const name = 'missed-put-after-parse';
    const mark = refcheck.mark();
    (await load(name)).run();
    const g = onlyGroup(refcheck.leaksSince(mark));
    expect(g.kind).toBe('leak');
    expect(g.count).toBe(1);
    expect(g.api).toBe('CpuMap.parse');
    expect(isAt(g.site, corpusFile(name), marks(name).get!)).toBe(true);
    expect(() => refcheck.assertNoLeaks(mark)).toThrowError(RefCheckError);
  });

  it('get without put: the leak is the get, not the parse that was put', async () => {
    const name = 'get-without-put';
    const mark = refcheck.mark();
    (await load(name)).run();
    const g = onlyGroup(refcheck.leaksSince(mark));
    expect(g.api).toBe('CpuMap.get');
    expect(isAt(g.site, corpusFile(name), marks(name).get!)).toBe(true);
  });

  it('leak in a loop: one group with count 1000', async () => {
    const name = 'leak-in-loop';
    const mark = refcheck.mark();
    (await load(name)).run();
    const report = refcheck.leaksSince(mark);
    const g = onlyGroup(report);
    expect(g.count).toBe(1000);
    expect(report.references).toBe(1000);
    expect(report.maps).toBe(1);
    expect(isAt(g.site, corpusFile(name), marks(name).get!)).toBe(true);
    expect(refcheck.reportText(report)).toContain('1000 references made by CpuMap.get, never put');
  });

  it('unput intersect result (libperf): a fresh cell even when it is one of the inputs', async () => {
    const name = 'unput-intersect-result';
    const mark = refcheck.mark();
    expect((await load(name)).run()).toBe(2);
    const g = onlyGroup(refcheck.leaksSince(mark));
    expect(g.api).toBe('perf_cpu_map__intersect');
    expect(isAt(g.site, corpusFile(name), marks(name).get!)).toBe(true);
  });
});

describe('double put', () => {
  it('via an alias: refused before wasm, naming the get, first put and second put', async () => {
    const name = 'double-put-alias';
    const m = marks(name);
    const file = corpusFile(name);
    const mark = refcheck.mark();
    const e = thrown((await load(name)).run as () => void);
    expect(e.kind).toBe('double-put');
    expect(e.code).toBe('EREFCHECK');
    expect(isAt(e.sites.get?.frames[0]?.location, file, m.get!)).toBe(true);
    expect(isAt(e.sites.put?.frames[0]?.location, file, m.put!)).toBe(true);
    expect(isAt(e.sites.secondPut?.frames[0]?.location, file, m['second-put']!)).toBe(true);
    expect(e.message).toMatch(/^double put of reference #\d+ to map #\d+/);
    expect(e.message).toContain(`${file}:${m['second-put']}:`);
    // the map was freed by the first put, and nothing else was touched
    expect(refcheck.leaksSince(mark).references).toBe(0);
    expect(refcheck.checkConsistency()).toEqual([]);
  });
});

describe('use after put', () => {
  it('while another reference keeps the map alive', async () => {
    const name = 'use-after-put-other-ref-lives';
    const m = marks(name);
    const file = corpusFile(name);
    const e = thrown((await load(name)).run);
    expect(e.kind).toBe('use-after-put');
    expect(e.message).toContain('has()');
    expect(e.message).toContain('still alive through 1 other reference');
    expect(isAt(e.sites.access?.frames[0]?.location, file, m.access!)).toBe(true);
    expect(isAt(e.sites.get?.frames[0]?.location, file, m.get!)).toBe(true);
    expect(isAt(e.sites.put?.frames[0]?.location, file, m.put!)).toBe(true);
  });

  it('stale merge orig (libperf): the replaced orig.map is a retired reference', async () => {
    const name = 'stale-merge-orig';
    const m = marks(name);
    const file = corpusFile(name);
    const mark = refcheck.mark();
    const e = thrown((await load(name)).run);
    expect(e.kind).toBe('use-after-put');
    expect(e.message).toContain('perf_cpu_map__nr()');
    expect(isAt(e.sites.access?.frames[0]?.location, file, m.access!)).toBe(true);
    expect(isAt(e.sites.get?.frames[0]?.location, file, m.get!)).toBe(true);
    // merge put the old reference on the user's behalf: the site is the merge call
    expect(e.sites.put?.api).toBe('perf_cpu_map__merge');
    expect(isAt(e.sites.put?.frames[0]?.location, file, m.put!)).toBe(true);
    expect(refcheck.leaksSince(mark).references).toBe(0);
  });
});

describe('dropped handles', () => {
  it('a handle garbage-collected without a put is reported as dropped, with its get site', async () => {
    const name = 'dropped-handle';
    const mark = refcheck.mark();
    expect((await load(name)).run()).toBe(10);
    const gc = (globalThis as { gc?: () => void }).gc;
    expect(gc, 'tests run with --expose-gc').toBeTypeOf('function');
    for (let i = 0; i < 5 && refcheck.dropped().references < 2; i++) {
      gc!();
      await new Promise((r) => setTimeout(r, 0));
    }
    const report = refcheck.leaksSince(mark);
    // two calls on one line are two stacks (their columns differ): two groups of one
    expect(report.references).toBe(2);
    expect(report.groups.map((g) => [g.kind, g.count])).toEqual([['dropped', 1], ['dropped', 1]]);
    const m = marks(name);
    for (const g of report.groups) {
      expect(isAt(g.site, corpusFile(name), m.get!)).toBe(true);
      expect(isAt(g.stack[1]?.location, corpusFile(name), m.callers!)).toBe(true);
    }
    expect(new Set(report.groups.map((g) => g.stack[1]!.column)).size).toBe(2);
    expect(refcheck.reportText(report)).toContain('dropped without put (handle garbage-collected)');
  });
});
