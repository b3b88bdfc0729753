/**
 * Byte order of `struct perf_record_cpu_map_data` payloads (spec section
 * 7.1). The payload is packed; every field is in the writer's byte order, and
 * which fields exist depends on the leading u16 type, so a foreign-endian
 * payload is converted field by field. Fields that do not fit entirely inside
 * the payload are left as they are: judging them is the decoder's job.
 */

const CPU_MAP_CPUS = 0;
const CPU_MAP_MASK = 1;
const CPU_MAP_RANGE = 2;

function swap16(b: Uint8Array, at: number): void {
  if (at + 2 > b.length) return;
  const t = b[at]!;
  b[at] = b[at + 1]!;
  b[at + 1] = t;
}

function swapN(b: Uint8Array, at: number, n: number): void {
  if (at + n > b.length) return;
  for (let i = 0, j = n - 1; i < j; i++, j--) {
    const t = b[at + i]!;
    b[at + i] = b[at + j]!;
    b[at + j] = t;
  }
}

function readU16LE(b: Uint8Array, at: number): number | undefined {
  return at + 2 <= b.length ? b[at]! | (b[at + 1]! << 8) : undefined;
}

/**
 * Returns the payload converted to little endian. For a little-endian file
 * the payload itself is returned; for a big-endian one a converted copy.
 */
export function cpuMapPayloadToLittleEndian(payload: Uint8Array, littleEndian: boolean): Uint8Array {
  if (littleEndian) return payload;
  const b = payload.slice();
  swap16(b, 0);
  const type = readU16LE(b, 0);
  switch (type) {
    case CPU_MAP_CPUS: {
      swap16(b, 2);
      const nr = readU16LE(b, 2) ?? 0;
      for (let i = 0; i < nr; i++) swap16(b, 4 + 2 * i);
      break;
    }
    case CPU_MAP_MASK: {
      swap16(b, 2);
      swap16(b, 4);
      const nr = readU16LE(b, 2) ?? 0;
      const longSize = readU16LE(b, 4);
      if (longSize === 4) {
        for (let i = 0; i < nr; i++) swapN(b, 6 + 4 * i, 4);
      } else if (longSize === 8) {
        for (let i = 0; i < nr; i++) swapN(b, 10 + 8 * i, 8);
      }
      break;
    }
    case CPU_MAP_RANGE:
      // u8 any_cpu and u8 padding need no swapping.
      swap16(b, 4);
      swap16(b, 6);
      break;
    default:
      break;
  }
  return b;
}
