/*
 * native.c - native benchmark driver for the C cpumap peer (cpumap.c).
 *
 *   native            full run: JSON lines on stdout, one per (op, shape, size)
 *   native --quick    fewer and shorter runs
 *   native --op NAME  only that operation (combine with --quick)
 *   native --floors   the floors instead of the ops (see "--floors" below)
 *   native --name X   the "impl" name in the JSON lines (native-libperf: libperf-algo)
 *   native --check    deterministic results for small cases, to diff against
 *                     bench/src/check-peers.mjs (emcc and pure JS peers)
 *   native --dump     one result line per (workload, operation) for every
 *                     benchmark workload, compared by bench/run.mjs with the
 *                     same lines from every other implementation before timing
 *   native --memory   bytes of malloc'd memory per map (mallinfo2 deltas)
 *   native --parse-hex HEX...   parse each hex-encoded input, print the list
 *                     or NULL (bench/src/spec-parse-check.mjs drives this)
 *
 * Workload definitions, mirrored exactly by bench/src/prng.mjs:
 *
 *   PRNG: xorshift32 (Marsaglia 2003, shifts 13/17/5) on a uint32 state.
 *     seed(s): state = s * 0x9E3779B9 mod 2^32      JS: Math.imul(s, 0x9E3779B9) >>> 0
 *     next():  x ^= x << 13; x ^= x >> 17; x ^= x << 5 (uint32, logical shifts);
 *              state = x; return x                   JS: x ^= x << 13; x ^= x >>> 17;
 *                                                        x ^= x << 5; x >>>= 0
 *   sparse(n, seed): from seed(seed), draw c = next() % 32767 until n distinct
 *              values are drawn; sort ascending.
 *   dense(n, start): start .. start + n - 1.
 *   A(dense, n) = dense(n, 0)      B(dense, n) = dense(n, n / 2)
 *   A(sparse, n) = sparse(n, 1)    B(sparse, n) = sparse(n, 2)
 *   A(alt, n) = dense(n, 0)        B(alt, n) = every other cpu of A (from the first)
 *   A(half, n) = sparse(n, 1)      B(half, n) = A's cpus i where, from seed(4),
 *              the i-th next() has bit 16 set (A's first cpu if none)
 *   A2: a second map of the text of A, or in alt and half of the text of B
 *              (equal and is_subset are timed on (A, A2))
 *   probes(A, K): from seed(3), probe k = k even ? cpu(A, next() % nr(A))
 *              : next() % 32767   (about half hits whatever the shape)
 *   Maps are built by parsing the comma-joined values; "text of A" is the
 *   canonical list format of A (what parse is timed on).
 *
 * One op, per workload (ns_per_op is per op):
 *   parse        parse(text of A) + put
 *   format_list  list format of A into a buffer
 *   format_mask  mask format of A into a buffer
 *   iterate      for (i = 0; i < nr(A); i++) cpu(A, i)  -- the for_each_cpu
 *                macro's shape: nr is called on every step; one op = the whole loop
 *   has          has(A, probe[k]) for one probe, cycling over 1024 probes
 *   equal        equal(A, A2): in dense and sparse a full compare, true; in alt
 *                and half false at once (the counts differ)
 *   is_subset    is_subset(A, A2): true; identical maps in dense and sparse, a
 *                real subset in alt and half
 *   merge        m = get(A); merge(&m, B); put(m)   (neither contains the other:
 *                a new map every time)
 *   intersect    r = intersect(A, B); put(r)   (NULL, the empty result, counts
 *                nr 0 in the checksum: the sparse 4-CPU operands are disjoint)
 *   get_put      put(get(A))
 *   encode       whole PERF_RECORD_CPU_MAP event of A into a buffer
 *   decode       decode(payload of A's event) + put
 *
 * Timing: per case, the batch size doubles (then scales) until one batch
 * takes >= target (5 ms; 1 ms with --quick); those calibration batches are
 * the warm-up.  Then R batches (11; 5 with --quick) are timed with
 * CLOCK_MONOTONIC; each gives ns/op = batch time / batch size; we report the
 * median, min, max and quartiles over the R batches.  Every result feeds a
 * checksum, added to a volatile sink and printed on stderr at the end, so
 * nothing can be optimised away (cpumap.c is a separate translation unit, no
 * LTO); the last batch's checksum and size are printed ("sum", "batch") and
 * bench/run.mjs checks them against the expected per-op values:
 *   parse, decode: nr(A)   format_*: text length   iterate: sum of A's CPUs
 *   has: hits among the probes used   equal, is_subset, get_put: 1
 *   merge: nr(A | B)   intersect: nr(A & B)   encode: event size
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpumap.h"

/* ------------------------------------------------------------------ */
/* Shared workload definitions (see the header comment)                */
/* ------------------------------------------------------------------ */

static uint32_t rng_state;

static void rng_seed(uint32_t s) { rng_state = s * 0x9E3779B9u; }

static uint32_t rng_next(void)
{
	uint32_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return rng_state = x;
}

