// What a subcommand is, and the registry the dispatcher reads. A command is
// one module under commands/ that calls register(); commands/index.ts
// imports each module (one line per command).
import { CpuMap } from '../index.js';

/** An option a command takes besides --json and --help (which all take): a flag and its help line. */
export interface OptionSpec {
  flag: `--${string}`;
  help: string;
}

/** What a command produced: the text lines, the --json object, and (for maps) the list and the count. */
export interface Output {
  lines: string[];
  json: Record<string, unknown>;
  list?: string;
  count?: number;
}

export interface RunContext {
  /** The command's arguments (options removed). */
  args: string[];
  /** Whether the flag (one of the command's options) was given. */
  flag(flag: OptionSpec['flag']): boolean;
  /** The argument, or standard input when it is '-' or absent (one trailing newline dropped). */
  input(arg: string | undefined): string;
  /** Parses a cpu list (strictly if the command takes --strict and it was given); the map is put when the command ends. */
  parse(list: string): CpuMap;
  /** Keeps a map to put when the command ends; returns it. */
  keep(map: CpuMap): CpuMap;
}

export interface Command {
  name: string;
  /** "parse [LIST]": how to call it. */
  synopsis: string;
  /** One line for the command list. */
  summary: string;
  /** Extra help text (examples, the input syntax). */
  details?: string;
  options: readonly OptionSpec[];
  /** Least and most arguments (most: Infinity for any number). */
  arity: [min: number, max: number];
  run(ctx: RunContext): Output;
}

const registry = new Map<string, Command>();

export function register(command: Command): void {
  registry.set(command.name, command);
}

export function findCommand(name: string): Command | undefined {
  return registry.get(name);
}

export function allCommands(): Command[] {
  return [...registry.values()];
}
