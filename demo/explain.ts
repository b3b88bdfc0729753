// How libperf reads a cpu list, token by token: a walk of the grammar of
// perf_cpu_map__new (what the wasm parser implements), written out so the
// page can show what each piece of the text became, what was ignored and
// why, and what strict parsing would say. Plain TypeScript, no DOM: the
// playground worker runs it. test/e2e/explain-agrees.test.ts checks its
// verdicts against CpuMap.parse on many inputs, so the two cannot drift.

export type TokenKind =
  | 'number'    // a cpu number (the start of a range, or a single cpu)
  | 'dash'      // '-' between the two ends of a range
  | 'end'       // the number after '-'
  | 'skipped'   // white space or a '+'/'-' sign before a range's end (strtoul skips it)
  | 'no-end'    // nothing readable after '-': the end counts as 0 (zero width)
  | 'separator' // ',' or a newline
  | 'ignored'   // text libperf never looks at
  | 'error';    // the character where parsing failed

export interface Token {
  kind: TokenKind;
  /** UTF-16 indices into the input, end exclusive. */
  start: number;
  end: number;
  /** For number and end tokens: the value read, and how it was spelled. */
  value?: number;
  base?: 8 | 10 | 16;
  /** One sentence: what libperf did with this piece. */
  note: string;
}

export type ErrorCode = 'ESYNTAX' | 'ERANGE' | 'EREVERSED' | 'EDUPLICATE' | 'EEMPTY' | 'ETRAILING';

export type Verdict =
  | { ok: true; any: boolean; cpus: number }
  | { ok: false; code: ErrorCode; position: number };

export interface Explanation {
  tokens: Token[];
  verdict: Verdict;
  /** Ranges read, in the order of the text (before sorting). */
  ranges: [number, number][];
  /** Why the rest of the text was not read, when some of it was not. */
  ignoredFrom?: number;
}

/** The parser accepts cpus 0..32766. */
const LIMIT = 32767;
/** Stands for any value strtoul saturates or wraps (always out of range). */
const HUGE = 2 ** 40;

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
function digitValue(c: string | undefined): number {
  if (c === undefined) return -1;
  const k = c.toLowerCase();
  if (k >= '0' && k <= '9') return k.charCodeAt(0) - 48;
  if (k >= 'a' && k <= 'f') return k.charCodeAt(0) - 87;
  return -1;
}

export function describeChar(c: string | undefined): string {
  if (c === undefined) return 'the end of the list';
  if (c === ' ') return 'a space';
  if (c === '\t') return 'a tab';
  if (c === '\n') return 'a newline';
  if (c === '\r') return 'a carriage return';
  if (c === '\0') return 'a NUL byte';
  const code = c.charCodeAt(0);
  if (code < 0x20 || code === 0x7f) return `the control character 0x${code.toString(16).padStart(2, '0')}`;
  return `'${c}'`;
}

interface NumberRead {
  /** Where the digits start (after skipped space and sign), and where reading stopped. */
  digitsAt: number;
  next: number;
  value: number;
  base: 8 | 10 | 16;
  /** No digits: strtoul returns 0 and leaves the position where it was. */
  none: boolean;
}

/**
 * strtoul(s + p, &end, 0): automatic base (0x hex, a leading 0 octal, else
 * decimal). `afterDash` also skips white space and one sign first, as
 * strtoul does; libperf only gets there for a range's end.
 */
function readNumber(s: string, p: number, end: number, afterDash: boolean): NumberRead {
  let q = p;
  let negative = false;
  if (afterDash) {
    while (q < end && isSpace(s[q])) q++;
    if (q < end && (s[q] === '+' || s[q] === '-')) { negative = s[q] === '-'; q++; }
  }
  const digitsAt = q;
  let base: 8 | 10 | 16 = 10;
  if (s[q] === '0' && q < end) {
    base = 8;
    if (q + 2 < end && (s[q + 1] === 'x' || s[q + 1] === 'X') && digitValue(s[q + 2]) >= 0) { base = 16; q += 2; }
  }
  let v = 0;
  const first = q;
  while (q < end) {
    const d = digitValue(s[q]);
    if (d < 0 || d >= base) break;
    if (v < HUGE) v = v * base + d;
    q++;
  }
  if (q === first) return { digitsAt, next: p, value: 0, base, none: true };
  if (v > HUGE) v = HUGE;
  if (negative && v !== 0) v = HUGE; // strtoul negates in unsigned arithmetic: a huge value
  return { digitsAt, next: q, value: v, base, none: false };
}

function spelled(n: NumberRead, text: string): string {
  if (n.value >= HUGE) return `'${text}' is far too large`;
  if (n.base === 16) return `'${text}' is hexadecimal (0x prefix): ${n.value}`;
  if (n.base === 8 && text.length > 1) return `'${text}' is octal (a leading 0 means base 8 in C): ${n.value}`;
  return `${n.value}`;
}

