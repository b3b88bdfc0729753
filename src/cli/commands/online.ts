import { CpuMap } from '../../index.js';
import { register } from '../command.js';
import { mapOutput } from '../mapOutput.js';
import { MAP_OUTPUT } from '../options.js';

register({
  name: 'online',
  synopsis: 'online',
  summary: "this machine's online cpus",
  options: MAP_OUTPUT,
  arity: [0, 0],
  run: (ctx) => mapOutput(ctx.keep(CpuMap.online()), { withMask: true }),
});
