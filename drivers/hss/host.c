/* Host role: see host.h.  One struct hsock per device handle; real sockets are non-blocking
 * and edge-triggered; readable sockets wait on a ready list until the bulk output has room. */
#include "drivers/hss/host.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "drivers/hss/link.h"
#include "drivers/hss/log.h"
#include "drivers/hss/outq.h"
#include "drivers/hss/socktab.h"

#define READ_BUDGET (64 * 1024) /* per socket per round, so one busy socket cannot starve the rest */

enum hs_state { HS_OPEN, HS_CONNECTING, HS_CONNECTED };

struct hsock {
	struct hss_ev ev;
	struct hss_host *h;
	struct hss_entry entry; /* entry.handle: the device's handle */
	int fd;
	int dgram;
	int family;
	enum hs_state state;
	uint16_t connect_msg;
	uint64_t deadline;
	int rd_done;   /* EOF or error: CLOSE sent to the device, nothing more is read */
	int wr_shut;   /* the device shut its sending side: shut ours once the queue drains */
	int closing;   /* the device closed: close once the queue drains */
	int err;       /* write side failed: further TRANSMITs are refused with this errno */
	struct hss_outq q;
};

struct hss_host {
	struct hss_host_config cfg;
	struct hss_link link;
	struct hss_loop *loop;
	struct hss_tick tick;
	struct hss_table socks;
	unsigned connecting;
	uint64_t next_timer_check;
	int rx_waiting; /* the bulk pipe is paused for a socket's queue */
	struct hss_host_stats st;
};

void hss_host_config_default(struct hss_host_config *cfg)
{
	cfg->max_transmit = 1012;
	cfg->rx_max_payload = HSS_TRANSMIT_MAX;
	cfg->sock_queue_max = 1 << 20;
	cfg->connect_timeout_ms = 30000;
	cfg->max_sockets = 1024;
}

static struct hsock *sock_of(struct hss_entry *e)
{
	return e ? hss_container_of(e, struct hsock, entry) : NULL;
}

static struct hsock *find(struct hss_host *h, uint32_t handle)
{
	return sock_of(hss_table_find(&h->socks, handle));
}

static void send_ack(struct hss_host *h, uint16_t msg_id, uint32_t sock_id, uint16_t op, uint8_t code)
{
	uint8_t b[HSS_CMD_MAX];
	size_t n = hss_ack_encode(b, msg_id, sock_id, op, code);
	if (hss_link_cmd(&h->link, b, n, 0) < 0)
		hss_link_down(&h->link, "out of memory queueing an ACK");
}

/* CLOSE tells the device the remote side is gone; it follows every byte read before it. */
static void send_close(struct hss_host *h, struct hsock *s)
{
	uint8_t b[HSS_CMD_MAX];
	size_t n = hss_close_encode(b, hss_link_next_id(&h->link), s->entry.handle);
	s->rd_done = 1;
	if (hss_link_cmd(&h->link, b, n, 1) < 0)
		hss_link_down(&h->link, "out of memory queueing a CLOSE");
}

static void ready_remove(struct hss_host *h, struct hsock *s)
{
	hss_ready_remove(&h->socks, &s->entry);
}

static void ready_add(struct hss_host *h, struct hsock *s)
{
	if (!s->rd_done && s->state == HS_CONNECTED)
		hss_ready_append(&h->socks, &s->entry);
}

static void sock_free(struct hss_host *h, struct hsock *s)
{
	ready_remove(h, s);
	hss_table_remove(&h->socks, &s->entry);
	if (s->state == HS_CONNECTING)
		h->connecting--;
	if (s->fd >= 0) {
		hss_loop_del(h->loop, s->fd);
		close(s->fd);
	}
	hss_outq_clear(&s->q);
	h->st.sockets--;
	h->st.closed++;
	hss_loop_retire(h->loop, &s->ev, s);
}

static void on_written(void *ctx, uint16_t msg_id)
{
	struct hsock *s = ctx;
	s->h->st.transmit_acks++;
	send_ack(s->h, msg_id, s->entry.handle, HSS_OP_TRANSMIT, HSS_ACK_SUCCESS);
}

