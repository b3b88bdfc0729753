// @ts-check
/**
 * spec-parse-check.mjs - the parser examples of docs/contract.md §3.1 (plus the §8.2
 * print round trips and a few derived cases) run through all three peers:
 * emcc wasm and pure JS in process, native C through `native --parse-hex`.
 * Expected values are canonical lists, or null for failure.
 *
 *   node bench/src/spec-parse-check.mjs        (build first: bench/c/build.sh)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EmccCpumap } from './emcc-peer.mjs';
import { CpuMap } from './pure-ts.mjs';

const NATIVE = fileURLToPath(new URL('../build/native', import.meta.url));

/** @type {[string[], string | null, string][]} inputs, expected list, source */
const TABLE = [
  [[''], '-1', '§3.1'],
  [[' ', ' 0', '\t1', '\n', ',', ',1', '-1', '-', '+1', 'a'], null, '§3.1 first char'],
  [['0', '0-0', '00'], '0', '§3.1'],
  [['5-5'], '5', '§3.1'],
  [['3-1', '5-', '1-', '1-\n'], null, '§3.1 end < start'],
  [['0-', '0-\n'], '0', '§3.1 missing end is 0'],
  [['0-,1'], '0-1', '§3.1'],
  [['1,1', '1,1,1', '0-3,2-5', '0-3,0', '1,2-3,3', '1-2,2-3', '1,001'], null, '§3.1 duplicate'],
  [['1-2,3-4'], '1-4', '§3.1'],
  [['7,3,5'], '3,5,7', '§3.1 sorted'],
  [['3,2,1'], '1-3', '§3.1 sorted'],
  [['10-12,1-3'], '1-3,10-12', '§3.1 sorted'],
  [
    ['1-2-3', '1--3', '1-x', '1 - 3', '0 ', '1\t', '0 ,1', '1;2', '1:2', '1/2', '1.5', '1e3'],
    null,
    '§3.1 bad char after number',
  ],
  [['1,,2', '1,+2', '1, 2'], '1', '§3.1 silent stop'],
  [['0,', '0,a', '0,-1', '0, 1', '0,\n1'], '0', '§3.1 silent stop'],
  [['1-3,'], '1-3', '§3.1'],
  [['1- 3', '1-\t3', '1-+3'], '1-3', '§3.1 range end via strtoul'],
  [['0\n', '0\n\n'], '0', '§3.1 newline'],
  [['0-3\n'], '0-3', '§3.1 newline'],
  [['0,1\n', '0\n1'], '0-1', '§3.1 newline'],
  [['0x10', '0X10'], '16', '§3.1 hex'],
  [['0x1f-0x22'], '31-34', '§3.1 hex'],
  [['1-0x3'], '1-3', '§3.1 hex'],
  [['010'], '8', '§3.1 octal'],
  [['08', '0x', '0xg', '0b1'], null, '§3.1 bases'],
  [['01'], '1', '§3.1'],
  [['0,01'], '0-1', '§3.1'],
  [['32766'], '32766', '§3.1 limit'],
  [['0,32766'], '0,32766', '§3.1 limit'],
  [['0-32766', '0-0x7ffe'], '0-32766', '§3.1 limit'],
  [['32767', '65535', '2147483647', '18446744073709551616', '0-0x7fff'], null, '§3.1 limit'],
  [['0-4096'], '0-4096', '§3.1 warning only'],
  // §8.2 print: parse then list format gives the input back.
  ...['1', '1,5', '1,3,5,7,9,11,13,15,17,19,21-40', '2-5', '1,3-6,8-10,24,35-37', '1-10,12-20,22-30,32-40'].map(
    (s) => /** @type {[string[], string, string]} */ ([[s], s, '§8.2 print']),
  ),
  // Derived from the rules (not in the spec's table).
  [['0\u00001', '0\u0000x'], '0', 'derived: stops at NUL'],
  [['0--0', '0-\n0', '0-\v0'], '0', 'derived: end "-0" is 0, white space skipped'],
  [['1--0', '0-0x', '0-00x1'], null, 'derived'],
  [['0x7ffe', '077776'], '32766', 'derived: bases at the limit'],
  [['0x7fff', '077777', '1-99999999999999999999'], null, 'derived: bases over the limit'],
  [['4,2,1\n'], '1-2,4', 'derived'],
];

/** @param {string[]} inputs @returns {(string | null)[]} */
function runNative(inputs) {
  const args = inputs.map((s) => Buffer.from(s, 'utf8').toString('hex'));
  const r = spawnSync(NATIVE, ['--parse-hex', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`native --parse-hex exited with ${r.status}: ${r.stderr}`);
  return r.stdout
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => (l === 'NULL' ? null : l));
}

const cm = await EmccCpumap.load();
/** @param {string} s */
function runEmcc(s) {
  const m = cm.parse(s);
  if (!m) return null;
  const out = cm.list(m);
  cm.put(m);
  return out;
}
/** @param {string} s */
function runPure(s) {
  const m = CpuMap.parse(s);
  return m ? m.toString() : null;
}

const inputs = TABLE.flatMap(([ins]) => ins);
const native = existsSync(NATIVE) ? runNative(inputs) : null;
if (!native) console.log('bench/build/native missing: native column skipped');

let k = 0;
let failures = 0;
for (const [ins, want, source] of TABLE) {
  for (const s of ins) {
    const got = { emcc: runEmcc(s), 'pure-ts': runPure(s), ...(native ? { native: native[k] } : {}) };
    k++;
    const bad = Object.entries(got).filter(([, v]) => v !== want);
    if (bad.length) failures++;
    const shown = (/** @type {string | null} */ v) => (v === null ? 'NULL' : v.length > 40 ? `${v.slice(0, 37)}...` : v);
    console.log(
      `${bad.length ? 'FAIL' : 'ok  '} ${JSON.stringify(s).padEnd(24)} -> ${shown(want).padEnd(12)} ${source}` +
        bad.map(([impl, v]) => `  [${impl}: ${shown(v)}]`).join(''),
    );
  }
}
console.log(`${k} inputs, ${failures ? `${failures} FAILED` : 'all three implementations agree with the spec'}`);
process.exitCode = failures ? 1 : 0;
