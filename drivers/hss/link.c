/* The shared link engine: see link.h. */
#include "drivers/hss/link.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#define PUMP_ROUNDS 32 /* then yield to the loop so other descriptors get their turn */

static void link_event(struct hss_ev *ev, uint32_t events)
{
	(void)events;
	struct hss_link *l = (struct hss_link *)((char *)ev - offsetof(struct hss_link, ev));
	hss_link_pump(l);
}

static void link_tick(struct hss_tick *tick)
{
	struct hss_link *l = (struct hss_link *)((char *)tick - offsetof(struct hss_link, tick));
	if (l->kicked) {
		l->kicked = 0;
		hss_link_pump(l);
	}
}

int hss_link_init(struct hss_link *l, struct hss_transport *t, struct hss_loop *loop,
		  const struct hss_link_ops *ops, void *owner, uint32_t rx_max_payload, size_t out_cap)
{
	memset(l, 0, sizeof(*l));
	l->t = t;
	l->loop = loop;
	l->ops = ops;
	l->owner = owner;
	l->ev.fn = link_event;
	l->tick.fn = link_tick;
	if (out_cap < 4 * (HSS_HDR_LEN + (size_t)HSS_TRANSMIT_MAX))
		out_cap = 4 * (HSS_HDR_LEN + (size_t)HSS_TRANSMIT_MAX);
	l->out_cap = out_cap;
	l->out = malloc(out_cap);
	if (!l->out || hss_reasm_init(&l->rx, rx_max_payload) < 0) {
		free(l->out);
		return -1;
	}
	if (t->ops->attach(t, loop, &l->ev) < 0) {
		free(l->out);
		hss_reasm_free(&l->rx);
		return -1;
	}
	hss_loop_add_tick(loop, &l->tick);
	return 0;
}

void hss_link_free(struct hss_link *l)
{
	if (!l->down)
		l->t->ops->detach(l->t, l->loop);
	hss_loop_del_tick(l->loop, &l->tick);
	free(l->out);
	free(l->cq);
	free(l->deferred);
	hss_reasm_free(&l->rx);
	l->out = NULL;
	l->cq = NULL;
	l->deferred = NULL;
}

uint16_t hss_link_next_id(struct hss_link *l)
{
	/* Per-sender counter from 1; 0 is skipped after a wrap so it never names a message. */
	if (++l->msg_id == 0)
		l->msg_id = 1;
	return l->msg_id;
}

int hss_link_cmd(struct hss_link *l, const uint8_t *buf, size_t len, int after_bulk)
{
	if (l->down)
		return -1;
	if (l->cq_len == l->cq_cap) {
		size_t cap = l->cq_cap ? l->cq_cap * 2 : 64;
		struct hss_link_cmd *q = malloc(cap * sizeof(*q));
		if (!q)
			return -1;
		for (size_t i = 0; i < l->cq_len; i++)
			q[i] = l->cq[(l->cq_head + i) % l->cq_cap];
		free(l->cq);
		l->cq = q;
		l->cq_cap = cap;
		l->cq_head = 0;
	}
	struct hss_link_cmd *c = &l->cq[(l->cq_head + l->cq_len) % l->cq_cap];
	memcpy(c->cmd.data, buf, len);
	c->cmd.len = len;
	c->after = after_bulk ? l->out_total : 0;
	l->cq_len++;
	return 0;
}

size_t hss_link_out_room(struct hss_link *l)
{
	if (l->out_head > 0 && l->out_head == l->out_tail)
		l->out_head = l->out_tail = 0;
	return l->out_cap - l->out_tail;
}

static void make_room(struct hss_link *l, size_t need)
{
	if (l->out_cap - l->out_tail >= need || l->out_head == 0)
		return;
	memmove(l->out, l->out + l->out_head, l->out_tail - l->out_head);
	l->out_tail -= l->out_head;
	l->out_head = 0;
}

