// The few Node file-system calls the topology readers need, reached through
// process.getBuiltinModule so that browser bundles never import node:fs.

export interface DirEntry {
  name: string;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

export interface NodeFs {
  readFileSync(path: string): Uint8Array;
  readdirSync(path: string, options: { withFileTypes: true }): DirEntry[];
  statSync(path: string): { isDirectory(): boolean };
}

interface ProcessWithBuiltins {
  getBuiltinModule?(id: string): unknown;
}

/** node:fs, or undefined outside Node. */
export function nodeFs(): NodeFs | undefined {
  const proc = (globalThis as { process?: ProcessWithBuiltins }).process;
  return proc?.getBuiltinModule?.('fs') as NodeFs | undefined;
}

/** The errno name of a failed fs call ('ENOENT', 'EISDIR', ...), or 'EIO'. */
export function errnoName(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'EIO';
}
