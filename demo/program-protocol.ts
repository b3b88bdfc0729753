// What the checker view (checker.ts) and its program worker
// (program-worker.ts) say to each other. Types only: everything that crosses
// is plain data (strings, numbers, arrays), never a map or an error object.

/** A place in the visitor's program: line 1 is the first line of the editor's text. */
export interface Place {
  line: number;
  column: number;
  /** The function there, as V8 names it ("" for the program's top level). */
  fn: string;
}

/** One site a finding names: where a reference was made, put, used, thrown... */
export interface SiteData {
  /** What happened there: "second put", "reference made", "nr() called", "leaked", "thrown"... */
  role: string;
  /** The library call made there (CpuMap.parse, CpuMap.get...), "" if none. */
  api: string;
  /** The program's frames, innermost first (empty when none of them is in the program). */
  at: Place[];
  /** For a leak group: how many references were made there and never put. */
  count?: number;
}

export interface FindingData {
  kind: 'double-put' | 'use-after-put' | 'leak' | 'dropped' | 'mismatch' | 'exception';
  /** One line, with its program lines as "program line N". */
  summary: string;
  /** The checker's (or the exception's) text, program frames as "program line N:C", other frames left out. */
  message: string;
  /** The site the finding is about first (the bad put, the use, the leak), then the others it names. */
  sites: SiteData[];
}

/** One reference the program made, in the state the run left it. */
export interface ReferenceRow {
  /** Serial of the reference (the checker's cell), and of its map. */
  serial: number;
  map: number;
  state: 'live' | 'retired' | 'dropped';
  /** The library call that made it. */
  api: string;
  made?: Place;
  /** Only for a retired reference. */
  put?: Place;
}

export interface RunResult {
  /** 'throw' mode stopped the program at a RefCheckError. */
  stoppedByChecker: boolean;
  /** Milliseconds the program ran (in the worker). */
  ms: number;
  findings: FindingData[];
  /** refcheck.reportText() of what the program left held, program frames mapped ("" when nothing). */
  report: string;
  references: {
    /** Every reference the program made, and how many of them were still live at its end. */
    total: number;
    live: number;
    /** The first MAX_ROWS of them, oldest first. */
    rows: ReferenceRow[];
  };
}

/** Page -> worker. */
export interface RunRequest {
  type: 'run';
  code: string;
  onError: 'throw' | 'report';
}

/** Worker -> page. Log lines are sent as they are written, so a program that never ends still shows its log. */
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'log'; line: string }
  | { type: 'done'; result: RunResult }
  | { type: 'failed'; message: string };

/** Log lines kept per run. */
export const MAX_LOG_LINES = 200;
/** References listed in the table. */
export const MAX_ROWS = 150;
