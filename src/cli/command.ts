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
  /** Parses a cpu list (as --strict and --kernel say); the map is put when the command ends. */
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

/**
 * A command that reads its own arguments and writes its own output (exit
 * status included): it gets everything after its name untouched.
 */
export interface PassthroughCommand {
  name: string;
  synopsis: string;
  summary: string;
  /** Its whole help text (cpumap help NAME). */
  usage: string;
  passthrough(argv: string[]): void;
}

export type AnyCommand = Command | PassthroughCommand;

export function isPassthrough(c: AnyCommand): c is PassthroughCommand {
  return 'passthrough' in c;
}

const registry = new Map<string, AnyCommand>();

export function register(command: AnyCommand): void {
  registry.set(command.name, command);
}

export function findCommand(name: string): AnyCommand | undefined {
  return registry.get(name);
}

export function allCommands(): AnyCommand[] {
  return [...registry.values()];
}

/** The commands the dispatcher runs (not the passthrough ones). */
export function dispatchedCommands(): Command[] {
  return allCommands().filter((c): c is Command => !isPassthrough(c));
}
