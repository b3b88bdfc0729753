// The report rules of issue 9, each on a buggy program whose verdict and
// every site are checked: leaks grouped by whole stack, disposal named as
// the `using` declaration, JSON.stringify named, async callers kept.
import { describe, it, expect, afterEach } from 'vitest';
import { CpuMap, configure, refcheck, RefCheckError } from '../../src/index.js';
import { marks, corpusFile, isAt } from './marks.js';
import { load, thrown } from './programs.js';

configure({ refcheck: { leaksAtExit: false, stackDepth: 6 } });

afterEach(() => {
  refcheck.reset();
});



describe('leaks are grouped by the whole stack', () => {
  it('one getter called from three places: three groups, each naming its caller, counts adding up', async () => {
    const name = 'leak-three-callers';
    const m = marks(name);
    const file = corpusFile(name);
    const mark = refcheck.mark();
    expect((await load(name)).run()).toBe(150 * 8);
    const report = refcheck.leaksSince(mark);
    expect(report.references).toBe(150);
    expect(report.maps).toBe(1);
    expect(report.groups.map((g) => g.count)).toEqual([60, 50, 40]);
    expect(report.groups.reduce((n, g) => n + g.count, 0)).toBe(report.references);
    const callers = [m.second!, m.first!, m.third!];
    report.groups.forEach((g, i) => {
      expect(g.kind).toBe('leak');
      expect(g.api).toBe('CpuMap.get');
      expect(isAt(g.site, file, m.get!)).toBe(true);
      expect(g.stack[0]!.fn).toBe('borrow');
      expect(isAt(g.stack[1]?.location, file, callers[i]!)).toBe(true);
    });
    const text = refcheck.reportText(report);
    expect(text).toContain('150 leaked references to 1 map, from 3 sites');
    for (const line of callers) expect(text).toContain(`${file}:${line}:`);
  });
});

describe('disposal', () => {
  it('a put by a `using` declaration is named as its disposal, at the declaration', async () => {
    const name = 'double-put-using';
    const m = marks(name);
    const file = corpusFile(name);
    const e = thrown((await load(name)).run);
    expect(e.kind).toBe('double-put');
    expect(isAt(e.sites.get?.frames[0]?.location, file, m.get!)).toBe(true);
    expect(e.sites.put?.api).toBe('disposal of the `using` declaration ([Symbol.dispose])');
    expect(isAt(e.sites.put?.frames[0]?.location, file, m.using!)).toBe(true);
    expect(isAt(e.sites.secondPut?.frames[0]?.location, file, m['second-put']!)).toBe(true);
    // no compiler helper and no library frame in any site: the program's frames, then the tests'
    for (const site of [e.sites.get, e.sites.put, e.sites.secondPut]) {
      for (const f of site!.frames) expect(f.file).toMatch(/\/test\/refcheck\/[\w./-]+\.ts$/);
    }
    expect(e.message).toContain('first put by disposal of the `using` declaration ([Symbol.dispose]):');
    expect(e.message).not.toMatch(/CpuMap\.value|usingCtx|__disposeResources/);
  });

  it('an explicit [Symbol.dispose]() call is named at its line', () => {
    const site = (() => {
      const m = CpuMap.parse('1');
      const line = Number(new Error().stack!.split('\n')[1]!.match(/:(\d+):\d+\)?$/)![1]) + 1;
      m[Symbol.dispose]();
      const e = thrown(() => m.put());
      return { e, line };
    })();
    expect(site.e.kind).toBe('double-put');
    expect(site.e.sites.put?.api).toBe('disposal of the `using` declaration ([Symbol.dispose])');
    expect(site.e.sites.put?.frames[0]?.line).toBe(site.line);
  });
});

describe('use after put through JSON.stringify', () => {
  it('is named toJSON() (JSON.stringify), at the stringify call', async () => {
    const name = 'use-after-put-json';
    const m = marks(name);
    const file = corpusFile(name);
    const e = thrown((await load(name)).run);
    expect(e.kind).toBe('use-after-put');
    expect(e.message).toMatch(/^use after put: toJSON\(\) \(JSON\.stringify\) through reference #\d+ at /);
    expect(e.message).not.toContain('toArray');
    expect(isAt(e.sites.access?.frames[0]?.location, file, m.access!)).toBe(true);
    expect(isAt(e.sites.get?.frames[0]?.location, file, m.get!)).toBe(true);
    expect(isAt(e.sites.put?.frames[0]?.location, file, m.put!)).toBe(true);
  });
});

describe('async code', () => {
  it('a leak after an await names the async callers like any other frame', async () => {
    const name = 'leak-after-await';
    const m = marks(name);
    const file = corpusFile(name);
    const mark = refcheck.mark();
    expect(await (await load(name)).run()).toBe(4);
    const report = refcheck.leaksSince(mark);
    expect(report.groups).toHaveLength(1);
    const [g] = report.groups;
    expect(g!.api).toBe('CpuMap.parse');
    const program = g!.stack.slice(0, 3);
    expect(program.map((f) => [f.fn.replace(/^Module\./, ''), f.line])).toEqual([['load', m.get], ['setup', m.caller], ['run', m.outer]]);
    for (const f of program) {
      expect(f.file).toBe(file);
      expect(f.location).not.toMatch(/async|file:/);
    }
    expect(refcheck.reportText(report)).not.toContain('at async');
  });
});