ssize_t hss_link_read_framed(struct hss_link *l, int fd, uint32_t sock_id, uint32_t max_chunk,
			     size_t budget, int dgram, struct hss_framed *framed, int *nframed)
{
	*nframed = 0;
	if (dgram)
		max_chunk = 65535;
	size_t slot = HSS_HDR_LEN + (size_t)max_chunk;
	make_room(l, slot * 4);
	size_t room = l->out_cap - l->out_tail;
	size_t k = room / slot;
	if (k > 16)
		k = 16;
	if (dgram)
		k = k ? 1 : 0;
	else if (k > 1 && budget / max_chunk < k)
		k = (budget / max_chunk) ? (budget / max_chunk) : 1;
	if (k == 0 || budget == 0) {
		errno = ENOBUFS;
		return -1;
	}
	struct iovec iov[16];
	uint8_t *base = l->out + l->out_tail;
	for (size_t i = 0; i < k; i++) {
		iov[i].iov_base = base + i * slot + HSS_HDR_LEN;
		iov[i].iov_len = max_chunk;
	}
	if (!dgram && k == 1 && budget < max_chunk)
		iov[0].iov_len = budget;
	ssize_t n = dgram ? recv(fd, iov[0].iov_base, max_chunk, MSG_DONTWAIT)
			  : readv(fd, iov, (int)k);
	if (n < 0 || (n == 0 && !dgram))
		return n; /* an empty datagram is still a datagram */
	size_t left = (size_t)n, used = 0;
	for (size_t i = 0; left > 0 || (dgram && i == 0); i++) {
		uint32_t len = (uint32_t)(left < iov[i].iov_len ? left : iov[i].iov_len);
		uint16_t id = hss_link_next_id(l);
		hss_transmit_hdr_encode(base + i * slot, id, sock_id, len);
		framed[i].msg_id = id;
		framed[i].len = len;
		(*nframed)++;
		left -= len;
		used = i * slot + HSS_HDR_LEN + len;
	}
	l->out_tail += used;
	l->out_total += used;
	return n;
}

void hss_link_down(struct hss_link *l, const char *why)
{
	if (l->down)
		return;
	l->down = 1;
	snprintf(l->down_why, sizeof(l->down_why), "%s", why);
	l->t->ops->detach(l->t, l->loop);
	l->cq_len = 0;
	l->out_head = l->out_tail = 0;
	l->ops->on_down(l->owner, l->down_why);
}

static void down_errno(struct hss_link *l, const char *what)
{
	char why[160];
	snprintf(why, sizeof(why), "%s: %s", what, strerror(errno));
	hss_link_down(l, why);
}

static int flush_bulk(struct hss_link *l)
{
	int progress = 0;
	while (l->out_head < l->out_tail) {
		ssize_t n = l->t->ops->bulk_send(l->t, l->out + l->out_head, l->out_tail - l->out_head);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			down_errno(l, "bulk out");
			return 0;
		}
		if (n == 0)
			break;
		l->out_head += (size_t)n;
		l->out_flushed += (uint64_t)n;
		l->st.bulk_bytes_out += (uint64_t)n;
		progress = 1;
	}
	if (l->out_head == l->out_tail)
		l->out_head = l->out_tail = 0;
	return progress;
}

static int flush_cmds(struct hss_link *l)
{
	int progress = 0;
	l->cmd_blocked = 0;
	while (l->cq_len > 0 && !l->down) {
		struct hss_cmd_buf batch[32];
		int n = 0;
		while (n < 32 && (size_t)n < l->cq_len) {
			const struct hss_link_cmd *c = &l->cq[(l->cq_head + (size_t)n) % l->cq_cap];
			if (c->after > l->out_flushed)
				break;
			batch[n++] = c->cmd;
		}
		if (n == 0)
			break;
		int sent = l->t->ops->cmd_send(l->t, batch, n);
		if (sent < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				l->cmd_blocked = 1;
				break;
			}
			down_errno(l, "command out");
			return 0;
		}
		l->cq_head = (l->cq_head + (size_t)sent) % l->cq_cap;
		l->cq_len -= (size_t)sent;
		l->st.cmds_out += (uint64_t)sent;
		progress = 1;
		if (sent < n) {
			l->cmd_blocked = 1;
			break;
		}
	}
	return progress;
}

/* Hand whole messages to the owner; 1 when it could not take them all. */
static int dispatch_bulk(struct hss_link *l)
{
	int rc = l->ops->on_bulk(l->owner, &l->rx);
	if (rc < 0) {
		char why[160];
		/* rx.err says why only when the stream itself failed */
		if (l->rx.failed)
			snprintf(why, sizeof(why), "bulk stream corrupt (%s): %s", l->rx.err.field, l->rx.err.text);
		else
			snprintf(why, sizeof(why), "bulk in: a message could not be taken (out of memory)");
		hss_link_down(l, why);
		return 1;
	}
	l->rx_blocked = rc;
	return rc;
}

static int rx_bulk(struct hss_link *l)
{
	int progress = 0;
	if (l->rx_blocked && dispatch_bulk(l))
		return 0;
	while (!l->down) {
		size_t room;
		uint8_t *p = hss_reasm_space(&l->rx, &room);
		if (room == 0) {
			if (dispatch_bulk(l))
				break;
			continue;
		}
		ssize_t n = l->t->ops->bulk_recv(l->t, p, room);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			down_errno(l, "bulk in");
			break;
		}
		if (n == 0) {
			hss_link_down(l, "bulk in: the peer went away");
			break;
		}
		hss_reasm_commit(&l->rx, (size_t)n);
		l->st.bulk_bytes_in += (uint64_t)n;
		progress = 1;
		if (dispatch_bulk(l))
			break;
	}
	return progress;
}

