import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PerfDataError, readPerfData, type PerfDataInfo } from '../src/perfdata.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/perf-data/', import.meta.url));

function load(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, name)));
}

function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

/** Runs fn, expecting a PerfDataError; returns it. */
function perfError(fn: () => unknown): PerfDataError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PerfDataError);
    return e as PerfDataError;
  }
  throw new Error('expected a PerfDataError, but nothing was thrown');
}

function le(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

// ---------------------------------------------------------------------------
// Real perf.data files: what test/fixtures/perf-data/README.md says of them,
// each value checked against `perf report -D` and `--header-only -I`.
// ---------------------------------------------------------------------------

type CpuMapExpect = [source: 'cpu_map' | 'event_update', offset: number, size: number, payloadHex: string];

interface FixtureExpect {
  file: string;
  mode: 'file' | 'pipe';
  totalEvents: number;
  cpuMaps: CpuMapExpect[];
  /** The CMDLINE feature (perf + arguments); undefined for files without header features. */
  cmdline?: string;
}

const RANGE_0_1 = '0200000000000100';
const RANGE_1_1 = '0200000001000100';

const FIXTURE_TABLE: FixtureExpect[] = [
  {
    file: 'stat-all-cpus.data',
    mode: 'file',
    totalEvents: 9,
    cpuMaps: [['cpu_map', 400, 16, RANGE_0_1]],
    cmdline: 'stat record -o stat-all-cpus.data -a -e task-clock -- sleep 0.05',
  },
  {
    file: 'stat-cpu0-1.data',
    mode: 'file',
    totalEvents: 11,
    cpuMaps: [['cpu_map', 560, 16, RANGE_0_1]],
    cmdline: 'stat record -o stat-cpu0-1.data -C 0,1 -e task-clock,context-switches -- sleep 0.05',
  },
  {
    file: 'stat-cpu1.data',
    mode: 'file',
    totalEvents: 8,
    cpuMaps: [['cpu_map', 392, 16, RANGE_1_1]],
    cmdline: 'stat record -o stat-cpu1.data -C 1 -e task-clock -- sleep 0.05',
  },
  {
    file: 'stat-task.data',
    mode: 'file',
    totalEvents: 8,
    cpuMaps: [['cpu_map', 392, 16, '00000100ffff0000']],
    cmdline: 'stat record -o stat-task.data -e task-clock -- sleep 0.05',
  },
  { file: 'stat-all-cpus-pipe.data', mode: 'pipe', totalEvents: 11, cpuMaps: [['cpu_map', 360, 16, RANGE_0_1]] },
  {
    file: 'record-all-cpus.data',
    mode: 'file',
    totalEvents: 237,
    cpuMaps: [['cpu_map', 800, 16, RANGE_0_1]],
    cmdline: 'record -o record-all-cpus.data -a -e cpu-clock -F 100 -- sleep 0.05',
  },
  {
    file: 'stat-cpu0.data',
    mode: 'file',
    totalEvents: 8,
    cpuMaps: [['cpu_map', 392, 16, '0200000000000000']],
    cmdline: 'stat record -o stat-cpu0.data -C 0 -e task-clock -- sleep 0.05',
  },
  {
    file: 'stat-per-core.data',
    mode: 'file',
    totalEvents: 9,
    cpuMaps: [['cpu_map', 400, 16, RANGE_0_1]],
    cmdline: 'stat record -o stat-per-core.data -a --per-core -e task-clock -- sleep 0.05',
  },
  {
    file: 'stat-cpus-0-3.data',
    mode: 'file',
    totalEvents: 5,
    cpuMaps: [['cpu_map', 288, 16, '0000020000000300']],
    cmdline: 'stat record -o stat-cpus-0-3.data -C 0,3 -e task-clock -- sleep 0.05',
  },
  {
    file: 'stat-mask-0-2-4.data',
    mode: 'file',
    totalEvents: 5,
    cpuMaps: [['cpu_map', 288, 24, '01000100040015000000000000000000']],
    cmdline: 'stat record -o stat-mask-0-2-4.data -C 0,2,4 -e task-clock -- sleep 0.05',
  },
  {
    // The writer's off-by-one (spec 7.2): nr = 1 word, CPU 32's bit lands in a second word.
    file: 'stat-mask-0-1-32.data',
    mode: 'file',
    totalEvents: 5,
    cpuMaps: [['cpu_map', 288, 24, '01000100040003000000010000000000']],
    cmdline: 'stat record -o stat-mask-0-1-32.data -C 0,1,32 -e task-clock -- sleep 0.05',
  },
  {
    // nr = 2 words; CPU 64's bit would be word 2 at payload offset 14: the 2 bytes inside the event read 01 00.
    file: 'stat-mask-0-2-4-6-64.data',
    mode: 'file',
    totalEvents: 5,
    cpuMaps: [['cpu_map', 288, 24, '01000200040055000000000000000100']],
    cmdline: 'stat record -o stat-mask-0-2-4-6-64.data -C 0,2,4,6,64 -e task-clock -- sleep 0.05',
  },
  {
    file: 'stat-duration-pipe.data',
    mode: 'pipe',
    totalEvents: 16,
    cpuMaps: [
      ['event_update', 360, 32, '0200000000000000'],
      ['cpu_map', 640, 16, RANGE_0_1],
    ],
  },
  {
    file: 'record-cpu1.data',
    mode: 'file',
    totalEvents: 10,
    cpuMaps: [['cpu_map', 720, 16, RANGE_1_1]],
    cmdline: 'record -o record-cpu1.data --synth=no -N -B -C 1 -e cpu-clock -F 100 -- sleep 0.05',
  },
  {
    file: 'record-cpu1-pipe.data',
    mode: 'pipe',
    totalEvents: 33,
    cpuMaps: [['cpu_map', 3844, 16, RANGE_1_1]],
    cmdline: 'record -o - --synth=no -N -B -C 1 -e cpu-clock -F 100 -- sleep 0.05',
  },
  {
    file: 'record-tracepoint-pipe.data',
    mode: 'pipe',
    totalEvents: 34,
    cpuMaps: [['cpu_map', 9956, 16, RANGE_1_1]],
    cmdline: 'record -o - --synth=no -N -B -C 1 -e sched:sched_switch -- sleep 0.05',
  },
];

describe('readPerfData on real perf.data files', () => {
  for (const fx of FIXTURE_TABLE) {
    describe(fx.file, () => {
      const bytes = load(fx.file);
      const info = readPerfData(bytes);

      it('has the mode, byte order and event count perf reports', () => {
        expect(info.mode).toBe(fx.mode);
        expect(info.byteOrder).toBe('little');
        expect(info.headerSize).toBe(fx.mode === 'file' ? 104 : 16);
        expect(info.totalEvents).toBe(fx.totalEvents);
        expect(Object.values(info.events).reduce((a, b) => a + b, 0)).toBe(fx.totalEvents);
      });

      it('finds the CPU map payloads at the offsets perf report -D shows', () => {
        const got = info.cpuMapEvents.map((c): CpuMapExpect => [c.source, c.offset, c.size, hex(c.payload)]);
        expect(got).toEqual(fx.cpuMaps);
        for (const c of info.cpuMapEvents) {
          const headerLen = c.source === 'cpu_map' ? 8 : 24;
          expect(c.payload.length).toBe(c.size - headerLen);
          expect(le(bytes).getUint32(c.offset, true)).toBe(c.source === 'cpu_map' ? 74 : 78);
          expect(le(bytes).getUint16(c.offset + 6, true)).toBe(c.size);
          // Little-endian file: the converted payload is the payload itself, a view into the input.
          expect(c.payloadLittleEndian).toBe(c.payload);
          expect(c.payload.buffer).toBe(bytes.buffer);
        }
        expect(info.events['CPU_MAP']).toBe(fx.cpuMaps.filter((c) => c[0] === 'cpu_map').length);
      });

      if (fx.cmdline === undefined) {
        it('has no header features (perf stat record in pipe mode writes none)', () => {
          expect(info.featureSections).toEqual([]);
          expect(info.features).toEqual({});
        });
      } else {
        it('decodes the CPU-related header features', () => {
          const f = info.features;
          expect(f.nrcpus).toEqual({ online: 2, available: 2 });
          expect(f.cpuTopology).toEqual({
            coreSiblings: ['0-1'],
            threadSiblings: ['0', '1'],
            dieSiblings: ['0-1'],
            cpus: [
              { coreId: 0, socketId: 0, dieId: 0 },
              { coreId: 1, socketId: 0, dieId: 0 },
            ],
          });
          expect(f.numaTopology?.map((n) => [n.node, n.cpus])).toEqual([[0, '0-1']]);
          expect(f.numaTopology?.[0]?.memTotal).toBeGreaterThan(f.numaTopology?.[0]?.memFree ?? Infinity);
          expect(f.hostname).toBe('vm');
          expect(f.arch).toBe('x86_64');
          expect(f.version).toBe('6.1.192');
          expect(f.cpuDesc).toBe('AMD EPYC');
          expect(f.cmdline).toEqual(['/usr/bin/perf', ...fx.cmdline!.split(' ')]);
          expect(f.pmuMappings).toContainEqual({ type: 1, name: 'software' });
          expect(f.stat).toBe(fx.cmdline!.startsWith('stat') ? true : undefined);
          if (fx.mode === 'file') {
            // perf record's pipe mode does not send CACHE.
            expect(f.cache?.find((c) => c.level === 3)?.map).toBe('0-1');
          }
        });
      }
    });
  }

  it('reports file-mode sections and attrs as perf report --header-only shows them', () => {
    const info = readPerfData(load('stat-cpu0-1.data'));
    expect(info.attrSection).toEqual({ offset: 136, size: 288 });
    expect(info.dataSection).toEqual({ offset: 424, size: 496 });
    // task-clock (software 1) and context-switches (software 3), one id per CPU
    expect(info.attrs.map((a) => [a.type, a.config, a.ids.length])).toEqual([
      [1, 1n, 2],
      [1, 3n, 2],
    ]);
    expect(info.featureSections.map((s) => s.name)).toEqual([
      'HOSTNAME', 'OSRELEASE', 'VERSION', 'ARCH', 'NRCPUS', 'CPUDESC', 'CPUID', 'TOTAL_MEM', 'CMDLINE',
      'EVENT_DESC', 'CPU_TOPOLOGY', 'NUMA_TOPOLOGY', 'PMU_MAPPINGS', 'GROUP_DESC', 'STAT', 'CACHE',
      'SAMPLE_TIME', 'MEM_TOPOLOGY', 'CLOCKID', 'BPF_PROG_INFO', 'BPF_BTF', 'COMPRESSED', 'CLOCK_DATA', 'PMU_CAPS',
    ]);
    // The last feature section ends exactly at the end of the file.
    const last = info.featureSections[info.featureSections.length - 1]!;
    expect(last.offset + last.size).toBe(5496);
  });

  it('reads the EVENT_UPDATE of kind CPUS and its event id', () => {
    const info = readPerfData(load('stat-duration-pipe.data'));
    const upd = info.cpuMapEvents.find((c) => c.source === 'event_update')!;
    expect(upd.eventId).toBe(59n);
    // duration_time (software 9) is the attr that owns id 59
    expect(info.attrs.find((a) => a.ids.includes(59n))?.config).toBe(9n);
    expect(info.events['EVENT_UPDATE']).toBe(6);
    expect(info.cpuMapEvents.filter((c) => c.source === 'cpu_map')).toHaveLength(1);
  });

  it('skips the tracing data that follows a pipe-mode TRACING_DATA event', () => {
    const info = readPerfData(load('record-tracepoint-pipe.data'));
    expect(info.events['TRACING_DATA']).toBe(1);
    expect(info.events['SAMPLE']).toBe(1);
    expect(info.cpuMapEvents.map((c) => c.offset)).toEqual([9956]);
  });

  it('drops the pipe-mode end-of-features mark (an empty FEATURE event with id 32 from perf 6.1)', () => {
    const info = readPerfData(load('record-cpu1-pipe.data'));
    expect(info.events['FEATURE']).toBe(19);
    expect(info.featureSections).toHaveLength(18);
    expect(info.featureSections.map((s) => s.id)).not.toContain(32);
    expect(info.featureSections.at(-1)?.name).toBe('PMU_CAPS');
  });
});

// ---------------------------------------------------------------------------
// A small perf.data writer for files perf cannot be made to write here:
// big endian, 64-bit masks, AUXTRACE, odd features.
// ---------------------------------------------------------------------------

class Writer {
  private buf = new Uint8Array(1024);
  len = 0;
  constructor(readonly littleEndian: boolean) {}

  private view(): DataView {
    return new DataView(this.buf.buffer);
  }
  private room(n: number): number {
    while (this.len + n > this.buf.length) {
      const b = new Uint8Array(this.buf.length * 2);
      b.set(this.buf);
      this.buf = b;
    }
    const at = this.len;
    this.len += n;
    return at;
  }
  u8(v: number): this {
    this.buf[this.room(1)] = v;
    return this;
  }
  u16(v: number): this {
    this.view().setUint16(this.room(2), v, this.littleEndian);
    return this;
  }
  u32(v: number): this {
    this.view().setUint32(this.room(4), v, this.littleEndian);
    return this;
  }
  u64(v: number | bigint): this {
    this.view().setBigUint64(this.room(8), BigInt(v), this.littleEndian);
    return this;
  }
  raw(b: ArrayLike<number>): this {
    this.buf.set(b, this.room(b.length));
    return this;
  }
  zeros(n: number): this {
    this.room(n);
    return this;
  }
  setU16(at: number, v: number): void {
    this.view().setUint16(at, v, this.littleEndian);
  }
  setU64(at: number, v: number | bigint): void {
    this.view().setBigUint64(at, BigInt(v), this.littleEndian);
  }
  /** struct perf_header_string: length padded to 64 with the NUL included. */
  str(s: string): this {
    const b = new TextEncoder().encode(s);
    const len = Math.ceil((b.length + 1) / 64) * 64;
    this.u32(len).raw(b).zeros(len - b.length);
    return this;
  }
  strList(list: string[]): this {
    this.u32(list.length);
    for (const s of list) this.str(s);
    return this;
  }
  bytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/**
 * Writes one event; `body` writes what follows the header; `pad8` pads the
 * event to a multiple of 8 bytes as perf does for CPU_MAP. Returns its offset.
 */
function event(w: Writer, type: number, body: (w: Writer) => void, pad8 = false): number {
  const at = w.len;
  w.u32(type).u16(0).u16(0);
  body(w);
  if (pad8) w.zeros((8 - ((w.len - at) % 8)) % 8);
  w.setU16(at + 6, w.len - at);
  return at;
}

/** A perf_event_attr of 128 bytes: software cpu-clock, everything else zero. */
function attr(w: Writer): void {
  w.u32(1).u32(128).u64(0).zeros(128 - 16);
}

type FeatureWriter = [id: number, write: (w: Writer) => void];

const SYNTH_FEATURES: FeatureWriter[] = [
  [3, (w) => w.str('höst-π')], // HOSTNAME, UTF-8
  [6, (w) => w.str('s390x')], // ARCH
  [7, (w) => w.u32(4).u32(3)], // NRCPUS: avail 4 first, then online 3
  [11, (w) => w.strList(['/usr/bin/perf', 'stat', 'record'])], // CMDLINE
  [
    13, // CPU_TOPOLOGY, with the die revision
    (w) => {
      w.strList(['0-1', '2-3']).strList(['0,2', '1,3']);
      for (const [core, socket] of [[0, 0], [1, 0], [0, 1], [1, 1]]) w.u32(core!).u32(socket!);
      w.strList(['0-1', '2-3']);
      for (const die of [0, 0, 1, 1]) w.u32(die);
    },
  ],
  [
    14, // NUMA_TOPOLOGY
    (w) => {
      w.u32(2);
      w.u32(0).u64(8_000_000).u64(1_000_000).str('0-1');
      w.u32(1).u64(8_000_001).u64(1_000_001).str('2-3');
    },
  ],
  [16, (w) => w.u32(1).u32(1).str('software')], // PMU_MAPPINGS
  [19, () => {}], // STAT: a flag, no data
  [20, (w) => w.u32(1).u32(1).u32(3).u32(64).u32(2048).u32(16).str('Unified').str('32768K').str('0-3')], // CACHE
  [30, (w) => w.u32(2).str('cpu_core').str('0-1').str('cpu_atom').str('2-3')], // HYBRID_TOPOLOGY
];

/** The data events of the synthetic files; AUXTRACE optional. */
function synthEvents(w: Writer, opts: { auxtrace?: { announced: number; actual: number } }): void {
  // CPU_MAP, CPUS [0, 3, -1]
  event(w, 74, (w) => w.u16(0).u16(3).u16(0).u16(3).u16(0xffff), true);
  // CPU_MAP, MASK with 32-bit words: 0,2,4
  event(w, 74, (w) => w.u16(1).u16(1).u16(4).u32(0x15), true);
  if (opts.auxtrace) {
    const { announced, actual } = opts.auxtrace;
    event(w, 71, (w) => w.u64(announced).u64(0).u64(0).u32(0).u32(0).u32(0).u32(0));
    w.raw(new Array<number>(actual).fill(0xaa));
  }
  // CPU_MAP, MASK with 64-bit words (older writers): CPUs 0 and 127
  event(w, 74, (w) => w.u16(1).u16(2).u16(8).zeros(4).u64(1n).u64(1n << 63n), true);
  // CPU_MAP, RANGE any_cpu 1, 2..5
  event(w, 74, (w) => w.u16(2).u8(1).u8(0).u16(2).u16(5));
  // EVENT_UPDATE UNIT (not a CPU map) and CPUS (RANGE 0..1) for id 7
  event(w, 78, (w) => w.u64(0).u64(7).raw(new TextEncoder().encode('msec')).zeros(4));
  event(w, 78, (w) => w.u64(3).u64(7).u16(2).u8(0).u8(0).u16(0).u16(1));
  event(w, 68, () => {}); // FINISHED_ROUND
}

interface FileOptions {
  auxtrace?: { announced: number; actual: number };
  /** Bitmap word size: 8 (u64, today) or 4 (32-bit writers' `unsigned long`). */
  bitmapWord?: 4 | 8;
}

function buildFile(littleEndian: boolean, opts: FileOptions = {}): Uint8Array {
  const w = new Writer(littleEndian);
  w.raw(new TextEncoder().encode('PERFILE2'));
  if (!littleEndian) {
    // The magic is a u64 too: a big-endian writer's bytes read "2ELIFREP".
    w.len = 0;
    w.raw(new TextEncoder().encode('2ELIFREP'));
  }
  w.u64(104).u64(128 + 16);
  const attrsDesc = w.len;
  w.zeros(16); // attrs section, patched below
  const dataDesc = w.len;
  w.zeros(16); // data section, patched below
  w.zeros(16); // event_types
  const bitmapAt = w.len;
  w.zeros(32);
  expect(w.len).toBe(104);
  // attrs: one attr, its ids section points after it
  const attrsAt = w.len;
  attr(w);
  const idsDesc = w.len;
  w.zeros(16);
  w.setU64(attrsDesc, attrsAt);
  w.setU64(attrsDesc + 8, w.len - attrsAt);
  const idsAt = w.len;
  w.u64(7);
  w.setU64(idsDesc, idsAt);
  w.setU64(idsDesc + 8, 8);
  // data
  const dataAt = w.len;
  synthEvents(w, opts);
  w.setU64(dataDesc, dataAt);
  w.setU64(dataDesc + 8, w.len - dataAt);
  // feature bitmap (u64 words in the file's byte order), table, then the sections
  if (opts.bitmapWord === 4) {
    const words = new Array<number>(8).fill(0);
    for (const [id] of SYNTH_FEATURES) words[id >> 5]! |= 1 << (id & 31);
    const v = new DataView(new ArrayBuffer(32));
    words.forEach((word, i) => v.setUint32(4 * i, word >>> 0, littleEndian));
    for (let i = 0; i < 4; i++) w.setU64(bitmapAt + 8 * i, v.getBigUint64(8 * i, littleEndian));
  } else {
    const words = [0n, 0n, 0n, 0n];
    for (const [id] of SYNTH_FEATURES) words[id >> 6]! |= 1n << BigInt(id & 63);
    words.forEach((word, i) => w.setU64(bitmapAt + 8 * i, word));
  }
  const tableAt = w.len;
  w.zeros(16 * SYNTH_FEATURES.length);
  SYNTH_FEATURES.forEach(([, write], i) => {
    const at = w.len;
    write(w);
    w.setU64(tableAt + 16 * i, at);
    w.setU64(tableAt + 16 * i + 8, w.len - at);
  });
  return w.bytes();
}

function buildPipe(littleEndian: boolean): Uint8Array {
  const w = new Writer(littleEndian);
  w.raw(new TextEncoder().encode(littleEndian ? 'PERFILE2' : '2ELIFREP')).u64(16);
  event(w, 64, (w) => {
    attr(w);
    w.u64(7);
  });
  for (const [id, write] of SYNTH_FEATURES) {
    event(w, 80, (w) => {
      w.u64(id);
      write(w);
    });
  }
  event(w, 80, (w) => w.u64(32)); // end-of-features mark, HEADER_LAST_FEATURE of perf 6.1
  synthEvents(w, {});
  return w.bytes();
}

const SYNTH_CPU_MAPS_LE: CpuMapExpect[] = [
  ['cpu_map', -1, 24, '0000030000000300ffff000000000000'],
  ['cpu_map', -1, 24, '01000100040015000000000000000000'],
  ['cpu_map', -1, 40, '0100020008000000000001000000000000000000000000000080000000000000'],
  ['cpu_map', -1, 16, '0200010002000500'],
  ['event_update', -1, 32, '0200000000000100'],
];

function withoutOffsets(info: PerfDataInfo): CpuMapExpect[] {
  return info.cpuMapEvents.map((c) => [c.source, -1, c.size, hex(c.payloadLittleEndian)]);
}

describe('readPerfData on synthetic files of both byte orders', () => {
  // PERFDATA_WRITE_SYNTHETIC=dir writes these files out, to check them with
  // real perf (see test/fixtures/perf-data/README.md).
  const outDir = process.env['PERFDATA_WRITE_SYNTHETIC'];
  if (outDir) {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'synthetic-le.data'), buildFile(true));
    writeFileSync(join(outDir, 'synthetic-be.data'), buildFile(false));
    writeFileSync(join(outDir, 'synthetic-le-pipe.data'), buildPipe(true));
    writeFileSync(join(outDir, 'synthetic-be-pipe.data'), buildPipe(false));
  }

  const expectedFeatures = {
    hostname: 'höst-π',
    arch: 's390x',
    nrcpus: { online: 3, available: 4 },
    cmdline: ['/usr/bin/perf', 'stat', 'record'],
    cpuTopology: {
      coreSiblings: ['0-1', '2-3'],
      threadSiblings: ['0,2', '1,3'],
      dieSiblings: ['0-1', '2-3'],
      cpus: [
        { coreId: 0, socketId: 0, dieId: 0 },
        { coreId: 1, socketId: 0, dieId: 0 },
        { coreId: 0, socketId: 1, dieId: 1 },
        { coreId: 1, socketId: 1, dieId: 1 },
      ],
    },
    numaTopology: [
      { node: 0, memTotal: 8_000_000, memFree: 1_000_000, cpus: '0-1' },
      { node: 1, memTotal: 8_000_001, memFree: 1_000_001, cpus: '2-3' },
    ],
    pmuMappings: [{ type: 1, name: 'software' }],
    stat: true,
    cache: [{ level: 3, lineSize: 64, sets: 2048, ways: 16, type: 'Unified', size: '32768K', map: '0-3' }],
    hybridTopology: [
      { pmuName: 'cpu_core', cpus: '0-1' },
      { pmuName: 'cpu_atom', cpus: '2-3' },
    ],
  };

  for (const [mode, build] of [
    ['file', buildFile],
    ['pipe', buildPipe],
  ] as const) {
    describe(`${mode} mode`, () => {
      const little = readPerfData(build(true));
      const big = readPerfData(build(false));

      it('detects the byte order from the magic', () => {
        expect(little.byteOrder).toBe('little');
        expect(big.byteOrder).toBe('big');
        expect(little.mode).toBe(mode);
        expect(big.mode).toBe(mode);
      });

      it('decodes the features identically in both byte orders', () => {
        expect(little.features).toEqual(expectedFeatures);
        expect(big.features).toEqual(expectedFeatures);
        expect(big.featureSections).toEqual(little.featureSections);
        expect(big.attrs).toEqual([{ type: 1, config: 0n, ids: [7n] }]);
        expect(little.attrs).toEqual(big.attrs);
      });

      it('gives every CPU map payload converted to little endian', () => {
        expect(withoutOffsets(little)).toEqual(SYNTH_CPU_MAPS_LE);
        expect(withoutOffsets(big)).toEqual(SYNTH_CPU_MAPS_LE);
        // Offsets as perf 6.1's `perf report -D` prints them for these files (pipe: plus 16).
        const perfOffsets = mode === 'file' ? [0x100, 0x118, 0x130, 0x158, 0x188] : [0x76c, 0x784, 0x79c, 0x7c4, 0x7f4];
        const fileOffsets = perfOffsets.map((o) => o + (mode === 'pipe' ? 16 : 0));
        expect(little.cpuMapEvents.map((c) => c.offset)).toEqual(fileOffsets);
        expect(big.cpuMapEvents.map((c) => c.offset)).toEqual(fileOffsets);
        expect(big.cpuMapEvents.map((c) => c.eventId)).toEqual([undefined, undefined, undefined, undefined, 7n]);
        // The raw big-endian payloads are the stored bytes, byte-swapped per field.
        expect(big.cpuMapEvents.map((c) => hex(c.payload))).toEqual([
          '0000000300000003ffff000000000000',
          '00010001000400000015000000000000',
          '0001000200080000000000000000000000018000000000000000000000000000',
          '0002010000020005',
          '0002000000000001',
        ]);
        for (const c of little.cpuMapEvents) expect(c.payloadLittleEndian).toBe(c.payload);
        for (const c of big.cpuMapEvents) expect(c.payloadLittleEndian).not.toBe(c.payload);
      });

      it('counts events alike', () => {
        expect(big.events).toEqual(little.events);
        expect(little.events).toMatchObject({ CPU_MAP: 4, EVENT_UPDATE: 2, FINISHED_ROUND: 1 });
        if (mode === 'pipe') {
          // 10 features and the end mark; the mark is not a feature section
          expect(little.events).toMatchObject({ ATTR: 1, FEATURE: 11 });
          expect(little.featureSections).toHaveLength(10);
        }
      });
    });
  }

  it('skips the AUX data that follows an AUXTRACE event', () => {
    const info = readPerfData(buildFile(true, { auxtrace: { announced: 40, actual: 40 } }));
    expect(info.events['AUXTRACE']).toBe(1);
    expect(withoutOffsets(info)).toEqual(SYNTH_CPU_MAPS_LE);
  });

  it('rejects AUX data announced beyond the data section', () => {
    const bytes = buildFile(true, { auxtrace: { announced: 4000, actual: 40 } });
    const e = perfError(() => readPerfData(bytes, { strict: true }));
    expect(e.message).toMatch(/AUXTRACE event .* followed by 4000 bytes of data not counted in its size/);
    expect(le(bytes).getUint32(e.offset, true)).toBe(71);
    const tolerant = readPerfData(bytes);
    // the announced data runs past the end of the input
    expect(tolerant.problems.map((p) => [p.code, p.offset])).toEqual([['truncated', e.offset]]);
  });

  it('reads the feature bitmap of a big-endian writer with 32-bit words', () => {
    const info = readPerfData(buildFile(false, { bitmapWord: 4 }));
    expect(info.featureSections.map((s) => s.id)).toEqual(SYNTH_FEATURES.map(([id]) => id));
    expect(info.features).toEqual(readPerfData(buildFile(false)).features);
  });

  it('reads a header of 72 bytes (from before the feature bitmap) as having no features', () => {
    const b = buildFile(true);
    le(b).setBigUint64(8, 72n, true);
    const info = readPerfData(b);
    expect(info.headerSize).toBe(72);
    expect(info.featureSections).toEqual([]);
    expect(info.features).toEqual({});
    expect(withoutOffsets(info)).toEqual(SYNTH_CPU_MAPS_LE);
  });

  it('treats a file without NRCPUS as having no per-CPU topology ids', () => {
    const w = new Writer(true);
    w.raw(new TextEncoder().encode('PERFILE2')).u64(16);
    event(w, 80, (w) => {
      w.u64(13);
      SYNTH_FEATURES.find(([id]) => id === 13)![1](w);
    });
    const topo = readPerfData(w.bytes()).features.cpuTopology;
    expect(topo).toEqual({ coreSiblings: ['0-1', '2-3'], threadSiblings: ['0,2', '1,3'] });
  });
});

