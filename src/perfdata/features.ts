/**
 * Decoding of header feature data (tools/perf/Documentation/perf.data-file-format.txt).
 * The same bytes appear in a file-mode feature section or after the u64
 * feature id of a pipe-mode PERF_RECORD_HEADER_FEATURE event.
 */
import { ByteReader, Cursor } from './byteReader.js';
import type { Problems } from './problems.js';
import {
  HEADER_ARCH,
  HEADER_CACHE,
  HEADER_CMDLINE,
  HEADER_CPUDESC,
  HEADER_CPUID,
  HEADER_CPU_TOPOLOGY,
  HEADER_HOSTNAME,
  HEADER_HYBRID_TOPOLOGY,
  HEADER_NRCPUS,
  HEADER_NUMA_TOPOLOGY,
  HEADER_OSRELEASE,
  HEADER_PMU_MAPPINGS,
  HEADER_STAT,
  HEADER_TOTAL_MEM,
  HEADER_VERSION,
  featureName,
} from './names.js';
import type {
  PerfCacheLevel,
  PerfCpuIds,
  PerfCpuTopology,
  PerfDataFeatures,
  PerfFeatureSection,
  PerfHybridNode,
  PerfNrCpus,
  PerfNumaNode,
} from './types.js';

function cursorFor(r: ByteReader, s: PerfFeatureSection): Cursor {
  return new Cursor(r, s.offset, s.offset + s.size, `feature ${s.name} (${s.id})`);
}

function decodeNrCpus(c: Cursor): PerfNrCpus {
  // The format document lists `online` first, but perf writes and reads
  // nr_cpus_avail first (write_nrcpus / process_nrcpus in util/header.c).
  const available = c.u32('nr_cpus_avail');
  const online = c.u32('nr_cpus_online');
  return { online, available };
}

function decodeCpuTopology(c: Cursor, nrcpus: PerfNrCpus | undefined): PerfCpuTopology {
  const coreSiblings = c.stringList('core siblings');
  const threadSiblings = c.stringList('thread siblings');
  const topo: PerfCpuTopology = { coreSiblings, threadSiblings };
  // Old writers stop here; later revisions append per-CPU ids, then dies.
  if (c.remaining <= 0 || nrcpus === undefined) return topo;
  // NRCPUS says how many; a section too short for them fails at the first
  // id that does not fit, so the loop is bounded by the section size.
  const n = nrcpus.available;
  const cpus: PerfCpuIds[] = [];
  for (let i = 0; i < n; i++) {
    const coreId = c.u32(`cpu[${i}].core_id`);
    const socketId = c.u32(`cpu[${i}].socket_id`);
    cpus.push({ coreId, socketId });
  }
  topo.cpus = cpus;
  if (c.remaining <= 0) return topo;
  topo.dieSiblings = c.stringList('die siblings');
  for (let i = 0; i < n; i++) cpus[i]!.dieId = c.u32(`cpu[${i}].die_id`);
  return topo;
}

function decodeNuma(c: Cursor): PerfNumaNode[] {
  const nr = c.count('node count', 24);
  const nodes: PerfNumaNode[] = [];
  for (let i = 0; i < nr; i++) {
    const node = c.u32(`node[${i}].nodenr`);
    const memTotal = c.quantity(`node[${i}].mem_total`);
    const memFree = c.quantity(`node[${i}].mem_free`);
    const cpus = c.string(`node[${i}].cpus`);
    nodes.push({ node, memTotal, memFree, cpus });
  }
  return nodes;
}

function decodePmuMappings(c: Cursor): Array<{ type: number; name: string }> {
  const nr = c.count('pmu count', 8);
  const out: Array<{ type: number; name: string }> = [];
  for (let i = 0; i < nr; i++) {
    const type = c.u32(`pmu[${i}].type`);
    const name = c.string(`pmu[${i}].name`);
    out.push({ type, name });
  }
  return out;
}

