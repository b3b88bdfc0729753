// Every failure the library reports is a CpuMapError with a stable `code`;
// the messages are made here and nowhere else.

export type CpuMapErrorCode =
  | 'ESYNTAX'      // cpu list: unexpected character
  | 'ERANGE'       // cpu number outside 0..32766 (or outside the i16 range)
  | 'EREVERSED'    // range whose end is below its start
  | 'EDUPLICATE'   // cpu listed twice
  | 'EEMPTY'       // strict parse of an empty list
  | 'ETRAILING'    // strict parse: text libperf would silently ignore
  | 'ENEGATIVE'    // hex mask of a map holding -1 or another negative value
  | 'ENOMEM'       // linear memory cannot grow (see configure({ maxMemory }))
  | 'ETRUNCATED'   // payload shorter than its fields claim
  | 'EBADTYPE'     // payload of an unknown type
  | 'EBADLONGSIZE' // MASK payload whose long_size is not 4 or 8
  | 'EBADCPU'      // payload holding a cpu at or above 32767
  | 'EBADANYCPU'   // RANGE payload whose any_cpu is above 1
  | 'ETOOLARGE'    // event would not fit its u16 size field
  | 'EINDEX'       // index outside 0..nr-1
  | 'EPUT'         // a map used or put after its last reference was put
  | 'EINSTANCE'    // a map from another wasm instance
  | 'EREFCOUNT'    // the wasm core refused a get, put or refcount of a block that is not a live map
  | 'EREFCHECK'    // the reference checker found a bug (RefCheckError: double put, use after put, leak...)
  | 'ECONFIG';     // configure() called with bad options, or too late

export interface CpuMapErrorDetails {
  /** The text that was parsed (cpu lists). */
  input?: string;
  /** Index in `input` (UTF-16 units) where the fault is. */
  position?: number;
  /** Payload field at fault, named as in perf's headers (`nr`, `long_size`, `cpu[3]`...). */
  field?: string;
  /** Byte offset of that field in the payload. */
  offset?: number;
  /** The offending value, where there is one. */
  value?: number;
}

export class CpuMapError extends Error implements CpuMapErrorDetails {
  readonly code: CpuMapErrorCode;
  // declared, not defined: only the details that apply become properties
  declare readonly input?: string;
  declare readonly position?: number;
  declare readonly field?: string;
  declare readonly offset?: number;
  declare readonly value?: number;

  constructor(code: CpuMapErrorCode, message: string, details: CpuMapErrorDetails = {}) {
    super(message);
    this.name = 'CpuMapError';
    this.code = code;
    Object.assign(this, details);
  }
}

function describeChar(c: number): string {
  if (c < 0) return 'end of the list';
  if (c >= 0x20 && c < 0x7f) return `'${String.fromCharCode(c)}'`;
  return `byte 0x${c.toString(16).padStart(2, '0')}`;
}

const PARSE_REASONS: Partial<Record<CpuMapErrorCode, (value: number) => string>> = {
  ESYNTAX: (c) => `unexpected ${describeChar(c)}`,
  ERANGE: (v) => `cpu ${v >= 0x7fffffff ? 'number too large' : v} is out of range (cpus are 0 to 32766)`,
  EREVERSED: (v) => `range ends at ${v}, below its start`,
  EDUPLICATE: (v) => `cpu ${v} is listed twice`,
  EEMPTY: () => 'empty cpu list',
  ETRAILING: (c) => `${describeChar(c)} after a separator (libperf would ignore the rest of the list)`,
};

/** UTF-16 index in `s` of its UTF-8 byte offset `byte`. */
function indexOfByte(s: string, byte: number): number {
  let b = 0;
  let i = 0;
  while (i < s.length && b < byte) {
    const c = s.charCodeAt(i);
    if (c < 0x80) b += 1;
    else if (c < 0x800) b += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) { b += 4; i++; }
    else b += 3;
    i++;
  }
  return i;
}

function escapeChar(ch: string): string {
  const c = ch.charCodeAt(0);
  if (ch === '\n') return '\\n';
  if (ch === '\t') return '\\t';
  if (ch === '\r') return '\\r';
  if (c < 0x20 || c === 0x7f) return `\\x${c.toString(16).padStart(2, '0')}`;
  return ch;
}

