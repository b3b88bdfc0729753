// Entry for the "refcheck" export condition: the package with checking on.
import { enableByCondition } from './config.js';
export * from './index.js';
enableByCondition();
