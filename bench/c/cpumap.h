/*
 * cpumap.h - a C peer of libperf's perf_cpu_map, for the cpumap-wasm benchmark.
 *
 * Written from docs/contract.md (sections in brackets below); no
 * upstream code.  Built natively (gcc) and to standalone wasm (emcc), so the
 * same source measures "C as a native library" and "C compiled to wasm".
 *
 * Ownership follows libperf: constructors (cm_parse, cm_decode) and cm_get
 * return one reference, cm_put drops one, cm_merge consumes and replaces
 * *orig like realloc, cm_intersect returns a new reference.  The empty map is
 * NULL; failure is also NULL.
 */
#ifndef CM_CPUMAP_H
#define CM_CPUMAP_H

#include <stdint.h>

#ifdef __EMSCRIPTEN__
#include <emscripten/emscripten.h>
#define CM_API EMSCRIPTEN_KEEPALIVE
#else
#define CM_API __attribute__((visibility("default")))
#endif

/* Parser limit: CPU numbers 0..32766 are accepted, 32767 and above are not [§1]. */
#define CM_CPU_LIMIT 32767

/* Event type of PERF_RECORD_CPU_MAP and its payload kinds [§7.1]. */
#define CM_RECORD_CPU_MAP 74
#define CM_PAYLOAD_CPUS 0
#define CM_PAYLOAD_MASK 1
#define CM_PAYLOAD_RANGE 2

/*
 * One block in memory: [refcnt: i32][nr: i32][cpus: i16 x nr].
 * Maps built by cm_parse and the set operations are sorted and unique with
 * nr >= 1; decoded maps keep the payload's order [§7.4].
 */
typedef struct cm_map {
	int refcnt;
	int nr;
	int16_t cpus[];
} cm_map;

/* Parse a CPU list [§3.1].  Reads up to len bytes or the first NUL.
 * "" gives the any-CPU map [-1]; a syntax error, a duplicate or a CPU
 * >= 32767 gives NULL.  s == NULL gives NULL (libperf would read the online
 * CPUs from sysfs instead). */
CM_API cm_map *cm_parse(const char *s, int len);

/* get: NULL gives NULL; otherwise count + 1, returns m.
 * put: NULL is ignored; frees the map when the count reaches zero. */
CM_API cm_map *cm_get(cm_map *m);
CM_API void cm_put(cm_map *m);
/* Current count; 0 for NULL (not a libperf function, for tests). */
CM_API int cm_refcnt(const cm_map *m);

/* Queries [§4].  All accept NULL, which behaves as [-1] for nr/cpu/min/max. */
CM_API int cm_nr(const cm_map *m);                   /* NULL: 1 */
CM_API int cm_cpu(const cm_map *m, int idx);         /* out of range or NULL: -1 */
CM_API int cm_idx(const cm_map *m, int cpu);         /* binary search; not found or NULL: -1 */
CM_API int cm_has(const cm_map *m, int cpu);
CM_API int cm_min(const cm_map *m);                  /* first entry that is not -1, else -1 */
CM_API int cm_max(const cm_map *m);                  /* last entry; NULL: -1 */
CM_API int cm_equal(const cm_map *a, const cm_map *b);
CM_API int cm_is_subset(const cm_map *a, const cm_map *b); /* is b contained in a? */

/* Set operations [§5].  merge returns 0, or -ENOMEM (-12) with nothing
 * changed; intersect returns a new reference (NULL for an empty result). */
CM_API int cm_merge(cm_map **orig, cm_map *other);
CM_API cm_map *cm_intersect(cm_map *a, cm_map *b);

/* Formatting [§6].  snprintf-like: writes at most size-1 characters plus a
 * NUL and returns the length of the full text.  The mask format returns -1
 * for NULL and for maps holding negative values (undefined upstream). */
CM_API int cm_snprint(const cm_map *m, char *buf, int size);
CM_API int cm_snprint_mask(const cm_map *m, char *buf, int size);

/* PERF_RECORD_CPU_MAP [§7].  cm_encode writes a whole event (8-byte header +
 * payload) and returns its size; if buf is NULL or size is smaller than that
 * it writes nothing and still returns the size.  -1 if the map cannot be
 * encoded (the event would exceed the u16 header size).
 * cm_decode reads a payload (header excluded); NULL on any error. */
CM_API int cm_encode(const cm_map *m, uint8_t *buf, int size);
CM_API cm_map *cm_decode(const uint8_t *payload, int len);

/* malloc/free for wasm callers that need to place input in linear memory. */
CM_API void *cm_alloc(int n);
CM_API void cm_free(void *p);

#endif