/* Fills out[0..n-1] ascending. */
static void gen_sparse(int *out, int n, uint32_t seed)
{
	static uint8_t taken[CM_CPU_LIMIT];
	int k = 0;

	memset(taken, 0, sizeof(taken));
	rng_seed(seed);
	while (k < n) {
		uint32_t c = rng_next() % CM_CPU_LIMIT;

		if (!taken[c]) {
			taken[c] = 1;
			k++;
		}
	}
	for (int c = 0; c < CM_CPU_LIMIT; c++)
		if (taken[c])
			*out++ = c;
}

/* A real subset of A (shapes alt and half): every other cpu, or the cpus
 * whose draw of seed 4 has bit 16 set (A's first if none). */
static int gen_subset(int *out, const int *a, int n, const char *shape)
{
	int k = 0;

	rng_seed(4);
	for (int i = 0; i < n; i++)
		if (!strcmp(shape, "alt") ? i % 2 == 0 : ((rng_next() >> 16) & 1))
			out[k++] = a[i];
	if (k == 0)
		out[k++] = a[0];
	return k;
}

/* Operand A (which 0) or B (which 1) of a shape; returns its size. */
static int gen_set(int *out, int n, const char *shape, int which)
{
	int sparse_a = !strcmp(shape, "sparse") || !strcmp(shape, "half");

	if (which == 1 && (!strcmp(shape, "alt") || !strcmp(shape, "half"))) {
		int *a = malloc(sizeof(int) * (size_t)n), k;

		gen_set(a, n, shape, 0);
		k = gen_subset(out, a, n, shape);
		free(a);
		return k;
	}
	if (sparse_a) {
		gen_sparse(out, n, which == 0 ? 1 : 2);
	} else {
		int start = which == 0 ? 0 : n / 2;

		for (int i = 0; i < n; i++)
			out[i] = start + i;
	}
	return n;
}

/* In alt and half, equal and is_subset take B as their second operand. */
static int subset_shape(const char *shape)
{
	return !strcmp(shape, "alt") || !strcmp(shape, "half");
}

static void gen_probes(int *out, int k, const cm_map *a)
{
	rng_seed(3);
	for (int i = 0; i < k; i++) {
		uint32_t r = rng_next();

		out[i] = i % 2 == 0 ? cm_cpu(a, (int)(r % (uint32_t)cm_nr(a)))
				    : (int)(r % CM_CPU_LIMIT);
	}
}

/* Comma-joined values; caller frees. */
static char *join_values(const int *v, int n)
{
	char *s = malloc((size_t)n * 7 + 1), *p = s;

	*p = '\0';
	for (int i = 0; i < n; i++)
		p += sprintf(p, i ? ",%d" : "%d", v[i]);
	return s;
}

/* Canonical list text of m; caller frees. */
static char *list_text(const cm_map *m)
{
	int n = cm_snprint(m, NULL, 0);
	char *s = malloc((size_t)n + 1);

	cm_snprint(m, s, n + 1);
	return s;
}

static cm_map *parse_str(const char *s)
{
	return cm_parse(s, (int)strlen(s));
}

/* ------------------------------------------------------------------ */
/* --check: one line per operation, same format as check-peers.mjs     */
/* ------------------------------------------------------------------ */

#define CHECK_PROBES 64

/* Long texts are shown as "#<FNV-1a 32 hex>/<length>" to keep lines short;
 * check-peers.mjs does the same. */
#define SHOW_MAX 160

static void show(const char *s)
{
	size_t n = strlen(s);
	uint32_t h = 2166136261u;

	if (n <= SHOW_MAX) {
		fputs(s, stdout);
		return;
	}
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	printf("#%08x/%zu", h, n);
}

static void print_hex(const uint8_t *p, int n)
{
	char *s = malloc((size_t)n * 2 + 1);

	for (int i = 0; i < n; i++)
		sprintf(s + 2 * i, "%02x", p[i]);
	s[2 * n] = '\0';
	show(s);
	free(s);
}

static void print_map(const cm_map *m)
{
	char *s;

	if (!m) {
		printf("NULL");
		return;
	}
	s = list_text(m);
	show(s);
	free(s);
}

static const char *identity(const cm_map *r, const cm_map *first, const cm_map *second)
{
	if (!r)
		return "null";
	if (r == first)
		return "first";
	if (r == second)
		return "second";
	return "new";
}

