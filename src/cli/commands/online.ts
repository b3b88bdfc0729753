import { CpuMap } from '../../index.js';
import { register } from '../command.js';
import { mapOutput } from '../mapOutput.js';

register({
  name: 'online',
  synopsis: 'online',
  summary: "this machine's online cpus",
  options: ['list', 'count'],
  arity: [0, 0],
  run: (ctx) => mapOutput(ctx.keep(CpuMap.online()), { withMask: true }),
});
