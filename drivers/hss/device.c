/* Device role: see device.h.  One struct dsock per application connection.  Data from an
 * application goes out as TRANSMITs while its unacknowledged bytes stay under the window;
 * data from the host is written to the application, queued when it is slow, and the bulk
 * pipe pauses when that queue is full (the protocol has no per-socket credit that way). */
#include "drivers/hss/device.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "drivers/hss/hss.h"
#include "drivers/hss/link.h"
#include "drivers/hss/log.h"
#include "drivers/hss/outq.h"
#include "drivers/hss/socktab.h"

#define READ_BUDGET (64 * 1024)

enum ds_state { DS_REQ_OPEN, DS_OPENING, DS_REQ_CONNECT, DS_CONNECTING, DS_CONNECTED };

struct inflight {
	uint16_t msg_id;
	uint32_t len;
};

struct dsock {
	struct hss_ev ev;
	struct hss_device *d;
	struct hss_entry entry; /* entry.handle once OPEN was sent; entry.hashed until the handle is given up */
	struct dsock *anext, *aprev;
	int fd;
	int dgram;
	int family;
	enum ds_state state;
	uint16_t wait_msg, wait_op;
	uint64_t deadline;
	uint8_t req[sizeof(struct hss_app_req)];
	size_t req_len;
	int app_eof;      /* the application shut its sending side */
	int app_gone;     /* the application closed: its descriptor is closed already */
	int app_hup;      /* the application closed: read what it sent, then it is gone */
	int shut_sent;
	int remote_closed;
	struct inflight *fl;
	size_t fl_head, fl_len, fl_cap, inflight;
	struct hss_outq q;
};

struct listen_slot {
	struct hss_ev ev;
	struct hss_device *d;
	int fd;
	int dgram;
	uint64_t resume; /* 0, or when to watch fd again after running out of descriptors */
};

struct hss_device {
	struct hss_device_config cfg;
	char *path, *dgram_path;
	struct hss_link link;
	struct hss_loop *loop;
	struct hss_tick tick;
	struct listen_slot listen[2]; /* stream, seqpacket */
	struct hss_table socks;
	struct dsock *all;
	uint32_t next_handle;
	uint64_t next_timer_check;
	int rx_waiting;
	struct hss_device_stats st;
};

void hss_device_config_default(struct hss_device_config *cfg)
{
	cfg->socket_path = HSS_DEFAULT_SOCKET;
	cfg->max_transmit = 4084; /* 4 KiB transfers: well inside the original host's 8 KiB ring */
	cfg->rx_max_payload = HSS_TRANSMIT_MAX;
	cfg->window = 256 * 1024;
	cfg->app_queue_max = 1 << 20;
	cfg->reply_timeout_ms = 35000;
}

static struct dsock *sock_of(struct hss_entry *e)
{
	return e ? hss_container_of(e, struct dsock, entry) : NULL;
}

static struct dsock *find(struct hss_device *d, uint32_t handle)
{
	return sock_of(hss_table_find(&d->socks, handle));
}

static void ready_remove(struct hss_device *d, struct dsock *s)
{
	hss_ready_remove(&d->socks, &s->entry);
}

static void ready_add(struct hss_device *d, struct dsock *s)
{
	if (s->state == DS_CONNECTED && !s->app_eof && !s->app_gone && !s->remote_closed)
		hss_ready_append(&d->socks, &s->entry);
}

static void close_fd(struct hss_device *d, struct dsock *s)
{
	if (s->fd < 0)
		return;
	hss_loop_del(d->loop, s->fd);
	close(s->fd);
	s->fd = -1;
}

static void sock_free(struct hss_device *d, struct dsock *s)
{
	ready_remove(d, s);
	if (s->entry.hashed) {
		hss_table_remove(&d->socks, &s->entry);
		d->st.closed++;
	}
	if (s->aprev)
		s->aprev->anext = s->anext;
	else
		d->all = s->anext;
	if (s->anext)
		s->anext->aprev = s->aprev;
	close_fd(d, s);
	hss_outq_clear(&s->q);
	free(s->fl);
	d->st.sockets--;
	hss_loop_retire(d->loop, &s->ev, s);
}

