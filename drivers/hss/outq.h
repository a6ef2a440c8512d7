/* Data waiting for a socket that is slow to take it: a queue of chunks, each remembering
 * the TRANSMIT it came from so the sender can be told when it is written. */
#ifndef HSS_OUTQ_H
#define HSS_OUTQ_H

#include <stddef.h>
#include <stdint.h>

#include "drivers/hss/proto.h"

struct hss_chunk {
	struct hss_chunk *next;
	uint32_t len, off;
	uint16_t msg_id;
	uint8_t data[];
};

struct hss_outq {
	struct hss_chunk *head, *tail;
	size_t bytes;
};

typedef void hss_written_fn(void *ctx, uint16_t msg_id);

int hss_outq_push(struct hss_outq *q, uint16_t msg_id, const uint8_t *data, uint32_t len);
/* Write queued chunks (one datagram each when dgram).  0 when drained or the socket is full,
 * -1 with errno on a socket error.  written(ctx, msg_id) for every chunk finished. */
int hss_outq_flush(struct hss_outq *q, int fd, int dgram, hss_written_fn *written, void *ctx);
void hss_outq_clear(struct hss_outq *q);

/* Write the payloads of n TRANSMITs to fd: straight away when nothing is queued (one writev
 * for a stream), queueing whatever the socket does not take.  Same returns as flush. */
int hss_deliver(struct hss_outq *q, int fd, int dgram, const struct hss_msg *msgs, int n,
		hss_written_fn *written, void *ctx);

#endif
