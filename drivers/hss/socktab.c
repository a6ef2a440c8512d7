/* Socket table and ready queue: see socktab.h. */
#include "drivers/hss/socktab.h"

static unsigned slot(uint32_t handle)
{
	return (handle * 2654435761u) >> 24 & (HSS_TABLE_BUCKETS - 1);
}

void hss_table_insert(struct hss_table *t, struct hss_entry *e)
{
	struct hss_entry **b = &t->buckets[slot(e->handle)];

	e->hnext = *b;
	*b = e;
	e->hashed = 1;
}

void hss_table_remove(struct hss_table *t, struct hss_entry *e)
{
	if (!e->hashed)
		return;
	for (struct hss_entry **p = &t->buckets[slot(e->handle)]; *p; p = &(*p)->hnext) {
		if (*p == e) {
			*p = e->hnext;
			break;
		}
	}
	e->hnext = NULL;
	e->hashed = 0;
}

struct hss_entry *hss_table_find(const struct hss_table *t, uint32_t handle)
{
	for (struct hss_entry *e = t->buckets[slot(handle)]; e; e = e->hnext)
		if (e->handle == handle)
			return e;
	return NULL;
}

void hss_ready_append(struct hss_table *t, struct hss_entry *e)
{
	if (e->ready)
		return;
	e->ready = 1;
	e->rnext = NULL;
	e->rprev = t->ready_tail;
	if (t->ready_tail)
		t->ready_tail->rnext = e;
	else
		t->ready_head = e;
	t->ready_tail = e;
}

void hss_ready_remove(struct hss_table *t, struct hss_entry *e)
{
	if (!e->ready)
		return;
	if (e->rprev)
		e->rprev->rnext = e->rnext;
	else
		t->ready_head = e->rnext;
	if (e->rnext)
		e->rnext->rprev = e->rprev;
	else
		t->ready_tail = e->rprev;
	e->rprev = e->rnext = NULL;
	e->ready = 0;
}

int hss_ready_serve(struct hss_table *t, int (*serve)(void *ctx, struct hss_entry *e), void *ctx)
{
	/* entries queued again during the round go behind stop and wait for the next one */
	const struct hss_entry *stop = t->ready_tail;
	int progress = 0;

	while (t->ready_head) {
		struct hss_entry *e = t->ready_head;
		int rc = serve(ctx, e);

		if (rc < 0)
			break;
		progress |= rc;
		if (e == stop)
			break;
	}
	return progress;
}