static void check_case(const char *label, const char *a_text, const char *b_text)
{
	cm_map *a = parse_str(a_text), *a2 = parse_str(a_text), *b = parse_str(b_text);
	cm_map *m, *hold, *r;
	char *text, buf[1 << 16];
	int probes[CHECK_PROBES], hits = 0, len, sum = 0;
	uint8_t ev[1 << 16];

	printf("%s A ", label);
	print_map(a);
	printf(" nr=%d\n%s B ", cm_nr(a), label);
	print_map(b);
	printf(" nr=%d\n", cm_nr(b));

	text = list_text(a);
	m = parse_str(text);
	printf("%s parse %d ", label, cm_nr(m));
	print_map(m);
	printf("\n");
	cm_put(m);
	free(text);

	len = cm_snprint(a, buf, sizeof(buf));
	printf("%s format_list %d ", label, len);
	show(buf);
	len = cm_snprint_mask(a, buf, sizeof(buf));
	printf("\n%s format_mask %d ", label, len);
	show(len < 0 ? "ERR" : buf);
	printf("\n");

	for (int i = 0; i < cm_nr(a); i++)
		sum += cm_cpu(a, i);
	printf("%s iterate %d %d\n", label, cm_nr(a), sum);

	gen_probes(probes, CHECK_PROBES, a);
	printf("%s has ", label);
	for (int i = 0; i < CHECK_PROBES; i++) {
		hits += cm_has(a, probes[i]);
		putchar('0' + cm_has(a, probes[i]));
	}
	printf(" %d\n", hits);

	printf("%s idx %d %d %d %d\n", label, cm_idx(a, cm_cpu(a, cm_nr(a) - 1)),
	       cm_idx(a, cm_cpu(a, 0)), cm_idx(a, 0), cm_idx(a, 32766));
	printf("%s min_max %d %d\n", label, cm_min(a), cm_max(a));
	printf("%s equal %d %d %d %d\n", label, cm_equal(a, a2), cm_equal(a, b),
	       cm_equal(a, NULL), cm_equal(NULL, NULL));
	printf("%s is_subset %d %d %d %d %d\n", label, cm_is_subset(a, a2),
	       cm_is_subset(a, b), cm_is_subset(b, a), cm_is_subset(a, NULL),
	       cm_is_subset(NULL, a));

	/* merge on fresh copies.  hold keeps the old *orig alive, so a new map
	 * cannot reuse its address and be mistaken for "kept". */
	{
		cm_map *ma = parse_str(a_text), *mb = parse_str(b_text);
		int rc;

		hold = cm_get(ma);
		rc = cm_merge(&ma, mb);
		printf("%s merge %d %s %d ", label, rc, identity(ma, hold, mb), cm_nr(ma));
		print_map(ma);
		cm_put(hold);
		cm_put(mb);
		printf(" %d\n", cm_refcnt(ma)); /* docs/contract.md §2.2: 1 in every case */
		cm_put(ma);
	}

	r = cm_intersect(a, b);
	printf("%s intersect %s %d ", label, identity(r, a, b), cm_nr(r));
	print_map(r);
	printf(" %d\n", cm_refcnt(r));
	cm_put(r);

	{
		int r0 = cm_refcnt(a);
		cm_map *g = cm_get(a);
		int r1 = cm_refcnt(a);

		cm_put(g);
		printf("%s get_put %d %d %d\n", label, r0, r1, cm_refcnt(a));
	}

	len = cm_encode(a, ev, sizeof(ev));
	printf("%s encode %d ", label, len);
	if (len > 0)
		print_hex(ev, len);
	printf("\n");
	m = len > 8 ? cm_decode(ev + 8, len - 8) : NULL;
	printf("%s decode %d ", label, cm_nr(m));
	print_map(m);
	printf("\n");
	cm_put(m);

	cm_put(a);
	cm_put(a2);
	cm_put(b);
}

static int hex_decode(const char *h, uint8_t *out)
{
	int n = 0;

	for (; h[0] && h[1]; h += 2) {
		unsigned v;

		sscanf(h, "%2x", &v);
		out[n++] = (uint8_t)v;
	}
	return n;
}

/* Hand-made payloads (header excluded) for the decoder's edge cases [§7.4]. */
static const char *const check_payloads[] = {
	"0000030003000100010000000000",   /* CPUS [3,1,1]: unsorted, duplicate kept */
	"000002000500ffff",               /* CPUS [5,0xffff] -> [5,-1] */
	"00000000",                       /* CPUS nr 0 -> NULL */
	"00000100ff7f",                   /* CPUS [32767] -> NULL */
	"00000100ffff",                   /* CPUS [-1]: perf stat without CPUs */
	"010001000400fdff1f00",           /* MASK 32-bit, 0x001ffffd -> 0,2-20 */
	"0100010008000000000001000000000000800000", /* MASK 64-bit: 0, 63 */
	"0100020004000000000000000000",   /* MASK with no bit set -> NULL */
	"0200000000000100",               /* RANGE 0..1 (real perf stat -a) */
	"0200020004000500",               /* RANGE any_cpu=2, 4..5 -> [-1,4,5,-1] */
	"0200000005000400",               /* RANGE 5..4, any 0 -> NULL */
	"0200010005000400",               /* RANGE 5..4, any 1 -> [-1] */
	"0200000005000200",               /* RANGE end < start - 1 -> NULL (port) */
	"0200000000ff7f",                 /* RANGE truncated -> NULL (port) */
	"02000000fe7f0000",               /* RANGE 32766..0 -> NULL */
	"0300000000000000",               /* unknown type -> NULL */
	"00000500010002",                 /* CPUS truncated -> NULL (port) */
};