static int send_cmd(struct hss_device *d, const uint8_t *b, size_t n, int after_bulk)
{
	if (hss_link_cmd(&d->link, b, n, after_bulk) < 0) {
		if (!d->link.down)
			hss_link_down(&d->link, "out of memory queueing a command");
		return -1;
	}
	return 0;
}

static void reply(struct dsock *s, uint16_t op, int err)
{
	struct hss_app_rep rep = { .magic = HSS_APP_MAGIC, .op = op, .err = err };
	/* a fresh socket has room for 16 bytes: this never blocks */
	if (s->fd >= 0 && send(s->fd, &rep, sizeof(rep), MSG_DONTWAIT | MSG_NOSIGNAL) != (ssize_t)sizeof(rep))
		hss_log(HSS_LOG_DEBUG, "socket %u: reply lost: %s", s->entry.handle, strerror(errno));
}

/* The application is gone or the host closed: say CLOSE once nothing of ours is in flight. */
static int try_close(struct hss_device *d, struct dsock *s)
{
	if (s->state == DS_OPENING || s->state == DS_CONNECTING)
		return 0; /* an ACK is due: decide when it comes */
	if (s->remote_closed && s->q.head && !s->app_gone)
		return 0; /* the application still has data to read */
	if (!s->app_gone && !s->remote_closed)
		return 0;
	if (s->inflight > 0 && !s->remote_closed)
		return 0; /* CLOSE must not overtake data: wait for its ACKs */
	if (s->entry.hashed) {
		uint8_t b[HSS_CMD_MAX];
		size_t n = hss_close_encode(b, hss_link_next_id(&d->link), s->entry.handle);
		send_cmd(d, b, n, 1);
	}
	if (s->fd >= 0 && !s->app_gone)
		shutdown(s->fd, SHUT_RDWR); /* the application reads what it has, then EOF; writes fail */
	sock_free(d, s);
	return 1;
}

static void try_shutdown(struct hss_device *d, struct dsock *s)
{
	if (!s->app_eof || s->shut_sent || s->app_gone || s->inflight > 0 || s->state != DS_CONNECTED)
		return;
	uint8_t b[HSS_CMD_MAX];
	size_t n = hss_shutdown_encode(b, hss_link_next_id(&d->link), s->entry.handle, 1);
	s->shut_sent = 1;
	send_cmd(d, b, n, 1);
}

static void app_gone(struct hss_device *d, struct dsock *s)
{
	s->app_gone = 1;
	ready_remove(d, s);
	d->st.discarded += s->q.bytes; /* nobody is left to read it */
	hss_outq_clear(&s->q);
	close_fd(d, s);
	if (s->state == DS_REQ_OPEN) {
		sock_free(d, s);
		return;
	}
	try_close(d, s);
}

static uint16_t to_hss_family(int af)
{
	return af == AF_INET ? HSS_FAMILY_IP : HSS_FAMILY_IP6;
}

static void start_open(struct hss_device *d, struct dsock *s, const struct hss_app_req *req)
{
	int err = 0;
	if (req->family != AF_INET && req->family != AF_INET6)
		err = EAFNOSUPPORT;
	else if ((req->type == SOCK_DGRAM) != s->dgram || (req->type != SOCK_STREAM && req->type != SOCK_DGRAM))
		err = EPROTOTYPE;
	else if (req->protocol && req->protocol != (s->dgram ? IPPROTO_UDP : IPPROTO_TCP))
		err = EPROTONOSUPPORT;
	else if (d->link.down)
		err = ENETDOWN;
	if (err) {
		reply(s, HSS_APP_OPEN, err);
		return;
	}
	do {
		if (++d->next_handle == 0)
			d->next_handle = 1;
	} while (find(d, d->next_handle));
	s->entry.handle = d->next_handle;
	s->family = req->family;
	hss_table_insert(&d->socks, &s->entry);
	d->st.opened++;
	struct hss_open o = {
		.handle = s->entry.handle, .family = to_hss_family(req->family),
		.protocol = s->dgram ? HSS_PROTO_UDP : HSS_PROTO_TCP,
		.type = s->dgram ? HSS_TYPE_DGRAM : HSS_TYPE_STREAM,
	};
	uint8_t buf[HSS_CMD_MAX];
	s->wait_msg = hss_link_next_id(&d->link);
	s->wait_op = HSS_OP_OPEN;
	s->deadline = hss_now_ms() + d->cfg.reply_timeout_ms;
	s->state = DS_OPENING;
	send_cmd(d, buf, hss_open_encode(buf, s->wait_msg, &o), 0);
}

