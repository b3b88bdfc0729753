/*
 * cpumap.c - C peer of libperf's perf_cpu_map (see cpumap.h).
 *
 * Behaviour follows docs/contract.md; section numbers in brackets.
 * Deliberate differences from upstream, all on paths the spec calls
 * undefined or buggy (docs/contract.md §11):
 *   - the parser's duplicate check is a bitmap (linear), not a scan of all
 *     earlier values (quadratic); the 4096 "MAX_NR_CPUS" warning is not printed;
 *   - the MASK writer chooses MASK or CPUS as upstream does (MASK size from
 *     ceil(max / 32) words) but writes ceil((max + 1) / 32) words, so a
 *     largest CPU that is a multiple of 32 survives (upstream drops it,
 *     §7.2); the same rule as assembly/payload.ts;
 *   - formatting produces the full length and never overflows the buffer;
 *   - payload decoding checks every length against the buffer.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpumap.h"

/* ------------------------------------------------------------------ */
/* Allocation and reference counting [§2]                              */
/* ------------------------------------------------------------------ */

static cm_map *map_alloc(int nr)
{
	cm_map *m;

	if (nr <= 0)
		return NULL; /* like upstream: no zero-length maps */
	m = malloc(sizeof(*m) + (size_t)nr * sizeof(m->cpus[0]));
	if (m) {
		m->refcnt = 1;
		m->nr = nr;
	}
	return m;
}

static cm_map *map_any_cpu(void)
{
	cm_map *m = map_alloc(1);

	if (m)
		m->cpus[0] = -1;
	return m;
}

CM_API cm_map *cm_get(cm_map *m)
{
	if (m)
		m->refcnt++;
	return m;
}

CM_API void cm_put(cm_map *m)
{
	if (m && --m->refcnt == 0)
		free(m);
}

CM_API int cm_refcnt(const cm_map *m)
{
	return m ? m->refcnt : 0;
}

/* ------------------------------------------------------------------ */
/* Parser [§3.1]                                                       */
/* ------------------------------------------------------------------ */

/* Any value at or above the limit fails, so accumulation saturates here:
 * low enough that value * 16 + 15 fits in 32 bits (unsigned long is 32-bit
 * on wasm32, so no unsigned long here). */
#define PARSE_SAT (1u << 24)

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

/*
 * strtoul(p, &end, 0) restricted to [p, e), saturating at PARSE_SAT:
 * leading C-locale white space, an optional sign (a negative non-zero value
 * wraps to a huge number, "-0" is 0), then automatic base.  "0x" counts as a
 * prefix only when a hex digit follows; otherwise "0" is read as an octal
 * zero and the 'x' is left.  No digits: value 0 and the end is p itself.
 */
static const char *read_number(const char *p, const char *e, uint32_t *out)
{
	const char *s = p;
	uint32_t v = 0, base = 10;
	int neg = 0, any = 0;

	while (s < e && (*s == ' ' || (*s >= '\t' && *s <= '\r')))
		s++;
	if (s < e && (*s == '+' || *s == '-'))
		neg = *s++ == '-';
	if (s < e && *s == '0') {
		if (e - s > 2 && (s[1] == 'x' || s[1] == 'X') && digit_value(s[2]) < 16) {
			base = 16;
			s += 2;
		} else {
			base = 8;
		}
	}
	for (; s < e; s++) {
		uint32_t d = (uint32_t)digit_value(*s);

		if (d >= base)
			break;
		any = 1;
		if (v < PARSE_SAT)
			v = v * base + d;
	}
	if (!any) {
		*out = 0;
		return p;
	}
	if (v > PARSE_SAT || (neg && v != 0))
		v = PARSE_SAT;
	*out = v;
	return s;
}

/*
 * Duplicate detector: one bit per possible CPU (4 KiB).  Static so that a
 * parse does not pay for zeroing 4 KiB; every exit path clears exactly the
 * bits it set (linear in the output).  Not re-entrant: fine for the
 * single-threaded benchmark and for wasm.
 */
static uint32_t parse_seen[(CM_CPU_LIMIT + 31) / 32];

static int seen_test_and_set(int cpu)
{
	uint32_t bit = 1u << (cpu & 31), *w = &parse_seen[cpu >> 5];
	int was = (*w & bit) != 0;

	*w |= bit;
	return was;
}

static void seen_clear(const int16_t *cpus, int nr)
{
	for (int i = 0; i < nr; i++)
		parse_seen[cpus[i] >> 5] = 0;
}

