// What the inspector shows beyond the library's reader (src/perfdata.ts
// returns the CPU maps, event counts, attrs and cpu features): the events'
// names, the THREAD_MAP, and where each event lies, read from the same
// bytes. Every read is bounds-checked; a record that does not fit ends the
// walk, and everything before it is kept.
//
// Layouts (perf's tools/lib/perf/include/perf/event.h and header.c):
//   event header:   u32 type, u16 misc, u16 size (size counts the header)
//   THREAD_MAP (73): u64 nr, then nr x { u64 pid; char comm[16] }
//   EVENT_UPDATE (78): u64 type (0 UNIT, 1 SCALE, 2 NAME, 3 CPUS), u64 id, data
//   ATTR (64, pipe mode): perf_event_attr (its u32 size at +4), then u64 ids
//   EVENT_DESC feature (12, file mode): u32 nr, u32 attr_size, then nr x
//     { attr; u32 nr_ids; string (u32 len, len bytes); nr_ids x u64 id }

import { PERF_PIPE_HEADER_SIZE as PIPE_HEADER_SIZE, type PerfDataInfo } from '../src/perfdata.js';

export const PERF_RECORD_HEADER_ATTR = 64;
export const PERF_RECORD_THREAD_MAP = 73;
export const PERF_RECORD_CPU_MAP = 74;
export const PERF_RECORD_EVENT_UPDATE = 78;
const EVENT_UPDATE_NAME = 2;
const HEADER_EVENT_DESC = 12;

export interface PerfRecord { offset: number; type: number; size: number }

export interface PerfThread { pid: number; comm: string }

export interface PerfEventName {
  id: bigint;
  name: string;
  /** Where the name was read: the EVENT_DESC feature, an EVENT_UPDATE of kind NAME, or guessed from type and config. */
  from: 'event_desc' | 'event_update' | 'attr';
}

export interface PerfExtras {
  records: PerfRecord[];
  threadMaps: { offset: number; size: number; threads: PerfThread[] }[];
  /** Event names by sample id. */
  names: Map<bigint, PerfEventName>;
  /** The event list: one entry per attr, with its name and ids. */
  events: { name: string; type: number; config: bigint; ids: bigint[]; from: PerfEventName['from'] }[];
}

class Bytes {
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array, private readonly le: boolean) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get length(): number { return this.bytes.length; }
  fits(at: number, n: number): boolean { return at >= 0 && n >= 0 && at + n <= this.bytes.length; }
  u16(at: number): number { return this.view.getUint16(at, this.le); }
  u32(at: number): number { return this.view.getUint32(at, this.le); }
  u64(at: number): bigint { return this.view.getBigUint64(at, this.le); }
  i64(at: number): bigint { return this.view.getBigInt64(at, this.le); }
  /** A NUL-terminated string in [at, at + max). */
  str(at: number, max: number): string {
    let s = '';
    for (let i = at; i < at + max && i < this.bytes.length; i++) {
      const b = this.bytes[i]!;
      if (b === 0) break;
      s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '?';
    }
    return s;
  }
}

/** The events of `bytes` in [start, end), up to the first one that does not fit. */
export function wholeRecords(bytes: Uint8Array, littleEndian: boolean, start: number, end: number): PerfRecord[] {
  return walk(new Bytes(bytes, littleEndian), start, end);
}

function walk(r: Bytes, start: number, end: number): PerfRecord[] {
  const out: PerfRecord[] = [];
  let pos = start;
  const stop = Math.min(end, r.length);
  while (pos + 8 <= stop) {
    const type = r.u32(pos);
    const size = r.u16(pos + 6);
    if (size < 8 || pos + size > stop) break;
    out.push({ offset: pos, type, size });
    pos += size;
  }
  return out;
}

const HARDWARE = ['cycles', 'instructions', 'cache-references', 'cache-misses', 'branches', 'branch-misses',
  'bus-cycles', 'stalled-cycles-frontend', 'stalled-cycles-backend', 'ref-cycles'];
const SOFTWARE = ['cpu-clock', 'task-clock', 'page-faults', 'context-switches', 'cpu-migrations', 'minor-faults',
  'major-faults', 'alignment-faults', 'emulation-faults', 'dummy', 'bpf-output', 'cgroup-switches'];

/** A name from an attr's type and config, when the file names none. */
function attrName(type: number, config: bigint): string {
  const c = Number(config);
  if (type === 0 && HARDWARE[c]) return HARDWARE[c]!;
  if (type === 1 && SOFTWARE[c]) return SOFTWARE[c]!;
  if (type === 2) return `tracepoint ${c}`;
  return `type ${type}, config 0x${config.toString(16)}`;
}