static void handle_cmd(struct hss_link *l, const struct hss_cmd_buf *c)
{
	struct hss_msg m;
	struct hss_error err;
	l->st.cmds_in++;
	if (hss_cmd_decode(&m, &err, c->data, c->len) < 0) {
		l->st.cmds_rejected++;
		int hdr_ok = c->len >= HSS_HDR_LEN;
		if (hdr_ok)
			hss_hdr_decode(&m.hdr, c->data);
		l->ops->on_bad_cmd(l->owner, &m, hdr_ok, &err);
		return;
	}
	l->ops->on_cmd(l->owner, &m);
}

/* CLOSE and SHUTDOWN must not overtake the data sent before them on the bulk pipe: take all
 * bulk bytes that have arrived first. */
static int orders_after_data(const struct hss_cmd_buf *c)
{
	if (c->len < 2)
		return 0;
	uint16_t op = (uint16_t)(c->data[0] | c->data[1] << 8);
	return op == HSS_OP_CLOSE || op == HSS_OP_SHUTDOWN;
}

static int defer(struct hss_link *l, const struct hss_cmd_buf *c)
{
	if (l->deferred_len == l->deferred_cap) {
		size_t cap = l->deferred_cap ? l->deferred_cap * 2 : 32;
		struct hss_cmd_buf *d = realloc(l->deferred, cap * sizeof(*d));
		if (!d)
			return -1;
		l->deferred = d;
		l->deferred_cap = cap;
	}
	l->deferred[l->deferred_len++] = *c;
	return 0;
}

static int run_deferred(struct hss_link *l)
{
	size_t i = 0;
	int progress = 0;
	while (i < l->deferred_len && !l->down) {
		if (orders_after_data(&l->deferred[i])) {
			rx_bulk(l);
			if (l->rx_blocked)
				break;
		}
		handle_cmd(l, &l->deferred[i++]);
		progress = 1;
	}
	if (l->down) {
		l->deferred_len = 0;
		return progress;
	}
	if (i > 0) {
		memmove(l->deferred, l->deferred + i, (l->deferred_len - i) * sizeof(*l->deferred));
		l->deferred_len -= i;
	}
	return progress;
}

static int rx_cmds(struct hss_link *l)
{
	int progress = run_deferred(l);
	while (!l->down && l->deferred_len == 0) {
		struct hss_cmd_buf cmds[32];
		int n = l->t->ops->cmd_recv(l->t, cmds, 32);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			down_errno(l, "command in");
			break;
		}
		if (n == 0) {
			hss_link_down(l, "command in: the peer went away");
			break;
		}
		progress = 1;
		for (int i = 0; i < n && !l->down; i++) {
			if (l->deferred_len > 0 || (orders_after_data(&cmds[i]) && (rx_bulk(l), l->rx_blocked))) {
				if (defer(l, &cmds[i]) < 0) {
					hss_link_down(l, "out of memory");
					return progress;
				}
				continue;
			}
			handle_cmd(l, &cmds[i]);
		}
	}
	return progress;
}

static void update_interest(struct hss_link *l)
{
	if (l->down)
		return;
	size_t room;
	hss_reasm_space(&l->rx, &room);
	unsigned want = 0;
	if (l->out_head < l->out_tail)
		want |= HSS_WANT_BULK_OUT;
	if (l->cmd_blocked)
		want |= HSS_WANT_CMD_OUT;
	if (l->rx_blocked || room == 0)
		want |= HSS_PAUSE_BULK_IN;
	if (want != l->want) {
		l->want = want;
		l->t->ops->interest(l->t, want);
	}
}

void hss_link_pump(struct hss_link *l)
{
	if (l->down)
		return;
	if (l->in_pump) {
		l->again = 1;
		return;
	}
	l->in_pump = 1;
	int rounds = 0, progress;
	do {
		l->again = 0;
		progress = 0;
		if (l->t->ops->service)
			l->t->ops->service(l->t);
		progress |= flush_bulk(l);
		progress |= flush_cmds(l);
		if (!l->down)
			progress |= rx_bulk(l);
		if (!l->down)
			progress |= rx_cmds(l);
		if (!l->down && hss_link_out_room(l) >= HSS_HDR_LEN + 1)
			progress |= l->ops->on_room(l->owner);
		if (!l->down)
			progress |= flush_bulk(l);
		if (!l->down)
			progress |= flush_cmds(l);
	} while (!l->down && (progress || l->again) && ++rounds < PUMP_ROUNDS);
	if (!l->down && rounds >= PUMP_ROUNDS) {
		/* Still busy: come back after the loop has served everyone else. */
		l->kicked = 1;
		l->loop->busy = 1;
	}
	update_interest(l);
	l->in_pump = 0;
}