static void check_payload(const char *hex)
{
	uint8_t p[256], ev[256];
	int n = hex_decode(hex, p), len;
	cm_map *m = cm_decode(p, n);

	printf("payload %s ", hex);
	if (!m) {
		printf("NULL\n");
		return;
	}
	printf("%d ", cm_nr(m));
	print_map(m);
	printf(" min=%d max=%d idx_first=%d idx_max=%d refcnt=%d reencode ", cm_min(m), cm_max(m),
	       cm_idx(m, cm_cpu(m, 0)), cm_idx(m, cm_max(m)), cm_refcnt(m));
	len = cm_encode(m, ev, sizeof(ev));
	if (len > 0)
		print_hex(ev, len);
	else
		printf("%d", len);
	printf("\n");
	cm_put(m);
}

/* Fixed cases: the upstream merge/intersect tables [§8.2] and edge maps. */
static const char *const check_fixed[][3] = {
	{ "s82-1", "4,2,1", "4,5,7" },
	{ "s82-2", "1-8", "6-9" },
	{ "s82-3", "1-8,12-20", "6-9,15" },
	{ "s82-4", "4,2,1", "1" },
	{ "s82-5", "1", "4,2,1" },
	{ "s82-6", "1", "1" },
	{ "any", "", "0-3" },
	{ "anyany", "", "" },
	{ "mask32", "0,1,32", "0-31,64" },
	{ "synth", "0,2-20", "1,256" },
	{ "range", "1-256", "0,2,4,6,64" },
	{ "nullB", "0-3", "x" },
	{ "nullA", "x", "0-3" },
};

static void run_check(void)
{
	static const char *const shapes[] = { "dense", "sparse" };
	static const int sizes[] = { 4, 64 };
	int va[64], vb[64];

	for (int s = 0; s < (int)(sizeof(shapes) / sizeof(shapes[0])); s++) {
		for (int z = 0; z < 2; z++) {
			char label[32], *ta, *tb;

			gen_set(va, sizes[z], shapes[s], 0);
			gen_set(vb, sizes[z], shapes[s], 1);
			ta = join_values(va, sizes[z]);
			tb = join_values(vb, sizes[z]);
			snprintf(label, sizeof(label), "%s-%d", shapes[s], sizes[z]);
			check_case(label, ta, tb);
			free(ta);
			free(tb);
		}
	}
	for (size_t i = 0; i < sizeof(check_fixed) / sizeof(check_fixed[0]); i++)
		check_case(check_fixed[i][0], check_fixed[i][1], check_fixed[i][2]);
	for (size_t i = 0; i < sizeof(check_payloads) / sizeof(check_payloads[0]); i++)
		check_payload(check_payloads[i]);
}

/* ------------------------------------------------------------------ */
/* --parse-hex                                                         */
/* ------------------------------------------------------------------ */

static void run_parse_hex(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]) / 2 + 1;
		uint8_t *s = malloc(n);
		int len = hex_decode(argv[i], s);
		cm_map *m = cm_parse((const char *)s, len);

		print_map(m);
		printf("\n");
		cm_put(m);
		free(s);
	}
}

/* ------------------------------------------------------------------ */
/* Benchmark                                                           */
/* ------------------------------------------------------------------ */

#define NPROBES 1024 /* power of two: probe index is i & (NPROBES - 1) */

struct ctx {
	cm_map *a, *a2, *b;
	char *text;             /* canonical list text of A */
	int text_len;
	uint8_t *event;         /* PERF_RECORD_CPU_MAP event of A */
	int event_len;
	int probes[NPROBES];
	char *buf;              /* output buffer for format/encode */
	int buf_size;
};

typedef uint64_t (*op_fn)(struct ctx *c, long n);

static uint64_t op_parse(struct ctx *c, long n)
{
	uint64_t acc = 0;

	for (long i = 0; i < n; i++) {
		cm_map *m = cm_parse(c->text, c->text_len);

		acc += (uint64_t)cm_nr(m);
		cm_put(m);
	}
	return acc;
}

static uint64_t op_format_list(struct ctx *c, long n)
{
	uint64_t acc = 0;

	for (long i = 0; i < n; i++)
		acc += (uint64_t)cm_snprint(c->a, c->buf, c->buf_size);
	return acc;
}

static uint64_t op_format_mask(struct ctx *c, long n)
{
	uint64_t acc = 0;

	for (long i = 0; i < n; i++)
		acc += (uint64_t)cm_snprint_mask(c->a, c->buf, c->buf_size);
	return acc;
}

static uint64_t op_iterate(struct ctx *c, long n)
{
	uint64_t acc = 0;

	for (long i = 0; i < n; i++)
		for (int k = 0; k < cm_nr(c->a); k++)
			acc += (uint64_t)cm_cpu(c->a, k);
	return acc;
}

