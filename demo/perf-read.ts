// Reading a perf.data file as far as it goes: the library's reader returns
// what it could read with a list of problems (each with its file offset);
// it throws only for input that is not a perf.data file at all.

import { readPerfData, PerfDataError, type PerfDataInfo, type PerfDataProblem } from '../src/perfdata.js';

export type Problem = PerfDataProblem;

export interface FileRead {
  info?: PerfDataInfo;
  problems: Problem[];
  /** What was read is only the part before a problem. */
  partial: boolean;
}

function problemOf(e: unknown): Problem {
  if (e instanceof PerfDataError) return { code: 'EPERFDATA', message: e.message, offset: e.offset };
  return { code: e instanceof Error ? e.name : 'Error', message: e instanceof Error ? e.message : String(e), offset: 0 };
}

export function readFile(bytes: Uint8Array): FileRead {
  try {
    const info = readPerfData(bytes);
    const problems = [...info.problems];
    // a tolerant read of something that is not a perf.data file at all finds nothing: say only the problem
    const empty = info.totalEvents === 0 && info.featureSections.length === 0 && info.attrs.length === 0;
    return { info: problems.length > 0 && empty ? undefined : info, problems, partial: problems.length > 0 };
  } catch (e) {
    return { problems: [problemOf(e)], partial: true };
  }
}
