#!/usr/bin/env node
// cpumap: parse, combine, encode and decode Linux perf cpu maps from a shell.
//
// Everything is printed at the end, in one write, and only on success: on an
// error stdout stays empty, the message goes to stderr and the exit code is 1.
// Every map the command makes is put before it returns.

import { CpuMap, CpuMapError, eventPayload } from './index.js';
import { runTopologyCli } from './topology/cli.js';

// The few Node globals used here, typed locally: the package's build has no
// @types/node, and this file must compile in both configurations.
interface CliProcess {
  argv: string[];
  exitCode?: number | string;
  stdout: { write(s: string): boolean };
  stderr: { write(s: string): boolean };
}
const proc = (globalThis as unknown as { process: CliProcess }).process;

const USAGE = `usage: cpumap <command> [options] [--] <arguments>

Linux perf's cpu maps (libperf's perf_cpu_map), as perf parses and prints them.

commands:
  parse LIST           the canonical list, the number of cpus and the hex mask
  merge A B            the union of two lists
  intersect A B        the cpus common to two lists
  online               this machine's online cpus
  encode LIST          the PERF_RECORD_CPU_MAP event perf writes for LIST (hex)
  decode HEX           read a PERF_RECORD_CPU_MAP event or its payload (hex)
  topology [...]       cpus grouped by socket/die/cluster/cache/core/node, as
                       perf stat prints them (cpumap topology --help)

options:
  --kernel             read lists in the kernel's syntax (sysfs, cgroups:
                       "0-31:2/4", "N", "all", an empty line)
  --strict             reject what perf silently ignores in a list
                       ("0, 1", "1,,2", "0,", "1- 3", "0-", "")
  --lenient            (decode) accept what perf reads but the format forbids
                       (long_size other than 4 or 8, any_cpu above 1)
  -h, --help           this help

A LIST is perf's cpu list syntax: "0-3,8", "0x10", "1\\n". The empty list is
the any-cpu map (-1). Put -- before a list that starts with '-'.

examples:
  cpumap parse 0-3,8        list 0-3,8 / count 5 / mask 10f
  cpumap merge 0-3 2-5      list 0-5 / count 6
  cpumap encode 0,2-20      encoding MASK / event 4a00...
`;

class UsageError extends Error {}

const ENCODINGS = ['CPUS', 'MASK', 'RANGE_CPUS'];

/** The name of a payload's type field (its first u16). */
function encodingName(payload: Uint8Array): string {
  const type = payload.length >= 2 ? payload[0]! | (payload[1]! << 8) : -1;
  return ENCODINGS[type] ?? `unknown type ${type}`;
}

function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** Hex text to bytes: white space, ':' and a leading 0x are allowed. */
function fromHex(text: string): Uint8Array {
  const t = text.replace(/^0x/i, '').replace(/[\s:]/g, '');
  if (t.length === 0) throw new UsageError('decode: no hex digits given');
  const bad = /[^0-9a-fA-F]/.exec(t);
  if (bad) throw new UsageError(`decode: '${bad[0]}' is not a hex digit`);
  if (t.length % 2 !== 0) throw new UsageError(`decode: odd number of hex digits (${t.length})`);
  const out = new Uint8Array(t.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(t.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** "list …" and "count …" lines. */
function describeList(m: CpuMap): string[] {
  return [`list ${m.nr === 0 ? '(empty)' : m.toString()}`, `count ${m.nr}`];
}

/** The mask line, or why there is none. */
function describeMask(m: CpuMap): string {
  if (m.toArray().some((c) => c < 0)) {
    return 'mask none (the map holds -1, "any cpu", which has no bit in a mask)';
  }
  return `mask ${m.toMask()}`;
}

interface Options { strict: boolean; lenient: boolean; kernel: boolean; help: boolean; args: string[] }

function parseArgs(argv: string[]): Options {
  const o: Options = { strict: false, lenient: false, kernel: false, help: false, args: [] };
  let optionsDone = false;
  for (const a of argv) {
    if (optionsDone) o.args.push(a);
    else if (a === '--') optionsDone = true;
    else if (a === '--strict') o.strict = true;
    else if (a === '--lenient') o.lenient = true;
    else if (a === '--kernel') o.kernel = true;
    else if (a === '-h' || a === '--help') o.help = true;
    else if (a.startsWith('-') && a !== '-') {
      throw new UsageError(`unknown option ${a} (put -- before a list that starts with '-')`);
    }
    else o.args.push(a);
  }
  return o;
}

/** Runs `cpumap argv…`; returns what to print on stdout, or throws. */
function run(argv: string[]): string {
  const o = parseArgs(argv);
  if (o.help) return USAGE;
  const [command, ...args] = o.args;
  if (command === undefined) throw new UsageError('no command given');

  const want = (n: number, names: string): void => {
    if (args.length !== n) {
      throw new UsageError(`${command} takes ${names}, got ${args.length} argument${args.length === 1 ? '' : 's'}`);
    }
  };
  if (o.lenient && command !== 'decode') throw new UsageError('--lenient is for decode');
  if ((o.strict || o.kernel) && command !== 'parse' && command !== 'merge' && command !== 'intersect' && command !== 'encode') {
    throw new UsageError(`${o.strict ? '--strict' : '--kernel'} is not for ${command}`);
  }

  // every map made below is put in the finally block
  const maps: CpuMap[] = [];
  const keep = (m: CpuMap): CpuMap => {
    maps.push(m);
    return m;
  };
  const parse = (list: string): CpuMap => keep(CpuMap.parse(list, { strict: o.strict, dialect: o.kernel ? 'kernel' : 'libperf' }));
  try {
    switch (command) {
      case 'parse': {
        want(1, 'one LIST');
        const m = parse(args[0]!);
        return [...describeList(m), describeMask(m)].join('\n') + '\n';
      }
      case 'merge':
      case 'intersect': {
        want(2, 'two LISTs');
        const a = parse(args[0]!);
        const b = parse(args[1]!);
        const r = keep(command === 'merge' ? a.merge(b) : a.intersect(b));
        return describeList(r).join('\n') + '\n';
      }
      case 'online': {
        want(0, 'no arguments');
        const m = keep(CpuMap.online());
        return [...describeList(m), describeMask(m)].join('\n') + '\n';
      }
      case 'encode': {
        want(1, 'one LIST');
        const event = parse(args[0]!).encode();
        return `encoding ${encodingName(event.subarray(8))}\nevent ${toHex(event)}\n`;
      }
      case 'decode': {
        want(1, 'one HEX string');
        const bytes = fromHex(args[0]!);
        const m = keep(CpuMap.decode(bytes, { lenient: o.lenient }));
        return [`encoding ${encodingName(eventPayload(bytes))}`, ...describeList(m)].join('\n') + '\n';
      }
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } finally {
    for (const m of maps) m.put();
  }
}

function main(): void {
  if (proc.argv[2] === 'topology') return runTopologyCli(proc.argv.slice(3), proc);
  let out: string;
  try {
    out = run(proc.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      proc.stderr.write(`cpumap: ${e.message}\nTry 'cpumap --help'.\n`);
    } else if (e instanceof CpuMapError) {
      proc.stderr.write(`cpumap: ${e.message}\n`);
    } else {
      throw e;
    }
    proc.exitCode = 1;
    return;
  }
  proc.stdout.write(out);
}

main();
