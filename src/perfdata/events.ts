/**
 * Walking a stream of perf events: the data section of a file-mode
 * perf.data, or everything after the 16-byte header of a pipe-mode one.
 * Every event starts with `struct perf_event_header { u32 type; u16 misc;
 * u16 size; }`, size counting the header. Sizes need not be multiples of 8
 * (pipe-mode FEATURE events are not).
 */
import { ByteReader } from './byteReader.js';
import { cpuMapPayloadToLittleEndian } from './cpuMapPayload.js';
import { PerfDataError } from './error.js';
import { featureSection } from './features.js';
import {
  PERF_EVENT_UPDATE__CPUS,
  PERF_RECORD_AUXTRACE,
  PERF_RECORD_CPU_MAP,
  PERF_RECORD_EVENT_UPDATE,
  PERF_RECORD_HEADER_ATTR,
  PERF_RECORD_HEADER_FEATURE,
  PERF_RECORD_HEADER_TRACING_DATA,
  PERF_RECORD_STAT_CONFIG,
  eventTypeName,
} from './names.js';
import type { PerfDataProblemCode, Problems } from './problems.js';
import type { PerfAttr, PerfCpuMapEvent, PerfFeatureSection, PerfStatConfigEvent } from './types.js';

export const EVENT_HEADER_SIZE = 8;
/** PERF_ATTR_SIZE_VER0: what an attr.size of 0 stands for. */
export const PERF_ATTR_SIZE_VER0 = 64;

export interface EventStreamContents {
  events: Record<string, number>;
  totalEvents: number;
  cpuMapEvents: PerfCpuMapEvent[];
  statConfigEvents: PerfStatConfigEvent[];
  /** Feature data carried by FEATURE events (offset/size of the data after the u64 id). */
  featureSections: PerfFeatureSection[];
  /** perf_event_attrs carried by ATTR events. */
  attrs: PerfAttr[];
}

function requireEventSize(pos: number, size: number, min: number, name: string, what: string): void {
  if (size < min) {
    throw new PerfDataError(
      `${name} event at offset ${pos} has size ${size}, too small for its ${min}-byte ${what}`,
      pos,
    );
  }
}

/**
 * Reads a perf_event_attr of `room` available bytes at `at`: u32 type,
 * u32 size (0 meaning 64), u64 config. Returns the attr and its size.
 */
export function readAttr(r: ByteReader, at: number, room: number, what: string): { attr: PerfAttr; attrSize: number } {
  const limit = at + room;
  const type = r.u32(at, `${what}: type`, limit, `end of ${what}`);
  const declared = r.u32(at + 4, `${what}: size`, limit, `end of ${what}`);
  const attrSize = declared === 0 ? PERF_ATTR_SIZE_VER0 : declared;
  if (attrSize < 16 || attrSize > room) {
    throw new PerfDataError(
      `${what}: perf_event_attr size ${declared} at offset ${at + 4} does not fit the ${room} bytes available`,
      at + 4,
    );
  }
  const config = r.u64n(at + 8, `${what}: config`, limit, `end of ${what}`);
  return { attr: { type, config, ids: [] }, attrSize };
}

