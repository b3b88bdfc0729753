// A plain model of libperf's cpumap, written from docs/contract.md (section
// numbers below are its own) alone (not from the wasm code), for the property
// tests to compare against. The parser and the two text forms are the
// plain-JS benchmark peer's (bench/src/pure-ts.mjs): the same obvious code,
// kept once.
//
// A map is a readonly array of cpu numbers; libperf's NULL is `null`. Every
// function follows the contract's wording step by step, without any
// cleverness, so that it is obviously right; speed does not matter here.

import { listText, maskText, parseCpus, readNumber } from '../bench/src/pure-ts.mjs';

export type Model = readonly number[] | null;

/** §1: the parser accepts cpus 0..32766. */
export const LIMIT = 32767;
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** §3.1 perf_cpu_map__new(list) for a non-NULL list: the sorted cpus, or null (the plain-JS peer's parser). */
export function parseLenient(input: string): Model {
  const cpus = parseCpus(input);
  return cpus && Array.from(cpus);
}

/**
 * The port's strict mode (src/cpumap.ts ParseOptions): libperf's grammar, but
 * also rejecting the empty list, NUL bytes, anything after a separator that
 * does not start a number (a final newline excepted) and a range end that
 * does not start with a digit. Where it accepts, the map is libperf's.
 */
export function parseStrict(s: string): Model {
  if (s === '' || s.includes('\0')) return null;
  const lenient = parseLenient(s);
  if (lenient === null) return null;
  // walk the text libperf consumed, looking for what it would have dropped
  let p = 0;
  while (p < s.length && isDigit(s[p])) {
    p = readNumber(s, p, s.length).end;
    if (s[p] === '-') {
      p++;
      if (!isDigit(s[p])) return null;
      p = readNumber(s, p, s.length).end;
    }
    if (p < s.length) {
      const sep = s[p];
      p++;
      if (p === s.length ? sep !== '\n' : !isDigit(s[p])) return null;
    }
  }
  return lenient;
}

// ---- §4 queries, literally ----

export const nr = (m: Model): number => (m === null ? 1 : m.length);
export const cpu = (m: Model, i: number): number => (m === null || i < 0 || i >= m.length ? -1 : m[i]!);

export function idx(m: Model, c: number): number {
  if (m === null) return -1;
  let low = 0;
  let high = m.length;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    const v = m[mid]!;
    if (v === c) return mid;
    if (v > c) high = mid;
    else low = mid + 1;
  }
  return -1;
}

export const has = (m: Model, c: number): boolean => idx(m, c) !== -1;

export function min(m: Model): number {
  for (let i = 0; i < nr(m); i++) if (cpu(m, i) !== -1) return cpu(m, i);
  return -1;
}

export const max = (m: Model): number => (m === null ? -1 : m.length === 0 ? -1 : m[m.length - 1]!);

export function equal(a: Model, b: Model): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (a.length !== b.length) return false;
  return a.every((v, i) => v === b[i]);
}

/** "Is b contained in a", by libperf's cursor walk. */
export function isSubset(a: Model, b: Model): boolean {
  if (a === b || b === null) return true;
  if (a === null || b.length > a.length) return false;
  if (b.length === 0) return true;
  let j = 0;
  for (const v of a) {
    if (v > b[j]!) return false;
    if (v === b[j]) {
      j++;
      if (j === b.length) return true;
    }
  }
  return false;
}

/** §5.1: which object `*orig` refers to afterwards, and its cpus. */
export function merge(a: Model, b: Model): { result: Model; which: 'orig' | 'other' | 'new' } {
  if (isSubset(a, b)) return { result: a, which: 'orig' };
  if (isSubset(b, a)) return { result: b, which: 'other' };
  const all = [...a!, ...b!];
  return { result: [...new Set(all)].sort((x, y) => x - y), which: 'new' };
}

/** §5.2: the result and which object it is (NULL counts as 'new' when nothing is common). */
export function intersect(a: Model, b: Model): { result: Model; which: 'orig' | 'other' | 'new' } {
  if (isSubset(b, a)) return { result: a, which: 'orig' };
  if (isSubset(a, b)) return { result: b, which: 'other' };
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a!.length && j < b!.length) {
    if (a![i]! < b![j]!) i++;
    else if (a![i]! > b![j]!) j++;
    else {
      out.push(a![i]!);
      i++;
      j++;
    }
  }
  return { result: out.length === 0 ? null : out, which: 'new' };
}

// ---- §6 text ----

/** §6.1 cpu_map__snprint: runs of +1 steps as "a-b", joined by commas; NULL as [-1]. */
export const snprint = (m: Model): string => listText(m ?? [-1]);

