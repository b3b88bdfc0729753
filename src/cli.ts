#!/usr/bin/env node
// cpumap: parse, combine, convert, encode and decode Linux perf cpu maps from
// a shell. The program lives in cli/ (one module per subcommand).
import { main } from './cli/main.js';
import { proc } from './cli/host.js';

main(proc.argv.slice(2));