/* A write failed: refuse what is queued with the real status and tell the device. */
static void write_failed(struct hss_host *h, struct hsock *s, int e)
{
	s->err = e;
	uint8_t code = hss_ack_code_from_errno(e);
	while (s->q.head) {
		h->st.transmit_errors++;
		send_ack(h, s->q.head->msg_id, s->entry.handle, HSS_OP_TRANSMIT, code);
		struct hss_chunk *c = s->q.head;
		s->q.head = c->next;
		free(c);
	}
	s->q.tail = NULL;
	s->q.bytes = 0;
	if (!s->rd_done) {
		ready_remove(h, s);
		send_close(h, s);
	}
}

/* After the queue drains: apply a pending shutdown or close. */
static int finish_queue(struct hss_host *h, struct hsock *s)
{
	if (s->q.head)
		return 0;
	if (s->closing) {
		sock_free(h, s);
		return 1;
	}
	if (s->wr_shut == 1) {
		shutdown(s->fd, SHUT_WR);
		s->wr_shut = 2;
	}
	return 0;
}

static void flush_queue(struct hss_host *h, struct hsock *s)
{
	size_t before = s->q.bytes;
	if (hss_outq_flush(&s->q, s->fd, s->dgram, on_written, s) < 0)
		write_failed(h, s, errno);
	h->st.bytes_to_net += before - s->q.bytes;
	if (finish_queue(h, s))
		return;
	if (h->rx_waiting && s->q.bytes < h->cfg.sock_queue_max) {
		h->rx_waiting = 0;
		hss_link_pump(&h->link);
	}
}

static void connect_done(struct hss_host *h, struct hsock *s, int e)
{
	h->connecting--;
	send_ack(h, s->connect_msg, s->entry.handle, HSS_OP_CONNECT, hss_ack_code_from_errno(e));
	if (e) {
		hss_log(HSS_LOG_DEBUG, "socket %u: connect failed: %s", s->entry.handle, strerror(e));
		s->state = HS_OPEN;
		return;
	}
	s->state = HS_CONNECTED;
	ready_add(h, s);
}

static void sock_event(struct hss_ev *ev, uint32_t events)
{
	struct hsock *s = (struct hsock *)ev;
	struct hss_host *h = s->h;
	if (s->state == HS_CONNECTING) {
		if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
			return;
		int e = 0;
		socklen_t len = sizeof(e);
		if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &e, &len) < 0)
			e = errno;
		connect_done(h, s, e);
	} else if (s->state == HS_CONNECTED) {
		uint32_t handle = s->entry.handle;
		if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
			flush_queue(h, s); /* may free s */
		s = find(h, handle);
		if (s && (events & (EPOLLIN | EPOLLRDHUP | EPOLLERR | EPOLLHUP)))
			ready_add(h, s);
	}
	hss_link_pump(&h->link);
}

static int family_to_af(uint16_t f)
{
	return f == HSS_FAMILY_IP ? AF_INET : f == HSS_FAMILY_IP6 ? AF_INET6 : -1;
}

