// @ts-check
// The checker workload, shaped like perf's own use of cpu maps (issue 9):
// parse the online and the user-requested cpus; 200 "evsels", each holding
// its PMU's cpus and those intersected with the user's; all of them merged
// into `all_cpus`; that intersected with online; every cpu of all_cpus read
// with cpu(i) and idx(); every map formatted; everything put. 607 references
// per iteration. workload.c does the same steps and gives the same checksum.

export const ONLINE = '0-127';
export const USER = '0-47,64-111';
/** A hybrid machine: two core types, an uncore PMU on one cpu per die, a software PMU on all. */
export const PMUS = ['0-63', '64-127', '0,64', '0-127'];
export const EVSELS = 200;
/** References one iteration makes (and puts). */
export const REFERENCES = 2 + PMUS.length + 2 * EVSELS + EVSELS + 1;

/**
 * One iteration through the CpuMap class; returns its checksum.
 * @param {typeof import('../../dist/index.js').CpuMap} CpuMap
 */
export function iteration(CpuMap) {
  const online = CpuMap.parse(ONLINE);
  const user = CpuMap.parse(USER);
  const pmus = PMUS.map((list) => CpuMap.parse(list));
  const evsels = [];
  for (let i = 0; i < EVSELS; i++) {
    const own = pmus[i % pmus.length].get();
    evsels.push({ own, cpus: own.intersect(user) });
  }
  let all = evsels[0].cpus.get();
  for (let i = 1; i < EVSELS; i++) {
    const next = all.merge(evsels[i].cpus);
    all.put();
    all = next;
  }
  const used = all.intersect(online);
  let sum = 0;
  const n = all.nr;
  for (let i = 0; i < n; i++) sum += all.idx(all.cpu(i));
  for (const e of evsels) sum += e.cpus.toString().length + e.own.toString().length;
  sum += all.toString().length + used.toString().length + online.toString().length + user.toString().length;
  for (const p of pmus) sum += p.toString().length;
  for (const e of evsels) {
    e.cpus.put();
    e.own.put();
  }
  all.put();
  used.put();
  for (const p of pmus) p.put();
  online.put();
  user.put();
  return sum;
}
