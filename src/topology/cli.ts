// `cpumap topology`: a machine's or a perf.data file's cpus grouped as perf
// stat groups them. Wired into src/cli.ts, which hands it its arguments;
// it writes its own output and sets the exit code (1 on any error, with
// nothing on stdout).

import { CpuMap } from '../cpumap.js';
import { CpuMapError } from '../errors.js';
import { readPerfData } from '../perfdata.js';
import { PerfDataError } from '../perfdata/error.js';
import { Topology } from './topology.js';
import { TopologyError } from './error.js';
import type { AggrLevel } from './levels.js';
import { nodeFs, errnoName } from './node-fs.js';

export interface TopologyCliIo {
  stdout: { write(s: string): boolean };
  stderr: { write(s: string): boolean };
  exitCode?: number | string;
}

export const TOPOLOGY_USAGE = `usage: cpumap topology [--sysfs ROOT | FILE.data] [LEVEL] [-C LIST] [--json]

Groups cpus as perf stat does, with perf's labels: sysfs (default /sys), or
the topology a perf.data file recorded (perf stat report's rules).

LEVEL (default: one line per cpu with all its ids):
  --per-socket   --per-die   --per-cluster   --per-core   --per-node
  --per-cache[=LEVEL]   the last level cache, or L1..L4 (--per-cache=L2)
  -A, --no-aggr  one group per cpu           --global   one group
options:
  -C, --cpu LIST which cpus (libperf syntax; default: the online cpus, or the
                 file's cpu map)
  --json         JSON instead of text
`;

class TopologyUsageError extends Error {}

interface TopologyArgs {
  sysfs?: string;
  file?: string;
  level?: AggrLevel;
  cacheLevel?: number;
  cpus?: string;
  json: boolean;
}

const LEVEL_OPTIONS: Record<string, AggrLevel> = {
  '--per-socket': 'socket', '--per-die': 'die', '--per-cluster': 'cluster', '--per-core': 'core',
  '--per-node': 'node', '--per-cache': 'cache', '-A': 'cpu', '--no-aggr': 'cpu', '--global': 'global',
};

function parseTopologyArgs(argv: string[]): TopologyArgs {
  const a: TopologyArgs = { json: false };
  const setLevel = (level: AggrLevel, opt: string): void => {
    if (a.level !== undefined) throw new TopologyUsageError(`only one aggregation level at a time (${opt})`);
    a.level = level;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new TopologyUsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--json') a.json = true;
    else if (arg === '--sysfs') a.sysfs = value();
    else if (arg === '-C' || arg === '--cpu') a.cpus = value();
    else if (arg.startsWith('--per-cache=')) {
      setLevel('cache', arg);
      const m = /^[lL](\d)$/.exec(arg.slice('--per-cache='.length));
      if (m === null) throw new TopologyUsageError('cache level must be of the form L1..L4');
      a.cacheLevel = Number(m[1]);
    } else if (arg in LEVEL_OPTIONS) setLevel(LEVEL_OPTIONS[arg]!, arg);
    else if (arg.startsWith('-')) throw new TopologyUsageError(`unknown option ${arg}`);
    else if (a.file === undefined) a.file = arg;
    else throw new TopologyUsageError(`one FILE.data at most, got ${JSON.stringify(arg)} too`);
  }
  if (a.file !== undefined && a.sysfs !== undefined) throw new TopologyUsageError('give --sysfs ROOT or FILE.data, not both');
  return a;
}

/** The topology and the cpus to group (a new reference). */
function load(a: TopologyArgs): { topology: Topology; cpus: CpuMap } {
  if (a.file === undefined) {
    const topology = Topology.fromSysfs(a.sysfs ?? '/sys');
    const cpus = a.cpus !== undefined ? CpuMap.parse(a.cpus) : topology.online() ?? CpuMap.fromCpus(topology.cpus());
    return { topology, cpus };
  }
  const fs = nodeFs();
  if (fs === undefined) throw new TopologyUsageError('reading a file needs Node');
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(a.file);
  } catch (e) {
    throw new TopologyUsageError(`cannot read ${a.file}: ${errnoName(e)}`);
  }
  const info = readPerfData(new Uint8Array(bytes));
  const topology = Topology.fromPerfData(info);
  const event = info.cpuMapEvents.find((e) => e.source === 'cpu_map');
  let cpus: CpuMap;
  if (a.cpus !== undefined) cpus = CpuMap.parse(a.cpus);
  else if (event !== undefined) cpus = CpuMap.decode(event.payloadLittleEndian, { lenient: true });
  else cpus = CpuMap.fromCpus(topology.cpus());
  return { topology, cpus };
}

function perCpuTable(t: Topology, cpus: CpuMap, json: boolean): string {
  const rows = [...cpus].map((cpu) => ({
    cpu, socket: t.socketId(cpu), die: t.dieId(cpu), cluster: t.clusterId(cpu), core: t.coreId(cpu), node: t.node(cpu),
  }));
  if (json) return `${JSON.stringify({ origin: t.origin, cpus: rows }, null, 2)}\n`;
  const head = 'cpu socket die cluster core node';
  return `${[head, ...rows.map((r) => [r.cpu, r.socket, r.die, r.cluster, r.core, r.node].join(' '))].join('\n')}\n`;
}

function run(argv: string[]): string {
  if (argv.includes('-h') || argv.includes('--help')) return TOPOLOGY_USAGE;
  const a = parseTopologyArgs(argv);
  const { topology, cpus } = load(a);
  try {
    if (a.level === undefined) return perCpuTable(topology, cpus, a.json);
    const agg = topology.aggregate(cpus, a.level, a.cacheLevel === undefined ? {} : { cacheLevel: a.cacheLevel });
    try {
      if (a.json) return `${JSON.stringify({ origin: topology.origin, ...agg.toJSON() }, null, 2)}\n`;
      const width = Math.max(...agg.groups.map((g) => g.label.length), 1);
      return agg.groups.map((g) => `${(g.label || '-').padEnd(width)} ${String(g.cpus.nr).padStart(4)}  ${g.cpus}`).join('\n') + '\n';
    } finally {
      agg.put();
    }
  } finally {
    cpus.put();
  }
}

/** Runs `cpumap topology ARGS`; writes stdout or stderr and sets the exit code. */
export function runTopologyCli(argv: string[], io: TopologyCliIo): void {
  let out: string;
  try {
    out = run(argv);
  } catch (e) {
    if (e instanceof TopologyUsageError) {
      io.stderr.write(`cpumap topology: ${e.message}\nTry 'cpumap topology --help'.\n`);
    } else if (e instanceof TopologyError || e instanceof CpuMapError || e instanceof PerfDataError) {
      io.stderr.write(`cpumap topology: ${e.message}\n`);
    } else {
      throw e;
    }
    io.exitCode = 1;
    return;
  }
  io.stdout.write(out);
}
