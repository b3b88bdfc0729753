/*
 * libperf-algo.c - a benchmark peer that implements cpumap.h with the
 * algorithms libperf and perf use, as docs/contract.md and the behavioural
 * notes describe them; written for this benchmark, no upstream code.  It is
 * the "what would libperf cost" column: its time stands for libperf's own.
 *
 * The algorithms reproduced (and the cost each carries):
 *   - references: a checked counter changed by compare-and-swap loops
 *     (refcount_t's increment-not-zero and decrement-and-test);
 *   - parse: strtoul for every number, a growing array of values, every new
 *     value compared with all earlier ones (quadratic duplicate check), then
 *     the map built by copy + qsort + adjacent de-duplication;
 *   - queries through the nr/cpu accessors; idx a binary search; equal an
 *     entry-by-entry loop; is_subset the cursor walk [§4];
 *   - merge: the is_subset shortcuts, a temporary array filled by a merge
 *     walk, then copy + qsort + de-duplication into the new map [§5.1];
 *   - intersect: the is_subset shortcuts, a two-cursor walk into a temporary
 *     array, copied into the new map [§5.2];
 *   - list format: one snprintf per run; mask format: a zeroed bitmap, then
 *     one hex digit per nibble [§6];
 *   - encode: the writer's choice, a zeroed allocation of the event's size
 *     (freed after a copy out), then one store per cpu or per bit; decode:
 *     one store per cpu (RANGE: a loop from start to end; MASK: a walk over
 *     the set bits of every word) [§7].
 *
 * Results equal the C peer's (cpumap.c) on every benchmark case, which
 * bench/run.mjs checks before timing.  Where libperf's answer is a bug the
 * port fixed (the MASK writer's word count, docs/contract.md §11), this peer
 * writes the port's bytes, at the same cost.  Hostile payloads are not its
 * business: it is built natively only and timed on valid input.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpumap.h"

/* ---- allocation and references ---------------------------------- */

static cm_map *map_alloc(int nr)
{
	cm_map *m;

	if (nr <= 0)
		return NULL;
	m = malloc(sizeof(*m) + (size_t)nr * sizeof(m->cpus[0]));
	if (m) {
		__atomic_store_n(&m->refcnt, 1, __ATOMIC_RELAXED);
		m->nr = nr;
	}
	return m;
}