static void start_connect(struct hss_device *d, struct dsock *s, const struct hss_app_req *req)
{
	struct hss_connect c = { 0 };
	const struct sockaddr *sa = (const struct sockaddr *)req->addr;
	int err = 0;
	if (req->addrlen > sizeof(req->addr) || req->addrlen < sizeof(sa_family_t))
		err = EINVAL;
	else if (sa->sa_family != s->family)
		err = EAFNOSUPPORT;
	else if (sa->sa_family == AF_INET && req->addrlen < sizeof(struct sockaddr_in))
		err = EINVAL;
	else if (sa->sa_family == AF_INET6 && req->addrlen < sizeof(struct sockaddr_in6))
		err = EINVAL;
	else if (d->link.down)
		err = ENETDOWN;
	if (err) {
		reply(s, HSS_APP_CONNECT, err);
		return;
	}
	c.family = to_hss_family(sa->sa_family);
	if (sa->sa_family == AF_INET) {
		struct sockaddr_in sin;
		memcpy(&sin, req->addr, sizeof(sin));
		memcpy(c.port, &sin.sin_port, 2);
		memcpy(c.addr, &sin.sin_addr, 4);
	} else {
		struct sockaddr_in6 sin6;
		memcpy(&sin6, req->addr, sizeof(sin6));
		memcpy(c.port, &sin6.sin6_port, 2);
		c.flowinfo = sin6.sin6_flowinfo;
		c.scope_id = sin6.sin6_scope_id;
		memcpy(c.addr, &sin6.sin6_addr, 16);
	}
	uint8_t buf[HSS_CMD_MAX];
	s->wait_msg = hss_link_next_id(&d->link);
	s->wait_op = HSS_OP_CONNECT;
	s->deadline = hss_now_ms() + d->cfg.reply_timeout_ms;
	s->state = DS_CONNECTING;
	send_cmd(d, buf, hss_connect_encode(buf, s->wait_msg, s->entry.handle, &c), 0);
}

/* Before the data phase the application sends fixed-size request records. */
static void read_request(struct hss_device *d, struct dsock *s)
{
	while (s->fd >= 0 && (s->state == DS_REQ_OPEN || s->state == DS_REQ_CONNECT)) {
		ssize_t n = recv(s->fd, s->req + s->req_len, sizeof(s->req) - s->req_len, MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			app_gone(d, s);
			return;
		}
		s->req_len += (size_t)n;
		if (s->req_len < sizeof(s->req) && !s->dgram)
			continue;
		struct hss_app_req req;
		memset(&req, 0, sizeof(req));
		memcpy(&req, s->req, s->req_len);
		s->req_len = 0;
		uint16_t want = s->state == DS_REQ_OPEN ? HSS_APP_OPEN : HSS_APP_CONNECT;
		if (req.magic != HSS_APP_MAGIC || req.op != want) {
			reply(s, want, EPROTO);
			app_gone(d, s);
			return;
		}
		if (want == HSS_APP_OPEN)
			start_open(d, s, &req);
		else
			start_connect(d, s, &req);
	}
}

static void flush_app(struct hss_device *d, struct dsock *s)
{
	if (s->fd < 0)
		return;
	size_t before = s->q.bytes;
	if (hss_outq_flush(&s->q, s->fd, s->dgram, NULL, NULL) < 0) {
		app_gone(d, s);
		return;
	}
	d->st.bytes_from_host += before - s->q.bytes;
	if (s->remote_closed && !s->q.head) {
		try_close(d, s);
		return;
	}
	if (d->rx_waiting && s->q.bytes < d->cfg.app_queue_max) {
		d->rx_waiting = 0;
		hss_link_pump(&d->link);
	}
}