/** §6.2 cpu_map__snprint_mask for sorted maps of cpus ≥ 0 (the port throws otherwise). */
export const snprintMask = (m: readonly number[]): string => maskText(m)!;

// ---- §7 payloads ----

const roundUp8 = (n: number): number => Math.ceil(n / 8) * 8;

/**
 * §7.2 perf_event__synthesize_cpu_map, with the port's fix: the choice uses
 * upstream's ceil(hi/32), but a MASK carries ceil((hi+1)/32) words.
 */
export function synthesize(m: Model): Uint8Array {
  const n = nr(m);
  const any = cpu(m, 0) === -1 ? 1 : 0;
  const lo = cpu(m, any);
  const hi = max(m);
  let payload: number[];
  const u16 = (v: number): number[] => [v & 0xff, (v >> 8) & 0xff];
  const u32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
  const cpusSize = 2 + 2 + 2 * n;
  const maskSize = 2 + 4 + 4 * Math.ceil(hi / 32);
  if (hi - lo + 1 === n - any) {
    payload = [...u16(2), any, 0, ...u16(lo & 0xffff), ...u16(hi & 0xffff)];
  } else if (any || cpusSize < maskSize) {
    payload = [...u16(0), ...u16(n)];
    for (let i = 0; i < n; i++) payload.push(...u16(cpu(m, i) & 0xffff));
  } else {
    const words = new Array<number>(Math.ceil((hi + 1) / 32)).fill(0);
    for (const c of m!) words[Math.floor(c / 32)] = (words[Math.floor(c / 32)]! | (1 << (c % 32))) >>> 0;
    payload = [...u16(1), ...u16(words.length), ...u16(4)];
    for (const w of words) payload.push(...u32(w));
  }
  const size = 8 + roundUp8(payload.length);
  const event = new Uint8Array(size);
  event.set([74, 0, 0, 0, 0, 0, size & 0xff, size >> 8]);
  event.set(payload, 8);
  return event;
}

/**
 * §7.4 cpu_map__new_data (lenient, like perf) on a payload that holds all the
 * bytes its fields claim; `undefined` where perf would read past the payload
 * (the port rejects those; upstream's behaviour is undefined).
 */
export function newData(p: Uint8Array): Model | undefined {
  const u16 = (o: number): number | undefined => (o + 2 <= p.length ? p[o]! | (p[o + 1]! << 8) : undefined);
  const type = u16(0);
  if (type === undefined) return undefined;
  if (type === 0) {
    const n = u16(2);
    if (n === undefined || 4 + 2 * n > p.length) return undefined;
    if (n === 0) return null;
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const v = u16(4 + 2 * i)!;
      if (v === 0xffff) out.push(-1);
      else if (v >= LIMIT) return null;
      else out.push(v);
    }
    return out;
  }
  if (type === 1) {
    const n = u16(2);
    const longSize = u16(4);
    if (n === undefined || longSize === undefined) return undefined;
    if (longSize !== 4 && longSize !== 8) return null; // newer perf's rule (docs/contract.md §7.4)
    const bits = longSize === 4 ? 32 : 64;
    const base = longSize === 4 ? 6 : 10;
    if (n > 0 && base + n * (bits / 8) > p.length) return undefined;
    const out: number[] = [];
    for (let w = 0; w < n; w++) {
      for (let b = 0; b < bits; b++) {
        const byte = p[base + w * (bits / 8) + (b >> 3)]!;
        if (byte & (1 << (b & 7))) out.push(w * bits + b);
      }
    }
    if (out.length === 0) return null;
    if (out.some((c) => c >= LIMIT)) return null;
    return out;
  }
  if (type === 2) {
    if (p.length < 8) return undefined;
    const any = p[2]!;
    const start = u16(4)!;
    const end = u16(6)!;
    if (start >= LIMIT || end >= LIMIT) return null;
    if (end < start - 1) return undefined; // undefined upstream
    const n = end - start + 1 + any;
    if (n === 0) return null;
    const out = new Array<number>(n).fill(-1);
    for (let c = start; c <= end; c++) out[c - start + (any ? 1 : 0)] = c;
    return out;
  }
  return null;
}

// ---- helpers shared by the tests ----

export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function unhex(s: string): Uint8Array {
  const t = s.replace(/\s+/g, '');
  if (t.length % 2 !== 0) throw new Error(`odd hex: ${s}`);
  const out = new Uint8Array(t.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(t.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** a..b inclusive. */
export function range(a: number, b: number): number[] {
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}
