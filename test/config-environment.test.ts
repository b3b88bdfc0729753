// CPUMAP_REFCHECK is read without asking for a permission: in Deno the
// permission is queried first (never prompted for), and a denied or failing
// read leaves the checker off. Deno is imitated here by its API's shape;
// README's runtime table quotes the run under the real one.
import { afterEach, expect, test } from 'vitest';
import { isRefcheckEnabled } from '../src/config.js';

const globals = globalThis as { Deno?: unknown };
const saved = process.env.CPUMAP_REFCHECK;

afterEach(() => {
  delete globals.Deno;
  if (saved === undefined) delete process.env.CPUMAP_REFCHECK;
  else process.env.CPUMAP_REFCHECK = saved;
});

function denoWith(state: string | Error, value: string | Error): void {
  globals.Deno = {
    permissions: {
      querySync: () => {
        if (state instanceof Error) throw state;
        return { state };
      },
    },
    env: {
      get: () => {
        if (value instanceof Error) throw value;
        return value;
      },
    },
  };
}

test('Node: the variable turns the checker on', () => {
  process.env.CPUMAP_REFCHECK = '1';
  expect(isRefcheckEnabled()).toBe(true);
  process.env.CPUMAP_REFCHECK = 'off';
  expect(isRefcheckEnabled()).toBe(false);
});

test('Deno with env access granted: the variable is read', () => {
  denoWith('granted', '1');
  expect(isRefcheckEnabled()).toBe(true);
});

test('Deno without the permission: not read (no prompt, no error), the checker is off', () => {
  process.env.CPUMAP_REFCHECK = '1'; // what Node's process.env would say; Deno's is not asked
  for (const state of ['prompt', 'denied']) {
    denoWith(state, new Error('PermissionDenied: Requires env access'));
    expect(isRefcheckEnabled()).toBe(false);
  }
});

test('Deno whose permission query or read throws: the checker is off', () => {
  denoWith(new Error('no permissions API'), '1');
  expect(isRefcheckEnabled()).toBe(false);
  denoWith('granted', new Error('NotCapable'));
  expect(isRefcheckEnabled()).toBe(false);
});
