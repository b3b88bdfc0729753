// On a narrow screen a result lands far below what the visitor just pressed
// (the checker's report under the editor, a perf.data file's maps under the
// examples): bring it into view, unless it is already on screen.

export function revealIfHidden(el: HTMLElement): void {
  const r = el.getBoundingClientRect();
  const visible = r.top >= 0 && r.top < window.innerHeight - 80;
  if (visible) return;
  const smooth = !matchMedia('(prefers-reduced-motion: reduce)').matches;
  el.scrollIntoView({ block: 'start', behavior: smooth ? 'smooth' : 'auto' });
}
