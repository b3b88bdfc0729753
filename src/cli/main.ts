// cpumap: the dispatcher. Options are read, the command found and run, and
// everything is printed at the end, in one write, only on success. A failure
// prints one line on stderr and sets the exit status (2 usage, 1 bad input).
// Every map a command makes is put before the run ends.

import { CpuMap, CpuMapError } from '../index.js';
import { PACKAGE_VERSION } from '../generated/package-version.js';
import { findCommand, type Command, type CommandOption, type Options, type Output, type RunContext } from './command.js';
import { EXIT_BAD_INPUT, EXIT_USAGE, InputError, UsageError } from './errors.js';
import { commandUsage, usage } from './help.js';
import { proc, readStdin } from './host.js';
import './commands/index.js';

const FLAGS: Record<string, keyof Options | 'help' | 'version'> = {
  '--json': 'json', '--strict': 'strict', '--lenient': 'lenient', '--list': 'list', '--count': 'count',
  '--help': 'help', '-h': 'help', '--version': 'version',
};

interface CommandLine { options: Options; help: boolean; version: boolean; words: string[] }

function readCommandLine(argv: string[]): CommandLine {
  const cl: CommandLine = {
    options: { json: false, strict: false, lenient: false, list: false, count: false }, help: false, version: false, words: [],
  };
  let optionsDone = false;
  for (const a of argv) {
    const flag = optionsDone ? undefined : FLAGS[a];
    if (optionsDone) cl.words.push(a);
    else if (a === '--') optionsDone = true;
    else if (flag === 'help' || flag === 'version') cl[flag] = true;
    else if (flag !== undefined) cl.options[flag] = true;
    else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a} (put -- before a list that starts with '-')`);
    else cl.words.push(a);
  }
  return cl;
}

function checkOptions(c: Command, o: Options): void {
  for (const name of ['strict', 'lenient', 'list', 'count'] as const satisfies readonly CommandOption[]) {
    if (o[name] && !c.options.includes(name)) throw new UsageError(`--${name} is not an option of ${c.name}`);
  }
  const only = [o.json && '--json', o.list && '--list', o.count && '--count'].filter(Boolean);
  if (only.length > 1) throw new UsageError(`${only.join(' and ')} exclude each other`);
}

function input(arg: string | undefined): string {
  if (arg !== undefined && arg !== '-') return arg;
  return readStdin().replace(/\r?\n$/, '');
}

function runCommand(c: Command, args: string[], options: Options): Output {
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
  const ctx: RunContext = { args, options, input, keep, parse: (list) => keep(CpuMap.parse(list, { strict: options.strict })) };
  try {
    return c.run(ctx);
  } finally {
    for (const m of maps) m.put();
  }
}

function render(out: Output, o: Options): string {
  if (o.json) return `${JSON.stringify(out.json)}\n`;
  if (o.count) return `${out.count}\n`;
  if (o.list) return `${out.list}\n`;
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
  checkOptions(c, cl.options);
  return render(runCommand(c, args, cl.options), cl.options);
}

/** The first line of a message: the CLI reports in one line. */
function oneLine(message: string): string {
  return message.split('\n', 1)[0]!;
}

export function main(argv: string[]): void {
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