static uint64_t op_has(struct ctx *c, long n)
{
	uint64_t acc = 0;

	for (long i = 0; i < n; i++)
		acc += (uint64_t)cm_has(c->a, c->probes[i & (NPROBES - 1)]);
	return acc;
}

static uint64_t op_equal(struct ctx *c, long n)
{
	uint64_t acc = 0;

	for (long i = 0; i < n; i++)
		acc += (uint64_t)cm_equal(c->a, c->a2);
	return acc;
}

static uint64_t op_is_subset(struct ctx *c, long n)
{
	uint64_t acc = 0;

	for (long i = 0; i < n; i++)
		acc += (uint64_t)cm_is_subset(c->a, c->a2);
	return acc;
}

static uint64_t op_merge(struct ctx *c, long n)
{
	uint64_t acc = 0;

	for (long i = 0; i < n; i++) {
		cm_map *m = cm_get(c->a);

		cm_merge(&m, c->b);
		acc += (uint64_t)cm_nr(m);
		cm_put(m);
	}
	return acc;
}

static uint64_t op_intersect(struct ctx *c, long n)
{
	uint64_t acc = 0;

	for (long i = 0; i < n; i++) {
		cm_map *r = cm_intersect(c->a, c->b);

		acc += r ? (uint64_t)cm_nr(r) : 0;
		cm_put(r);
	}
	return acc;
}

static uint64_t op_get_put(struct ctx *c, long n)
{
	uint64_t acc = 0;

	for (long i = 0; i < n; i++) {
		cm_map *r = cm_get(c->a);

		acc += r != NULL;
		cm_put(r);
	}
	return acc;
}

static uint64_t op_encode(struct ctx *c, long n)
{
	uint64_t acc = 0;

	for (long i = 0; i < n; i++)
		acc += (uint64_t)cm_encode(c->a, (uint8_t *)c->buf, c->buf_size);
	return acc;
}

static uint64_t op_decode(struct ctx *c, long n)
{
	uint64_t acc = 0;

	for (long i = 0; i < n; i++) {
		cm_map *m = cm_decode(c->event + 8, c->event_len - 8);

		acc += (uint64_t)cm_nr(m);
		cm_put(m);
	}
	return acc;
}

static const struct {
	const char *name;
	op_fn fn;
} ops[] = {
	{ "parse", op_parse },         { "format_list", op_format_list },
	{ "format_mask", op_format_mask }, { "iterate", op_iterate },
	{ "has", op_has },             { "equal", op_equal },
	{ "is_subset", op_is_subset }, { "merge", op_merge },
	{ "intersect", op_intersect }, { "get_put", op_get_put },
	{ "encode", op_encode },       { "decode", op_decode },
};

static volatile uint64_t sink;

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static uint64_t last_acc;

