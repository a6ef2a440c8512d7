/* Per-socket output queues and batched delivery: see outq.h. */
#include "drivers/hss/outq.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

int hss_outq_push(struct hss_outq *q, uint16_t msg_id, const uint8_t *data, uint32_t len)
{
	struct hss_chunk *c = malloc(sizeof(*c) + len);
	if (!c)
		return -1;
	c->next = NULL;
	c->len = len;
	c->off = 0;
	c->msg_id = msg_id;
	memcpy(c->data, data, len);
	if (q->tail)
		q->tail->next = c;
	else
		q->head = c;
	q->tail = c;
	q->bytes += len;
	return 0;
}

static void pop(struct hss_outq *q, hss_written_fn *written, void *ctx)
{
	struct hss_chunk *c = q->head;
	q->head = c->next;
	if (!q->head)
		q->tail = NULL;
	uint16_t id = c->msg_id;
	free(c);
	if (written)
		written(ctx, id);
}

static int soft_error(void)
{
	return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
}

int hss_outq_flush(struct hss_outq *q, int fd, int dgram, hss_written_fn *written, void *ctx)
{
	while (q->head) {
		if (dgram) {
			struct hss_chunk *c = q->head;
			if (send(fd, c->data, c->len, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
				return soft_error() ? 0 : -1;
			q->bytes -= c->len;
			pop(q, written, ctx);
			continue;
		}
		struct iovec iov[64];
		int n = 0;
		for (const struct hss_chunk *c = q->head; c && n < 64; c = c->next, n++) {
			iov[n].iov_base = (void *)(c->data + c->off);
			iov[n].iov_len = c->len - c->off;
		}
		struct msghdr mh = { .msg_iov = iov, .msg_iovlen = (size_t)n };
		ssize_t w = sendmsg(fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (w < 0)
			return soft_error() ? 0 : -1;
		size_t left = (size_t)w;
		q->bytes -= left;
		while (left > 0) {
			struct hss_chunk *c = q->head;
			size_t rest = c->len - c->off;
			if (left < rest) {
				c->off += (uint32_t)left;
				return 0;
			}
			left -= rest;
			pop(q, written, ctx);
		}
		if (q->head && n == 64)
			continue;
		if (q->head)
			return 0; /* short write: the socket is full */
	}
	return 0;
}

void hss_outq_clear(struct hss_outq *q)
{
	while (q->head)
		pop(q, NULL, NULL);
	q->bytes = 0;
}

static int queue_rest(struct hss_outq *q, const struct hss_msg *msgs, int from, int n, uint32_t off)
{
	for (int i = from; i < n; i++, off = 0) {
		if (hss_outq_push(q, msgs[i].hdr.msg_id, msgs[i].data + off, msgs[i].hdr.len - off) < 0)
			return -1;
	}
	return 0;
}

int hss_deliver(struct hss_outq *q, int fd, int dgram, const struct hss_msg *msgs, int n,
		hss_written_fn *written, void *ctx)
{
	if (q->head)
		return queue_rest(q, msgs, 0, n, 0);
	if (dgram) {
		for (int i = 0; i < n; i++) {
			if (send(fd, msgs[i].data, msgs[i].hdr.len, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
				/* queue the rest; on a hard error the caller refuses it with the status */
				int soft = soft_error(), e = errno;
				if (queue_rest(q, msgs, i, n, 0) < 0)
					return -1;
				errno = e;
				return soft ? 0 : -1;
			}
			if (written)
				written(ctx, msgs[i].hdr.msg_id);
		}
		return 0;
	}
	struct iovec iov[64];
	int k = n < 64 ? n : 64;
	for (int i = 0; i < k; i++) {
		iov[i].iov_base = (void *)msgs[i].data;
		iov[i].iov_len = msgs[i].hdr.len;
	}
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = (size_t)k };
	ssize_t w = sendmsg(fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (w < 0) {
		if (!soft_error()) {
			/* queued so the caller can refuse each TRANSMIT with the real status */
			int e = errno;
			if (queue_rest(q, msgs, 0, n, 0) < 0)
				return -1;
			errno = e;
			return -1;
		}
		w = 0;
	}
	size_t left = (size_t)w;
	for (int i = 0; i < n; i++) {
		if (i < k && left >= msgs[i].hdr.len) {
			left -= msgs[i].hdr.len;
			if (written)
				written(ctx, msgs[i].hdr.msg_id);
			continue;
		}
		return queue_rest(q, msgs, i, n, (uint32_t)left);
	}
	return 0;
}
