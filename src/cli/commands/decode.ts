import { CpuMap } from '../../index.js';
import { register } from '../command.js';
import { encodingName } from '../encodings.js';
import { frame } from '../eventFrame.js';
import { fromHex } from '../hex.js';
import { mapOutput } from '../mapOutput.js';
import { LENIENT, MAP_OUTPUT } from '../options.js';

register({
  name: 'decode',
  synopsis: 'decode [HEX]',
  summary: 'read a PERF_RECORD_CPU_MAP or EVENT_UPDATE event, or a bare payload (hex)',
  details: 'HEX may hold white space, colons and a leading 0x.',
  options: [LENIENT, ...MAP_OUTPUT],
  arity: [0, 1],
  run(ctx) {
    const { event, eventId, payload } = frame(fromHex(ctx.input(ctx.args[0])));
    const m = ctx.keep(CpuMap.decode(payload, { lenient: ctx.flag('--lenient') }));
    const out = mapOutput(m, { withMask: false });
    const encoding = encodingName(payload);
    const what = event === null ? 'none (a bare payload)' : event === 'EVENT_UPDATE' ? `EVENT_UPDATE (CPUS, id ${eventId})` : event;
    return {
      ...out,
      lines: [`event ${what}`, `encoding ${encoding}`, ...out.lines],
      json: { event, ...(eventId !== undefined && { eventId }), encoding, ...out.json },
    };
  },
});