static void app_event(struct hss_ev *ev, uint32_t events)
{
	struct dsock *s = (struct dsock *)ev;
	struct hss_device *d = s->d;
	if (s->state == DS_REQ_OPEN || s->state == DS_REQ_CONNECT) {
		if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
			read_request(d, s);
	} else if ((events & (EPOLLHUP | EPOLLERR)) && !s->remote_closed && !s->app_hup) {
		/* both directions gone: the application closed its descriptor; what it wrote
		 * before that is still to be read and sent */
		if (s->state != DS_CONNECTED || s->app_eof) {
			app_gone(d, s);
		} else {
			s->app_hup = 1;
			ready_add(d, s);
		}
	} else {
		uint32_t handle = s->entry.handle;
		if (events & EPOLLOUT)
			flush_app(d, s);
		s = find(d, handle);
		if (s && (events & (EPOLLIN | EPOLLRDHUP)))
			ready_add(d, s);
	}
	hss_link_pump(&d->link);
}

static void listen_event(struct hss_ev *ev, uint32_t events)
{
	(void)events;
	struct listen_slot *ls = (struct listen_slot *)ev;
	struct hss_device *d = ls->d;
	for (;;) {
		int fd = accept4(ls->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EAGAIN || errno == EINTR || errno == ECONNABORTED)
				return;
			d->st.accept_errors++;
			ls->resume = hss_loop_accept_failed(d->loop, ls->fd, errno);
			if (ls->resume)
				hss_log(HSS_LOG_WARN, "accept: %s; not accepting applications for %d ms",
					strerror(errno), HSS_ACCEPT_PAUSE_MS);
			return;
		}
		struct dsock *s = calloc(1, sizeof(*s));
		if (!s) {
			close(fd);
			continue;
		}
		s->ev.fn = app_event;
		s->d = d;
		s->fd = fd;
		s->dgram = ls->dgram;
		s->state = DS_REQ_OPEN;
		if (hss_loop_add(d->loop, fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, &s->ev) < 0) {
			close(fd);
			free(s);
			continue;
		}
		s->anext = d->all;
		if (d->all)
			d->all->aprev = s;
		d->all = s;
		d->st.sockets++;
		read_request(d, s);
	}
}

static void ack_transmit(struct hss_device *d, struct dsock *s, const struct hss_msg *m)
{
	/* ACKs come in order; match the msg_id, not just the socket */
	if (s->fl_len == 0 || s->fl[s->fl_head].msg_id != m->hdr.msg_id) {
		d->st.bad_acks++;
		hss_log(HSS_LOG_WARN, "socket %u: ACK for TRANSMIT %u that is not the oldest in flight",
			s->entry.handle, m->hdr.msg_id);
		return;
	}
	d->st.acks++;
	s->inflight -= s->fl[s->fl_head].len;
	s->fl_head = (s->fl_head + 1) % s->fl_cap;
	s->fl_len--;
	if (m->u.ack.code != HSS_ACK_SUCCESS && !s->remote_closed) {
		hss_log(HSS_LOG_DEBUG, "socket %u: host could not write: %s", s->entry.handle,
			hss_ack_code_name(m->u.ack.code));
		/* the host sends CLOSE too; stop taking data from the application now */
		s->app_eof = 1;
		ready_remove(d, s);
		if (s->fd >= 0)
			shutdown(s->fd, SHUT_RD);
	}
	if (s->inflight == 0) {
		if (try_close(d, s))
			return;
		try_shutdown(d, s);
	}
	if (s->state == DS_CONNECTED && !s->app_eof)
		ready_add(d, s);
}

