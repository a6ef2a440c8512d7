/* serve.c: xtt runserver: epoll loops (one per worker thread, all accepting on the same
 * socket) drive many handshakes each; the group database answers WANT_GROUP, the identity
 * registry (one lock) answers WANT_IDENTITY; every handshake has a deadline. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "provisioning/ecdaa/include/ecdaa.h"
#include "provisioning/xtt/cli/cli.h"
#include "provisioning/xtt/src/cert.h"
#include "provisioning/xtt/src/groupdb.h"
#include "provisioning/xtt/src/registry.h"
#include "provisioning/xtt/src/util.h"

#define CMD "runserver"

struct conn {
	int fd;
	struct xtt_handshake *hs;
	enum xtt_status st;
	struct xtt_io io;
	uint64_t deadline;
	uint32_t events;
	char peer[INET6_ADDRSTRLEN + 16];
	const struct group_entry *group;
	struct conn *prev, *next;       /* ordered by deadline (= by accept time) */
};

struct server {
	int lfd;
	struct xtt_server_config cfg;
	struct group_db db;             /* read-only once loaded */
	struct registry reg;            /* under reg_lock */
	pthread_mutex_t reg_lock;
	uint64_t timeout_ms;
	unsigned long max_conns, max_handshakes, workers;
	unsigned long nconns, provisioned, failed;      /* atomic */
	int quiet;
};

/* When accept fails for want of descriptors or memory, the listening socket stays readable:
 * the worker stops watching it this long instead of retrying in a busy loop. */
#define ACCEPT_PAUSE_MS 1000

struct worker {
	struct server *s;
	int ep;
	uint64_t accept_resume;         /* 0, or when to watch the listening socket again */
	struct conn *head, *tail;
	int rc;
};

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static unsigned long counter(unsigned long *v)
{
	return __atomic_load_n(v, __ATOMIC_RELAXED);
}

static void conn_close(struct worker *w, struct conn *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		w->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		w->tail = c->prev;
	close(c->fd);
	xtt_handshake_free(c->hs);
	free(c);
	__atomic_sub_fetch(&w->s->nconns, 1, __ATOMIC_RELAXED);
}

static void log_line(const struct server *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void log_line(const struct server *s, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (s->quiet)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* One call per line: workers log concurrently. */
	fprintf(stderr, "xtt " CMD ": %s\n", line);
}

static void finish(struct worker *w, struct conn *c)
{
	struct server *s = w->s;

	if (c->st == XTT_DONE) {
		char addr[INET6_ADDRSTRLEN];

		inet_ntop(AF_INET6, xtt_handshake_identity(c->hs), addr, sizeof(addr));
		log_line(s, "%s: provisioned %s (group %s, suite %s)", c->peer, addr,
			 c->group ? c->group->name : "?", xtt_suite_name(xtt_handshake_suite(c->hs)));
		__atomic_add_fetch(&s->provisioned, 1, __ATOMIC_RELAXED);
	} else {
		log_line(s, "%s: failed: %s: %s", c->peer, xtt_error_name(xtt_handshake_error(c->hs)),
			 xtt_handshake_error_detail(c->hs));
		__atomic_add_fetch(&s->failed, 1, __ATOMIC_RELAXED);
	}
	conn_close(w, c);
}

static int set_events(struct worker *w, struct conn *c, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = c };

	if (c->events == events)
		return 0;
	if (epoll_ctl(w->ep, c->events ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, c->fd, &ev) < 0)
		return -1;
	c->events = events;
	return 0;
}

