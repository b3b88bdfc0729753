// Every subcommand, one line each, in the order `cpumap help` lists them.
import './parse.js';
import './merge.js';
import './intersect.js';
import './online.js';
import './encode.js';
import './decode.js';
import './toMask.js';
import './fromMask.js';
