// The checker view's programs. Each is the body of a function that gets
// `CpuMap` and `log`, run in a worker of its own (program-worker.ts); line 1
// is the first line of the text.

export interface Program {
  id: string;
  title: string;
  blurb: string;
  code: string;
}

export const PROGRAMS: Program[] = [
  {
    id: 'correct',
    title: 'correct',
    blurb: 'Every reference is put exactly once, including the new references merge() and intersect() return. The checker has nothing to say.',
    code: `// Every reference is put exactly once: nothing to report.
const a = CpuMap.parse('0-3');
const b = CpuMap.parse('2-5');
const both = a.merge(b);        // a new reference
const common = a.intersect(b);  // and another one
log('merge', both, '| intersect', common);
common.put();
both.put();
b.put();
a.put();
`,
  },
  {
    id: 'missed-put',
    title: 'missed put',
    blurb: 'intersect() returns a new reference that nobody puts. The leak report names the line that made it, and the call chain that led there.',
    code: `// A missed put: intersect() returns a new reference that nobody puts.
function commonCpus(list1, list2) {
  const a = CpuMap.parse(list1);
  const b = CpuMap.parse(list2);
  const common = a.intersect(b);   // never put
  const text = common.toString();
  a.put();
  b.put();
  return text;
}

log('common cpus:', commonCpus('0-7', '4-11'));
`,
  },
  {
    id: 'double-put',
    title: 'double put',
    blurb: 'The same reference is put twice. In C the extra put drops a count that belongs to someone else: the map is freed while still in use.',
    code: `// A double put: one reference put twice. In C the second
// put drops a count that another reference owns.
const online = CpuMap.parse('0-7');
const evsel = online.get();   // a second reference
evsel.put();
online.put();
evsel.put();                  // put twice
`,
  },
  {
    id: 'use-after-put',
    title: 'use after put',
    blurb: '`cpus` is used after its put while `evsel` still holds the map, so the read "works": C would never crash here. The checker still sees it.',
    code: `// A use after put: \`cpus\` was put, but \`evsel\` still holds the
// map, so in C the read "works" and nothing crashes.
const cpus = CpuMap.parse('0-3,8');
const evsel = cpus.get();   // keeps the map alive
cpus.put();
log('cpus in the map:', cpus.nr);   // used after put
evsel.put();
`,
  },
  {
    id: 'leak-loop',
    title: 'leak in a loop',
    blurb: 'A loop of 1,000 leaks one reference per turn from the same line. The report groups them: one site, a count of 1,000.',
    code: `// A leak in a loop: 1,000 references made on one line,
// reported once, with their count.
const all = CpuMap.parse('0-63');
for (let i = 0; i < 1000; i++) {
  const one = CpuMap.parse(String(i % 64));
  const both = all.merge(one); // a new reference...
  if (!both.equals(all)) log('unexpected:', both);
  one.put();                   // ...but only \`one\` is put
}
all.put();
log('done');
`,
  },
];
