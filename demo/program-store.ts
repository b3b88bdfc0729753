// The visitor's edits to the checker's programs, kept across reloads in
// localStorage, one entry per program. An edit that puts back the original
// text removes the entry. Storage may be missing or full (private windows):
// then edits simply last as long as the page.

const PREFIX = 'cpumap-wasm-demo:program:';

function storage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

/** The edited text of a program, if the visitor edited it. */
export function loadEdit(id: string): string | undefined {
  return storage()?.getItem(PREFIX + id) ?? undefined;
}

/** Keep `text` as the program's edit (or forget the edit when it is the original). */
export function saveEdit(id: string, text: string, original: string): void {
  const s = storage();
  if (s === undefined) return;
  try {
    if (text === original) s.removeItem(PREFIX + id);
    else s.setItem(PREFIX + id, text);
  } catch {
    // full or denied: the edit lasts as long as the page
  }
}

export function forgetEdit(id: string): void {
  try {
    storage()?.removeItem(PREFIX + id);
  } catch {
    // nothing to forget
  }
}
