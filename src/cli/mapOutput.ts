// The output of a command whose result is a cpu map: its canonical list, the
// count, the cpus and the hex mask, as text lines and as JSON.
import { CpuMap } from '../index.js';
import type { Output } from './command.js';

/** perf's canonical list ("" for the empty map). */
export function canonicalList(m: CpuMap): string {
  return m.nr === 0 ? '' : m.toString();
}

/** The mask, or null when the map holds -1 ("any cpu", no bit in a mask). */
export function maskOf(m: CpuMap): string | null {
  return m.toArray().some((c) => c < 0) ? null : m.toMask();
}

export function mapOutput(m: CpuMap, { withMask }: { withMask: boolean }): Output {
  const list = canonicalList(m);
  const lines = [`list ${list === '' ? '(empty)' : list}`, `count ${m.nr}`];
  const json: Record<string, unknown> = { list, count: m.nr, cpus: m.toArray() };
  if (withMask) {
    const mask = maskOf(m);
    lines.push(mask === null ? 'mask none (the map holds -1, "any cpu", which has no bit in a mask)' : `mask ${mask}`);
    json['mask'] = mask;
  }
  return { lines, json, list, count: m.nr };
}
