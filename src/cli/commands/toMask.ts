import { register } from '../command.js';
import { InputError } from '../errors.js';
import { canonicalList, maskOf } from '../mapOutput.js';
import { LIST_INPUT } from '../options.js';

register({
  name: 'to-mask',
  synopsis: 'to-mask [LIST]',
  summary: 'the taskset-style hex mask of a list (0,32-39 -> ff,00000001)',
  options: LIST_INPUT,
  arity: [0, 1],
  run(ctx) {
    const m = ctx.parse(ctx.input(ctx.args[0]));
    const mask = maskOf(m);
    if (mask === null) throw new InputError('the list holds -1 ("any cpu"), which has no bit in a mask');
    return { lines: [mask], json: { mask, list: canonicalList(m) } };
  },
});
