// Reports from plain Node programs (each in a child process, with the built
// package): async frames with and without source maps, and `using` lowered
// by the TypeScript compiler, whose helper frames must not show.
import { describe, it, expect, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dist = pathToFileURL(join(root, 'dist/index.js')).href;
let dir: string;

beforeAll(() => {
  expect(existsSync(join(root, 'dist/index.js')), 'npm test builds dist/ first').toBe(true);
  dir = mkdtempSync(join(tmpdir(), 'cpumap-refcheck-node-'));
});

function run(name: string, code: string, args: string[] = []) {
  const file = join(dir, name);
  writeFileSync(file, code);
  const r = spawnSync(process.execPath, [...args, file], {
    encoding: 'utf8', cwd: dir, env: { ...process.env, CPUMAP_REFCHECK: '1', NODE_OPTIONS: '' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr, file };
}

/** 1-based line of the first line of `code` containing `text`. */
const lineOf = (code: string, text: string): number => code.split('\n').findIndex((l) => l.includes(text)) + 1;

describe('async frames', () => {
  const program = `import { CpuMap } from ${JSON.stringify(dist)};
async function load(list) {
  await null;
  return CpuMap.parse(list);
}
async function setup() {
  const m = await load('0-3');
  return m.nr;
}
await setup();
`;
  for (const [how, args] of [['structured call sites', []], ['text stacks (--enable-source-maps)', ['--enable-source-maps']]] as const) {
    it(`are shown like the others: ${how}`, () => {
      const r = run(`async-${args.length}.mjs`, program, [...args]);
      expect(r.code).toBe(1);
      expect(r.err).toContain('1 reference made by CpuMap.parse, never put');
      expect(r.err).toContain(`    at load (${r.file}:${lineOf(program, 'CpuMap.parse(list)')}:`);
      expect(r.err).toContain(`    at setup (${r.file}:${lineOf(program, "await load('0-3')")}:`);
      expect(r.err).toContain(`    at ${r.file}:${lineOf(program, 'await setup()')}:`);
      expect(r.err).not.toMatch(/at async|file:\/\//);
    });
  }
});

describe('`using` lowered by the TypeScript compiler', () => {
  const source = `import { CpuMap } from ${JSON.stringify(dist)};
import { configure, RefCheckError } from ${JSON.stringify(dist)};
configure({ refcheck: { leaksAtExit: false } });
function work(m: CpuMap): number {
  using borrowed = m;
  return borrowed.nr;
}
const m = CpuMap.parse('0-3');
work(m);
try {
  m.put();
} catch (e) {
  if (!(e instanceof RefCheckError)) throw e;
  console.log(JSON.stringify({ kind: e.kind, message: e.message, put: e.sites.put, second: e.sites.secondPut }));
}
`;

  it('names the disposal at the using declaration, with no helper frame', () => {
    const js = ts.transpileModule(source, {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    }).outputText;
    expect(js).toContain('__disposeResources');
    const r = run('using-tsc.mjs', js);
    expect(r.err).toBe('');
    const e = JSON.parse(r.out);
    expect(e.kind).toBe('double-put');
    expect(e.put.api).toBe('disposal of the `using` declaration ([Symbol.dispose])');
    expect(e.put.frames[0]).toMatchObject({ fn: 'work', file: r.file, line: lineOf(js, '__addDisposableResource(env_1, m') });
    expect(e.second.frames[0]).toMatchObject({ file: r.file, line: lineOf(js, 'm.put()') });
    expect(e.message).toMatch(/^double put of reference #1 to map #1 at /);
    expect(e.message).not.toMatch(/__disposeResources|__addDisposableResource|\bat next\b|CpuMap\.value/);
  });
});
