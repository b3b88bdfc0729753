// The few Node facilities the CLI uses, typed locally (the package builds
// without @types/node) and reached through process.getBuiltinModule, so no
// node: import appears in the compiled files.

interface CliProcess {
  argv: string[];
  exitCode?: number | string;
  stdout: { write(s: string): boolean };
  stderr: { write(s: string): boolean };
  getBuiltinModule(id: 'fs'): { readFileSync(fd: number, encoding: 'utf8'): string };
}

export const proc = (globalThis as unknown as { process: CliProcess }).process;

/** All of standard input, as text. */
export function readStdin(): string {
  return proc.getBuiltinModule('fs').readFileSync(0, 'utf8');
}