/** Walk `s` as perf_cpu_map__new does; `strict` adds the library's strict rules. */
export function explain(s: string, strict = false): Explanation {
  const tokens: Token[] = [];
  const ranges: [number, number][] = [];
  const fail = (code: ErrorCode, position: number, note: string, from = position): Explanation => {
    tokens.push({ kind: 'error', start: from, end: Math.min(s.length, Math.max(from + 1, position + 1)), note });
    return { tokens, ranges, verdict: { ok: false, code, position } };
  };

  // libperf reads a C string: a NUL byte ends it (strict mode reads it as a character)
  let end = s.length;
  if (!strict) {
    const nul = s.indexOf('\0');
    if (nul >= 0) end = nul;
  }
  const ignoreRest = (from: number, why: string): void => {
    if (from < s.length) tokens.push({ kind: 'ignored', start: from, end: s.length, note: why });
  };
  const nulNote = 'after a NUL byte: libperf reads a C string, which ends there';

  if (end === 0) {
    if (strict) return fail('EEMPTY', 0, 'strict parsing rejects an empty list (libperf reads it as the any-cpu map)');
    ignoreRest(0, nulNote);
    return { tokens, ranges, verdict: { ok: true, any: true, cpus: 0 }, ignoredFrom: s.length > 0 ? 0 : undefined };
  }
  if (!isDigit(s[0])) {
    const why = isSpace(s[0])
      ? 'libperf does not skip leading white space: a list must start with a digit (this page does not trim what you type, as perf would not)'
      : `a list must start with a digit, not ${describeChar(s[0])}`;
    return fail('ESYNTAX', 0, why);
  }

  const seen = new Uint8Array(LIMIT);
  let count = 0;
  let p = 0;
  while (p < end && isDigit(s[p])) {
    const item = p;
    const first = readNumber(s, p, end, false);
    const firstText = s.slice(item, first.next);
    if (first.value >= LIMIT) {
      return fail('ERANGE', item, `${spelled(first, firstText)}: cpus go from 0 to 32766`, item);
    }
    tokens.push({ kind: 'number', start: item, end: first.next, value: first.value, base: first.base,
      note: first.base === 10 ? `cpu ${first.value}` : `${spelled(first, firstText)}` });
    p = first.next;
    let c = p < end ? s[p] : undefined;
    if (c !== undefined && c !== ',' && c !== '-' && c !== '\n') {
      const why = c === ' ' || c === '\t'
        ? `${describeChar(c)} after a number: libperf does not allow white space there (and this page does not trim it)`
        : first.base === 8 && (c === '8' || c === '9')
          ? `${describeChar(c)} is not an octal digit: a number starting with 0 is octal`
          : `${describeChar(c)} after a number: only ',', '-', a newline or the end may follow`;
      return fail('ESYNTAX', p, why);
    }
    let last = first.value;
    if (c === '-') {
      tokens.push({ kind: 'dash', start: p, end: p + 1, note: 'a range: the end follows' });
      p++;
      const at = p;
      if (strict && (p >= end || !isDigit(s[p]))) {
        return fail('ESYNTAX', p, `strict parsing wants a digit right after '-', not ${describeChar(p < end ? s[p] : undefined)}`);
      }
      const second = readNumber(s, p, end, true);
      if (second.digitsAt > at && !second.none) {
        tokens.push({ kind: 'skipped', start: at, end: second.digitsAt,
          note: `strtoul skips ${JSON.stringify(s.slice(at, second.digitsAt))} before the range's end (white space and one sign)` });
      }
      if (second.value >= LIMIT) {
        return fail('ERANGE', at, `the range's end ${spelled(second, s.slice(second.digitsAt, second.next))}: cpus go from 0 to 32766`, at);
      }
      if (second.none) {
        tokens.push({ kind: 'no-end', start: at, end: at,
          note: `no number after '-': strtoul reads nothing and returns 0, so the range ends at 0` });
      } else {
        const endText = s.slice(second.digitsAt, second.next);
        tokens.push({ kind: 'end', start: second.digitsAt, end: second.next, value: second.value, base: second.base,
          note: second.base === 10 ? `the range ends at cpu ${second.value}` : `the range ends at ${spelled(second, endText)}` });
      }
      last = second.value;
      p = second.next;
      c = p < end ? s[p] : undefined;
      if (c !== undefined && c !== ',' && c !== '\n') {
        return fail('ESYNTAX', p, c === ' ' || c === '\t'
          ? `${describeChar(c)} after a range: libperf does not allow white space there (and this page does not trim it)`
          : `${describeChar(c)} after a range: only ',', a newline or the end may follow`);
      }
      if (last < first.value) {
        return fail('EREVERSED', item, `the range ${first.value}-${last} ends below its start${second.none ? ' (a missing end counts as 0)' : ''}`, item);
      }
    }
    for (let v = first.value; v <= last; v++) {
      if (seen[v]) return fail('EDUPLICATE', item, `cpu ${v} was already listed: libperf rejects duplicates and overlaps`, item);
      seen[v] = 1;
    }
    ranges.push([first.value, last]);
    count += last - first.value + 1;
    if (p < end) {
      const sep = p;
      tokens.push({ kind: 'separator', start: sep, end: sep + 1,
        note: c === '\n' ? 'a newline separates items like a comma (perf reads sysfs lists that end with one)' : 'separator' });
      p++;
      if (p < end && !isDigit(s[p])) {
        if (strict) {
          return fail('ETRAILING', p, `strict parsing rejects ${describeChar(s[p])} after a separator (libperf would silently ignore the rest)`);
        }
        tokens.push({ kind: 'ignored', start: p, end, note:
          `${describeChar(s[p])} after a separator does not start a number: libperf stops here and ignores the rest, without an error` });
        if (end < s.length) ignoreRest(end, nulNote);
        return { tokens, ranges, verdict: { ok: true, any: false, cpus: count }, ignoredFrom: p };
      }
      if (p >= end && strict && c !== '\n') {
        return fail('ETRAILING', sep, `strict parsing rejects a list that ends with ${describeChar(c)} (libperf ignores it)`, sep);
      }
    }
  }
  if (end < s.length) ignoreRest(end, nulNote);
  return { tokens, ranges, verdict: { ok: true, any: false, cpus: count }, ignoredFrom: end < s.length ? end : undefined };
}
