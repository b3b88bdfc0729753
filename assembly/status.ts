// Error status shared by every export: a failing call returns a sentinel (0 for a
// map, -1 for a length) and leaves a code and a byte offset here for the host.

export const OK: i32 = 0;
export const ENOMEM: i32 = 1;          // linear memory could not grow
export const E_SYNTAX: i32 = 2;        // unexpected character
export const E_RANGE: i32 = 3;         // cpu number at or above 32767 (or negative)
export const E_REVERSED: i32 = 4;      // range end below its start
export const E_DUPLICATE: i32 = 5;     // cpu listed twice
export const E_EMPTY: i32 = 6;         // strict: empty list
export const E_TRAILING: i32 = 7;      // strict: text libperf would silently drop
export const E_NEGATIVE: i32 = 8;      // mask of a map holding negative cpus
export const E_TRUNCATED: i32 = 9;     // payload shorter than its fields claim
export const E_BAD_TYPE: i32 = 10;     // payload type unknown
export const E_BAD_LONG_SIZE: i32 = 11;// MASK long_size not 4 or 8 (strict)
export const E_BAD_CPU: i32 = 12;      // payload cpu value out of range
export const E_BAD_ANY_CPU: i32 = 13;  // RANGE any_cpu above 1 (strict)
export const E_EMPTY_PAYLOAD: i32 = 14;// payload holds no cpu (libperf: NULL)
export const E_REFCOUNT: i32 = 15;     // get or put of a freed map
export const E_TOO_LARGE: i32 = 16;    // event would not fit its u16 size field

let code: i32 = OK;
let offset: i32 = 0;
let value: i32 = 0;

/** Record a failure: its code, the byte offset in the input, and the offending value if any. */
export function fail(c: i32, at: i32, v: i32 = 0): void {
  code = c;
  offset = at;
  value = v;
}

export function clearStatus(): void {
  code = OK;
  offset = 0;
  value = 0;
}

export function statusCode(): i32 { return code; }
export function statusOffset(): i32 { return offset; }
export function statusValue(): i32 { return value; }
