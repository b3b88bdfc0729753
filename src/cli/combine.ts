// merge and intersect over any number of lists: from the arguments, or one
// list per line of standard input when there are none ('-' reads it too).
import type { Command, RunContext } from './command.js';
import { mapOutput } from './mapOutput.js';
import { readStdin } from './host.js';
import { InputError } from './errors.js';
import type { CpuMap } from '../index.js';
import { LIST_INPUT, MAP_OUTPUT } from './options.js';

function lists(ctx: RunContext): string[] {
  if (ctx.args.length > 0 && !ctx.args.includes('-')) return ctx.args;
  const lines = readStdin().split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '');
  const all = ctx.args.length === 0 ? lines : ctx.args.flatMap((a) => (a === '-' ? lines : [a]));
  if (all.length === 0) throw new InputError('no lists on standard input (one list per line)');
  return all;
}

export function combineCommand(name: 'merge' | 'intersect', summary: string): Command {
  return {
    name,
    synopsis: `${name} [LIST...]`,
    summary,
    details: 'With no LIST (or with -), the lists are read from standard input, one per line.',
    options: [...LIST_INPUT, ...MAP_OUTPUT],
    arity: [0, Infinity],
    run(ctx) {
      const maps = lists(ctx).map((l) => ctx.parse(l));
      let acc: CpuMap = maps[0]!;
      for (const m of maps.slice(1)) acc = ctx.keep(name === 'merge' ? acc.merge(m) : acc.intersect(m));
      return mapOutput(acc, { withMask: false });
    },
  };
}
