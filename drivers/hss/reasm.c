/* Bulk-pipe reassembler: a linear buffer, compacted when the head message's tail would not
 * fit.  Sized for two of the largest messages so one can wait while the next arrives. */
#include "drivers/hss/proto.h"

#include <stdlib.h>
#include <string.h>

int hss_reasm_init(struct hss_reasm *r, uint32_t max_payload)
{
	memset(r, 0, sizeof(*r));
	if (max_payload > HSS_TRANSMIT_MAX)
		max_payload = HSS_TRANSMIT_MAX;
	r->max_payload = max_payload;
	r->cap = 2 * ((size_t)HSS_HDR_LEN + max_payload);
	if (r->cap < 64 * 1024)
		r->cap = 64 * 1024;
	r->buf = malloc(r->cap);
	return r->buf ? 0 : -1;
}

void hss_reasm_free(struct hss_reasm *r)
{
	free(r->buf);
	r->buf = NULL;
}

uint8_t *hss_reasm_space(struct hss_reasm *r, size_t *room)
{
	/* Compact when the free tail is small: a move of at most one partial message. */
	if (r->head > 0 && (r->head == r->tail || r->cap - r->tail < r->cap / 4)) {
		memmove(r->buf, r->buf + r->head, r->tail - r->head);
		r->tail -= r->head;
		r->head = 0;
	}
	*room = r->cap - r->tail;
	return r->buf + r->tail;
}

void hss_reasm_commit(struct hss_reasm *r, size_t n)
{
	r->tail += n;
}

size_t hss_reasm_feed(struct hss_reasm *r, const uint8_t *data, size_t len)
{
	size_t room;
	uint8_t *dst = hss_reasm_space(r, &room);
	size_t n = len < room ? len : room;
	memcpy(dst, data, n);
	hss_reasm_commit(r, n);
	return n;
}

int hss_reasm_peek_at(struct hss_reasm *r, size_t off, struct hss_msg *msg)
{
	if (r->failed)
		return -1;
	size_t have = r->tail - r->head;
	if (have < off + HSS_HDR_LEN)
		return 0;
	const uint8_t *p = r->buf + r->head + off;
	memset(msg, 0, sizeof(*msg));
	hss_hdr_decode(&msg->hdr, p);
	if (hss_bulk_hdr_check(&r->err, &msg->hdr, r->max_payload) < 0) {
		r->failed = 1;
		return -1;
	}
	if (have - off - HSS_HDR_LEN < msg->hdr.len)
		return 0;
	msg->data = p + HSS_HDR_LEN;
	return 1;
}

int hss_reasm_peek(struct hss_reasm *r, struct hss_msg *msg)
{
	return hss_reasm_peek_at(r, 0, msg);
}

int hss_reasm_peek_run(struct hss_reasm *r, struct hss_msg *msgs, int max, size_t max_payload,
		       size_t *span, size_t *payload)
{
	uint32_t sock = msgs[0].hdr.sock_id;
	size_t off = HSS_HDR_LEN + (size_t)msgs[0].hdr.len, total = msgs[0].hdr.len;
	int n = 1;

	while (n < max && total < max_payload && hss_reasm_peek_at(r, off, &msgs[n]) == 1 &&
	       msgs[n].hdr.sock_id == sock) {
		off += HSS_HDR_LEN + (size_t)msgs[n].hdr.len;
		total += msgs[n].hdr.len;
		n++;
	}
	*span = off;
	*payload = total;
	return n;
}

void hss_reasm_pop_bytes(struct hss_reasm *r, size_t n)
{
	r->head += n;
	if (r->head == r->tail)
		r->head = r->tail = 0;
}

void hss_reasm_pop(struct hss_reasm *r)
{
	struct hss_hdr h;
	hss_hdr_decode(&h, r->buf + r->head);
	hss_reasm_pop_bytes(r, HSS_HDR_LEN + (size_t)h.len);
}

size_t hss_reasm_buffered(const struct hss_reasm *r)
{
	return r->tail - r->head;
}