/* Runs the handshake until it waits for the socket or ends. */
static void drive(struct worker *w, struct conn *c)
{
	struct server *s = w->s;
	char err[512];

	for (;;) {
		ssize_t n;

		switch (c->st) {
		case XTT_WANT_READ:
			n = recv(c->fd, c->io.buf, c->io.len, 0);
			if (n >= 0) {
				c->st = xtt_handshake_io(c->hs, (size_t)n, &c->io);
				continue;
			}
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				if (set_events(w, c, EPOLLIN) == 0)
					return;
			}
			snprintf(err, sizeof(err), "receive: %s", strerror(errno));
			c->st = xtt_handshake_abort(c->hs, XTT_E_PEER_CLOSED, err, &c->io);
			continue;
		case XTT_WANT_WRITE:
			n = send(c->fd, c->io.buf, c->io.len, MSG_NOSIGNAL);
			if (n > 0) {
				c->st = xtt_handshake_io(c->hs, (size_t)n, &c->io);
				continue;
			}
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && errno == EAGAIN) {
				if (set_events(w, c, EPOLLOUT) == 0)
					return;
			}
			/* The peer is gone: nothing more can be said to it. */
			snprintf(err, sizeof(err), "send: %s", n < 0 ? strerror(errno) : "no progress");
			c->st = xtt_handshake_abort(c->hs, XTT_E_PEER_CLOSED, err, &c->io);
			if (c->st == XTT_WANT_WRITE)
				c->st = xtt_handshake_abort(c->hs, XTT_E_PEER_CLOSED, err, &c->io);
			continue;
		case XTT_WANT_GROUP:
			c->group = groupdb_find(&s->db, xtt_server_claimed_gid(c->hs));
			c->st = xtt_server_set_group(c->hs, c->group ? &c->group->server_group : NULL, &c->io);
			continue;
		case XTT_WANT_IDENTITY: {
			uint8_t id[XTT_ID_LEN];
			int rc;

			pthread_mutex_lock(&s->reg_lock);
			rc = registry_assign(&s->reg, id, c->group, xtt_handshake_pseudonym(c->hs),
					     xtt_server_requested_id(c->hs), xtt_handshake_longterm_pub(c->hs),
					     err, sizeof(err));
			pthread_mutex_unlock(&s->reg_lock);
			if (rc < 0)
				c->st = xtt_handshake_abort(c->hs, XTT_E_IDENTITY, err, &c->io);
			else
				c->st = xtt_server_set_identity(c->hs, id, &c->io);
			continue;
		}
		case XTT_WANT_ROOT:
		case XTT_DONE:
		case XTT_FAILED:
			finish(w, c);
			return;
		}
	}
}

static void accept_all(struct worker *w)
{
	struct server *s = w->s;

	for (;;) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		int fd = accept4(s->lfd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct conn *c;
		char host[INET6_ADDRSTRLEN], port[8];

		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
				log_line(s, "accept: %s; not accepting for %d ms", strerror(errno),
					 ACCEPT_PAUSE_MS);
				epoll_ctl(w->ep, EPOLL_CTL_DEL, s->lfd, NULL);
				w->accept_resume = now_ms() + ACCEPT_PAUSE_MS;
			} else if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED) {
				log_line(s, "accept: %s", strerror(errno));
			}
			return;
		}
		if (counter(&s->nconns) >= s->max_conns) {
			log_line(s, "refusing a connection: %lu handshakes in progress", counter(&s->nconns));
			close(fd);
			continue;
		}
		c = calloc(1, sizeof(*c));
		if (!c || xtt_server_new(&c->hs, &s->cfg) < 0) {
			free(c);
			close(fd);
			log_line(s, "out of memory");
			continue;
		}
		c->fd = fd;
		getnameinfo((struct sockaddr *)&ss, sl, host, sizeof(host), port, sizeof(port),
			    NI_NUMERICHOST | NI_NUMERICSERV);
		snprintf(c->peer, sizeof(c->peer), "[%s]:%s", host, port);
		c->deadline = now_ms() + s->timeout_ms;
		c->prev = w->tail;
		if (w->tail)
			w->tail->next = c;
		else
			w->head = c;
		w->tail = c;
		__atomic_add_fetch(&s->nconns, 1, __ATOMIC_RELAXED);
		c->st = xtt_handshake_start(c->hs, &c->io);
		drive(w, c);
	}
}

static void expire(struct worker *w)
{
	struct server *s = w->s;
	uint64_t now = now_ms();

	while (w->head && w->head->deadline <= now) {
		struct conn *c = w->head;
		char why[96];

		snprintf(why, sizeof(why), "peer stalled: no complete handshake within %llu ms",
			 (unsigned long long)s->timeout_ms);
		c->st = xtt_handshake_abort(c->hs, XTT_E_TIMEOUT, why, &c->io);
		c->deadline = UINT64_MAX;
		/* One try at sending the Error message without waiting for the peer. */
		if (c->st == XTT_WANT_WRITE) {
			ssize_t n = send(c->fd, c->io.buf, c->io.len, MSG_NOSIGNAL | MSG_DONTWAIT);

			c->st = n == (ssize_t)c->io.len ? xtt_handshake_io(c->hs, (size_t)n, &c->io) :
				xtt_handshake_abort(c->hs, XTT_E_TIMEOUT, why, &c->io);
		}
		finish(w, c);
	}
}

