import { CpuMap } from '../../index.js';
import { register } from '../command.js';
import { mapOutput } from '../mapOutput.js';
import { cpusOfMask } from '../tasksetMask.js';
import { MAP_OUTPUT } from '../options.js';

register({
  name: 'from-mask',
  synopsis: 'from-mask [MASK]',
  summary: 'the cpu list of a taskset-style hex mask (ff,00000001 -> 0,32-39)',
  details: 'MASK is hex, bit n for cpu n; commas split 32-bit words, most significant first.',
  options: MAP_OUTPUT,
  arity: [0, 1],
  run: (ctx) => mapOutput(ctx.keep(CpuMap.fromCpus(cpusOfMask(ctx.input(ctx.args[0])))), { withMask: true }),
});
