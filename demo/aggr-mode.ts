// The aggregation mode a perf stat file was recorded with: the AGGR_MODE
// entry of its STAT_CONFIG event, read with the numbering of the perf that
// wrote it, and the --per-* option of its command line (CMDLINE feature).
//
// perf stores its `enum aggr_mode` value as it is in the writing perf, and
// values were inserted into that enum over time (perf stat report reads the
// number with its own enum):
//   perf 4.5 (stat record) .. 5.2  none global socket core thread unset
//   perf 5.3 (--per-die)            die after socket
//   perf 5.5 (--per-node)           node after unset
//   perf 6.5 (--per-cache)          cache after die
//   perf 6.9 (--per-cluster)        cluster after die
// 0 (none, -A), 1 (global) and 2 (socket) mean the same in every version.

import type { PerfDataInfo } from '../src/perfdata.js';

export type AggrModeName = 'none' | 'global' | 'socket' | 'die' | 'cluster' | 'cache' | 'core' | 'thread' | 'unset' | 'node';

interface Numbering {
  /** First perf version (major, minor) that numbers the enum this way. */
  since: [number, number];
  names: AggrModeName[];
}

const NUMBERINGS: Numbering[] = [
  { since: [6, 9], names: ['none', 'global', 'socket', 'die', 'cluster', 'cache', 'core', 'thread', 'unset', 'node'] },
  { since: [6, 5], names: ['none', 'global', 'socket', 'die', 'cache', 'core', 'thread', 'unset', 'node'] },
  { since: [5, 5], names: ['none', 'global', 'socket', 'die', 'core', 'thread', 'unset', 'node'] },
  { since: [5, 3], names: ['none', 'global', 'socket', 'die', 'core', 'thread', 'unset'] },
  { since: [4, 5], names: ['none', 'global', 'socket', 'core', 'thread', 'unset'] },
];

/** What perf stat calls each mode on its command line. */
export const AGGR_MODE_OPTION: Record<AggrModeName, string> = {
  none: '-A (--no-aggr)', global: 'global (no --per-* option)', socket: '--per-socket', die: '--per-die',
  cluster: '--per-cluster', cache: '--per-cache', core: '--per-core', thread: '--per-thread',
  unset: 'unset', node: '--per-node',
};

const TAG_AGGR_MODE = 0n;
const TAG_AGGR_LEVEL = 3n;

/** "6.1.192", "6.9.0-rc3" ... as [major, minor]; undefined when it does not start that way. */
export function perfVersion(text: string | undefined): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)/.exec(text ?? '');
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

function atLeast(v: [number, number], since: [number, number]): boolean {
  return v[0] > since[0] || (v[0] === since[0] && v[1] >= since[1]);
}

/**
 * The name of aggr_mode `value` as the perf of version `version` numbers it;
 * without a version (pipe files carry no header), the name only when every
 * perf agrees on it.
 */
export function aggrModeName(value: number, version: [number, number] | undefined): AggrModeName | undefined {
  if (version === undefined) {
    const names = new Set(NUMBERINGS.map((n) => n.names[value]));
    return names.size === 1 ? [...names][0] : undefined;
  }
  const numbering = NUMBERINGS.find((n) => atLeast(version, n.since));
  return numbering?.names[value];
}

/** Every name `value` has in some perf version, with the versions: for files without a version. */
export function aggrModeCandidates(value: number): string[] {
  const out: string[] = [];
  NUMBERINGS.forEach((n, i) => {
    const name = n.names[value];
    if (name === undefined) return;
    const upTo = i === 0 ? '' : ` to ${NUMBERINGS[i - 1]!.since[0]}.${NUMBERINGS[i - 1]!.since[1] - 1}`;
    out.push(`${name} (perf ${n.since[0]}.${n.since[1]}${i === 0 ? ' and later' : upTo})`);
  });
  return out;
}

export interface RecordedAggrMode {
  /** From the last STAT_CONFIG event with an AGGR_MODE entry (perf stat report applies them in turn). */
  stat?: {
    value: number;
    name?: AggrModeName;
    /** The perf version whose numbering was used. */
    version?: string;
    /** AGGR_LEVEL (perf 6.5 and later, for --per-cache): the cache level. */
    cacheLevel?: number;
    offset: number;
  };
  /** The aggregation option on the recorded command line, when it has one. */
  cmdline?: string;
  /** Whether the file holds perf stat data (HEADER_STAT, or a STAT_CONFIG event). */
  isStat: boolean;
}

const CMDLINE_OPTIONS = /^(--per-(?:socket|die|cluster|cache(?:=\S+)?|core|thread|node)|-A|--no-aggr)$/;

function lastOf<T>(list: readonly T[], test: (x: T) => boolean): T | undefined {
  for (let i = list.length - 1; i >= 0; i--) if (test(list[i]!)) return list[i];
  return undefined;
}

export function recordedAggrMode(info: PerfDataInfo): RecordedAggrMode {
  const out: RecordedAggrMode = { isStat: info.features.stat === true || info.statConfigEvents.length > 0 };
  for (const ev of info.statConfigEvents) {
    const mode = lastOf(ev.entries, (e) => e.tag === TAG_AGGR_MODE);
    if (mode === undefined) continue;
    const value = Number(mode.value);
    const v = perfVersion(info.features.version);
    const level = lastOf(ev.entries, (e) => e.tag === TAG_AGGR_LEVEL);
    out.stat = {
      value,
      name: aggrModeName(value, v),
      version: v ? info.features.version : undefined,
      cacheLevel: level ? Number(level.value) : undefined,
      offset: ev.offset,
    };
  }
  // perf's own arguments come before `--` and the workload
  const args = info.features.cmdline ?? [];
  const end = args.indexOf('--');
  const opt = lastOf(end < 0 ? args : args.slice(0, end), (a) => CMDLINE_OPTIONS.test(a));
  if (opt !== undefined) out.cmdline = opt;
  return out;
}