static int listen_on(struct server *s, const char *address, const char *port, const char *port_file)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV };
	struct addrinfo *ai;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char host[INET6_ADDRSTRLEN], serv[8];
	int one = 1, rc = getaddrinfo(address, port, &hints, &ai);

	if (rc)
		return cli_fail(CMD, "--address %s --port %s: %s", address, port, gai_strerror(rc));
	s->lfd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->lfd < 0 || setsockopt(s->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(s->lfd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(s->lfd, 1024) < 0) {
		rc = cli_fail(CMD, "listen on %s port %s: %s", address, port, strerror(errno));
		freeaddrinfo(ai);
		return rc;
	}
	freeaddrinfo(ai);
	getsockname(s->lfd, (struct sockaddr *)&ss, &sl);
	getnameinfo((struct sockaddr *)&ss, sl, host, sizeof(host), serv, sizeof(serv),
		    NI_NUMERICHOST | NI_NUMERICSERV);
	if (port_file) {
		char text[16];

		snprintf(text, sizeof(text), "%s\n", serv);
		if (cli_write(CMD, port_file, (const uint8_t *)text, strlen(text), 0644))
			return 1;
	}
	log_line(s, "listening on [%s]:%s", host, serv);
	return 0;
}

static int finished(struct server *s)
{
	return stop_requested ||
	       (s->max_handshakes && counter(&s->provisioned) + counter(&s->failed) >= s->max_handshakes);
}

/* Every worker waits on the listening socket; EPOLLEXCLUSIVE wakes one per connection. */
static int watch_listener(struct worker *w)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLEXCLUSIVE, .data.ptr = NULL };

	return epoll_ctl(w->ep, EPOLL_CTL_ADD, w->s->lfd, &ev);
}

static void *worker_run(void *arg)
{
	struct worker *w = arg;
	struct server *s = w->s;

	w->ep = epoll_create1(EPOLL_CLOEXEC);
	if (w->ep < 0 || watch_listener(w) < 0) {
		cli_fail(CMD, "epoll: %s", strerror(errno));
		w->rc = 1;
		stop_requested = 1;
		return NULL;
	}
	while (!finished(s)) {
		struct epoll_event evs[64];
		int timeout = 100, n;   /* bounded: notice a stop decided by another worker */

		if (w->accept_resume && now_ms() >= w->accept_resume) {
			if (watch_listener(w) == 0)
				w->accept_resume = 0;
			else
				w->accept_resume = now_ms() + ACCEPT_PAUSE_MS;
		}
		if (w->head) {
			uint64_t now = now_ms();

			if (w->head->deadline <= now)
				timeout = 0;
			else if (w->head->deadline - now < (uint64_t)timeout)
				timeout = (int)(w->head->deadline - now);
		}
		n = epoll_wait(w->ep, evs, 64, timeout);
		if (n < 0 && errno != EINTR) {
			cli_fail(CMD, "epoll_wait: %s", strerror(errno));
			w->rc = 1;
			stop_requested = 1;
			break;
		}
		for (int i = 0; i < n; i++) {
			if (!evs[i].data.ptr)
				accept_all(w);
			else
				drive(w, evs[i].data.ptr);
		}
		expire(w);
	}
	while (w->head)
		conn_close(w, w->head);
	close(w->ep);
	return NULL;
}

static int usage(FILE *f, int rc)
{
	fprintf(f,
		"usage: xtt runserver -g GROUPS -s STATE_DIR [-c server_cert.bin] [-k server_keys.asn1.bin]\n"
		"                     [-a ADDRESS (::)] [-p PORT (4444; 0: any)] [--port-file FILE]\n"
		"                     [--suites LIST] [--compat xtt-0.12] [--timeout SECONDS (10)]\n"
		"                     [--workers N (number of CPUs)] [--max-connections N (1024)]\n"
		"                     [--max-handshakes N] [--quiet]\n");
	return rc;
}

