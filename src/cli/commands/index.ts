// Every subcommand, one line each, in the order `cpumap help` lists them.
// A new one is a module here that calls register() (its options, arity and
// run), plus its import line below.
import './parse.js';
import './merge.js';
import './intersect.js';
import './online.js';
import './encode.js';
import './decode.js';
import './toMask.js';
import './fromMask.js';
import './topology.js';
