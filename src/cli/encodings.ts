// Names of the cpu_map_data payload types (a payload's first u16).
const ENCODINGS = ['CPUS', 'MASK', 'RANGE_CPUS'];

export function encodingName(payload: Uint8Array): string {
  const type = payload.length >= 2 ? payload[0]! | (payload[1]! << 8) : -1;
  return ENCODINGS[type] ?? `unknown type ${type}`;
}
