// cpumap: the dispatcher. Options are read, the command found and run, and
// everything is printed at the end, in one write, only on success. A failure
// prints one line on stderr and sets the exit status (2 usage, 1 bad input).
// Every map a command makes is put before the run ends.

import { CpuMap, CpuMapError } from '../index.js';
import { PACKAGE_VERSION } from '../generated/package-version.js';
import { dispatchedCommands, findCommand, isPassthrough, type Command, type Output, type RunContext } from './command.js';
import { EXIT_BAD_INPUT, EXIT_USAGE, InputError, UsageError } from './errors.js';
import { commandUsage, usage } from './help.js';
import { proc, readStdin } from './host.js';
import { COUNT, KERNEL, LIST, STRICT } from './options.js';
import './commands/index.js';

/** What the dispatcher reads from the command line before it knows the command. */
interface CommandLine {
  json: boolean;
  help: boolean;
  version: boolean;
  /** Every other option given, as written (--strict ...). */
  flags: Set<string>;
  words: string[];
}

function readCommandLine(argv: string[]): CommandLine {
  const cl: CommandLine = { json: false, help: false, version: false, flags: new Set(), words: [] };
  let optionsDone = false;
  for (const a of argv) {
    if (optionsDone) cl.words.push(a);
    else if (a === '--') optionsDone = true;
    else if (a === '--json') cl.json = true;
    else if (a === '--help' || a === '-h') cl.help = true;
    else if (a === '--version') cl.version = true;
    else if (a.startsWith('-') && a !== '-') cl.flags.add(a);
    else cl.words.push(a);
  }
  return cl;
}

/** Every flag must be one of the command's options; --json, --list and --count pick one output. */
function checkFlags(c: Command, cl: CommandLine): void {
  for (const flag of cl.flags) {
    if (c.options.some((o) => o.flag === flag)) continue;
    if (dispatchedCommands().some((other) => other.options.some((o) => o.flag === flag))) {
      throw new UsageError(`${flag} is not an option of ${c.name}`);
    }
    throw new UsageError(`unknown option ${flag} (put -- before a list that starts with '-')`);
  }
  const outputs = [cl.json && '--json', cl.flags.has(LIST.flag) && LIST.flag, cl.flags.has(COUNT.flag) && COUNT.flag].filter(Boolean);
  if (outputs.length > 1) throw new UsageError(`${outputs.join(' and ')} exclude each other`);
}

function input(arg: string | undefined): string {
  if (arg !== undefined && arg !== '-') return arg;
  return readStdin().replace(/\r?\n$/, '');
}

function runCommand(c: Command, args: string[], flags: ReadonlySet<string>): Output {
  const [min, max] = c.arity;
  if (args.length < min || args.length > max) {
    const takes = max === 0 ? 'no arguments' : max === min ? `${min} argument${min === 1 ? '' : 's'}` : `at most ${max} argument${max === 1 ? '' : 's'}`;
    throw new UsageError(`${c.name} takes ${takes}, got ${args.length}`);
  }
  const maps: CpuMap[] = [];
  const keep = (m: CpuMap): CpuMap => {
    maps.push(m);
    return m;
  };
  const options = { strict: flags.has(STRICT.flag), dialect: flags.has(KERNEL.flag) ? 'kernel' as const : 'libperf' as const };
  const ctx: RunContext = {
    args, input, keep, flag: (flag) => flags.has(flag), parse: (list) => keep(CpuMap.parse(list, options)),
  };
  try {
    return c.run(ctx);
  } finally {
    for (const m of maps) m.put();
  }
}

function render(out: Output, cl: CommandLine): string {
  if (cl.json) return `${JSON.stringify(out.json)}\n`;
  if (cl.flags.has(COUNT.flag)) return `${out.count}\n`;
  if (cl.flags.has(LIST.flag)) return `${out.list}\n`;
  return `${out.lines.join('\n')}\n`;
}

/** Runs `cpumap argv…`; returns what to print on stdout, or throws. */
export function run(argv: string[]): string {
  const cl = readCommandLine(argv);
  const [name, ...args] = cl.words;
  if (cl.version) return `${PACKAGE_VERSION}\n`;
  if (name === 'help' || (cl.help && name === undefined)) {
    if (name === 'help' && args[0] !== undefined) {
      const c = findCommand(args[0]);
      if (c === undefined) throw new UsageError(`no command ${JSON.stringify(args[0])}`);
      return commandUsage(c);
    }
    return usage();
  }
  if (name === undefined) throw new UsageError('no command given');
  const c = findCommand(name);
  if (c === undefined) throw new UsageError(`unknown command ${JSON.stringify(name)}`);
  if (cl.help) return commandUsage(c);
  // main() runs a passthrough command when its name comes first
  if (isPassthrough(c)) throw new UsageError(`put options after ${c.name}: cpumap ${c.name} [options]`);
  checkFlags(c, cl);
  return render(runCommand(c, args, cl.flags), cl);
}

/**
 * A message in one line: its first line, and a parenthesized hint if one
 * follows (a list error's other lines echo the input under a caret).
 */
function oneLine(message: string): string {
  const [first, ...rest] = message.split('\n');
  const hints = rest.map((l) => l.trim()).filter((l) => l.startsWith('(') && l.endsWith(')'));
  return [first, ...hints].join(' ');
}

export function main(argv: string[]): void {
  const named = argv[0] === undefined ? undefined : findCommand(argv[0]);
  if (named !== undefined && isPassthrough(named)) {
    named.passthrough(argv.slice(1));
    return;
  }
  let out: string;
  try {
    out = run(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      proc.stderr.write(`cpumap: ${oneLine(e.message)} (see cpumap --help)\n`);
      proc.exitCode = EXIT_USAGE;
    } else if (e instanceof CpuMapError || e instanceof InputError) {
      proc.stderr.write(`cpumap: ${oneLine(e.message)}\n`);
      proc.exitCode = EXIT_BAD_INPUT;
    } else {
      throw e;
    }
    return;
  }
  proc.stdout.write(out);
}