static void on_ack(struct hss_device *d, const struct hss_msg *m)
{
	struct dsock *s = find(d, m->hdr.sock_id);
	if (!s)
		return; /* e.g. the ACK of our CLOSE */
	uint16_t op = m->u.ack.orig_op;
	if (op == HSS_OP_TRANSMIT) {
		ack_transmit(d, s, m);
		return;
	}
	if ((op != HSS_OP_OPEN && op != HSS_OP_CONNECT) || op != s->wait_op || m->hdr.msg_id != s->wait_msg ||
	    (s->state != DS_OPENING && s->state != DS_CONNECTING)) {
		if (op == HSS_OP_OPEN || op == HSS_OP_CONNECT) {
			d->st.bad_acks++;
			hss_log(HSS_LOG_WARN, "socket %u: unexpected ACK of %s msg %u", s->entry.handle,
				hss_op_name(op), m->hdr.msg_id);
		}
		return;
	}
	int err = hss_errno_from_ack_code(m->u.ack.code);
	s->wait_op = 0;
	if (op == HSS_OP_OPEN) {
		s->state = err ? DS_REQ_OPEN : DS_REQ_CONNECT;
		if (err) {
			/* no host socket exists: forget the handle */
			hss_table_remove(&d->socks, &s->entry);
			d->st.opened--;
		}
		reply(s, HSS_APP_OPEN, err);
	} else {
		s->state = err ? DS_REQ_CONNECT : DS_CONNECTED;
		reply(s, HSS_APP_CONNECT, err);
	}
	if (s->app_gone) {
		try_close(d, s);
		return;
	}
	if (s->state == DS_CONNECTED) {
		ready_add(d, s);
		if (s->q.head)
			flush_app(d, s); /* data that came before the ACK */
	} else if (s->fd >= 0) {
		hss_outq_clear(&s->q);
		read_request(d, s);
	}
}

static void on_cmd(void *owner, const struct hss_msg *m)
{
	struct hss_device *d = owner;
	if (m->hdr.op == HSS_OP_ACK) {
		on_ack(d, m);
		return;
	}
	if (m->hdr.op != HSS_OP_CLOSE) {
		hss_log(HSS_LOG_WARN, "host sent %s, which only a device sends; ignored", hss_op_name(m->hdr.op));
		return;
	}
	struct dsock *s = find(d, m->hdr.sock_id);
	if (!s || s->remote_closed)
		return;
	/* the remote side is gone: deliver what is queued, then EOF */
	s->remote_closed = 1;
	ready_remove(d, s);
	if (!s->q.head)
		try_close(d, s);
}

static void on_bad_cmd(void *owner, const struct hss_msg *m, int hdr_ok, const struct hss_error *err)
{
	(void)owner;
	(void)m;
	(void)hdr_ok;
	hss_log(HSS_LOG_WARN, "command from the host rejected: %s: %s", err->field, err->text);
}

static int on_bulk(void *owner, struct hss_reasm *rx)
{
	struct hss_device *d = owner;
	struct hss_msg msgs[64];
	for (;;) {
		int rc = hss_reasm_peek(rx, &msgs[0]);
		if (rc <= 0)
			return rc;
		uint32_t id = msgs[0].hdr.sock_id;
		struct dsock *s = find(d, id);
		if (!s || s->fd < 0 || (s->state != DS_CONNECTED && s->state != DS_CONNECTING)) {
			d->st.discarded += msgs[0].hdr.len; /* the application closed: nobody to read it */
			hss_reasm_pop(rx);
			continue;
		}
		if (s->state == DS_CONNECTING) {
			/* The host forwards data as soon as it has ACKed the CONNECT, and the bulk
			 * pipe can overtake the command pipe: hold the data until the ACK is in,
			 * so the application reads its connect reply first. */
			if (s->q.bytes >= d->cfg.app_queue_max) {
				d->rx_waiting = 1;
				return 1;
			}
			if (hss_outq_push(&s->q, msgs[0].hdr.msg_id, msgs[0].data, msgs[0].hdr.len) < 0)
				return -1;
			hss_reasm_pop(rx);
			continue;
		}
		if (s->q.bytes >= d->cfg.app_queue_max) {
			d->rx_waiting = 1;
			return 1;
		}
		size_t off, total;
		int n = hss_reasm_peek_run(rx, msgs, 64, 512 * 1024, &off, &total);
		size_t queued = s->q.bytes;
		int drc = hss_deliver(&s->q, s->fd, s->dgram, msgs, n, NULL, NULL);
		hss_reasm_pop_bytes(rx, off);
		if (drc < 0) {
			app_gone(d, s);
			continue;
		}
		d->st.bytes_from_host += total - (s->q.bytes - queued);
	}
}