/* Unsorted input: read the values back in ascending order from the bitmap
 * (clearing it on the way) instead of sorting: linear, no qsort. */
static void seen_drain_sorted(int16_t *cpus, int lo, int hi)
{
	int n = 0;

	for (int w = lo >> 5; w <= hi >> 5; w++) {
		uint32_t bits = parse_seen[w];

		parse_seen[w] = 0;
		while (bits) {
			cpus[n++] = (int16_t)(w * 32 + __builtin_ctz(bits));
			bits &= bits - 1;
		}
	}
}

CM_API cm_map *cm_parse(const char *s, int len)
{
	const char *p = s, *e, *nul;
	cm_map *m = NULL;
	int cap = 0, nr = 0, sorted = 1, lo = CM_CPU_LIMIT, hi = -1;

	if (!s || len < 0)
		return NULL; /* libperf reads the online CPUs for NULL; not ported */
	nul = memchr(s, 0, (size_t)len);
	e = nul ? nul : s + len;
	if (p == e)
		return map_any_cpu();
	if (!is_digit(*p))
		return NULL;

	/* The loop also ends, without error, when a separator is not followed
	 * by a digit: "0, 1" is [0] [§3.1 step 3.6]. */
	while (p < e && is_digit(*p)) {
		uint32_t first, last;

		p = read_number(p, e, &first);
		if (first >= CM_CPU_LIMIT)
			goto fail;
		if (p < e && *p != ',' && *p != '-' && *p != '\n')
			goto fail;
		last = first;
		if (p < e && *p == '-') {
			/* The range end goes through the full strtoul rules: white
			 * space and a sign are accepted, no digits reads as 0. */
			p = read_number(p + 1, e, &last);
			if (last >= CM_CPU_LIMIT)
				goto fail;
			if (p < e && *p != ',' && *p != '\n')
				goto fail;
			if (last < first)
				goto fail;
		}
		if (nr + (int)(last - first + 1) > cap) {
			int want = cap * 2 > nr + (int)(last - first + 1)
				? cap * 2 : nr + (int)(last - first + 1) + 16;
			cm_map *g = realloc(m, sizeof(*m) + (size_t)want * sizeof(m->cpus[0]));

			if (!g)
				goto fail;
			m = g;
			cap = want;
		}
		for (uint32_t c = first; c <= last; c++) {
			if (seen_test_and_set((int)c))
				goto fail; /* duplicates and overlaps are errors */
			if ((int)c <= hi)
				sorted = 0;
			m->cpus[nr++] = (int16_t)c;
			if ((int)c < lo)
				lo = (int)c;
			if ((int)c > hi)
				hi = (int)c;
		}
		if (p < e)
			p++; /* exactly one separator */
	}

	if (sorted)
		seen_clear(m->cpus, nr);
	else
		seen_drain_sorted(m->cpus, lo, hi);
	if (cap > nr) {
		cm_map *g = realloc(m, sizeof(*m) + (size_t)nr * sizeof(m->cpus[0]));

		if (g)
			m = g;
	}
	m->refcnt = 1;
	m->nr = nr;
	return m;

fail:
	/* Every bit set so far belongs to a stored value (a duplicate's bit
	 * was already there), so clearing by the stored values is complete. */
	if (m) {
		seen_clear(m->cpus, nr);
		free(m);
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Queries [§4]                                                        */
/* ------------------------------------------------------------------ */

CM_API int cm_nr(const cm_map *m)
{
	return m ? m->nr : 1;
}

CM_API int cm_cpu(const cm_map *m, int idx)
{
	/* Unsigned compare: a negative index is out of range (latest upstream). */
	if (m && (unsigned)idx < (unsigned)m->nr)
		return m->cpus[idx];
	return -1;
}

CM_API int cm_idx(const cm_map *m, int cpu)
{
	int low = 0, high;

	if (!m)
		return -1;
	high = m->nr;
	while (low < high) {
		int mid = (low + high) / 2;
		int v = m->cpus[mid];

		if (v == cpu)
			return mid;
		if (v > cpu)
			high = mid;
		else
			low = mid + 1;
	}
	return -1;
}

CM_API int cm_has(const cm_map *m, int cpu)
{
	return cm_idx(m, cpu) != -1;
}

CM_API int cm_min(const cm_map *m)
{
	for (int i = 0, n = cm_nr(m); i < n; i++) {
		int c = cm_cpu(m, i);

		if (c != -1)
			return c;
	}
	return -1;
}

CM_API int cm_max(const cm_map *m)
{
	return m ? m->cpus[m->nr - 1] : -1;
}

CM_API int cm_equal(const cm_map *a, const cm_map *b)
{
	if (a == b)
		return 1;
	if (!a || !b || a->nr != b->nr)
		return 0;
	return memcmp(a->cpus, b->cpus, (size_t)a->nr * sizeof(a->cpus[0])) == 0;
}

CM_API int cm_is_subset(const cm_map *a, const cm_map *b)
{
	int j = 0;

	if (a == b || !b)
		return 1;
	if (!a || b->nr > a->nr)
		return 0;
	for (int i = 0; i < a->nr; i++) {
		if (a->cpus[i] > b->cpus[j])
			return 0;
		if (a->cpus[i] == b->cpus[j] && ++j == b->nr)
			return 1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Set operations [§5]                                                 */
/* ------------------------------------------------------------------ */

static int cmp_i16(const void *x, const void *y)
{
	return *(const int16_t *)x - *(const int16_t *)y;
}

/* Sort ascending and drop adjacent duplicates in place; returns the new nr.
 * Sorted inputs (the usual case) skip the qsort. */
static int normalise(int16_t *c, int n)
{
	int out = 1;

	for (int i = 1; i < n; i++) {
		if (c[i] <= c[i - 1]) {
			qsort(c, (size_t)n, sizeof(c[0]), cmp_i16);
			break;
		}
	}
	for (int i = 1; i < n; i++)
		if (c[i] != c[out - 1])
			c[out++] = c[i];
	return out;
}

CM_API int cm_merge(cm_map **orig, cm_map *other)
{
	cm_map *a = *orig, *m;
	int i = 0, j = 0, k = 0;

	if (cm_is_subset(a, other))
		return 0; /* other adds nothing (includes other NULL) */
	if (cm_is_subset(other, a)) {
		cm_put(a); /* *orig is contained in other (includes *orig NULL) */
		*orig = cm_get(other);
		return 0;
	}
	/* Both non-NULL here.  Upstream merges into a temporary buffer and
	 * copies; the result block is used as that buffer directly. */
	m = map_alloc(a->nr + other->nr);
	if (!m)
		return -ENOMEM;
	while (i < a->nr && j < other->nr) {
		if (a->cpus[i] <= other->cpus[j]) {
			if (a->cpus[i] == other->cpus[j])
				j++; /* equal: take orig's entry, skip other's */
			m->cpus[k++] = a->cpus[i++];
		} else {
			m->cpus[k++] = other->cpus[j++];
		}
	}
	while (i < a->nr)
		m->cpus[k++] = a->cpus[i++];
	while (j < other->nr)
		m->cpus[k++] = other->cpus[j++];
	m->nr = normalise(m->cpus, k);
	cm_put(a);
	*orig = m;
	return 0;
}

CM_API cm_map *cm_intersect(cm_map *a, cm_map *b)
{
	cm_map *m;
	int i = 0, j = 0, k = 0;

	if (cm_is_subset(b, a))
		return cm_get(a); /* a contained in b (includes a NULL) */
	if (cm_is_subset(a, b))
		return cm_get(b); /* b contained in a (includes b NULL) */
	m = map_alloc(a->nr < b->nr ? a->nr : b->nr);
	if (!m)
		return NULL;
	while (i < a->nr && j < b->nr) {
		if (a->cpus[i] < b->cpus[j]) {
			i++;
		} else if (a->cpus[i] > b->cpus[j]) {
			j++;
		} else {
			m->cpus[k++] = a->cpus[i];
			i++;
			j++;
		}
	}
	if (k == 0) {
		free(m);
		return NULL; /* the empty map */
	}
	m->nr = k; /* the block keeps its slack; nr is what counts */
	return m;
}

/* ------------------------------------------------------------------ */
/* Formatting [§6]                                                     */
/* ------------------------------------------------------------------ */

/* snprintf-style sink: counts every character, stores what fits. */
struct sink {
	char *buf;
	int size;
	int len;
};

static void sink_char(struct sink *s, char c)
{
	if (s->len < s->size - 1)
		s->buf[s->len] = c;
	s->len++;
}

static void sink_int(struct sink *s, int v)
{
	char tmp[12];
	int n = 0;
	unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		sink_char(s, '-');
	while (n)
		sink_char(s, tmp[--n]);
}

static int sink_end(struct sink *s)
{
	if (s->size > 0)
		s->buf[s->len < s->size - 1 ? s->len : s->size - 1] = '\0';
	return s->len;
}

CM_API int cm_snprint(const cm_map *m, char *buf, int size)
{
	struct sink s = { buf, buf ? size : 0, 0 };
	int n = cm_nr(m);

	/* Runs of consecutive values; values print signed, so [-1,0,1] is
	 * "-1-1" and NULL is "-1" [§6.1]. */
	for (int i = 0; i < n;) {
		int first = cm_cpu(m, i), j = i;

		while (j + 1 < n && cm_cpu(m, j + 1) == cm_cpu(m, j) + 1)
			j++;
		if (i)
			sink_char(&s, ',');
		sink_int(&s, first);
		if (j > i) {
			sink_char(&s, '-');
			sink_int(&s, cm_cpu(m, j));
		}
		i = j + 1;
	}
	return sink_end(&s);
}

CM_API int cm_snprint_mask(const cm_map *m, char *buf, int size)
{
	static const char hex[] = "0123456789abcdef";
	uint32_t words[(CM_CPU_LIMIT + 1 + 31) / 32]; /* int16 CPUs: at most 32767 */
	struct sink s = { buf, buf ? size : 0, 0 };
	int top = cm_max(m);

	if (!m || top < 0)
		return -1;
	memset(words, 0, (size_t)(top / 32 + 1) * sizeof(words[0]));
	for (int i = 0; i < m->nr; i++) {
		int c = m->cpus[i];

		if (c < 0)
			return -1;
		/* Only an unsorted decoded map can hold a CPU above its last
		 * entry; the mask is sized by that entry, so such CPUs do not show. */
		if (c <= top)
			words[c / 32] |= 1u << (c % 32);
	}
	for (int k = top / 4; k >= 0; k--) {
		sink_char(&s, hex[(words[k / 8] >> (k % 8 * 4)) & 0xf]);
		if (k > 0 && k % 8 == 0)
			sink_char(&s, ','); /* after the digit holding CPU 32, 64, ... */
	}
	return sink_end(&s);
}

/* ------------------------------------------------------------------ */
/* PERF_RECORD_CPU_MAP payloads [§7]                                   */
/* ------------------------------------------------------------------ */

/* Explicit little-endian stores/loads: the payload is byte-packed, so its
 * fields are unaligned, and the file order is the writer's (LE here). */
static void put16(uint8_t *p, unsigned v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, v & 0xffff); put16(p + 2, v >> 16); }
static unsigned get16(const uint8_t *p) { return p[0] | (unsigned)p[1] << 8; }
static uint32_t get32(const uint8_t *p) { return get16(p) | (uint32_t)get16(p + 2) << 16; }

static int round8(int n) { return (n + 7) & ~7; }

CM_API int cm_encode(const cm_map *m, uint8_t *buf, int size)
{
	int nr = cm_nr(m), any = cm_cpu(m, 0) == -1;
	int lo = cm_cpu(m, any ? 1 : 0), hi = cm_max(m);
	int kind, payload, total, words = 0;

	if (hi - lo + 1 == nr - any) {
		kind = CM_PAYLOAD_RANGE;
		payload = 8;
	} else {
		int cpus_size = 4 + 2 * nr, mask_ok = !any, top = -1;

		/* The choice is upstream's: MASK size from ceil(hi / 32) words,
		 * CPUS when any_cpu is set or it is strictly smaller.  Only the
		 * word count written is fixed: ceil((top + 1) / 32), top the
		 * largest entry wherever it stands (decoded maps may be
		 * unsorted), so the largest CPU always has its bit.  A map
		 * holding a negative value has no mask: CPUS.  This is
		 * assembly/payload.ts encode's rule, byte for byte. */
		for (int i = 0; mask_ok && i < nr; i++) {
			if (m->cpus[i] < 0)
				mask_ok = 0;
			if (m->cpus[i] > top)
				top = m->cpus[i];
		}
		if (!mask_ok || cpus_size < 6 + 4 * ((hi + 31) >> 5)) {
			kind = CM_PAYLOAD_CPUS;
			payload = cpus_size;
		} else {
			kind = CM_PAYLOAD_MASK;
			words = (top + 32) >> 5;
			payload = 6 + 4 * words;
		}
	}
	total = 8 + round8(payload);
	if (total > 0xffff)
		return -1; /* header.size is a u16 */
	if (!buf || size < total)
		return total;

	memset(buf, 0, (size_t)total);
	put32(buf, CM_RECORD_CPU_MAP);
	put16(buf + 4, 0);     /* misc */
	put16(buf + 6, total); /* size */
	buf += 8;
	put16(buf, kind);
	switch (kind) {
	case CM_PAYLOAD_RANGE:
		buf[2] = (uint8_t)any;
		put16(buf + 4, (unsigned)lo & 0xffff);
		put16(buf + 6, (unsigned)hi & 0xffff);
		break;
	case CM_PAYLOAD_CPUS:
		put16(buf + 2, nr);
		for (int i = 0; i < nr; i++)
			put16(buf + 4 + 2 * i, (unsigned)cm_cpu(m, i) & 0xffff); /* -1 -> 0xffff */
		break;
	default:
		put16(buf + 2, words);
		put16(buf + 4, 4); /* long_size: 32-bit words */
		for (int i = 0; i < nr; i++) {
			uint8_t *w = buf + 6 + 4 * (m->cpus[i] / 32);

			put32(w, get32(w) | 1u << (m->cpus[i] % 32));
		}
		break;
	}
	return total;
}

static cm_map *decode_cpus(const uint8_t *p, int len)
{
	int nr;
	cm_map *m;

	if (len < 4)
		return NULL;
	nr = (int)get16(p + 2);
	if (nr == 0 || 4 + 2 * nr > len)
		return NULL;
	m = map_alloc(nr);
	if (!m)
		return NULL;
	/* Stored order, not sorted, not de-duplicated [§7.4]. */
	for (int i = 0; i < nr; i++) {
		unsigned v = get16(p + 4 + 2 * i);

		if (v >= CM_CPU_LIMIT && v != 0xffff) {
			free(m);
			return NULL;
		}
		m->cpus[i] = (int16_t)(v == 0xffff ? -1 : (int)v);
	}
	return m;
}

static cm_map *decode_mask(const uint8_t *p, int len)
{
	int words, wide, bytes, step, count = 0, k = 0;
	cm_map *m;

	if (len < 6)
		return NULL;
	words = (int)get16(p + 2);
	wide = get16(p + 4) != 4;    /* long_size 4: 32-bit words; else 64-bit at 10 */
	step = wide ? 8 : 4;
	bytes = wide ? 10 : 6;
	if (bytes + words * step > len)
		return NULL;
	p += bytes;
	/* Count first (any CPU >= 32767 fails the whole decode), then fill in
	 * ascending order.  A 64-bit word is two 32-bit halves, low first. */
	for (int i = 0; i < words * step / 4; i++) {
		uint32_t w = get32(p + 4 * i);

		if (w && i * 32 + 31 - __builtin_clz(w) >= CM_CPU_LIMIT)
			return NULL;
		count += __builtin_popcount(w);
	}
	m = map_alloc(count);
	if (!m)
		return NULL;
	for (int i = 0; i < words * step / 4; i++) {
		uint32_t w = get32(p + 4 * i);

		while (w) {
			m->cpus[k++] = (int16_t)(i * 32 + __builtin_ctz(w));
			w &= w - 1;
		}
	}
	return m;
}

static cm_map *decode_range(const uint8_t *p, int len)
{
	int any, start, end, nr;
	cm_map *m;

	if (len < 8)
		return NULL;
	any = p[2]; /* used as a count upstream: any_cpu = 2 gives two -1 slots */
	start = (int)get16(p + 4);
	end = (int)get16(p + 6);
	if (start >= CM_CPU_LIMIT || end >= CM_CPU_LIMIT || end < start - 1)
		return NULL;
	nr = end - start + 1 + any;
	m = map_alloc(nr); /* NULL when nr is 0 */
	if (!m)
		return NULL;
	for (int i = 0; i < nr; i++)
		m->cpus[i] = -1;
	for (int c = start, i = any ? 1 : 0; c <= end; c++)
		m->cpus[i++] = (int16_t)c;
	return m;
}

CM_API cm_map *cm_decode(const uint8_t *payload, int len)
{
	if (!payload || len < 2)
		return NULL;
	switch (get16(payload)) {
	case CM_PAYLOAD_CPUS:
		return decode_cpus(payload, len);
	case CM_PAYLOAD_MASK:
		return decode_mask(payload, len);
	case CM_PAYLOAD_RANGE:
		return decode_range(payload, len);
	default:
		return NULL;
	}
}

/* ------------------------------------------------------------------ */
/* Memory helpers for wasm callers                                     */
/* ------------------------------------------------------------------ */

CM_API void *cm_alloc(int n)
{
	return n > 0 ? malloc((size_t)n) : NULL;
}

CM_API void cm_free(void *p)
{
	free(p);
}
