/*
 * idalloc.h: ids and slot ranges of the maps (policy keys, stats ids, rule slots).  An id
 * given back while packets may still use it waits for a grace period (dp_barrier) before it
 * is handed out again, as the update model of sr6_abi.h requires.
 */
#ifndef SR6_AGENT_IDALLOC_H
#define SR6_AGENT_IDALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct idrange {
	uint32_t first, count;
};

struct idalloc {
	uint64_t *used;		/* bit set: in use, or waiting for a grace period */
	uint32_t max;		/* ids are 0 .. max-1 */
	uint32_t cursor;	/* where the next search starts */
	uint32_t in_use;	/* bits set */
	struct idrange *pending;	/* given back, waiting for a grace period */
	size_t n_pending, cap_pending;
};

void idalloc_init(struct idalloc *a, uint32_t max);
void idalloc_free(struct idalloc *a);
/* Mark ids as in use (what is installed already). */
void idalloc_mark(struct idalloc *a, uint32_t first, uint32_t count);
/* count consecutive free ids: 0 with *first, -1 when there are none (maybe after a grace
 * period: see idalloc_has_pending). */
int idalloc_get(struct idalloc *a, uint32_t count, uint32_t *first);
/* Give back at once (nothing can still use them). */
void idalloc_put(struct idalloc *a, uint32_t first, uint32_t count);
/* Give back after the next grace period. */
void idalloc_defer(struct idalloc *a, uint32_t first, uint32_t count);
bool idalloc_has_pending(const struct idalloc *a);
/* A grace period has passed: what was deferred is free. */
void idalloc_grace(struct idalloc *a);

#endif
