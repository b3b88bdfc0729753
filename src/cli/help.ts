// The usage text: the command list comes from the registry.
import { allCommands, dispatchedCommands, isPassthrough, type AnyCommand, type OptionSpec } from './command.js';

const optionLine = (o: OptionSpec): string => `  ${o.flag.padEnd(12)} ${o.help}`;

/** Every command's options, each once, in the order the commands list them. */
function allOptions(): OptionSpec[] {
  const seen = new Map<string, OptionSpec>();
  for (const c of dispatchedCommands()) for (const o of c.options) if (!seen.has(o.flag)) seen.set(o.flag, o);
  return [...seen.values()];
}

export function usage(): string {
  const commands = allCommands();
  const width = Math.max(...commands.map((c) => c.synopsis.length)) + 2;
  return `usage: cpumap <command> [options] [--] [arguments]
       cpumap help [command] | --help | --version

Linux perf's cpu maps (libperf's perf_cpu_map), as perf parses and prints them.

commands:
${commands.map((c) => `  ${c.synopsis.padEnd(width)} ${c.summary}`).join('\n')}

options:
  --json       print the result as one JSON object (every command)
${allOptions().map(optionLine).join('\n')}
  -h, --help   this help (cpumap help COMMAND: one command's)
  --version    the package version

A LIST is perf's cpu list syntax: "0-3,8", "1\\n"; "0x10" is cpu 16 there, as in
perf (for taskset masks use from-mask / to-mask). The empty list is the
any-cpu map (-1). Without a LIST argument, or with -, it is read from
standard input. Put -- before a list that starts with '-'.

Exit status: 0 done, 1 bad input (a list, mask or payload), 2 bad usage.

examples:
  cpumap parse 0-3,8                list 0-3,8 / count 5 / mask 10f
  echo 0-3 | cpumap parse --count   4
  cpumap merge 0-3 2-5 8            list 0-5,8 / count 7
  cpumap from-mask ff,00000001      list 0,32-39 / count 9 / mask ff,00000001
  cpumap encode 0,2-20              encoding MASK / event 4a00...
`;
}

export function commandUsage(c: AnyCommand): string {
  if (isPassthrough(c)) return c.usage;
  const options = c.options.map(optionLine);
  return `usage: cpumap ${c.synopsis}\n\n${c.summary}.\n${c.details ? `${c.details}\n` : ''}\noptions:\n  --json       print the result as one JSON object\n${options.length ? `${options.join('\n')}\n` : ''}`;
}