static void cmd_open(struct hss_host *h, const struct hss_msg *m)
{
	const struct hss_open *o = &m->u.open;
	int af = family_to_af(o->family);
	int type = o->type == HSS_TYPE_STREAM ? SOCK_STREAM : o->type == HSS_TYPE_DGRAM ? SOCK_DGRAM : -1;
	int proto = o->protocol == HSS_PROTO_TCP ? IPPROTO_TCP : o->protocol == HSS_PROTO_UDP ? IPPROTO_UDP : -1;
	uint8_t code = HSS_ACK_SUCCESS;
	if (af < 0 || type < 0 || proto < 0) {
		code = HSS_ACK_INVAL;
	} else if ((type == SOCK_STREAM) != (proto == IPPROTO_TCP)) {
		code = HSS_ACK_PROTONOSUPPORT;
	} else if (find(h, o->handle)) {
		code = HSS_ACK_INVAL; /* duplicate handle: the device's bookkeeping is off */
	} else if (h->st.sockets >= h->cfg.max_sockets) {
		code = HSS_ACK_HOSTERR;
	}
	if (code != HSS_ACK_SUCCESS) {
		hss_log(HSS_LOG_WARN, "OPEN handle %u refused: %s", o->handle, hss_ack_code_name(code));
		h->st.rejected++;
		send_ack(h, m->hdr.msg_id, o->handle, HSS_OP_OPEN, code);
		return;
	}
	int fd = socket(af, type | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	struct hsock *s = fd >= 0 ? calloc(1, sizeof(*s)) : NULL;
	if (!s) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		send_ack(h, m->hdr.msg_id, o->handle, HSS_OP_OPEN, hss_ack_code_from_errno(e));
		return;
	}
	s->ev.fn = sock_event;
	s->h = h;
	s->entry.handle = o->handle;
	s->fd = fd;
	s->dgram = type == SOCK_DGRAM;
	s->family = af;
	s->state = HS_OPEN;
	if (hss_loop_add(h->loop, fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, &s->ev) < 0) {
		close(fd);
		free(s);
		send_ack(h, m->hdr.msg_id, o->handle, HSS_OP_OPEN, HSS_ACK_HOSTERR);
		return;
	}
	hss_table_insert(&h->socks, &s->entry);
	h->st.sockets++;
	h->st.opened++;
	send_ack(h, m->hdr.msg_id, o->handle, HSS_OP_OPEN, HSS_ACK_SUCCESS);
}

static void cmd_connect(struct hss_host *h, const struct hss_msg *m)
{
	struct hsock *s = find(h, m->hdr.sock_id);
	const struct hss_connect *c = &m->u.connect;
	uint8_t code = HSS_ACK_SUCCESS;
	if (!s)
		code = HSS_ACK_INVAL;
	else if (s->state != HS_OPEN || s->rd_done)
		code = HSS_ACK_INVAL;
	else if (family_to_af(c->family) != s->family)
		code = HSS_ACK_MISMATCH;
	if (code != HSS_ACK_SUCCESS) {
		send_ack(h, m->hdr.msg_id, m->hdr.sock_id, HSS_OP_CONNECT, code);
		return;
	}
	struct sockaddr_storage ss;
	socklen_t len;
	memset(&ss, 0, sizeof(ss));
	if (s->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
		sin->sin_family = AF_INET;
		memcpy(&sin->sin_port, c->port, 2);
		memcpy(&sin->sin_addr, c->addr, 4);
		len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_port, c->port, 2);
		sin6->sin6_flowinfo = c->flowinfo;
		sin6->sin6_scope_id = c->scope_id;
		memcpy(&sin6->sin6_addr, c->addr, 16);
		len = sizeof(*sin6);
	}
	s->connect_msg = m->hdr.msg_id;
	h->connecting++;
	if (connect(s->fd, (struct sockaddr *)&ss, len) == 0) {
		connect_done(h, s, 0);
		return;
	}
	if (errno != EINPROGRESS) {
		connect_done(h, s, errno);
		return;
	}
	s->state = HS_CONNECTING;
	s->deadline = hss_now_ms() + h->cfg.connect_timeout_ms;
}

static void cmd_close(struct hss_host *h, const struct hss_msg *m)
{
	struct hsock *s = find(h, m->hdr.sock_id);
	send_ack(h, m->hdr.msg_id, m->hdr.sock_id, HSS_OP_CLOSE, s ? HSS_ACK_SUCCESS : HSS_ACK_NOTCONN);
	if (!s)
		return;
	ready_remove(h, s);
	s->rd_done = 1; /* the device no longer wants data: stop reading */
	s->closing = 1;
	if (!s->q.head || s->err)
		sock_free(h, s);
}

