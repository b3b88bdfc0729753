// The demo's reading of the aggregation mode a perf stat file was recorded
// with (demo/aggr-mode.ts): perf's enum aggr_mode, whose numbering depends on
// the perf version that wrote the file, and the recorded command line.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readPerfData } from '../src/perfdata.js';
import { aggrModeCandidates, aggrModeName, perfVersion, recordedAggrMode } from '../demo/aggr-mode.js';

const dir = fileURLToPath(new URL('./fixtures/perf-data/', import.meta.url));
const bytesOf = (name: string): Uint8Array => new Uint8Array(readFileSync(join(dir, name)));

describe('the recorded aggregation mode', () => {
  it('reads aggr_mode with the enum of the perf version that wrote it', () => {
    expect(perfVersion('6.1.192')).toEqual([6, 1]);
    expect(perfVersion('6.9.0-rc3')).toEqual([6, 9]);
    expect(perfVersion(undefined)).toBeUndefined();
    expect([4, 3, 5].map((v) => aggrModeName(v, [4, 19]))).toEqual(['thread', 'core', 'unset']);
    expect([3, 4, 7].map((v) => aggrModeName(v, [5, 4]))).toEqual(['die', 'core', undefined]);
    expect([4, 7].map((v) => aggrModeName(v, [6, 1]))).toEqual(['core', 'node']);
    expect([4, 5, 8].map((v) => aggrModeName(v, [6, 5]))).toEqual(['cache', 'core', 'node']);
    expect([4, 5, 6, 9].map((v) => aggrModeName(v, [6, 18]))).toEqual(['cluster', 'cache', 'core', 'node']);
    expect(aggrModeName(2, [7, 0])).toBe('socket');
    expect(aggrModeName(3, [4, 4])).toBeUndefined();
  });

  it('without a version, names only what every perf agrees on, and lists the candidates otherwise', () => {
    expect([0, 1, 2].map((v) => aggrModeName(v, undefined))).toEqual(['none', 'global', 'socket']);
    expect(aggrModeName(4, undefined)).toBeUndefined();
    expect(aggrModeCandidates(4)).toEqual([
      'cluster (perf 6.9 and later)', 'cache (perf 6.5 to 6.8)', 'core (perf 5.5 to 6.4)', 'core (perf 5.3 to 5.4)',
      'thread (perf 4.5 to 5.2)',
    ]);
  });

  it('of the fixtures: STAT_CONFIG and the command line', () => {
    const perCore = recordedAggrMode(readPerfData(bytesOf('stat-per-core.data')));
    expect(perCore).toEqual({
      isStat: true, cmdline: '--per-core', stat: { value: 4, name: 'core', version: '6.1.192', cacheLevel: undefined, offset: 416 },
    });
    const pipe = recordedAggrMode(readPerfData(bytesOf('stat-all-cpus-pipe.data')));
    expect(pipe).toEqual({ isStat: true, stat: { value: 1, name: 'global', version: undefined, cacheLevel: undefined, offset: 376 } });
    expect(recordedAggrMode(readPerfData(bytesOf('record-cpu1.data')))).toEqual({ isStat: false });
  });
});
