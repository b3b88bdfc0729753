import { register } from '../command.js';
import { mapOutput } from '../mapOutput.js';
import { LIST_INPUT, MAP_OUTPUT } from '../options.js';

register({
  name: 'parse',
  synopsis: 'parse [LIST]',
  summary: 'the canonical list, the number of cpus and the hex mask',
  options: [...LIST_INPUT, ...MAP_OUTPUT],
  arity: [0, 1],
  run: (ctx) => mapOutput(ctx.parse(ctx.input(ctx.args[0])), { withMask: true }),
});
