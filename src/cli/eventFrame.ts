// What hex bytes given to `cpumap decode` are: a PERF_RECORD_CPU_MAP event
// (type 74), a PERF_RECORD_EVENT_UPDATE (type 78) carrying cpus, or a bare
// cpu_map_data payload. Little endian, as perf writes on x86 and arm64.
import { InputError } from './errors.js';

const PERF_RECORD_CPU_MAP = 74;
const PERF_RECORD_EVENT_UPDATE = 78;
/** EVENT_UPDATE kinds (u64 after the header); only CPUS carries a map. */
const UPDATE_KINDS = ['UNIT', 'SCALE', 'NAME', 'CPUS'];
const UPDATE_CPUS = 3;

export interface Framed {
  /** 'CPU_MAP', 'EVENT_UPDATE', or null for a bare payload. */
  event: 'CPU_MAP' | 'EVENT_UPDATE' | null;
  /** EVENT_UPDATE: the sample id it applies to (decimal text: a u64). */
  eventId?: string;
  payload: Uint8Array;
}

function u32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

function u64(b: Uint8Array, at: number): bigint {
  return BigInt(u32(b, at)) | (BigInt(u32(b, at + 4)) << 32n);
}

/** Checks header.size against the bytes given; names a truncated event as such. */
function eventSize(b: Uint8Array, name: string, minimum: number): number {
  const size = b[6]! | (b[7]! << 8);
  if (size < minimum) throw new InputError(`invalid ${name} event: header.size ${size} is smaller than its ${minimum}-byte fixed part`);
  if (size > b.length) throw new InputError(`truncated ${name} event: header.size says ${size} bytes, only ${b.length} given`);
  return size;
}

export function frame(bytes: Uint8Array): Framed {
  // a payload's first u16 is its type (0..2): it never reads as 74 or 78
  const type = bytes.length >= 8 ? u32(bytes, 0) : -1;
  if (type === PERF_RECORD_CPU_MAP) {
    return { event: 'CPU_MAP', payload: bytes.subarray(8, eventSize(bytes, 'CPU_MAP', 8)) };
  }
  if (type === PERF_RECORD_EVENT_UPDATE) {
    if (bytes.length < 24) throw new InputError(`truncated EVENT_UPDATE event: ${bytes.length} bytes, its header, type and id take 24`);
    const size = eventSize(bytes, 'EVENT_UPDATE', 24);
    const kind = u64(bytes, 8);
    if (kind !== BigInt(UPDATE_CPUS)) {
      const name = UPDATE_KINDS[Number(kind)] ?? `unknown kind ${kind}`;
      throw new InputError(`EVENT_UPDATE event of kind ${name} carries no cpu map (only kind CPUS, 3, does)`);
    }
    return { event: 'EVENT_UPDATE', eventId: u64(bytes, 16).toString(), payload: bytes.subarray(24, size) };
  }
  return { event: null, payload: bytes };
}
