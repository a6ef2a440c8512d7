#include "agent/dataplane/idalloc.h"

#include <stdlib.h>
#include <string.h>

#include "agent/policy/arena.h"

static bool test(const struct idalloc *a, uint32_t i)
{
	return a->used[i / 64] & (1ull << (i % 64));
}

static void set_range(struct idalloc *a, uint32_t first, uint32_t count, bool on)
{
	uint32_t i;

	for (i = first; i < first + count && i < a->max; i++) {
		if (test(a, i) == on)
			continue;
		if (on) {
			a->used[i / 64] |= 1ull << (i % 64);
			a->in_use++;
		} else {
			a->used[i / 64] &= ~(1ull << (i % 64));
			a->in_use--;
		}
	}
}

void idalloc_init(struct idalloc *a, uint32_t max)
{
	memset(a, 0, sizeof(*a));
	a->max = max;
	a->used = xcalloc((max + 63) / 64, sizeof(uint64_t));
}

void idalloc_free(struct idalloc *a)
{
	free(a->used);
	free(a->pending);
	memset(a, 0, sizeof(*a));
}

void idalloc_mark(struct idalloc *a, uint32_t first, uint32_t count)
{
	set_range(a, first, count, true);
}

/* A run of count clear bits in [from, to): its start, or UINT32_MAX. */
static uint32_t find_run(const struct idalloc *a, uint32_t from, uint32_t to, uint32_t count)
{
	uint32_t i = from, run = 0, start = from;

	while (i < to) {
		/* Skip full words quickly. */
		if (i % 64 == 0 && i + 64 <= to && a->used[i / 64] == UINT64_MAX) {
			i += 64;
			run = 0;
			start = i;
			continue;
		}
		if (test(a, i)) {
			run = 0;
			start = ++i;
			continue;
		}
		if (++run == count)
			return start;
		i++;
	}
	return UINT32_MAX;
}

int idalloc_get(struct idalloc *a, uint32_t count, uint32_t *first)
{
	uint32_t at;

	if (count == 0 || count > a->max)
		return -1;
	at = find_run(a, a->cursor, a->max, count);
	if (at == UINT32_MAX)
		at = find_run(a, 0, a->cursor + count < a->max ? a->cursor + count : a->max, count);
	if (at == UINT32_MAX)
		return -1;
	set_range(a, at, count, true);
	a->cursor = at + count >= a->max ? 0 : at + count;
	*first = at;
	return 0;
}

void idalloc_put(struct idalloc *a, uint32_t first, uint32_t count)
{
	set_range(a, first, count, false);
}

void idalloc_defer(struct idalloc *a, uint32_t first, uint32_t count)
{
	struct idrange *r;

	a->pending = vec_grow(a->pending, &a->cap_pending, a->n_pending + 1, sizeof(*a->pending));
	r = &a->pending[a->n_pending++];
	r->first = first;
	r->count = count;
}

bool idalloc_has_pending(const struct idalloc *a)
{
	return a->n_pending > 0;
}

void idalloc_grace(struct idalloc *a)
{
	size_t i;

	for (i = 0; i < a->n_pending; i++)
		set_range(a, a->pending[i].first, a->pending[i].count, false);
	a->n_pending = 0;
}
