/*
 * arena.h: memory for the policy pipeline.  An arena hands out zeroed blocks that are all
 * freed at once (a model, a plan); vec_* grows plain arrays.  Allocation failure aborts: the
 * agent bounds its inputs (file size, limits of sr6_abi.h), so running out of memory is not a
 * condition the callers could repair.
 */
#ifndef SR6_AGENT_ARENA_H
#define SR6_AGENT_ARENA_H

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t used;		/* bytes handed out (statistics) */
};

void arena_init(struct arena *a);
void arena_free(struct arena *a);
/* n zeroed bytes, 16-byte aligned. */
void *arena_alloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
void *arena_memdup(struct arena *a, const void *p, size_t n);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/*
 * A growable array: declare `struct { T *v; size_t n, cap; } x = {0};`, then
 * `T *e = VEC_PUSH(&x);` returns a zeroed new element.
 */
void *vec_grow(void *v, size_t *cap, size_t need, size_t elem);
#define VEC(T) struct { T *v; size_t n, cap; }
#define VEC_PUSH(vec) \
	((vec)->v = vec_grow((vec)->v, &(vec)->cap, (vec)->n + 1, sizeof(*(vec)->v)), \
	 &(vec)->v[(vec)->n++])
#define VEC_FREE(vec) (free((vec)->v), memset((vec), 0, sizeof(*(vec))))
/* Room for n elements at once (no doubling when the size is known). */
#define VEC_RESERVE(vec, count) \
	((vec)->v = vec_grow((vec)->v, &(vec)->cap, (count), sizeof(*(vec)->v)))
/* Give back the room a growing array reserved (large arrays: a few MiB each). */
#define VEC_SHRINK(vec) \
	((vec)->cap > (vec)->n && (vec)->n ? \
	 ((vec)->v = xrealloc((vec)->v, (vec)->n * sizeof(*(vec)->v)), (vec)->cap = (vec)->n) : 0)

#endif
