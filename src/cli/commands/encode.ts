import { register } from '../command.js';
import { encodingName } from '../encodings.js';
import { toHex } from '../hex.js';
import { LIST_INPUT } from '../options.js';

register({
  name: 'encode',
  synopsis: 'encode [LIST]',
  summary: 'the PERF_RECORD_CPU_MAP event perf writes for LIST (hex)',
  options: LIST_INPUT,
  arity: [0, 1],
  run(ctx) {
    const event = ctx.parse(ctx.input(ctx.args[0])).encode();
    const encoding = encodingName(event.subarray(8));
    return {
      lines: [`encoding ${encoding}`, `event ${toHex(event)}`],
      json: { encoding, event: toHex(event), payload: toHex(event.subarray(8)) },
    };
  },
});
