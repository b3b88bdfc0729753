// Options shared by several commands. A command lists the options it takes
// (these or its own OptionSpec) in its `options`; --json, --help and
// --version are everyone's and handled by the dispatcher.
import type { OptionSpec } from './command.js';

export const STRICT: OptionSpec = {
  flag: '--strict', help: 'reject what perf silently ignores in a list ("0, 1", "1,,2", "0,", "")',
};
export const KERNEL: OptionSpec = {
  flag: '--kernel', help: 'read lists in the kernel\'s syntax (sysfs, cgroups: "0-31:2/4", "N", "all", an empty line)',
};
export const LENIENT: OptionSpec = {
  flag: '--lenient', help: 'read payloads perf reads but the format forbids (long_size not 4 or 8, any_cpu above 1)',
};
/** Output selection: the dispatcher prints Output.list instead of the lines. */
export const LIST: OptionSpec = { flag: '--list', help: 'print only the canonical list (an empty line for the empty map)' };
/** Output selection: the dispatcher prints Output.count instead of the lines. */
export const COUNT: OptionSpec = { flag: '--count', help: 'print only the number of cpus' };

/** The options of commands that read cpu lists. */
export const LIST_INPUT: readonly OptionSpec[] = [STRICT, KERNEL];

/** The options of commands whose result is a map. */
export const MAP_OUTPUT: readonly OptionSpec[] = [LIST, COUNT];