static double time_batch(op_fn fn, struct ctx *c, long n)
{
	double t0 = now_ns();

	last_acc = fn(c, n);
	t0 = now_ns() - t0;
	sink += last_acc;
	return t0;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

/* Quantile of sorted x[0..n-1], linear interpolation (R type 7). */
static double quantile(const double *x, int n, double p)
{
	double h = (n - 1) * p;
	int lo = (int)h;

	return lo + 1 < n ? x[lo] + (h - lo) * (x[lo + 1] - x[lo]) : x[lo];
}

/* What the JSON lines call this binary: "native-c", "libperf-algo" or "floor". */
static const char *impl_name = "native-c";

static void measure(const char *op, op_fn fn, struct ctx *c, const char *shape, int size,
		    double target_ns, int runs)
{
	double ns[64], t;
	long n = 1;

	/* Calibration doubles as warm-up. */
	for (;;) {
		t = time_batch(fn, c, n);
		if (t >= target_ns)
			break;
		n = t < target_ns / 16 ? n * 8 : (long)(n * target_ns / t * 1.05) + 1;
	}
	for (int r = 0; r < runs; r++)
		ns[r] = time_batch(fn, c, n) / (double)n;
	qsort(ns, (size_t)runs, sizeof(ns[0]), cmp_double);
	printf("{\"impl\":\"%s\",\"op\":\"%s\",\"size\":%d,\"shape\":\"%s\","
	       "\"ns_per_op\":%.3f,\"ns_min\":%.3f,\"ns_max\":%.3f,\"ns_q1\":%.3f,\"ns_q3\":%.3f,"
	       "\"runs\":%d,\"batch\":%ld,\"sum\":%llu}\n",
	       impl_name, op, size, shape, quantile(ns, runs, 0.5), ns[0], ns[runs - 1],
	       quantile(ns, runs, 0.25), quantile(ns, runs, 0.75), runs, n,
	       (unsigned long long)last_acc);
	fflush(stdout);
}

/* ------------------------------------------------------------------ */
/* --floors: the least work each operation must do, in plain C        */
/* ------------------------------------------------------------------ */

/* Each floor is timed like an op and reported under the op it bounds:
 *   parse, decode  fill nr(A) ascending int16 values (what a map of a
 *                  range must hold; meaningful for dense A)
 *   equal          memcmp of A against a copy: one full pass over A
 *   is_subset      memcmp of nr(A2) entries against a copy: one full pass over
 *                  the smaller map
 *   has            a test in a bitmap of A (1 bit per cpu, built once)
 *   merge          a scratch bitmap: clear the range, set A's and B's bits,
 *                  write the set bits out as int16 values
 *   intersect      the same with A's bits set and B's tested
 * The loops' sums are not the ops' checksums: bench/run.mjs skips the check. */
static uint64_t bitmap_words[(CM_CPU_LIMIT + 63) / 64];

static uint64_t floor_fill(struct ctx *c, long n)
{
	int16_t *out = (int16_t *)c->buf;
	int nr = cm_nr(c->a), first = cm_cpu(c->a, 0);
	uint64_t acc = 0;

	for (long i = 0; i < n; i++) {
		for (int k = 0; k < nr; k++)
			out[k] = (int16_t)(first + k);
		__asm__ volatile("" : : "r"(out) : "memory");
		acc += (uint64_t)out[nr - 1];
	}
	return acc;
}

static uint64_t floor_memcmp_equal(struct ctx *c, long n)
{
	uint64_t acc = 0;
	size_t bytes = (size_t)cm_nr(c->a) * 2;

	/* one full pass over A's bytes (A against a copy of it) */
	memcpy(c->buf, c->a->cpus, bytes);
	for (long i = 0; i < n; i++) {
		__asm__ volatile("" : : "r"(c->buf) : "memory");
		acc += memcmp(c->a->cpus, c->buf, bytes) == 0;
	}
	return acc;
}

static uint64_t floor_memcmp_subset(struct ctx *c, long n)
{
	uint64_t acc = 0;
	size_t bytes = (size_t)cm_nr(c->a2) * 2;

	/* one full pass over the smaller map's bytes (A2 against a copy of it) */
	memcpy(c->buf, c->a2->cpus, bytes);
	for (long i = 0; i < n; i++) {
		__asm__ volatile("" : : "r"(c->buf) : "memory");
		acc += memcmp(c->a2->cpus, c->buf, bytes) == 0;
	}
	return acc;
}

static uint64_t floor_bit_test(struct ctx *c, long n)
{
	uint64_t acc = 0;

	memset(bitmap_words, 0, sizeof(bitmap_words));
	for (int k = 0; k < cm_nr(c->a); k++)
		bitmap_words[c->a->cpus[k] >> 6] |= 1ull << (c->a->cpus[k] & 63);
	for (long i = 0; i < n; i++) {
		int p = c->probes[i & (NPROBES - 1)];

		acc += (bitmap_words[p >> 6] >> (p & 63)) & 1;
	}
	return acc;
}

static int drain_bits(int lo, int hi, int16_t *out)
{
	int k = 0;

	for (int w = lo; w <= hi; w++) {
		uint64_t bits = bitmap_words[w];

		while (bits) {
			out[k++] = (int16_t)(w * 64 + __builtin_ctzll(bits));
			bits &= bits - 1;
		}
	}
	return k;
}

static uint64_t floor_bitmap_union(struct ctx *c, long n)
{
	int16_t *out = (int16_t *)c->buf;
	const cm_map *a = c->a, *b = c->b;
	int lo = (a->cpus[0] < b->cpus[0] ? a->cpus[0] : b->cpus[0]) >> 6;
	int hi = (a->cpus[a->nr - 1] > b->cpus[b->nr - 1] ? a->cpus[a->nr - 1] : b->cpus[b->nr - 1]) >> 6;
	uint64_t acc = 0;

	for (long i = 0; i < n; i++) {
		memset(bitmap_words + lo, 0, (size_t)(hi - lo + 1) * 8);
		for (int k = 0; k < a->nr; k++)
			bitmap_words[a->cpus[k] >> 6] |= 1ull << (a->cpus[k] & 63);
		for (int k = 0; k < b->nr; k++)
			bitmap_words[b->cpus[k] >> 6] |= 1ull << (b->cpus[k] & 63);
		acc += (uint64_t)drain_bits(lo, hi, out);
	}
	return acc;
}

static uint64_t floor_bitmap_intersect(struct ctx *c, long n)
{
	int16_t *out = (int16_t *)c->buf;
	const cm_map *a = c->a, *b = c->b;
	int lo = a->cpus[0] >> 6, hi = a->cpus[a->nr - 1] >> 6;
	uint64_t acc = 0;

	for (long i = 0; i < n; i++) {
		int k = 0;

		memset(bitmap_words + lo, 0, (size_t)(hi - lo + 1) * 8);
		for (int j = 0; j < a->nr; j++)
			bitmap_words[a->cpus[j] >> 6] |= 1ull << (a->cpus[j] & 63);
		for (int j = 0; j < b->nr; j++) {
			int v = b->cpus[j];

			if (v >> 6 >= lo && v >> 6 <= hi && ((bitmap_words[v >> 6] >> (v & 63)) & 1))
				out[k++] = (int16_t)v;
		}
		__asm__ volatile("" : : "r"(out) : "memory");
		acc += (uint64_t)k;
	}
	return acc;
}

static const struct {
	const char *name;
	op_fn fn;
} floors[] = {
	{ "parse", floor_fill },        { "decode", floor_fill },
	{ "equal", floor_memcmp_equal }, { "is_subset", floor_memcmp_subset },
	{ "has", floor_bit_test },      { "merge", floor_bitmap_union },
	{ "intersect", floor_bitmap_intersect },
};

static int setup(struct ctx *c, const char *shape, int size)
{
	int *va = malloc(sizeof(int) * (size_t)size), *vb = malloc(sizeof(int) * (size_t)size);
	char *ta, *tb;

	int nb;

	gen_set(va, size, shape, 0);
	nb = gen_set(vb, size, shape, 1);
	ta = join_values(va, size);
	tb = join_values(vb, nb);
	c->a = parse_str(ta);
	c->b = parse_str(tb);
	free(ta);
	free(tb);
	free(va);
	free(vb);
	if (!c->a || !c->b)
		return -1;
	c->text = list_text(c->a);
	c->text_len = (int)strlen(c->text);
	if (subset_shape(shape)) {
		char *t2 = list_text(c->b);

		c->a2 = parse_str(t2);
		free(t2);
	} else {
		c->a2 = parse_str(c->text);
	}
	c->buf_size = 1 << 17;
	c->buf = malloc((size_t)c->buf_size);
	c->event_len = cm_encode(c->a, NULL, 0);
	c->event = malloc((size_t)c->event_len);
	cm_encode(c->a, c->event, c->event_len);
	gen_probes(c->probes, NPROBES, c->a);
	return 0;
}

static void teardown(struct ctx *c)
{
	cm_put(c->a);
	cm_put(c->a2);
	cm_put(c->b);
	free(c->text);
	free(c->buf);
	free(c->event);
}

/* ------------------------------------------------------------------ */
/* --dump: the agreement lines of bench/run.mjs (src/impls.mjs)        */
/* ------------------------------------------------------------------ */

static void dump_case(struct ctx *c, const char *label)
{
	cm_map *m, *r;
	char *joined, *p, bits[NPROBES + 1];
	long long sum = 0;
	int len, hits = 0, r0, r1;

	m = cm_parse(c->text, c->text_len);
	printf("%s parse %d ", label, m ? cm_nr(m) : 0);
	print_map(m);
	printf("\n");
	cm_put(m);

	len = cm_snprint(c->a, c->buf, c->buf_size);
	printf("%s format_list %d ", label, len);
	show(c->buf);
	len = cm_snprint_mask(c->a, c->buf, c->buf_size);
	printf("\n%s format_mask %d ", label, len);
	show(len < 0 ? "ERR" : c->buf);
	printf("\n");

	joined = malloc((size_t)cm_nr(c->a) * 7 + 1);
	p = joined;
	*p = '\0';
	for (int i = 0; i < cm_nr(c->a); i++) {
		sum += cm_cpu(c->a, i);
		p += sprintf(p, i ? ",%d" : "%d", cm_cpu(c->a, i));
	}
	printf("%s iterate %d %lld ", label, cm_nr(c->a), sum);
	show(joined);
	printf("\n");
	free(joined);

	for (int i = 0; i < NPROBES; i++) {
		int h = cm_has(c->a, c->probes[i]);

		hits += h;
		bits[i] = (char)('0' + h);
	}
	bits[NPROBES] = '\0';
	printf("%s has %d ", label, hits);
	show(bits);
	printf("\n%s idx %d %d %d %d\n", label, cm_idx(c->a, cm_cpu(c->a, cm_nr(c->a) - 1)),
	       cm_idx(c->a, cm_cpu(c->a, 0)), cm_idx(c->a, 0), cm_idx(c->a, 32766));
	printf("%s equal %d %d\n", label, cm_equal(c->a, c->a2), cm_equal(c->a, c->b));
	printf("%s is_subset %d %d %d\n", label, cm_is_subset(c->a, c->a2),
	       cm_is_subset(c->a, c->b), cm_is_subset(c->b, c->a));

	m = cm_get(c->a);
	cm_merge(&m, c->b);
	printf("%s merge %d ", label, cm_nr(m));
	print_map(m);
	printf("\n");
	cm_put(m);

	r = cm_intersect(c->a, c->b);
	printf("%s intersect %d ", label, r ? cm_nr(r) : 0);
	if (r)
		print_map(r);
	printf("\n");
	cm_put(r);

	r0 = cm_refcnt(c->a);
	r = cm_get(c->a);
	r1 = cm_refcnt(c->a);
	cm_put(r);
	printf("%s get_put %d %d %d\n", label, r0, r1, cm_refcnt(c->a));

	printf("%s encode %d ", label, c->event_len);
	print_hex(c->event, c->event_len);
	m = cm_decode(c->event + 8, c->event_len - 8);
	printf("\n%s decode %d ", label, m ? cm_nr(m) : 0);
	print_map(m);
	printf("\n");
	cm_put(m);
}

/* ------------------------------------------------------------------ */
/* --memory: malloc'd bytes per map                                    */
/* ------------------------------------------------------------------ */

#if defined(__GLIBC__)
#include <malloc.h>
static long long heap_in_use(void) { return (long long)mallinfo2().uordblks; }
#else
static long long heap_in_use(void) { return -1; }
#endif

/* Same count as bench/src/workload.mjs: about 16 MB of CPU arrays per size. */
static int memory_maps(int size)
{
	int n = (int)(16e6 / (2.0 * size + 16));

	return n < 1000 ? 1000 : n > 20000 ? 20000 : n;
}

static int run_memory(void)
{
	static const int sizes[] = { 4, 64, 256, 1024, 4096, 8192 };

	for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
		struct ctx c;
		int n = memory_maps(sizes[z]);
		cm_map **maps = malloc(sizeof(*maps) * (size_t)n);
		long long before, after;

		if (setup(&c, "dense", sizes[z]))
			return 1;
		before = heap_in_use();
		for (int i = 0; i < n; i++)
			maps[i] = cm_parse(c.text, c.text_len);
		after = heap_in_use();
		for (int i = 0; i < n; i++)
			cm_put(maps[i]);
		free(maps);
		teardown(&c);
		printf("{\"impl\":\"native-c\",\"size\":%d,\"maps\":%d,\"bytes_per_map\":%.2f}\n",
		       sizes[z], n, before < 0 ? -1.0 : (double)(after - before) / n);
	}
	return 0;
}