// ---------------------------------------------------------------------------
// Bad input: every failure is a PerfDataError with a useful offset, never a
// RangeError, a hang or a silent success.
// ---------------------------------------------------------------------------

describe('readPerfData on bad input, strict: the first problem is thrown', () => {
  const strict = (b: Uint8Array): PerfDataInfo => readPerfData(b, { strict: true });
  const statCpu1 = load('stat-cpu1.data'); // CPU_MAP at 392, data section [256, 608)
  const pipe = load('stat-all-cpus-pipe.data'); // CPU_MAP at 360
  const info = readPerfData(statCpu1);
  const data = info.dataSection!;
  const tableAt = data.offset + data.size;

  function patched(src: Uint8Array, patch: (v: DataView) => void): Uint8Array {
    const b = src.slice();
    patch(le(b));
    return b;
  }

  it('rejects input too short for the magic', () => {
    for (const n of [0, 1, 7]) {
      const e = perfError(() => strict(statCpu1.subarray(0, n)));
      expect(e.offset).toBe(0);
      expect(e.message).toMatch(/8-byte magic/);
    }
  });

  it('rejects a bad magic, naming what it found', () => {
    const b = patched(statCpu1, (v) => v.setUint8(7, 0x33)); // PERFILE3
    const e = perfError(() => strict(b));
    expect(e.offset).toBe(0);
    expect(e.message).toContain('expected the magic "PERFILE2"');
    expect(e.message).toContain('PERFILE3');
    expect(e.name).toBe('PerfDataError');
    expect(e).toBeInstanceOf(Error);
    const garbage = perfError(() => strict(new Uint8Array(4096).fill(0x41)));
    expect(garbage.offset).toBe(0);
  });

  it('rejects version 1 files (magic PERFFILE) as unsupported', () => {
    const b = statCpu1.slice();
    b.set(new TextEncoder().encode('PERFFILE'), 0);
    expect(perfError(() => strict(b)).message).toMatch(/version 1 .* not supported/);
  });

  it('rejects a header size that is neither 104 nor 16', () => {
    const e = perfError(() => strict(patched(statCpu1, (v) => v.setBigUint64(8, 200n, true))));
    expect(e.offset).toBe(8);
    expect(e.message).toMatch(/header size at offset 8 is 200/);
  });

  it('rejects every truncation of a file-mode file', () => {
    for (let n = 0; n < statCpu1.length; n++) {
      expect(() => strict(statCpu1.subarray(0, n)), `cut at ${n}`).toThrow(PerfDataError);
    }
  });

  it('names the structure a truncation cuts into', () => {
    const at = (n: number): PerfDataError => perfError(() => strict(statCpu1.subarray(0, n)));
    expect(at(12).offset).toBe(8); // header size field
    expect(at(60).offset).toBe(0); // the 104-byte header
    expect(at(60).message).toMatch(/file header: expected 104 bytes at offset 0, but only 60 remain/);
    expect(at(130).offset).toBe(24); // attrs section descriptor
    expect(at(data.offset + 100).offset).toBe(40); // data section descriptor
    expect(at(data.offset + 100).message).toMatch(/data section \[256, 608\) described at offset 40 ends beyond the end of the file/);
    expect(at(tableAt + 5).offset).toBe(tableAt); // feature section table
    expect(at(tableAt + 5).message).toMatch(/feature section table \(24 entries/);
    const last = info.featureSections.length - 1;
    expect(at(statCpu1.length - 1).offset).toBe(tableAt + 16 * last); // last feature's descriptor
    expect(at(statCpu1.length - 1).message).toMatch(/feature PMU_CAPS \(31\) section/);
  });

  it('accepts a pipe cut at an event boundary and rejects one inside an event, at that event', () => {
    const boundaries = [16];
    for (let pos = 16; pos < pipe.length; ) {
      pos += le(pipe).getUint16(pos + 6, true);
      boundaries.push(pos);
    }
    expect(boundaries.at(-1)).toBe(pipe.length);
    expect(perfError(() => strict(pipe.subarray(0, 12))).offset).toBe(8);
    for (let n = 16; n <= pipe.length; n++) {
      const k = boundaries.indexOf(n);
      if (k >= 0) {
        expect(readPerfData(pipe.subarray(0, n)).totalEvents, `cut at ${n}`).toBe(k);
      } else {
        const start = boundaries.filter((b) => b < n).at(-1)!;
        const e = perfError(() => strict(pipe.subarray(0, n)));
        expect(e.offset, `cut at ${n}`).toBe(start);
      }
    }
    expect(perfError(() => strict(pipe.subarray(0, 365))).message).toMatch(
      /(event header: expected 8 bytes at offset 360, but only 5 remain)/,
    );
    expect(perfError(() => strict(pipe.subarray(0, 370))).message).toMatch(
      /CPU_MAP event at offset 360 has size 16, running past the end of the file at 370/,
    );
  });

  it('rejects an event of size 0 (or below the header size) instead of looping', () => {
    for (const size of [0, 1, 7]) {
      const f = perfError(() => strict(patched(statCpu1, (v) => v.setUint16(392 + 6, size, true))));
      expect(f.offset).toBe(392);
      expect(f.message).toMatch(new RegExp(`CPU_MAP event at offset 392 has size ${size}, smaller than the 8-byte`));
      const p = perfError(() => strict(patched(pipe, (v) => v.setUint16(360 + 6, size, true))));
      expect(p.offset).toBe(360);
    }
  });

  it('rejects an event running past the end of the data section', () => {
    const e = perfError(() => strict(patched(statCpu1, (v) => v.setUint16(392 + 6, 0xfff8, true))));
    expect(e.offset).toBe(392);
    expect(e.message).toMatch(/has size 65528, running past the end of the data section at 608/);
  });

  it('rejects sections that point beyond the end of the file', () => {
    const len = statCpu1.length;
    const cases: Array<[string, (v: DataView) => void, number]> = [
      ['data offset', (v) => v.setBigUint64(40, BigInt(len), true), 40],
      ['data size', (v) => v.setBigUint64(48, 1n << 40n, true), 40],
      ['attrs offset', (v) => v.setBigUint64(24, BigInt(len - 8), true), 24],
      ['feature offset', (v) => v.setBigUint64(tableAt, BigInt(len + 100), true), tableAt],
      ['feature size', (v) => v.setBigUint64(tableAt + 16 * 4 + 8, 1n << 32n, true), tableAt + 16 * 4],
    ];
    for (const [what, patch, offset] of cases) {
      const e = perfError(() => strict(patched(statCpu1, patch)));
      expect(e.offset, what).toBe(offset);
      expect(e.message, what).toMatch(/ends beyond the end of the file \(4960 bytes\)/);
    }
    // a data size of any magnitude is a file that ends early (tolerant: its events are read)
    const hugeData = patched(statCpu1, (v) => v.setBigUint64(48, 1n << 63n, true));
    const huge = perfError(() => strict(hugeData));
    expect(huge.offset).toBe(40);
    expect(huge.code).toBe('truncated');
    expect(huge.message).toMatch(/data section \[256, \d+\) described at offset 40 ends beyond the end of the file/);
    expect(readPerfData(hugeData).cpuMapEvents.map((e) => e.offset)).toEqual([392]);
    // an offset too large for a number lies beyond the file: no events
    const far = patched(statCpu1, (v) => v.setBigUint64(40, 1n << 63n, true));
    expect(perfError(() => strict(far)).message).toMatch(/data section offset: value \d+ at offset 40 is too large/);
    expect(readPerfData(far).problems.map((p) => [p.code, p.offset])).toEqual([['bad-data-section', 40]]);
  });

  it('rejects an attrs section that is not whole entries', () => {
    const e = perfError(() => strict(patched(statCpu1, (v) => v.setBigUint64(32, 100n, true))));
    expect(e.message).toMatch(/not a whole number of entries of attr_size 144/);
  });

  it('rejects garbage inside feature sections without huge loops', () => {
    const sec = (name: string) => info.featureSections.find((s) => s.name === name)!;
    const host = sec('HOSTNAME');
    const e1 = perfError(() => strict(patched(statCpu1, (v) => v.setUint32(host.offset, 0x7fffffff, true))));
    expect(e1.offset).toBe(host.offset);
    expect(e1.message).toMatch(/feature HOSTNAME \(3\): hostname: string length 2147483647/);

    const topo = sec('CPU_TOPOLOGY');
    const e2 = perfError(() => strict(patched(statCpu1, (v) => v.setUint32(topo.offset, 0xffffffff, true))));
    expect(e2.offset).toBe(topo.offset);
    expect(e2.message).toMatch(/core siblings count: 4294967295 entries .* do not fit/);

    const nr = sec('NRCPUS');
    const e3 = perfError(() => strict(patched(statCpu1, (v) => v.setUint32(nr.offset, 1000, true))));
    expect(e3.message).toMatch(/feature CPU_TOPOLOGY \(13\): cpu\[\d+\]\.(core|socket)_id/);

    const short = perfError(() =>
      strict(patched(statCpu1, (v) => v.setBigUint64(tableAt + 16 * 4 + 8, 4n, true))),
    );
    expect(short.message).toMatch(/feature NRCPUS \(7\): nr_cpus_online: expected 4 bytes at offset \d+, but only 0 remain before the end of feature NRCPUS/);
  });

  it('rejects tracing data announced beyond the end of a pipe', () => {
    const trace = load('record-tracepoint-pipe.data');
    let at = 16;
    while (le(trace).getUint32(at, true) !== 66) at += le(trace).getUint16(at + 6, true);
    const e = perfError(() => strict(patched(trace, (v) => v.setUint32(at + 8, 0x7ffffff8, true))));
    expect(e.offset).toBe(at);
    expect(e.message).toMatch(/TRACING_DATA event .* not counted in its size/);
  });

  it('never throws anything but PerfDataError on corrupted files', () => {
    const inputs = [statCpu1, pipe, load('stat-duration-pipe.data'), buildFile(false), buildPipe(false)];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: inputs.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.option(fc.nat(), { nil: undefined }),
        (which, flips, cut) => {
          const src = inputs[which]!;
          const b = src.slice(0, cut === undefined ? src.length : cut % (src.length + 1));
          for (const [pos, val] of flips) if (b.length > 8) b[8 + (pos % (b.length - 8))] = val;
          try {
            strict(b);
          } catch (e) {
            if (!(e instanceof PerfDataError)) throw e;
            expect(e.offset).toBeGreaterThanOrEqual(0);
            expect(e.offset).toBeLessThanOrEqual(b.length);
          }
        },
      ),
      { numRuns: 2000, seed: 0x5eed },
    );
  });
});

