import { register } from '../command.js';
import { proc } from '../host.js';
import { runTopologyCli, TOPOLOGY_USAGE } from '../../topology/cli.js';

register({
  name: 'topology',
  synopsis: 'topology [...]',
  summary: 'cpus grouped by socket/die/cluster/cache/core/node, as perf stat prints them',
  usage: TOPOLOGY_USAGE,
  passthrough: (argv) => runTopologyCli(argv, proc),
});
