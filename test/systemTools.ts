// System tools some tests drive (Chromium, gcc, emcc): where one is missing,
// such a test is skipped with the reason in its name and on stderr, so the
// run's summary says what was not checked. Under CI (.ci/run sets CI=true and
// installs them) nothing is skipped: a missing tool fails the test.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const toolsRequired = /^(1|true)$/i.test(process.env.CI ?? '');

function present(tool: string): boolean {
  if (tool.includes('/')) return existsSync(tool);
  return spawnSync('/bin/sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Why `purpose` cannot be checked on this machine (the missing tools), or
 * undefined when it can, or when CI requires it anyway.
 */
export function skipReason(tools: readonly string[], purpose: string): string | undefined {
  const missing = tools.filter((t) => !present(t));
  if (missing.length === 0 || toolsRequired) return undefined;
  const reason = `skipped: ${missing.join(' and ')} not installed (needed by ${purpose})`;
  process.stderr.write(`${reason}\n`);
  return reason;
}