// ---------------------------------------------------------------------------
// Damaged real files, read the default (tolerant) way: everything before the
// damage is kept and the damage is reported with its file offset.
// ---------------------------------------------------------------------------

describe('readPerfData on damaged files, tolerant (the default)', () => {
  const WITH_CPU_MAPS = ['stat-cpu1.data', 'record-all-cpus.data', 'stat-all-cpus-pipe.data', 'stat-duration-pipe.data', 'record-cpu1-pipe.data'];

  function patched(src: Uint8Array, patch: (v: DataView) => void): Uint8Array {
    const b = src.slice();
    patch(le(b));
    return b;
  }

  it.each(WITH_CPU_MAPS)('%s cut at every length keeps every CPU map event that ends before the cut', (file) => {
    const whole = load(file);
    const full = readPerfData(whole);
    expect(full.problems).toEqual([]);
    const headerSize = full.mode === 'file' ? 104 : 16;
    // every length up to 1 KB (the CPU maps lie there), then every 61st
    for (let n = 0; n < whole.length; n += n < 1024 ? 1 : 61) {
      const cut = whole.subarray(0, n);
      if (n < headerSize) {
        expect(() => readPerfData(cut), `cut at ${n}`).toThrow(PerfDataError);
        continue;
      }
      const info = readPerfData(cut);
      const before = full.cpuMapEvents.filter((e) => e.offset + e.size <= n).map((e) => e.offset);
      expect(info.cpuMapEvents.map((e) => e.offset), `cut at ${n}`).toEqual(before);
      for (const p of info.problems) {
        expect(p.offset, `cut at ${n}`).toBeGreaterThanOrEqual(0);
        expect(p.offset, `cut at ${n}`).toBeLessThanOrEqual(n);
      }
      // file mode always misses something (the feature table follows the
      // data); a pipe cut between two events is indistinguishable from a shorter pipe
      if (full.mode === 'file') expect(info.problems.length, `cut at ${n}`).toBeGreaterThan(0);
    }
  });

  it('a file cut inside its data section: the events before the cut, a truncated event, no features', () => {
    const whole = load('record-all-cpus.data'); // CPU_MAP at 800
    const data = readPerfData(whole).dataSection!;
    const info = readPerfData(whole.subarray(0, 820));
    expect(info.cpuMapEvents.map((e) => [e.offset, hex(e.payload)])).toEqual([[800, '0200000000000100']]);
    expect(info.problems.map((p) => p.code)).toEqual(['truncated', 'truncated']);
    expect(info.problems[0]!.offset).toBe(40);
    expect(info.problems[0]!.message).toMatch(new RegExp(`data section \\[${data.offset}, ${data.offset + data.size}\\) .* ends beyond the end of the file`));
    expect(info.problems[1]).toMatchObject({ code: 'truncated', offset: 816 });
    expect(info.problems[1]!.message).toMatch(/offset 816.* end of the file at 820/);
    expect(info.features).toEqual({});
  });

  it('a damaged event after the CPU_MAP: the CPU_MAP is kept, the damage reported where it is', () => {
    const whole = load('record-all-cpus.data');
    const full = readPerfData(whole);
    // the first event after the CPU_MAP at 800 (size 16), its size set to 0
    const b = patched(whole, (v) => v.setUint16(816 + 6, 0, true));
    const info = readPerfData(b);
    expect(info.cpuMapEvents.map((e) => e.offset)).toEqual([800]);
    expect(info.problems).toHaveLength(1);
    expect(info.problems[0]).toMatchObject({ code: 'bad-event', offset: 816 });
    expect(info.problems[0]!.message).toMatch(/has size 0, smaller than the 8-byte event header/);
    // the header features after the data section are all still there
    expect(info.features).toEqual(full.features);
    expect(() => readPerfData(b, { strict: true })).toThrow(/has size 0/);
  });

  it('one unreadable feature loses only that feature', () => {
    const whole = load('stat-cpu1.data');
    const full = readPerfData(whole);
    const host = full.featureSections.find((s) => s.name === 'HOSTNAME')!;
    const info = readPerfData(patched(whole, (v) => v.setUint32(host.offset, 0x7fffffff, true)));
    expect(info.problems.map((p) => [p.code, p.offset])).toEqual([['bad-feature', host.offset]]);
    const { hostname, ...rest } = full.features;
    expect(hostname).toBeDefined();
    expect(info.features).toEqual(rest);
    expect(info.cpuMapEvents).toEqual(full.cpuMapEvents);
  });

  it('a total memory above 2^53 kB is no problem: the nearest number is returned', () => {
    const whole = load('stat-cpu1.data');
    const mem = readPerfData(whole).featureSections.find((s) => s.name === 'TOTAL_MEM')!;
    const info = readPerfData(patched(whole, (v) => v.setBigUint64(mem.offset, 2n ** 60n + 1n, true)));
    expect(info.problems).toEqual([]);
    expect(info.features.totalMem).toBe(2 ** 60);
    const max = readPerfData(patched(whole, (v) => v.setBigUint64(mem.offset, 2n ** 64n - 1n, true)));
    expect(max.problems).toEqual([]);
    expect(max.features.totalMem).toBe(2 ** 64);
  });

  it('a killed perf record (data size 0) is diagnosed as such and read to the end of the file', () => {
    // record-killed.data: `perf record -e cpu-clock -F 10 -- sleep 5`, killed with SIGKILL after 1 s;
    // `perf report` refuses it ("data size field is 0 which is unexpected")
    const bytes = load('record-killed.data');
    const info = readPerfData(bytes);
    expect(info.dataSection).toEqual({ offset: 264, size: 0 });
    expect(info.problems).toHaveLength(1);
    expect(info.problems[0]).toMatchObject({ code: 'unfinished-recording', offset: 40 });
    expect(info.problems[0]!.message).toMatch(/did not finish/);
    expect(info.cpuMapEvents.map((e) => [e.source, e.offset, hex(e.payload)])).toEqual([['cpu_map', 560, '0200000000000100']]);
    expect(info.events).toEqual({ ID_INDEX: 1, MMAP: 1, EVENT_UPDATE: 2, THREAD_MAP: 1, CPU_MAP: 1, COMM: 1, FINISHED_INIT: 1 });
    expect(info.featureSections).toEqual([]);
    const e = perfError(() => readPerfData(bytes, { strict: true }));
    expect(e.code).toBe('unfinished-recording');
    expect(e.offset).toBe(40);
  });

  it('never throws on corrupted files once the header is readable; problems lie inside the input; strict throws the first', () => {
    const inputs = [load('stat-cpu1.data'), load('stat-all-cpus-pipe.data'), load('record-killed.data'), buildFile(false), buildPipe(false)];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: inputs.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        (which, flips) => {
          const b = inputs[which]!.slice();
          const headerEnd = le(b).getUint32(8, b[0] === 0x50) === 16 ? 16 : 104;
          // damage only past the header: the rest must always be read
          for (const [pos, val] of flips) b[headerEnd + (pos % (b.length - headerEnd))] = val;
          const info = readPerfData(b);
          for (const p of info.problems) {
            expect(p.offset).toBeGreaterThanOrEqual(0);
            expect(p.offset).toBeLessThanOrEqual(b.length);
          }
          // strict mode throws exactly the first problem, and only if there is one
          const first = info.problems[0];
          if (first === undefined) {
            expect(readPerfData(b, { strict: true })).toEqual(info);
          } else {
            const e = perfError(() => readPerfData(b, { strict: true }));
            expect([e.code, e.offset, e.detail]).toEqual([first.code, first.offset, first.message]);
          }
        },
      ),
      { numRuns: 1000, seed: 0x7011 },
    );
  });
});