/** Names from the EVENT_DESC feature (file mode). */
function eventDesc(r: Bytes, info: PerfDataInfo, names: Map<bigint, PerfEventName>, list: PerfExtras['events']): void {
  const sec = info.featureSections.find((f) => f.id === HEADER_EVENT_DESC);
  if (sec === undefined || !r.fits(sec.offset, 8)) return;
  const end = Math.min(r.length, sec.offset + sec.size);
  const nr = r.u32(sec.offset);
  const attrSize = r.u32(sec.offset + 4);
  let at = sec.offset + 8;
  for (let i = 0; i < nr; i++) {
    if (at + attrSize + 8 > end || attrSize < 16) return;
    const type = r.u32(at);
    const config = r.u64(at + 8);
    at += attrSize;
    const nrIds = r.u32(at);
    const len = r.u32(at + 4);
    if (at + 8 + len + nrIds * 8 > end) return;
    const name = r.str(at + 8, len);
    at += 8 + len;
    const ids: bigint[] = [];
    for (let k = 0; k < nrIds; k++) ids.push(r.u64(at + k * 8));
    at += nrIds * 8;
    for (const id of ids) names.set(id, { id, name, from: 'event_desc' });
    list.push({ name, type, config, ids, from: 'event_desc' });
  }
}

export function readExtras(bytes: Uint8Array, info: PerfDataInfo): PerfExtras {
  const r = new Bytes(bytes, info.byteOrder === 'little');
  const records = info.mode === 'pipe'
    ? walk(r, PIPE_HEADER_SIZE, r.length)
    : info.dataSection ? walk(r, info.dataSection.offset, info.dataSection.offset + info.dataSection.size) : [];
  const names = new Map<bigint, PerfEventName>();
  const events: PerfExtras['events'] = [];
  const threadMaps: PerfExtras['threadMaps'] = [];

  eventDesc(r, info, names, events);
  for (const rec of records) {
    if (rec.type === PERF_RECORD_EVENT_UPDATE && rec.size >= 24 && r.u64(rec.offset + 8) === BigInt(EVENT_UPDATE_NAME)) {
      const id = r.u64(rec.offset + 16);
      if (!names.has(id)) names.set(id, { id, name: r.str(rec.offset + 24, rec.size - 24), from: 'event_update' });
    } else if (rec.type === PERF_RECORD_THREAD_MAP && rec.size >= 16) {
      const nr = Number(r.u64(rec.offset + 8));
      const threads: PerfThread[] = [];
      for (let i = 0; i < nr && rec.offset + 16 + (i + 1) * 24 <= rec.offset + rec.size; i++) {
        const at = rec.offset + 16 + i * 24;
        threads.push({ pid: Number(r.i64(at)), comm: r.str(at + 8, 16) });
      }
      threadMaps.push({ offset: rec.offset, size: rec.size, threads });
    }
  }
  // the event list from the attrs, when EVENT_DESC gave none (pipe mode)
  if (events.length === 0) {
    for (const a of info.attrs) {
      const named = a.ids.map((id) => names.get(id)).find((n) => n !== undefined);
      events.push({ name: named?.name ?? attrName(a.type, a.config), type: a.type, config: a.config, ids: a.ids,
        from: named ? named.from : 'attr' });
      if (!named) for (const id of a.ids) names.set(id, { id, name: attrName(a.type, a.config), from: 'attr' });
    }
  }
  return { records, threadMaps, names, events };
}

/** An event's offset and size as `perf report -D` prints them: "0x120@file [0x10]", "0x158@pipe [0x20]" (16 less in pipe mode). */
export function perfDumpOffset(offset: number, size: number, mode: 'file' | 'pipe', fileName: string): string {
  const at = mode === 'pipe' ? `0x${(offset - PIPE_HEADER_SIZE).toString(16)}@pipe` : `0x${offset.toString(16)}@${fileName}`;
  return `${at} [0x${size.toString(16)}]`;
}

/**
 * The cpus perf's MASK writer lost: it sizes the mask from the largest cpu
 * (words = ceil(max / 32)) instead of the largest + 1, so a largest cpu that
 * is a positive multiple of 32 has its bit written in the word after the
 * last one `nr` counts, where no reader looks. Those bits are read here.
 */
export function maskLostCpus(payloadLittleEndian: Uint8Array): { nr: number; lost: number[] } {
  const p = payloadLittleEndian;
  if (p.length < 6) return { nr: 0, lost: [] };
  const v = new DataView(p.buffer, p.byteOffset, p.byteLength);
  if (v.getUint16(0, true) !== 1) return { nr: 0, lost: [] };
  const nr = v.getUint16(2, true);
  const longSize = v.getUint16(4, true);
  const wordBytes = longSize === 4 ? 4 : 8;
  const start = (longSize === 4 ? 6 : 10) + nr * wordBytes;
  const lost: number[] = [];
  // the word after the last counted one, as much of it as the event holds
  for (let b = 0; b < wordBytes && start + b < p.length; b++) {
    const byte = p[start + b]!;
    for (let bit = 0; bit < 8; bit++) if (byte & (1 << bit)) lost.push((nr * wordBytes + b) * 8 + bit);
  }
  return { nr, lost };
}
