/*
 * workload.c - the checker workload (see workload.mjs) in C, on the
 * libperf-style peer bench/c/cpumap.c, for the reference checker's price
 * next to AddressSanitizer's.
 *
 * Built twice by run.mjs:
 *   plain:  gcc -O2                                   references are map pointers
 *   asan:   gcc -O2 -fsanitize=address -DREF_CHECK    every reference is a heap
 *           cell of its own pointing at the map (what perf's RC_CHK does when
 *           built with reference-count checking): get and every constructor
 *           allocate a cell, put frees it, so ASan reports a missing put as a
 *           leak of the cell (with the get's stack), a double put as a double
 *           free and a use after put as a heap-use-after-free.
 *
 * Protocol (stdin/stdout, one line each): "check" prints the checksum of
 * one iteration; "run N" runs N iterations and prints "<wall ns> <cpu ns>
 * <checksum sum>" (cpu: the process's CPU time);
 * end of input ends the program.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../c/cpumap.h"

/* ---- references: a map pointer, or a cell per reference ---- */

#ifdef REF_CHECK
typedef struct ref {
	cm_map *map;
} ref;

static ref *ref_wrap(cm_map *m)
{
	ref *r;

	if (!m)
		return NULL;
	r = malloc(sizeof(*r));
	if (!r)
		abort();
	r->map = m;
	return r;
}
#define MAP(r) ((r) ? (r)->map : NULL)

static void ref_put(ref *r)
{
	if (r) {
		cm_put(r->map);
		free(r);
	}
}

/* merge consumes *orig and may replace it: a new cell when the map changed. */
static void ref_merge(ref **orig, ref *other)
{
	cm_map *before = MAP(*orig), *after = before;

	if (cm_merge(&after, MAP(other)) != 0)
		abort();
	if (after != before) {
		free(*orig); /* its map reference was put by cm_merge */
		*orig = ref_wrap(after);
	}
}
#else
typedef cm_map ref;
#define ref_wrap(m) (m)
#define MAP(r) (r)
#define ref_put(r) cm_put(r)
static void ref_merge(ref **orig, ref *other)
{
	if (cm_merge(orig, other) != 0)
		abort();
}
#endif

static ref *ref_get(ref *r)
{
	return ref_wrap(cm_get(MAP(r)));
}

static ref *ref_parse(const char *list)
{
	ref *r = ref_wrap(cm_parse(list, (int)strlen(list)));

	if (!r)
		abort();
	return r;
}

static ref *ref_intersect(ref *a, ref *b)
{
	return ref_wrap(cm_intersect(MAP(a), MAP(b)));
}

static int list_length(ref *r)
{
	char buf[1024];

	return cm_snprint(MAP(r), buf, sizeof(buf));
}

/* ---- the workload: the same steps and checksum as workload.mjs ---- */

#define ONLINE "0-127"
#define USER "0-47,64-111"
#define NPMUS 4
#define EVSELS 200
static const char *const pmu_lists[NPMUS] = { "0-63", "64-127", "0,64", "0-127" };

struct evsel {
	ref *own;  /* the PMU's cpus */
	ref *cpus; /* those the user asked for */
};

static long iteration(void)
{
	struct evsel evsels[EVSELS];
	ref *pmus[NPMUS];
	ref *online = ref_parse(ONLINE), *user = ref_parse(USER), *all, *used;
	long sum = 0;
	int i, n;

	for (i = 0; i < NPMUS; i++)
		pmus[i] = ref_parse(pmu_lists[i]);
	for (i = 0; i < EVSELS; i++) {
		evsels[i].own = ref_get(pmus[i % NPMUS]);
		evsels[i].cpus = ref_intersect(evsels[i].own, user);
	}
	all = ref_get(evsels[0].cpus);
	for (i = 1; i < EVSELS; i++)
		ref_merge(&all, evsels[i].cpus);
	used = ref_intersect(all, online);
	n = cm_nr(MAP(all));
	for (i = 0; i < n; i++)
		sum += cm_idx(MAP(all), cm_cpu(MAP(all), i));
	for (i = 0; i < EVSELS; i++)
		sum += list_length(evsels[i].cpus) + list_length(evsels[i].own);
	sum += list_length(all) + list_length(used) + list_length(online) + list_length(user);
	for (i = 0; i < NPMUS; i++)
		sum += list_length(pmus[i]);
	for (i = 0; i < EVSELS; i++) {
		ref_put(evsels[i].cpus);
		ref_put(evsels[i].own);
	}
	ref_put(all);
	ref_put(used);
	for (i = 0; i < NPMUS; i++)
		ref_put(pmus[i]);
	ref_put(online);
	ref_put(user);
	return sum;
}

static long long now_ns(clockid_t clock)
{
	struct timespec t;

	clock_gettime(clock, &t);
	return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(void)
{
	char line[64];
	long n;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while (fgets(line, sizeof(line), stdin)) {
		if (strncmp(line, "check", 5) == 0) {
			printf("%ld\n", iteration());
		} else if (sscanf(line, "run %ld", &n) == 1) {
			long long t0 = now_ns(CLOCK_MONOTONIC), c0 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
			long sum = 0;

			for (long k = 0; k < n; k++)
				sum += iteration();
			printf("%lld %lld %ld\n", now_ns(CLOCK_MONOTONIC) - t0,
			       now_ns(CLOCK_PROCESS_CPUTIME_ID) - c0, sum);
		}
	}
	return 0;
}
