// The public listing API: refcheck.references() and refcheck.subscribe().
import { describe, it, expect, afterEach, vi } from 'vitest';
import { CpuMap, configure, refcheck, RefCheckError, type RefcheckEvent } from '../../src/index.js';
import { fileURLToPath } from 'node:url';

configure({ refcheck: { leaksAtExit: false, onError: 'report' } });
const file = fileURLToPath(import.meta.url);

/** The line of this file that called it. */
function here(): number {
  return Number(/:(\d+):\d+\)?$/.exec(new Error().stack!.split('\n')[2]!)![1]);
}

afterEach(() => {
  refcheck.reset();
});

describe('refcheck.references()', () => {
  it('lists the references held now, oldest first, with their map, cpus, site and age', async () => {
    const a = CpuMap.parse('0-3'); const lineA = here();
    const b = a.get(); const lineB = here();
    const c = CpuMap.parse('8,10-11');
    c.put();
    await new Promise((r) => setTimeout(r, 20));
    const refs = refcheck.references();
    expect(refs.map((r) => [r.map, r.cpus, r.dropped])).toEqual([[refs[0]!.map, '0-3', false], [refs[0]!.map, '0-3', false]]);
    expect(refs[1]!.serial).toBe(refs[0]!.serial + 1);
    expect(refs[0]!.site?.api).toBe('CpuMap.parse');
    expect(refs[0]!.site?.frames[0]).toMatchObject({ file, line: lineA });
    expect(refs[1]!.site?.api).toBe('CpuMap.get');
    expect(refs[1]!.site?.frames[0]).toMatchObject({ file, line: lineB });
    for (const r of refs) expect(r.ageMs).toBeGreaterThanOrEqual(15);
    b.put();
    expect(refcheck.references().map((r) => r.serial)).toEqual([refs[0]!.serial]);
    a.put();
    expect(refcheck.references()).toEqual([]);
  });
});

describe('refcheck.subscribe()', () => {
  it('tells every get and put as it happens, with its site, until unsubscribed', () => {
    const events: RefcheckEvent[] = [];
    const stop = refcheck.subscribe((e) => events.push(e));
    const m = CpuMap.parse('1-2'); const made = here();
    const u = m.merge(CpuMap.fromCpus([7])); const merged = here();
    u.put(); const put = here();
    stop();
    m.put();
    expect(events.map((e) => [e.type, e.cpus, e.site?.api])).toEqual([
      ['get', '1-2', 'CpuMap.parse'],
      ['get', '7', 'CpuMap.fromCpus'],
      ['get', '1-2,7', 'CpuMap.merge'],
      ['put', '1-2,7', 'CpuMap.put'],
    ]);
    expect(events.map((e) => e.site?.frames[0]?.line)).toEqual([made, merged, merged, put]);
    expect(new Set(events.map((e) => e.serial)).size).toBe(3); // the put is of the merge's reference
    expect(events[3]!.serial).toBe(events[2]!.serial);
    expect(events[3]!.map).toBe(events[2]!.map);
  });

  it('tells a double put and a use after put with their error, and a dropped handle with its get site', async () => {
    const events: RefcheckEvent[] = [];
    const stop = refcheck.subscribe((e) => events.push(e));
    const m = CpuMap.parse('4-5');
    const alias = m;
    m.put();
    alias.put(); const second = here();
    const owner = CpuMap.parse('6');
    const r = owner.get();
    r.put();
    expect(r.nr).toBe(1); const access = here();
    owner.put();
    (() => { CpuMap.parse('9').nr; })(); const dropped = here();
    const gc = (globalThis as { gc?: () => void }).gc!;
    for (let i = 0; i < 10 && !events.some((e) => e.type === 'dropped'); i++) {
      refcheck.references(); // sweeps: handles still held after their task are watched
      gc();
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    stop();
    const doublePut = events.find((e) => e.type === 'double-put')!;
    expect(doublePut.error).toBeInstanceOf(RefCheckError);
    expect(doublePut.error!.kind).toBe('double-put');
    expect(doublePut.cpus).toBe('4-5'); // read at its put, before the map was freed
    expect(doublePut.site?.frames[0]).toMatchObject({ file, line: second });
    const use = events.find((e) => e.type === 'use-after-put')!;
    expect(use.error!.kind).toBe('use-after-put');
    expect(use.site?.frames[0]).toMatchObject({ file, line: access });
    const gone = events.find((e) => e.type === 'dropped')!;
    expect(gone.cpus).toBe('9');
    expect(gone.site?.frames[1]).toMatchObject({ file, line: dropped });
    expect(refcheck.errors().map((e) => e.kind)).toEqual(['double-put', 'use-after-put']);
  });

  it('a listener that throws does not disturb the program nor the other listeners', () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const seen: string[] = [];
    const stopBad = refcheck.subscribe(() => { throw new Error('listener'); });
    const stopGood = refcheck.subscribe((e) => seen.push(e.type));
    const m = CpuMap.parse('3');
    m.put();
    stopBad();
    stopGood();
    expect(seen).toEqual(['get', 'put']);
    expect(refcheck.references()).toEqual([]);
    expect(logged).toHaveBeenCalledTimes(2);
    expect(logged.mock.calls[0]![0]).toBe('cpumap-wasm refcheck: a subscribe() listener threw:');
    expect(logged.mock.calls[0]![1]).toMatchObject({ message: 'listener' });
    logged.mockRestore();
  });
});