static int push_inflight(struct dsock *s, uint16_t msg_id, uint32_t len)
{
	if (s->fl_len == s->fl_cap) {
		size_t cap = s->fl_cap ? s->fl_cap * 2 : 64;
		struct inflight *f = malloc(cap * sizeof(*f));
		if (!f)
			return -1;
		for (size_t i = 0; i < s->fl_len; i++)
			f[i] = s->fl[(s->fl_head + i) % s->fl_cap];
		free(s->fl);
		s->fl = f;
		s->fl_cap = cap;
		s->fl_head = 0;
	}
	s->fl[(s->fl_head + s->fl_len) % s->fl_cap] = (struct inflight){ msg_id, len };
	s->fl_len++;
	s->inflight += len;
	return 0;
}

/* One turn of an application with data to send: as much as its window allows. */
static int read_ready(void *owner, struct hss_entry *e)
{
	struct hss_device *d = owner;
	struct dsock *s = sock_of(e);
	size_t window = d->cfg.window > s->inflight ? d->cfg.window - s->inflight : 0;
	if (window < (s->dgram ? 65535 : 1)) {
		ready_remove(d, s); /* comes back when ACKs open the window */
		return 0;
	}
	size_t budget = window < READ_BUDGET ? window : READ_BUDGET;
	struct hss_framed fr[16];
	int nfr;
	ssize_t n = hss_link_read_framed(&d->link, s->fd, s->entry.handle, d->cfg.max_transmit,
					 budget, s->dgram, fr, &nfr);
	if (n < 0 && errno == ENOBUFS)
		return -1;
	ready_remove(d, s);
	for (int i = 0; i < nfr; i++) {
		if (push_inflight(s, fr[i].msg_id, fr[i].len) < 0) {
			hss_link_down(&d->link, "out of memory");
			return -1;
		}
	}
	if (n > 0 || nfr > 0) {
		d->st.bytes_to_host += (uint64_t)(n > 0 ? n : 0);
		ready_add(d, s);
		return 1;
	}
	if (n == 0) {
		if (s->app_hup) {
			app_gone(d, s);
		} else {
			s->app_eof = 1; /* shutdown(SHUT_WR) by the application; a close shows as HUP */
			try_shutdown(d, s);
		}
		return 1;
	}
	if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
		app_gone(d, s);
		return 1;
	}
	return 0;
}

static int on_room(void *owner)
{
	struct hss_device *d = owner;
	return hss_ready_serve(&d->socks, read_ready, d);
}

static void free_all(struct hss_device *d)
{
	while (d->all) {
		sock_free(d, d->all);
	}
}

static void on_down(void *owner, const char *why)
{
	struct hss_device *d = owner;
	hss_log(HSS_LOG_INFO, "host link down: %s; closing %u sockets", why, d->st.sockets);
	/* Applications see their sockets reset: reads return what was delivered, then end. */
	free_all(d);
}

static void device_tick(struct hss_tick *tick)
{
	struct hss_device *d = (struct hss_device *)((char *)tick - offsetof(struct hss_device, tick));
	uint64_t now = hss_now_ms();
	if (now < d->next_timer_check)
		return;
	d->next_timer_check = now + 100;
	for (int i = 0; i < 2; i++)
		hss_loop_accept_resume(d->loop, d->listen[i].fd, &d->listen[i].ev, &d->listen[i].resume);
	for (struct dsock *s = d->all, *next; s; s = next) {
		next = s->anext;
		if ((s->state == DS_OPENING || s->state == DS_CONNECTING) && now >= s->deadline) {
			/* the host never answered: tell the application, give the handle up */
			int opening = s->state == DS_OPENING;
			reply(s, opening ? HSS_APP_OPEN : HSS_APP_CONNECT, ETIMEDOUT);
			s->state = opening ? DS_REQ_OPEN : DS_REQ_CONNECT;
			s->wait_op = 0;
			if (s->app_gone)
				try_close(d, s);
		}
	}
}

