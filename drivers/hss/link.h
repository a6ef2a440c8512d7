/* One end of an HSS link over a transport, shared by the host and device roles: the bulk
 * output buffer (TRANSMITs framed in place), the ordered command queue, the bulk reassembler,
 * command validation, message ids, backpressure and link-down handling. */
#ifndef HSS_LINK_H
#define HSS_LINK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "drivers/hss/loop.h"
#include "drivers/hss/proto.h"
#include "drivers/hss/transport.h"

struct hss_link_ops {
	/* A valid command arrived. */
	void (*on_cmd)(void *owner, const struct hss_msg *msg);
	/* An invalid command arrived; hdr_ok says whether msg->hdr could be read. */
	void (*on_bad_cmd)(void *owner, const struct hss_msg *msg, int hdr_ok, const struct hss_error *err);
	/* Take TRANSMITs from rx: 0 when it is empty of whole messages, 1 when the owner had to
	 * leave one there (backpressure), -1 when the stream is corrupt (rx->failed) or the owner
	 * ran out of memory; either takes the link down. */
	int (*on_bulk)(void *owner, struct hss_reasm *rx);
	/* The bulk output has room: frame more data; return 1 if anything was added. */
	int (*on_room)(void *owner);
	/* The link went down; the owner tears its sockets down. */
	void (*on_down)(void *owner, const char *why);
};

struct hss_link_stats {
	uint64_t cmds_in, cmds_out, cmds_rejected;
	uint64_t bulk_bytes_in, bulk_bytes_out;
};

struct hss_link_cmd {
	struct hss_cmd_buf cmd;
	uint64_t after; /* send once this many bulk bytes have gone to the transport */
};

/* A TRANSMIT framed by hss_link_read_framed. */
struct hss_framed {
	uint16_t msg_id;
	uint32_t len;
};

struct hss_link {
	struct hss_transport *t;
	struct hss_loop *loop;
	struct hss_ev ev;
	struct hss_tick tick;
	const struct hss_link_ops *ops;
	void *owner;

	struct hss_reasm rx;
	int rx_blocked;
	struct hss_cmd_buf *deferred; /* commands held until the bulk data before them is taken */
	size_t deferred_len, deferred_cap;

	uint8_t *out;
	size_t out_cap, out_head, out_tail;
	uint64_t out_total, out_flushed;

	struct hss_link_cmd *cq;
	size_t cq_cap, cq_head, cq_len;
	int cmd_blocked;

	uint16_t msg_id;
	unsigned want;
	int down;
	int in_pump, again, kicked;
	char down_why[160];
	struct hss_link_stats st;
};

int hss_link_init(struct hss_link *l, struct hss_transport *t, struct hss_loop *loop,
		  const struct hss_link_ops *ops, void *owner, uint32_t rx_max_payload, size_t out_cap);
/* Detach from the loop and free buffers; the transport stays the caller's. */
void hss_link_free(struct hss_link *l);
uint16_t hss_link_next_id(struct hss_link *l);
/* Queue a command.  after_bulk: hold it until the bulk bytes queued so far are sent (a CLOSE
 * must not overtake the data before it).  0, or -1 when the link is down or out of memory. */
int hss_link_cmd(struct hss_link *l, const uint8_t *buf, size_t len, int after_bulk);
size_t hss_link_out_room(struct hss_link *l);
/* Read from fd straight into framed TRANSMITs for sock_id: chunks of at most max_chunk bytes,
 * at most budget bytes in all (one datagram per TRANSMIT when dgram).  Fills framed[] (up to
 * 16).  Bytes read, 0 at EOF, -1 with errno (EAGAIN, ENOBUFS when the output is full). */
ssize_t hss_link_read_framed(struct hss_link *l, int fd, uint32_t sock_id, uint32_t max_chunk,
			     size_t budget, int dgram, struct hss_framed *framed, int *nframed);
/* Drive every direction until nothing moves; owners call it after they unblock. */
void hss_link_pump(struct hss_link *l);
void hss_link_down(struct hss_link *l, const char *why);

#endif