static int run_dump(void)
{
	static const char *const shapes[] = { "dense", "sparse", "alt", "half" };
	static const int sizes[] = { 4, 64, 256, 1024, 4096, 8192 };

	for (int s = 0; s < (int)(sizeof(shapes) / sizeof(shapes[0])); s++) {
		for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
			struct ctx c;
			char label[32];

			if (setup(&c, shapes[s], sizes[z]))
				return 1;
			snprintf(label, sizeof(label), "%s-%d", shapes[s], sizes[z]);
			dump_case(&c, label);
			teardown(&c);
		}
	}
	return 0;
}

static int run_bench(int quick, const char *only, int floor_mode)
{
	static const char *const shapes[] = { "dense", "sparse", "alt", "half" };
	static const int sizes[] = { 4, 64, 256, 1024, 4096, 8192 };
	double target_ns = quick ? 1e6 : 5e6;
	int runs = quick ? 5 : 11, matched = 0;

	for (int s = 0; s < (int)(sizeof(shapes) / sizeof(shapes[0])); s++) {
		for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
			struct ctx c;

			if (setup(&c, shapes[s], sizes[z])) {
				fprintf(stderr, "setup failed for %s %d\n", shapes[s], sizes[z]);
				return 1;
			}
			for (size_t o = 0; !floor_mode && o < sizeof(ops) / sizeof(ops[0]); o++) {
				if (only && strcmp(only, ops[o].name))
					continue;
				matched = 1;
				measure(ops[o].name, ops[o].fn, &c, shapes[s], sizes[z], target_ns, runs);
			}
			for (size_t o = 0; floor_mode && o < sizeof(floors) / sizeof(floors[0]); o++) {
				if (only && strcmp(only, floors[o].name))
					continue;
				matched = 1;
				measure(floors[o].name, floors[o].fn, &c, shapes[s], sizes[z], target_ns, runs);
			}
			teardown(&c);
		}
	}
	if (!matched && !floor_mode) {
		fprintf(stderr, "no such op: %s\n", only);
		return 2;
	}
	fprintf(stderr, "checksum %llu\n", (unsigned long long)sink);
	return 0;
}

int main(int argc, char **argv)
{
	int quick = 0, floor_mode = 0;
	const char *only = NULL;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--check")) {
			run_check();
			return 0;
		} else if (!strcmp(argv[i], "--dump")) {
			return run_dump();
		} else if (!strcmp(argv[i], "--memory")) {
			return run_memory();
		} else if (!strcmp(argv[i], "--parse-hex")) {
			run_parse_hex(argc - i - 1, argv + i + 1);
			return 0;
		} else if (!strcmp(argv[i], "--quick")) {
			quick = 1;
		} else if (!strcmp(argv[i], "--floors")) {
			floor_mode = 1;
			impl_name = "floor";
		} else if (!strcmp(argv[i], "--name") && i + 1 < argc) {
			impl_name = argv[++i];
		} else if (!strcmp(argv[i], "--op") && i + 1 < argc) {
			only = argv[++i];
		} else {
			fprintf(stderr, "usage: %s [--quick] [--op NAME] [--floors] [--name IMPL] | --check | --dump | --memory | --parse-hex HEX...\n",
				argv[0]);
			return 2;
		}
	}
	return run_bench(quick, only, floor_mode);
}