CM_API cm_map *cm_get(cm_map *m)
{
	if (m) {
		int old = __atomic_load_n(&m->refcnt, __ATOMIC_RELAXED);

		/* increment unless 0 (a use after free) or saturated */
		while (old != 0 && old != -1 &&
		       !__atomic_compare_exchange_n(&m->refcnt, &old, old + 1, 0,
						    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
			;
	}
	return m;
}

CM_API void cm_put(cm_map *m)
{
	int old;

	if (!m)
		return;
	old = __atomic_load_n(&m->refcnt, __ATOMIC_RELAXED);
	while (old != 0 && old != -1 &&
	       !__atomic_compare_exchange_n(&m->refcnt, &old, old - 1, 0,
					    __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		;
	if (old == 1) {
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		free(m);
	}
}

CM_API int cm_refcnt(const cm_map *m)
{
	return m ? __atomic_load_n(&m->refcnt, __ATOMIC_RELAXED) : 0;
}

/* ---- queries ------------------------------------------------------ */

CM_API int cm_nr(const cm_map *m) { return m ? m->nr : 1; }

CM_API int cm_cpu(const cm_map *m, int idx)
{
	if (m && idx >= 0 && idx < m->nr)
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

CM_API int cm_has(const cm_map *m, int cpu) { return cm_idx(m, cpu) != -1; }

CM_API int cm_min(const cm_map *m)
{
	for (int i = 0; i < cm_nr(m); i++)
		if (cm_cpu(m, i) != -1)
			return cm_cpu(m, i);
	return -1;
}

CM_API int cm_max(const cm_map *m) { return m ? m->cpus[m->nr - 1] : -1; }

CM_API int cm_equal(const cm_map *a, const cm_map *b)
{
	if (a == b)
		return 1;
	if (!a || !b || cm_nr(a) != cm_nr(b))
		return 0;
	for (int i = 0; i < cm_nr(a); i++)
		if (cm_cpu(a, i) != cm_cpu(b, i))
			return 0;
	return 1;
}

CM_API int cm_is_subset(const cm_map *a, const cm_map *b)
{
	int j = 0;

	if (a == b || !b)
		return 1;
	if (!a || cm_nr(b) > cm_nr(a))
		return 0;
	for (int i = 0; i < cm_nr(a); i++) {
		if (cm_cpu(a, i) > cm_cpu(b, j))
			return 0;
		if (cm_cpu(a, i) == cm_cpu(b, j)) {
			j++;
			if (j == cm_nr(b))
				return 1;
		}
	}
	return 0;
}

/* ---- building maps: copy, sort, drop adjacent duplicates ----------- */

static int cmp_cpu(const void *x, const void *y)
{
	return *(const int16_t *)x - *(const int16_t *)y;
}

static cm_map *trim_new(int n, const int16_t *values)
{
	cm_map *m = map_alloc(n);
	int j = 0;

	if (!m)
		return NULL;
	memcpy(m->cpus, values, (size_t)n * sizeof(values[0]));
	qsort(m->cpus, (size_t)n, sizeof(m->cpus[0]), cmp_cpu);
	for (int i = 0; i < n; i++)
		if (i == 0 || m->cpus[i] != m->cpus[j - 1])
			m->cpus[j++] = m->cpus[i];
	m->nr = j;
	return m;
}

/* ---- parse ----------------------------------------------------------- */

CM_API cm_map *cm_parse(const char *s, int len)
{
	int16_t *tmp = NULL;
	int n = 0, max = 0;
	cm_map *m = NULL;
	char *end;
	const char *p = s;

	(void)len; /* a C string, as libperf reads it */
	if (!s)
		return NULL;
	if (*p && (*p < '0' || *p > '9'))
		return NULL;
	if (!*p) {
		m = map_alloc(1);
		if (m)
			m->cpus[0] = -1;
		return m;
	}
	while (*p >= '0' && *p <= '9') {
		unsigned long first = strtoul(p, &end, 0), last;

		if (first >= CM_CPU_LIMIT || (*end && *end != ',' && *end != '-' && *end != '\n'))
			goto out;
		last = first;
		if (*end == '-') {
			p = end + 1;
			last = strtoul(p, &end, 0);
			if (last >= CM_CPU_LIMIT || (*end && *end != ',' && *end != '\n') || last < first)
				goto out;
		}
		for (unsigned long v = first; v <= last; v++) {
			for (int k = 0; k < n; k++) /* every earlier value */
				if (tmp[k] == (int16_t)v)
					goto out;
			if (n == max) {
				int grow = (int)(last - first + 1) > 16 ? (int)(last - first + 1) : 16;
				int16_t *t = realloc(tmp, (size_t)(max + grow) * sizeof(*tmp));

				if (!t)
					goto out;
				tmp = t;
				max += grow;
			}
			tmp[n++] = (int16_t)v;
		}
		p = *end ? end + 1 : end;
	}
	m = trim_new(n, tmp);
out:
	free(tmp);
	return m;
}

/* ---- set operations -------------------------------------------------- */

CM_API int cm_merge(cm_map **orig, cm_map *other)
{
	int16_t *tmp;
	int i = 0, j = 0, k = 0;
	cm_map *merged;

	if (cm_is_subset(*orig, other))
		return 0;
	if (cm_is_subset(other, *orig)) {
		cm_put(*orig);
		*orig = cm_get(other);
		return 0;
	}
	tmp = malloc((size_t)(cm_nr(*orig) + cm_nr(other)) * sizeof(*tmp));
	if (!tmp)
		return -ENOMEM;
	while (i < cm_nr(*orig) && j < cm_nr(other)) {
		if (cm_cpu(*orig, i) <= cm_cpu(other, j)) {
			if (cm_cpu(*orig, i) == cm_cpu(other, j))
				j++;
			tmp[k++] = (int16_t)cm_cpu(*orig, i++);
		} else {
			tmp[k++] = (int16_t)cm_cpu(other, j++);
		}
	}
	while (i < cm_nr(*orig))
		tmp[k++] = (int16_t)cm_cpu(*orig, i++);
	while (j < cm_nr(other))
		tmp[k++] = (int16_t)cm_cpu(other, j++);
	merged = trim_new(k, tmp);
	free(tmp);
	cm_put(*orig);
	*orig = merged;
	return 0;
}

CM_API cm_map *cm_intersect(cm_map *a, cm_map *b)
{
	int16_t *tmp;
	int i = 0, j = 0, k = 0;
	cm_map *m = NULL;

	if (cm_is_subset(b, a))
		return cm_get(a);
	if (cm_is_subset(a, b))
		return cm_get(b);
	tmp = malloc((size_t)(cm_nr(a) < cm_nr(b) ? cm_nr(a) : cm_nr(b)) * sizeof(*tmp));
	if (!tmp)
		return NULL;
	while (i < cm_nr(a) && j < cm_nr(b)) {
		if (cm_cpu(a, i) < cm_cpu(b, j)) {
			i++;
		} else if (cm_cpu(a, i) > cm_cpu(b, j)) {
			j++;
		} else {
			tmp[k++] = (int16_t)cm_cpu(a, i);
			i++;
			j++;
		}
	}
	if (k) {
		m = map_alloc(k);
		if (m)
			memcpy(m->cpus, tmp, (size_t)k * sizeof(*tmp));
	}
	free(tmp);
	return m;
}

/* ---- formats ---------------------------------------------------------- */

CM_API int cm_snprint(const cm_map *m, char *buf, int size)
{
	int ret = 0, n = cm_nr(m);
	const char *comma = "";

	/* one snprintf per run, the lengths summed */
	for (int i = 0; i < n;) {
		int j = i;
		char *at = buf && ret < size ? buf + ret : NULL;
		size_t room = at ? (size_t)(size - ret) : 0;

		while (j + 1 < n && cm_cpu(m, j + 1) == cm_cpu(m, j) + 1)
			j++;
		if (j > i)
			ret += snprintf(at, room, "%s%d-%d", comma, cm_cpu(m, i), cm_cpu(m, j));
		else
			ret += snprintf(at, room, "%s%d", comma, cm_cpu(m, i));
		comma = ",";
		i = j + 1;
	}
	return ret;
}

CM_API int cm_snprint_mask(const cm_map *m, char *buf, int size)
{
	int top = cm_max(m), len = 0;
	unsigned char *bitmap;

	if (!m || top < 0)
		return -1;
	for (int i = 0; i < m->nr; i++)
		if (m->cpus[i] < 0)
			return -1;
	bitmap = calloc((size_t)top / 8 + 1, 1);
	if (!bitmap)
		return -1;
	for (int i = 0; i < m->nr; i++)
		if (m->cpus[i] <= top)
			bitmap[m->cpus[i] / 8] |= (unsigned char)(1 << (m->cpus[i] % 8));
	for (int c = top / 4 * 4; c >= 0; c -= 4) {
		int bits = (bitmap[c / 8] >> (c % 8)) & 0xf;

		if (len < size - 1)
			buf[len] = "0123456789abcdef"[bits];
		len++;
		if (c % 32 == 0 && c > 0) {
			if (len < size - 1)
				buf[len] = ',';
			len++;
		}
	}
	if (size > 0)
		buf[len < size - 1 ? len : size - 1] = '\0';
	free(bitmap);
	return len;
}

/* ---- payloads --------------------------------------------------------- */

static void put16(uint8_t *p, unsigned v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static unsigned get16(const uint8_t *p) { return p[0] | (unsigned)p[1] << 8; }

static int encode_event(const cm_map *m, uint8_t *buf, int size);

/* perf writes each event into a zeroed allocation of its size, hands it on
 * and frees it: the same here, then a copy into the caller's buffer. */
CM_API int cm_encode(const cm_map *m, uint8_t *buf, int size)
{
	int total = encode_event(m, NULL, 0);
	uint8_t *event;

	if (total < 0 || !buf || size < total)
		return total;
	event = calloc(1, (size_t)total);
	if (!event)
		return -1;
	encode_event(m, event, total);
	memcpy(buf, event, (size_t)total);
	free(event);
	return total;
}

static int encode_event(const cm_map *m, uint8_t *buf, int size)
{
	int n = cm_nr(m), any = cm_cpu(m, 0) == -1, lo = cm_cpu(m, any), hi = cm_max(m);
	int cpus_size = 4 + 2 * n, mask_size = 6 + 4 * ((hi + 31) / 32);
	int words = (hi + 32) / 32, payload, total;

	if (hi - lo + 1 == n - any) {
		total = 16;
		if (!buf || size < total)
			return total;
		memset(buf, 0, (size_t)total);
		put16(buf + 8, CM_PAYLOAD_RANGE);
		buf[10] = (uint8_t)any;
		put16(buf + 12, (unsigned)lo);
		put16(buf + 14, (unsigned)hi);
	} else if (any || cpus_size < mask_size) {
		payload = cpus_size;
		total = 8 + ((payload + 7) & ~7);
		if (total > 0xffff)
			return -1;
		if (!buf || size < total)
			return total;
		memset(buf, 0, (size_t)total);
		put16(buf + 8, CM_PAYLOAD_CPUS);
		put16(buf + 10, (unsigned)n);
		for (int i = 0; i < n; i++)
			put16(buf + 12 + 2 * i, (unsigned)cm_cpu(m, i));
	} else {
		payload = 6 + 4 * words; /* the port's word count (docs/contract.md §11) */
		total = 8 + ((payload + 7) & ~7);
		if (!buf || size < total)
			return total;
		memset(buf, 0, (size_t)total);
		put16(buf + 8, CM_PAYLOAD_MASK);
		put16(buf + 10, (unsigned)words);
		put16(buf + 12, 4);
		for (int i = 0; i < n; i++) {
			int c = cm_cpu(m, i);

			buf[14 + c / 8] |= (uint8_t)(1 << (c % 8));
		}
	}
	buf[0] = CM_RECORD_CPU_MAP;
	put16(buf + 6, (unsigned)total);
	return total;
}

CM_API cm_map *cm_decode(const uint8_t *p, int len)
{
	cm_map *m;
	unsigned type;

	if (len < 8)
		return NULL;
	type = get16(p);
	if (type == CM_PAYLOAD_CPUS) {
		int n = (int)get16(p + 2);

		m = map_alloc(n);
		if (!m)
			return NULL;
		for (int i = 0; i < n; i++) {
			unsigned v = get16(p + 4 + 2 * i);

			if (v == 0xffff) {
				m->cpus[i] = -1;
			} else if (v < CM_CPU_LIMIT) {
				m->cpus[i] = (int16_t)v;
			} else {
				cm_put(m);
				return NULL;
			}
		}
		return m;
	}
	if (type == CM_PAYLOAD_MASK) {
		int words = (int)get16(p + 2), long_size = (int)get16(p + 4), weight = 0, j = 0;
		int base = long_size == 4 ? 6 : 10, bits = long_size == 4 ? 32 : 64;

		for (int w = 0; w < words; w++) {
			uint64_t word = 0;

			memcpy(&word, p + base + w * (bits / 8), (size_t)bits / 8);
			weight += __builtin_popcountll(word);
		}
		m = map_alloc(weight);
		if (!m)
			return NULL;
		for (int w = 0; w < words; w++) {
			uint64_t word = 0;

			memcpy(&word, p + base + w * (bits / 8), (size_t)bits / 8);
			for (int b = 0; b < bits; b++) /* each set bit, found by a bit walk */
				if (word & (1ull << b)) {
					if (w * bits + b >= CM_CPU_LIMIT) {
						cm_put(m);
						return NULL;
					}
					m->cpus[j++] = (int16_t)(w * bits + b);
				}
		}
		return m;
	}
	if (type == CM_PAYLOAD_RANGE) {
		int any = p[2], start = (int)get16(p + 4), end = (int)get16(p + 6), i = 0;

		if (start >= CM_CPU_LIMIT || end >= CM_CPU_LIMIT)
			return NULL;
		m = map_alloc(end - start + 1 + any);
		if (!m)
			return NULL;
		if (any)
			m->cpus[i++] = -1;
		for (int c = start; c <= end; c++)
			m->cpus[i++] = (int16_t)c;
		return m;
	}
	return NULL;
}

CM_API void *cm_alloc(int n) { return malloc((size_t)n); }
CM_API void cm_free(void *p) { free(p); }
