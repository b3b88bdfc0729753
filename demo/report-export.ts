// The checker's report as the visitor takes it away: plain text (for an
// issue or a chat) and JSON (for a script), copied or downloaded.

import type { FindingData, RunResult } from './program-protocol.js';

export interface RunRecord {
  program: string;
  edited: boolean;
  code: string;
  onError: string;
  result: RunResult;
  logs: string[];
}

export function reportText(r: RunRecord): string {
  const { result } = r;
  const lines: string[] = [];
  lines.push(`cpumap-wasm checker report: program "${r.program}"${r.edited ? ' (edited)' : ''}, ${r.onError} mode, ran in ${result.ms.toFixed(1)} ms`);
  lines.push(result.findings.length === 0
    ? 'No reference-count bugs: every reference was put exactly once.'
    : `${result.findings.length} finding${result.findings.length === 1 ? '' : 's'}:`);
  result.findings.forEach((f: FindingData, i) => {
    lines.push('', `${i + 1}. [${f.kind}] ${f.summary}`, ...f.message.split('\n').map((l) => `   ${l}`));
  });
  if (r.logs.length) lines.push('', 'log:', ...r.logs.map((l) => `  ${l}`));
  const refs = result.references;
  lines.push('', `references made: ${refs.total} (${refs.live} still live at the end)`);
  for (const row of refs.rows) {
    const made = row.made ? `line ${row.made.line}:${row.made.column}` : '-';
    const put = row.put ? `line ${row.put.line}:${row.put.column}` : '-';
    lines.push(`  #${row.serial} map #${row.map} ${row.state.padEnd(7)} ${(row.api || '-').padEnd(18)} made at ${made}, put at ${put}`);
  }
  if (refs.total > refs.rows.length) lines.push(`  (first ${refs.rows.length} of ${refs.total})`);
  lines.push('', 'program:', ...r.code.split('\n').map((l, i) => `${String(i + 1).padStart(3)}  ${l}`));
  return `${lines.join('\n')}\n`;
}

export function reportJson(r: RunRecord): string {
  return `${JSON.stringify({ tool: 'cpumap-wasm checker', ...r }, null, 2)}\n`;
}

export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Copy to the clipboard; false when the browser refuses. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