/** What one event adds to the contents; returns where the next event starts. Throws PerfDataError on contents that do not fit. */
function readEvent(r: ByteReader, out: EventStreamContents, pos: number, type: number, size: number, name: string): number {
  const le = r.littleEndian;
  const evEnd = pos + size;
  switch (type) {
    case PERF_RECORD_CPU_MAP: {
      const payload = r.bytes.subarray(pos + EVENT_HEADER_SIZE, evEnd);
      out.cpuMapEvents.push({
        source: 'cpu_map',
        offset: pos,
        size,
        payload,
        payloadLittleEndian: cpuMapPayloadToLittleEndian(payload, le),
      });
      return evEnd;
    }
    case PERF_RECORD_EVENT_UPDATE: {
      requireEventSize(pos, size, 24, name, 'header, u64 type and u64 id');
      const kind = r.u64n(pos + 8, 'EVENT_UPDATE type', evEnd);
      if (kind === BigInt(PERF_EVENT_UPDATE__CPUS)) {
        const eventId = r.u64n(pos + 16, 'EVENT_UPDATE id', evEnd);
        const payload = r.bytes.subarray(pos + 24, evEnd);
        out.cpuMapEvents.push({
          source: 'event_update',
          offset: pos,
          size,
          payload,
          payloadLittleEndian: cpuMapPayloadToLittleEndian(payload, le),
          eventId,
        });
      }
      return evEnd;
    }
    case PERF_RECORD_STAT_CONFIG: {
      // u64 nr, then nr { u64 tag; u64 val; }: the entries that fit are read
      requireEventSize(pos, size, 16, name, 'header and u64 nr');
      const nr = r.u64n(pos + 8, 'STAT_CONFIG nr', evEnd);
      const entries: PerfStatConfigEvent['entries'] = [];
      for (let at = pos + 16, i = 0n; i < nr && at + 16 <= evEnd; at += 16, i++) {
        entries.push({ tag: r.u64n(at, 'STAT_CONFIG tag', evEnd), value: r.u64n(at + 8, 'STAT_CONFIG value', evEnd) });
      }
      out.statConfigEvents.push({ offset: pos, nr, entries });
      return evEnd;
    }
    case PERF_RECORD_HEADER_FEATURE: {
      requireEventSize(pos, size, 16, name, 'header and u64 feature id');
      const id = r.u64n(pos + 8, 'FEATURE id', evEnd);
      const idNum = id > 0xffffn ? 0xffff : Number(id);
      out.featureSections.push(featureSection(idNum, pos + 16, size - 16));
      return evEnd;
    }
    case PERF_RECORD_HEADER_ATTR: {
      const body = pos + EVENT_HEADER_SIZE;
      const { attr, attrSize } = readAttr(r, body, size - EVENT_HEADER_SIZE, `ATTR event at offset ${pos}`);
      for (let at = body + attrSize; at + 8 <= evEnd; at += 8) attr.ids.push(r.u64n(at, 'ATTR id', evEnd));
      out.attrs.push(attr);
      return evEnd;
    }
    case PERF_RECORD_HEADER_TRACING_DATA: {
      // The tracing data follows the event and is not counted in its size.
      requireEventSize(pos, size, 12, name, 'header and u32 size');
      const dataSize = r.u32(pos + 8, 'TRACING_DATA size', evEnd);
      return evEnd + Math.ceil(dataSize / 8) * 8;
    }
    case PERF_RECORD_AUXTRACE: {
      // So does the AUX area data of an AUXTRACE event.
      requireEventSize(pos, size, 16, name, 'header and u64 size');
      return evEnd + r.u64(pos + 8, 'AUXTRACE size', evEnd);
    }
    default:
      return evEnd;
  }
}

/**
 * Walks the events in [start, end). An event whose size does not fit ends
 * the walk (nothing after it can be found); one whose contents do not fit is
 * counted, reported and stepped over. Problems go to `problems`.
 */
export function walkEvents(r: ByteReader, start: number, end: number, regionName: string, problems: Problems): EventStreamContents {
  const out: EventStreamContents = {
    events: {},
    totalEvents: 0,
    cpuMapEvents: [],
    statConfigEvents: [],
    featureSections: [],
    attrs: [],
  };
  const limitName = `end of the ${regionName}`;
  /** 'truncated' when the input itself ends before `needEnd`. */
  const cutOrBad = (needEnd: number): PerfDataProblemCode => (needEnd > r.length ? 'truncated' : 'bad-event');
  let pos = start;
  while (pos < end) {
    if (pos + EVENT_HEADER_SIZE > end) {
      const e = problemAt(() => r.need(pos, EVENT_HEADER_SIZE, 'event header', end, limitName));
      problems.add(cutOrBad(pos + EVENT_HEADER_SIZE), e.detail, e.offset);
      break;
    }
    const type = r.u32(pos, 'event header type', end, limitName);
    const size = r.u16(pos + 6, 'event header size', end, limitName);
    const name = eventTypeName(type);
    if (size < EVENT_HEADER_SIZE) {
      problems.add('bad-event',
        `${name} event at offset ${pos} has size ${size}, smaller than the 8-byte event header ` +
          '(a reader trusting it would never advance)',
        pos);
      break;
    }
    if (pos + size > end) {
      problems.add(cutOrBad(pos + size),
        `${name} event at offset ${pos} has size ${size}, running past the ${limitName} at ${end} ` +
          `(${end - pos} bytes remain)`,
        pos);
      break;
    }
    out.events[name] = (out.events[name] ?? 0) + 1;
    out.totalEvents++;
    const evEnd = pos + size;
    const next = problems.attempt('bad-event', () => readEvent(r, out, pos, type, size, name)) ?? evEnd;
    if (next > end) {
      problems.add(cutOrBad(next),
        `${name} event at offset ${pos} is followed by ${next - evEnd} bytes of data not counted in its size, ` +
          `running past the ${limitName} at ${end}`,
        pos);
      break;
    }
    pos = next;
  }
  return out;
}

/** The PerfDataError `check` throws (it must throw one). */
function problemAt(check: () => void): PerfDataError {
  try {
    check();
  } catch (e) {
    if (e instanceof PerfDataError) return e;
    throw e;
  }
  throw new Error('expected a PerfDataError');
}