/** The input shown on one line with a caret under `position` (long inputs cut around it). */
export function pointAt(input: string, position: number): string {
  const from = Math.max(0, position - 40);
  const to = Math.min(input.length, position + 40);
  let line = from > 0 ? '…' : '';
  let caret = from > 0 ? 1 : 0;
  for (let i = from; i < to; i++) {
    const shown = escapeChar(input[i]!);
    if (i < position) caret += shown.length;
    line += shown;
  }
  if (to < input.length) line += '…';
  return `  ${line}\n  ${' '.repeat(caret)}^`;
}

export function parseError(code: CpuMapErrorCode, input: string, byteOffset: number, value: number): CpuMapError {
  const position = indexOfByte(input, byteOffset);
  const reason = PARSE_REASONS[code]?.(value) ?? code;
  const message = `invalid cpu list at position ${position}: ${reason}\n${pointAt(input, position)}`;
  const details: CpuMapErrorDetails = { input, position };
  if (code !== 'ESYNTAX' && code !== 'ETRAILING' && code !== 'EEMPTY') details.value = value;
  return new CpuMapError(code, message, details);
}

const PAYLOAD_REASONS: Partial<Record<CpuMapErrorCode, (field: string, value: number) => string>> = {
  ETRUNCATED: (field, v) => field === 'type'
    ? `payload of ${v} bytes is too short to hold its type`
    : `${field} (${v}) needs more bytes than the payload holds`,
  EBADTYPE: (_f, v) => `unknown payload type ${v} (expected 0 CPUS, 1 MASK or 2 RANGE_CPUS)`,
  EBADLONGSIZE: (_f, v) => `long_size ${v} is not 4 or 8`,
  EBADCPU: (field, v) => `${field} holds cpu ${v}, outside 0..32766`,
  EBADANYCPU: (_f, v) => `any_cpu ${v} is not 0 or 1`,
  EREVERSED: (_f, v) => `end_cpu ${v} is below start_cpu`,
};

/** Field of a CPU_MAP payload at `offset`, named as in perf's event.h. */
export function payloadField(type: number, offset: number): string {
  if (offset === 0) return 'type';
  if (type === 0) return offset === 2 ? 'nr' : `cpu[${(offset - 4) >> 1}]`;
  if (type === 1) {
    if (offset === 2) return 'nr';
    if (offset === 4) return 'long_size';
    return offset >= 10 ? `mask64[${(offset - 10) >> 3}]` : `mask32[${(offset - 6) >> 2}]`;
  }
  if (type === 2) return ['type', 'type', 'any_cpu', 'any_cpu', 'start_cpu', 'start_cpu', 'end_cpu'][offset] ?? 'end_cpu';
  return 'type';
}

export function payloadError(code: CpuMapErrorCode, type: number, offset: number, value: number): CpuMapError {
  let field = payloadField(type, offset);
  // the mask word index depends on long_size, which payloadField cannot see
  if (code === 'EBADCPU' && type === 1) field = `mask word at offset ${offset}`;
  const reason = PAYLOAD_REASONS[code]?.(field, value) ?? code;
  return new CpuMapError(code, `invalid CPU_MAP payload: ${reason} (field ${field}, offset ${offset})`,
    { field, offset, value });
}

/** A fault of cpumap-wasm itself (a wasm status the host does not know, ...): never a user error. */
export function internalError(what: string): Error {
  return new Error(`cpumap-wasm internal error: ${what}`);
}

export function outOfMemory(what: string): CpuMapError {
  return new CpuMapError('ENOMEM', `${what}: out of wasm memory (raise configure({ maxMemory }) or put unused maps)`);
}

export function usedAfterPut(access: string): CpuMapError {
  return new CpuMapError('EPUT',
    `${access}: this map's last reference was already put (enable CPUMAP_REFCHECK=1 to see where)`);
}

export function otherInstance(access: string): CpuMapError {
  return new CpuMapError('EINSTANCE', `${access}: the map belongs to another cpumap-wasm instance`);
}

export function notAMap(access: string, what: unknown): TypeError {
  return new TypeError(`${access}: expected a CpuMap, got ${describeValue(what)}`);
}

export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 20 ? v.slice(0, 20) + '…' : v)}`;
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : `the number ${v}`;
  if (typeof v === 'object') return `an object (${Object.prototype.toString.call(v).slice(8, -1)})`;
  return typeof v;
}