int cmd_runserver(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "address", required_argument, NULL, 'a' },
		{ "port", required_argument, NULL, 'p' },
		{ "port-file", required_argument, NULL, 'P' },
		{ "cert", required_argument, NULL, 'c' },
		{ "key", required_argument, NULL, 'k' },
		{ "groups", required_argument, NULL, 'g' },
		{ "state-dir", required_argument, NULL, 's' },
		{ "suites", required_argument, NULL, 'S' },
		{ "compat", required_argument, NULL, 'C' },
		{ "timeout", required_argument, NULL, 't' },
		{ "max-connections", required_argument, NULL, 'M' },
		{ "max-handshakes", required_argument, NULL, 'N' },
		{ "workers", required_argument, NULL, 'W' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *address = "::", *port = "4444", *port_file = NULL, *cert_path = "server_cert.bin";
	const char *key_path = "server_keys.asn1.bin", *groups_path = NULL, *state_dir = NULL;
	struct server s = { .lfd = -1, .reg = { .fd = -1 }, .timeout_ms = 10000, .max_conns = 1024 };
	struct worker *workers = NULL;
	pthread_t *threads = NULL;
	struct xtt_server_cert cert = { 0 };
	struct sigaction sa = { .sa_handler = on_signal };
	unsigned long v;
	char err[1024];
	int c, rc = 1;

	while ((c = getopt_long(argc, argv, "a:p:c:k:g:s:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'a': address = optarg; break;
		case 'p':
			if (cli_parse_uint(CMD, "--port", &v, optarg, 65535))
				return 2;
			port = optarg;
			break;
		case 'P': port_file = optarg; break;
		case 'c': cert_path = optarg; break;
		case 'k': key_path = optarg; break;
		case 'g': groups_path = optarg; break;
		case 's': state_dir = optarg; break;
		case 'S':
			if (cli_parse_suites(CMD, &s.cfg.suites, optarg))
				return 2;
			break;
		case 'C':
			if (cli_parse_compat(CMD, &s.cfg.transcript, optarg))
				return 2;
			break;
		case 't':
			if (cli_parse_uint(CMD, "--timeout", &v, optarg, 3600))
				return 2;
			if (v == 0) {
				cli_fail(CMD, "--timeout: at least 1 second");
				return 2;
			}
			s.timeout_ms = v * 1000;
			break;
		case 'M':
			if (cli_parse_uint(CMD, "--max-connections", &s.max_conns, optarg, 1000000))
				return 2;
			break;
		case 'N':
			if (cli_parse_uint(CMD, "--max-handshakes", &s.max_handshakes, optarg, ~0UL >> 1))
				return 2;
			break;
		case 'W':
			if (cli_parse_uint(CMD, "--workers", &s.workers, optarg, 256))
				return 2;
			if (s.workers == 0) {
				cli_fail(CMD, "--workers: at least 1");
				return 2;
			}
			break;
		case 'q': s.quiet = 1; break;
		case 'h': return usage(stdout, 0);
		default: return usage(stderr, 2);
		}
	}
	if (optind != argc || !groups_path || !state_dir) {
		cli_fail(CMD, "%s", optind != argc ? "unexpected argument" : "--groups and --state-dir are required");
		return usage(stderr, 2);
	}
	if (cli_read_exact(CMD, cert.cert, sizeof(cert.cert), cert_path))
		return 1;
	cert.key = cli_load_key(CMD, key_path);
	if (!cert.key)
		return 1;
	if (server_cert_matches_key(cert.cert, cert.key) < 0) {
		EVP_PKEY_free(cert.key);
		return cli_fail(CMD, "%s does not certify the key in %s", cert_path, key_path);
	}
	s.cfg.cert = &cert;
	if (groupdb_load(&s.db, groups_path, err, sizeof(err)) < 0) {
		EVP_PKEY_free(cert.key);
		return cli_fail(CMD, "%s", err);
	}
	pthread_mutex_init(&s.reg_lock, NULL);
	if (ecdaa_init() < 0) {
		cli_fail(CMD, "ECDAA library failed to initialise");
		goto out;
	}
	if (registry_open(&s.reg, state_dir, err, sizeof(err)) < 0) {
		cli_fail(CMD, "%s", err);
		goto out;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (listen_on(&s, address, port, port_file))
		goto out;
	if (!s.workers) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);

		s.workers = cpus > 0 ? (unsigned long)cpus : 1;
	}
	workers = calloc(s.workers, sizeof(*workers));
	threads = calloc(s.workers, sizeof(*threads));
	if (!workers || !threads) {
		cli_fail(CMD, "out of memory");
		goto out;
	}
	/* Worker 0 runs on this thread. */
	for (unsigned long i = 0; i < s.workers; i++) {
		workers[i].s = &s;
		workers[i].ep = -1;
		if (i && pthread_create(&threads[i], NULL, worker_run, &workers[i]) != 0) {
			cli_fail(CMD, "cannot start worker %lu", i);
			stop_requested = 1;
			s.workers = i;
			break;
		}
	}
	worker_run(&workers[0]);
	rc = workers[0].rc;
	for (unsigned long i = 1; i < s.workers; i++) {
		pthread_join(threads[i], NULL);
		rc |= workers[i].rc;
	}
	if (rc)
		goto out;
	log_line(&s, "%lu provisioned, %lu failed", s.provisioned, s.failed);
	rc = 0;
out:
	free(workers);
	free(threads);
	if (s.lfd >= 0)
		close(s.lfd);
	registry_close(&s.reg);
	groupdb_free(&s.db);
	EVP_PKEY_free(cert.key);
	return rc;
}