function decodeCache(c: Cursor): PerfCacheLevel[] | undefined {
  const version = c.u32('version');
  if (version !== 1) return undefined; // perf only knows version 1
  const nr = c.count('level count', 28);
  const out: PerfCacheLevel[] = [];
  for (let i = 0; i < nr; i++) {
    const level = c.u32(`cache[${i}].level`);
    const lineSize = c.u32(`cache[${i}].line_size`);
    const sets = c.u32(`cache[${i}].sets`);
    const ways = c.u32(`cache[${i}].ways`);
    const type = c.string(`cache[${i}].type`);
    const size = c.string(`cache[${i}].size`);
    const map = c.string(`cache[${i}].map`);
    out.push({ level, lineSize, sets, ways, type, size, map });
  }
  return out;
}

function decodeHybrid(c: Cursor): PerfHybridNode[] {
  const nr = c.count('node count', 8);
  const out: PerfHybridNode[] = [];
  for (let i = 0; i < nr; i++) {
    const pmuName = c.string(`node[${i}].pmu_name`);
    const cpus = c.string(`node[${i}].cpus`);
    out.push({ pmuName, cpus });
  }
  return out;
}

/**
 * Decodes the features this reader understands, each on its own: one that
 * does not fit is a problem and leaves the others. NRCPUS is decoded first
 * because CPU_TOPOLOGY's per-CPU part is sized by it. When a feature occurs
 * more than once (pipe mode), the last occurrence wins.
 */
export function decodeFeatures(r: ByteReader, sections: readonly PerfFeatureSection[], problems: Problems): PerfDataFeatures {
  const f: PerfDataFeatures = {};
  for (const s of sections) {
    if (s.id !== HEADER_NRCPUS) continue;
    const nrcpus = problems.attempt('bad-feature', () => decodeNrCpus(cursorFor(r, s)));
    if (nrcpus !== undefined) f.nrcpus = nrcpus;
  }
  for (const s of sections) {
    if (s.id === HEADER_NRCPUS) continue;
    problems.attempt('bad-feature', () => decodeFeature(r, s, f));
  }
  return f;
}

/** Decodes one feature section into `f` (NRCPUS is done before: it sizes CPU_TOPOLOGY). */
function decodeFeature(r: ByteReader, s: PerfFeatureSection, f: PerfDataFeatures): void {
  const c = cursorFor(r, s);
  switch (s.id) {
    case HEADER_HOSTNAME:
      f.hostname = c.string('hostname');
      break;
    case HEADER_OSRELEASE:
      f.osRelease = c.string('os release');
      break;
    case HEADER_VERSION:
      f.version = c.string('perf version');
      break;
    case HEADER_ARCH:
      f.arch = c.string('arch');
      break;
    case HEADER_CPUDESC:
      f.cpuDesc = c.string('cpu description');
      break;
    case HEADER_CPUID:
      f.cpuId = c.string('cpuid');
      break;
    case HEADER_TOTAL_MEM:
      f.totalMem = c.quantity('total memory');
      break;
    case HEADER_CMDLINE:
      f.cmdline = c.stringList('argument');
      break;
    case HEADER_CPU_TOPOLOGY:
      f.cpuTopology = decodeCpuTopology(c, f.nrcpus);
      break;
    case HEADER_NUMA_TOPOLOGY:
      f.numaTopology = decodeNuma(c);
      break;
    case HEADER_PMU_MAPPINGS:
      f.pmuMappings = decodePmuMappings(c);
      break;
    case HEADER_STAT:
      f.stat = true;
      break;
    case HEADER_CACHE: {
      const cache = decodeCache(c);
      if (cache !== undefined) f.cache = cache;
      break;
    }
    case HEADER_HYBRID_TOPOLOGY:
      f.hybridTopology = decodeHybrid(c);
      break;
    default:
      break;
  }
}

export function featureSection(id: number, offset: number, size: number): PerfFeatureSection {
  return { id, name: featureName(id), offset, size };
}