static void cmd_shutdown(struct hss_host *h, const struct hss_msg *m)
{
	struct hsock *s = find(h, m->hdr.sock_id);
	if (!s || s->state != HS_CONNECTED) {
		send_ack(h, m->hdr.msg_id, m->hdr.sock_id, HSS_OP_SHUTDOWN, HSS_ACK_NOTCONN);
		return;
	}
	uint8_t how = m->u.shutdown_how;
	if (how == 0 || how == 2) {
		shutdown(s->fd, SHUT_RD);
		ready_remove(h, s);
	}
	if ((how == 1 || how == 2) && !s->wr_shut)
		s->wr_shut = 1;
	finish_queue(h, s);
	send_ack(h, m->hdr.msg_id, m->hdr.sock_id, HSS_OP_SHUTDOWN, HSS_ACK_SUCCESS);
}

static void on_cmd(void *owner, const struct hss_msg *m)
{
	struct hss_host *h = owner;
	switch (m->hdr.op) {
	case HSS_OP_OPEN: cmd_open(h, m); break;
	case HSS_OP_CONNECT: cmd_connect(h, m); break;
	case HSS_OP_CLOSE: cmd_close(h, m); break;
	case HSS_OP_SHUTDOWN: cmd_shutdown(h, m); break;
	case HSS_OP_ACK: break; /* the device does not acknowledge; tolerate one that does */
	default: break;
	}
}

static void on_bad_cmd(void *owner, const struct hss_msg *m, int hdr_ok, const struct hss_error *err)
{
	struct hss_host *h = owner;
	h->st.rejected++;
	hss_log(HSS_LOG_WARN, "command rejected: %s: %s", err->field, err->text);
	/* Answer what can be answered so the device does not wait for nothing. */
	if (hdr_ok && m->hdr.op != HSS_OP_ACK && m->hdr.op <= HSS_OP_CLOSE) {
		uint32_t sock = m->hdr.op == HSS_OP_OPEN && m->hdr.len >= 4 ? 0 : m->hdr.sock_id;
		send_ack(h, m->hdr.msg_id, sock, m->hdr.op, HSS_ACK_INVAL);
	}
}

static int on_bulk(void *owner, struct hss_reasm *rx)
{
	struct hss_host *h = owner;
	struct hss_msg msgs[64];
	for (;;) {
		int rc = hss_reasm_peek(rx, &msgs[0]);
		if (rc <= 0)
			return rc;
		uint32_t id = msgs[0].hdr.sock_id;
		struct hsock *s = find(h, id);
		if (!s || s->state != HS_CONNECTED || s->err || s->closing || s->wr_shut) {
			uint8_t code = !s ? HSS_ACK_INVAL : s->err ? hss_ack_code_from_errno(s->err) : HSS_ACK_NOTCONN;
			h->st.transmit_errors++;
			send_ack(h, msgs[0].hdr.msg_id, id, HSS_OP_TRANSMIT, code);
			hss_reasm_pop(rx);
			continue;
		}
		if (s->q.bytes >= h->cfg.sock_queue_max) {
			h->rx_waiting = 1;
			return 1;
		}
		/* The TRANSMITs for this socket that follow: one writev for them all. */
		size_t off, total;
		int n = hss_reasm_peek_run(rx, msgs, 64, 512 * 1024, &off, &total);
		size_t queued = s->q.bytes;
		if (hss_deliver(&s->q, s->fd, s->dgram, msgs, n, on_written, s) < 0) {
			/* what was not written is queued: write_failed refuses it with the status */
			int e = errno;
			hss_reasm_pop_bytes(rx, off);
			write_failed(h, s, e);
			continue;
		}
		h->st.bytes_to_net += total - (s->q.bytes - queued);
		hss_reasm_pop_bytes(rx, off);
	}
}

