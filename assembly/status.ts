// The status of the last call. One rule for every export (index.ts): it
// starts by clearing the code, and a call that fails returns its sentinel
// (0 for a map or a reference count, -1 for a length or put's count left) and leaves here
//   code:   why (the constants below; the host maps them by these names),
//   offset: the byte offset in the call's input (cpu list text or payload)
//           where the fault is; 0 when the call had no input bytes,
//   value:  the offending number from the input or the map (a character, a
//           cpu, a field's value, an entry count); 0 when there is none.
// The codes are exported as wasm globals (STATUS_*), so the host reads
// their values from the module instead of repeating them.

export const STATUS_OK: i32 = 0;
export const STATUS_ENOMEM: i32 = 1;        // linear memory could not grow
export const STATUS_ESYNTAX: i32 = 2;       // cpu list: unexpected character
export const STATUS_ERANGE: i32 = 3;        // cpu list: cpu at or above CPU_LIMIT
export const STATUS_EREVERSED: i32 = 4;     // range (list or RANGE payload) ending below its start
export const STATUS_EDUPLICATE: i32 = 5;    // cpu list: cpu listed twice
export const STATUS_EEMPTY: i32 = 6;        // strict cpu list: empty
export const STATUS_ETRAILING: i32 = 7;     // strict cpu list: text libperf would silently drop
export const STATUS_ENEGATIVE: i32 = 8;     // hex mask of a map holding a negative cpu
export const STATUS_ETRUNCATED: i32 = 9;    // payload shorter than its fields claim
export const STATUS_EBADTYPE: i32 = 10;     // payload type unknown
export const STATUS_EBADLONGSIZE: i32 = 11; // MASK long_size not 4 or 8
export const STATUS_EBADCPU: i32 = 12;      // payload cpu at or above CPU_LIMIT
export const STATUS_EBADANYCPU: i32 = 13;   // strict RANGE payload: any_cpu above 1
export const STATUS_EMPTY_PAYLOAD: i32 = 14;// a valid payload holding no cpu (libperf: NULL)
export const STATUS_EREFCOUNT: i32 = 15;    // get or put of a block that is not a live map
export const STATUS_ETOOLARGE: i32 = 16;    // event would not fit its u16 size field

let code: i32 = STATUS_OK;
let offset: i32 = 0;
let value: i32 = 0;

export function fail(c: i32, at: i32, v: i32): void {
  code = c;
  offset = at;
  value = v;
}

/** Out of memory: no input position, no value. */
export function failNoMemory(): void { fail(STATUS_ENOMEM, 0, 0); }

/** The first thing every export does. */
@inline export function begin(): void { code = STATUS_OK; }

export function statusCode(): i32 { return code; }
export function statusOffset(): i32 { return code == STATUS_OK ? 0 : offset; }
export function statusValue(): i32 { return code == STATUS_OK ? 0 : value; }
