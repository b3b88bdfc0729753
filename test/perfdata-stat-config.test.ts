// PERF_RECORD_STAT_CONFIG (75) events as readPerfData returns them, on the
// real fixtures (and against `perf report -D` when perf is installed), and
// on events cut by hand.
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readPerfData, PerfDataError } from '../src/perfdata.js';

const dir = fileURLToPath(new URL('./fixtures/perf-data/', import.meta.url));
const bytesOf = (name: string): Uint8Array => new Uint8Array(readFileSync(join(dir, name)));
const AGGR_MODE = 0n;
const INTERVAL = 1n;
const SCALE = 2n;

describe('readPerfData: STAT_CONFIG events', () => {
  it('perf stat record --per-core: aggr_mode 4, scale 1, interval 0, at the offset perf -D names', () => {
    const info = readPerfData(bytesOf('stat-per-core.data'));
    expect(info.statConfigEvents).toEqual([{
      offset: 416, // perf report -D: 0x1a0 [0x40]: PERF_RECORD_STAT_CONFIG
      nr: 3n,
      entries: [{ tag: AGGR_MODE, value: 4n }, { tag: INTERVAL, value: 0n }, { tag: SCALE, value: 1n }],
    }]);
  });

  it('every fixture: one event in each perf stat file (global, 1, unless --per-core), none in perf record files', () => {
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.data'))) {
      const info = readPerfData(bytesOf(name));
      if (!name.startsWith('stat-')) {
        expect(info.statConfigEvents, name).toEqual([]);
        continue;
      }
      expect(info.statConfigEvents, name).toHaveLength(1);
      expect(info.events['STAT_CONFIG'], name).toBe(1);
      const mode = info.statConfigEvents[0]!.entries.find((e) => e.tag === AGGR_MODE)?.value;
      expect(mode, name).toBe(name === 'stat-per-core.data' ? 4n : 1n);
    }
  });

  it('agrees with perf report -D (when perf is installed)', () => {
    const perf = spawnSync('perf', ['--version'], { encoding: 'utf8' });
    if (perf.status !== 0) return;
    for (const name of readdirSync(dir).filter((f) => f.startsWith('stat-') && f.endsWith('.data'))) {
      const info = readPerfData(bytesOf(name));
      const dump = spawnSync('perf', ['report', '-D', '-i', join(dir, name)], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout;
      const m = /(0x[0-9a-f]+) \[0x[0-9a-f]+\]: PERF_RECORD_STAT_CONFIG\n\.\.\. aggr_mode (\d+)/.exec(dump);
      expect(m, name).not.toBeNull();
      // perf -D counts pipe offsets from the end of the 16-byte pipe header
      const offset = Number(m![1]) + (info.mode === 'pipe' ? 16 : 0);
      const ev = info.statConfigEvents[0]!;
      expect([ev.offset, ev.entries.find((e) => e.tag === AGGR_MODE)?.value], name).toEqual([offset, BigInt(m![2]!)]);
    }
  });

  it('reads the entries that lie inside the event when nr claims more', () => {
    const bytes = bytesOf('stat-per-core.data');
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    view.setBigUint64(416 + 8, 5n, true);
    const ev = readPerfData(bytes).statConfigEvents[0]!;
    expect(ev.nr).toBe(5n);
    expect(ev.entries).toHaveLength(3);
    view.setBigUint64(416 + 8, 1n, true);
    expect(readPerfData(bytes).statConfigEvents[0]!.entries).toEqual([{ tag: AGGR_MODE, value: 4n }]);
  });

  it('an event too small for its nr: a bad-event problem at its offset (strict: a PerfDataError there)', () => {
    const bytes = bytesOf('stat-per-core.data');
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    // shrink the 64-byte event to 8 bytes and put a 56-byte event of an unknown type after it
    view.setUint16(416 + 6, 8, true);
    view.setUint32(424, 99, true);
    view.setUint16(424 + 6, 56, true);
    const info = readPerfData(bytes);
    const problem = info.problems.find((p) => p.offset === 416);
    expect(problem?.code).toBe('bad-event');
    expect(problem?.message).toContain('STAT_CONFIG');
    expect(info.statConfigEvents.some((e) => e.offset === 416)).toBe(false);
    expect(info.cpuMapEvents.length).toBeGreaterThan(0); // what lies before and after is still read
    let err: unknown;
    try {
      readPerfData(bytes, { strict: true });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PerfDataError);
    expect((err as PerfDataError).offset).toBe(416);
    expect((err as Error).message).toContain('STAT_CONFIG');
  });
});
