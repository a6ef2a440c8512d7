/* The bookkeeping the host and device roles share for the sockets of one link: a table by
 * HSS handle, and the queue of sockets with data waiting to be read, served in turn when the
 * bulk output has room.  Intrusive: a role's socket embeds a struct hss_entry and is found
 * back with hss_container_of. */
#ifndef HSS_SOCKTAB_H
#define HSS_SOCKTAB_H

#include <stddef.h>
#include <stdint.h>

#define hss_container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

#define HSS_TABLE_BUCKETS 256

struct hss_entry {
	struct hss_entry *hnext;          /* bucket chain */
	struct hss_entry *rprev, *rnext;  /* ready queue */
	uint32_t handle;
	unsigned char hashed, ready;
};

struct hss_table {
	struct hss_entry *buckets[HSS_TABLE_BUCKETS];
	struct hss_entry *ready_head, *ready_tail;
};

/* Add e under e->handle (not there yet). */
void hss_table_insert(struct hss_table *t, struct hss_entry *e);
/* Take e out of the table if it is in it; the ready queue is left alone. */
void hss_table_remove(struct hss_table *t, struct hss_entry *e);
struct hss_entry *hss_table_find(const struct hss_table *t, uint32_t handle);

/* Queue e at the tail unless it is queued already. */
void hss_ready_append(struct hss_table *t, struct hss_entry *e);
/* Take e off the queue if it is on it. */
void hss_ready_remove(struct hss_table *t, struct hss_entry *e);
/* Give the queued entries one turn each, head first: serve(ctx, e) takes e off the queue (it
 * may queue it again at the tail) and returns 1 when it moved data, 0 when not, or -1 to stop
 * with e left at the head (the output is full).  Returns 1 when any turn moved data. */
int hss_ready_serve(struct hss_table *t, int (*serve)(void *ctx, struct hss_entry *e), void *ctx);

#endif
