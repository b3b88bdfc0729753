// Reading a topology from a sysfs tree (any root), file by file as perf
// reads it: cpuN/topology/* with sysfs__read_int, cpuN/cache/indexN/* as
// build_caches_for_cpu does, devices/system/node/nodeN/cpuM links as
// cpu__setup_cpunode_map does, and the possible/present lists as
// set_max_cpu_num / set_max_node_num do.

import { parseKernelCpus } from '../kernel-list.js';
import { CpuMapError } from '../errors.js';
import { nodeFs, errnoName, type NodeFs } from './node-fs.js';
import { TopologyError } from './error.js';
import { cacheSharingProblems } from './consistency.js';
import {
  MAX_CACHE_LEVEL, MISSING_FILE, UNREADABLE_FILE,
  type CacheLevelData, type CpuData, type NumaNodeData, type TopologyData,
} from './data.js';

const ERRNO: Record<string, number> = { EPERM: 1, ENOENT: 2, EIO: 5, EACCES: 13, ENOTDIR: 20, ELOOP: 40, ENAMETOOLONG: 36 };
/** Largest cpu number a CpuMap holds. */
const MAX_CPU = 32766;
/** perf's defaults when the possible/present lists cannot be read. */
const DEFAULT_MAX_CPU = 4096;
const DEFAULT_MAX_NODE = 8;

/** C's atoi on the first 64 bytes (perf reads a 64-byte line). */
function atoi(bytes: Uint8Array): number {
  let i = 0;
  const n = Math.min(bytes.length, 64);
  while (i < n && ((bytes[i]! >= 9 && bytes[i]! <= 13) || bytes[i] === 32)) i++;
  let sign = 1;
  if (i < n && (bytes[i] === 0x2b || bytes[i] === 0x2d)) {
    if (bytes[i] === 0x2d) sign = -1;
    i++;
  }
  let v = 0;
  while (i < n && bytes[i]! >= 0x30 && bytes[i]! <= 0x39) {
    v = v * 10 + (bytes[i]! - 0x30);
    if (v > 0xffffffff) v %= 0x100000000;
    i++;
  }
  return (sign * v) | 0;
}

class SysfsReader {
  constructor(private readonly fs: NodeFs, readonly root: string) {}

  path(rel: string): string {
    return `${this.root.replace(/\/+$/, '')}/${rel}`;
  }

  /** The file's bytes, or the error perf's reader would return: -errno on open, -1 on read. */
  bytes(rel: string): Uint8Array | number {
    try {
      return this.fs.readFileSync(this.path(rel));
    } catch (e) {
      const name = errnoName(e);
      if (name === 'EISDIR') return UNREADABLE_FILE; // open succeeds on a directory, read fails
      return -(ERRNO[name] ?? 5);
    }
  }

  /** sysfs__read_int: the value, or a negative error. */
  int(rel: string): number {
    const b = this.bytes(rel);
    if (typeof b === 'number') return b;
    return b.length === 0 ? UNREADABLE_FILE : atoi(b);
  }

  /** sysfs__read_str with the final newline dropped, or undefined. */
  text(rel: string): string | undefined {
    const b = this.bytes(rel);
    if (typeof b === 'number') return undefined;
    const s = new TextDecoder().decode(b);
    return s.endsWith('\n') ? s.slice(0, -1) : s;
  }

  exists(rel: string): boolean {
    try {
      this.fs.statSync(this.path(rel));
      return true;
    } catch {
      return false;
    }
  }

  isDir(rel: string): boolean {
    try {
      return this.fs.statSync(this.path(rel)).isDirectory();
    } catch {
      return false;
    }
  }

  entries(rel: string): { name: string; dir: boolean; link: boolean }[] {
    try {
      return this.fs.readdirSync(this.path(rel), { withFileTypes: true })
        .map((d) => ({ name: d.name, dir: d.isDirectory(), link: d.isSymbolicLink() }));
    } catch {
      return [];
    }
  }
}

/** cpu_cache_level__read for index 0..3; stops at the first index that does not exist. */
function readCaches(r: SysfsReader, cpu: number): CacheLevelData[] | number {
  const caches: CacheLevelData[] = [];
  for (let index = 0; index < MAX_CACHE_LEVEL; index++) {
    const dir = `devices/system/cpu/cpu${cpu}/cache/index${index}`;
    if (!r.exists(dir)) break; // perf stats the directory; the first missing one ends the list
    const level = r.int(`${dir}/level`);
    for (const f of ['coherency_line_size', 'number_of_sets', 'ways_of_associativity']) {
      if (r.int(`${dir}/${f}`) < 0) return UNREADABLE_FILE;
    }
    const type = r.text(`${dir}/type`);
    const size = r.text(`${dir}/size`);
    const cpus = r.text(`${dir}/shared_cpu_list`);
    if (level < 0 || type === undefined || size === undefined || cpus === undefined) return UNREADABLE_FILE;
    caches.push({ level, type, size, cpus });
  }
  return caches;
}

