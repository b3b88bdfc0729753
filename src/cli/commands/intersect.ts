import { register } from '../command.js';
import { combineCommand } from '../combine.js';

register(combineCommand('intersect', 'the cpus common to all the lists'));
