import { register } from '../command.js';
import { combineCommand } from '../combine.js';

register(combineCommand('merge', 'the union of the lists'));