/** get_max_num: one past the number after the last ',' or '-' of a list file, or undefined. */
function maxOfListFile(text: string | undefined): number | undefined {
  if (text === undefined || text.length === 0) return undefined;
  let i = text.length;
  while (--i > 0) {
    if (text[i] === ',' || text[i] === '-') {
      i++;
      break;
    }
  }
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(text.slice(i));
  return m === null ? undefined : (Number.parseInt(m[1]!, 10) | 0) + 1;
}

function listFile(r: SysfsReader, rel: string): number[] | undefined {
  const text = r.text(rel);
  if (text === undefined) return undefined;
  try {
    return parseKernelCpus(text);
  } catch (e) {
    if (e instanceof CpuMapError) {
      throw new TopologyError('EINCONSISTENT', `${r.path(rel)} is not a cpu list: ${e.message.split('\n')[0]}`, { path: r.path(rel) });
    }
    throw e;
  }
}

function numbered(name: string, prefix: string): number | undefined {
  const m = new RegExp(`^${prefix}(\\d+)`).exec(name);
  return m === null ? undefined : Number(m[1]);
}

/** The topology under `root` (a directory holding devices/system/cpu). */
export function readSysfsTopology(root: string): TopologyData {
  const fs = nodeFs();
  if (fs === undefined) throw new TopologyError('ENOTREE', 'Topology.fromSysfs needs Node (no file system here)');
  const r = new SysfsReader(fs, root);
  if (!r.isDir('devices/system/cpu')) {
    throw new TopologyError('ENOTREE', `${r.path('devices/system/cpu')} is not a directory: not a sysfs tree`, { path: r.path('devices/system/cpu') });
  }
  const problems: string[] = [];

  const cpuNumbers: number[] = [];
  for (const e of r.entries('devices/system/cpu')) {
    const m = /^cpu(\d+)$/.exec(e.name);
    if (m === null || !e.dir) continue;
    const cpu = Number(m[1]);
    if (cpu > MAX_CPU) {
      throw new TopologyError('EINCONSISTENT', `${r.path(`devices/system/cpu/${e.name}`)}: cpu ${m[1]} is outside 0..${MAX_CPU}`, { path: r.path(`devices/system/cpu/${e.name}`), cpu });
    }
    cpuNumbers.push(cpu);
  }
  cpuNumbers.sort((a, b) => a - b);

  const cpus = new Map<number, CpuData>();
  for (const cpu of cpuNumbers) {
    const t = `devices/system/cpu/cpu${cpu}/topology`;
    cpus.set(cpu, {
      socket: r.int(`${t}/physical_package_id`),
      die: r.int(`${t}/die_id`),
      cluster: r.int(`${t}/cluster_id`),
      core: r.int(`${t}/core_id`),
      caches: readCaches(r, cpu),
    });
  }

  const possibleText = r.text('devices/system/cpu/possible');
  const presentText = r.text('devices/system/cpu/present');
  const possibleMax = maxOfListFile(possibleText);
  const maxCpu = Math.min(possibleMax ?? DEFAULT_MAX_CPU, MAX_CPU + 1);
  const maxPresentCpu = possibleMax === undefined ? DEFAULT_MAX_CPU : Math.min(maxOfListFile(presentText) ?? DEFAULT_MAX_CPU, MAX_CPU + 1);
  const maxNode = maxOfListFile(r.text('devices/system/node/possible')) ?? DEFAULT_MAX_NODE;

  const nodeOf = new Map<number, number>();
  const nodes: NumaNodeData[] = [];
  for (const e of r.entries('devices/system/node')) {
    const node = numbered(e.name, 'node');
    if (node === undefined || !e.dir) continue;
    const members: number[] = [];
    for (const c of r.entries(`devices/system/node/${e.name}`)) {
      const cpu = numbered(c.name, 'cpu');
      if (cpu === undefined || !c.link) continue;
      members.push(cpu);
      if (cpu >= maxCpu) continue;
      const before = nodeOf.get(cpu);
      if (before !== undefined && before !== node) problems.push(`cpu ${cpu} is in NUMA nodes ${before} and ${node}`);
      nodeOf.set(cpu, node);
    }
    nodes.push({ node, cpus: members.sort((a, b) => a - b) });
  }
  nodes.sort((a, b) => a.node - b.node);

  problems.push(...cacheSharingProblems(cpus).map((p) => p.message));
  const data: TopologyData = {
    origin: 'sysfs', source: root, cpus, nodeOf, nodeMapSize: maxCpu, nodes,
    maxCpu, maxPresentCpu, maxNode, problems,
  };
  const online = listFile(r, 'devices/system/cpu/online');
  const present = listFile(r, 'devices/system/cpu/present');
  const possible = listFile(r, 'devices/system/cpu/possible');
  if (online !== undefined) data.online = online;
  if (present !== undefined) data.present = present;
  if (possible !== undefined) data.possible = possible;
  return data;
}