static const struct hss_link_ops device_link_ops = {
	.on_cmd = on_cmd,
	.on_bad_cmd = on_bad_cmd,
	.on_bulk = on_bulk,
	.on_room = on_room,
	.on_down = on_down,
};

static int bind_listener(const char *path, int type)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sun.sun_path, path);
	int fd = socket(AF_UNIX, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 || listen(fd, 128) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int hss_device_new(struct hss_device **out, struct hss_loop *loop, struct hss_transport *t,
		   const struct hss_device_config *cfg)
{
	struct hss_device *d = calloc(1, sizeof(*d));
	if (!d)
		return -1;
	if (cfg)
		d->cfg = *cfg;
	else
		hss_device_config_default(&d->cfg);
	if (!d->cfg.socket_path)
		d->cfg.socket_path = HSS_DEFAULT_SOCKET;
	if (d->cfg.max_transmit == 0 || d->cfg.max_transmit > HSS_TRANSMIT_MAX)
		d->cfg.max_transmit = 4084;
	if (d->cfg.window < 65536)
		d->cfg.window = 65536;
	d->loop = loop;
	d->listen[0].fd = d->listen[1].fd = -1;
	d->tick.fn = device_tick;
	size_t plen = strlen(d->cfg.socket_path);
	d->path = strdup(d->cfg.socket_path);
	d->dgram_path = malloc(plen + sizeof(HSS_DGRAM_SUFFIX));
	if (!d->path || !d->dgram_path)
		goto fail;
	memcpy(d->dgram_path, d->path, plen);
	memcpy(d->dgram_path + plen, HSS_DGRAM_SUFFIX, sizeof(HSS_DGRAM_SUFFIX));
	d->cfg.socket_path = d->path;
	d->listen[0].fd = bind_listener(d->path, SOCK_STREAM);
	d->listen[1].fd = bind_listener(d->dgram_path, SOCK_SEQPACKET);
	if (d->listen[0].fd < 0 || d->listen[1].fd < 0) {
		hss_log(HSS_LOG_ERR, "cannot listen on %s: %s", d->path, strerror(errno));
		goto fail;
	}
	for (int i = 0; i < 2; i++) {
		d->listen[i].ev.fn = listen_event;
		d->listen[i].d = d;
		d->listen[i].dgram = i;
		if (hss_loop_add(loop, d->listen[i].fd, EPOLLIN, &d->listen[i].ev) < 0)
			goto fail;
	}
	if (hss_link_init(&d->link, t, loop, &device_link_ops, d, d->cfg.rx_max_payload, 0) < 0)
		goto fail;
	hss_loop_add_tick(loop, &d->tick);
	*out = d;
	return 0;
fail:
	for (int i = 0; i < 2; i++)
		if (d->listen[i].fd >= 0) {
			hss_loop_del(loop, d->listen[i].fd);
			close(d->listen[i].fd);
		}
	free(d->path);
	free(d->dgram_path);
	free(d);
	return -1;
}

void hss_device_free(struct hss_device *d)
{
	if (!d)
		return;
	free_all(d);
	for (int i = 0; i < 2; i++) {
		hss_loop_del(d->loop, d->listen[i].fd);
		close(d->listen[i].fd);
	}
	unlink(d->path);
	unlink(d->dgram_path);
	hss_loop_del_tick(d->loop, &d->tick);
	hss_link_free(&d->link);
	free(d->path);
	free(d->dgram_path);
	free(d);
}

int hss_device_down(const struct hss_device *d, const char **why)
{
	if (why)
		*why = d->link.down_why;
	return d->link.down;
}

void hss_device_stats(const struct hss_device *d, struct hss_device_stats *out)
{
	*out = d->st;
}
