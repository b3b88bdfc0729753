// Line numbers of the `// @tag` marks in a corpus program, so the tests can
// check that reports point at the right lines without hard-coding them.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function corpusFile(name: string): string {
  return fileURLToPath(new URL(`./corpus/${name}.ts`, import.meta.url));
}

export function marks(name: string): Record<string, number> {
  const out: Record<string, number> = {};
  readFileSync(corpusFile(name), 'utf8').split('\n').forEach((line, i) => {
    const m = /\/\/ @([\w-]+)\s*$/.exec(line);
    if (m) out[m[1]!] = i + 1;
  });
  return out;
}

/** A site string "path:line:col" that is in `file` at `line`. */
export function isAt(site: string | undefined, file: string, line: number): boolean {
  return site !== undefined && new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line}:\\d+$`).test(site);
}