/* One turn of a readable socket: read into framed TRANSMITs, or note its end. */
static int read_ready(void *owner, struct hss_entry *e)
{
	struct hss_host *h = owner;
	struct hsock *s = sock_of(e);
	struct hss_framed fr[16];
	int nfr;
	ssize_t n = hss_link_read_framed(&h->link, s->fd, s->entry.handle, h->cfg.max_transmit,
					 READ_BUDGET, s->dgram, fr, &nfr);
	if (n < 0 && errno == ENOBUFS)
		return -1;
	ready_remove(h, s);
	if (n > 0) {
		h->st.bytes_from_net += (uint64_t)n;
		ready_add(h, s); /* maybe more: edge-triggered, so read until EAGAIN */
		return 1;
	}
	if (n == 0 && !s->dgram) {
		send_close(h, s);
		return 1;
	}
	if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
		if (s->dgram && errno == ECONNREFUSED) {
			ready_add(h, s); /* an ICMP error for an earlier datagram: keep going */
			return 0;
		}
		hss_log(HSS_LOG_DEBUG, "socket %u: read: %s", s->entry.handle, strerror(errno));
		send_close(h, s);
		return 1;
	}
	return 0;
}

static int on_room(void *owner)
{
	struct hss_host *h = owner;
	return hss_ready_serve(&h->socks, read_ready, h);
}

static void free_all(struct hss_host *h)
{
	for (int i = 0; i < HSS_TABLE_BUCKETS; i++)
		while (h->socks.buckets[i])
			sock_free(h, sock_of(h->socks.buckets[i]));
}

static void on_down(void *owner, const char *why)
{
	struct hss_host *h = owner;
	hss_log(HSS_LOG_INFO, "device link down: %s; closing %u sockets", why, h->st.sockets);
	free_all(h);
}

static void host_tick(struct hss_tick *tick)
{
	struct hss_host *h = (struct hss_host *)((char *)tick - offsetof(struct hss_host, tick));
	if (!h->connecting)
		return;
	uint64_t now = hss_now_ms();
	if (now < h->next_timer_check)
		return;
	h->next_timer_check = now + 50;
	for (int i = 0; i < HSS_TABLE_BUCKETS; i++)
		for (struct hss_entry *e = h->socks.buckets[i]; e; e = e->hnext) {
			struct hsock *s = sock_of(e);

			if (s->state == HS_CONNECTING && now >= s->deadline) {
				/* abandon the attempt: a fresh socket for a possible retry */
				connect_done(h, s, ETIMEDOUT);
				int fd = socket(s->family, (s->dgram ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
				if (fd >= 0) {
					hss_loop_del(h->loop, s->fd);
					close(s->fd);
					s->fd = fd;
					if (hss_loop_add(h->loop, fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, &s->ev) < 0)
						hss_log(HSS_LOG_WARN, "socket %u: cannot watch its new descriptor: %s",
							s->entry.handle, strerror(errno));
				}
			}
		}
	hss_link_pump(&h->link);
}

static const struct hss_link_ops host_link_ops = {
	.on_cmd = on_cmd,
	.on_bad_cmd = on_bad_cmd,
	.on_bulk = on_bulk,
	.on_room = on_room,
	.on_down = on_down,
};

int hss_host_new(struct hss_host **out, struct hss_loop *loop, struct hss_transport *t,
		 const struct hss_host_config *cfg)
{
	struct hss_host *h = calloc(1, sizeof(*h));
	if (!h)
		return -1;
	if (cfg)
		h->cfg = *cfg;
	else
		hss_host_config_default(&h->cfg);
	if (h->cfg.max_transmit == 0 || h->cfg.max_transmit > HSS_TRANSMIT_MAX)
		h->cfg.max_transmit = 1012;
	h->loop = loop;
	h->tick.fn = host_tick;
	if (hss_link_init(&h->link, t, loop, &host_link_ops, h, h->cfg.rx_max_payload, 0) < 0) {
		free(h);
		return -1;
	}
	hss_loop_add_tick(loop, &h->tick);
	*out = h;
	return 0;
}

void hss_host_free(struct hss_host *h)
{
	if (!h)
		return;
	free_all(h);
	hss_loop_del_tick(h->loop, &h->tick);
	hss_link_free(&h->link);
	free(h);
}

int hss_host_down(const struct hss_host *h, const char **why)
{
	if (why)
		*why = h->link.down_why;
	return h->link.down;
}

void hss_host_stats(const struct hss_host *h, struct hss_host_stats *out)
{
	*out = h->st;
}
