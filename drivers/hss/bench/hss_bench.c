/* HSS throughput over the loopback transport: application -> hssd-device role -> loopback
 * -> hssd-host role -> TCP server on 127.0.0.1 (upload) and back (download), with 1 and 64
 * sockets, original-compatible TRANSMIT sizes and 64 KiB ones, beside plain loopback TCP.
 * The host and device roles run in their own threads (they are two machines in real life).
 * Every run checks the byte count and a checksum per socket.  Rounds are interleaved; the
 * table shows medians. */
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "drivers/hss/device.h"
#include "drivers/hss/hss.h"
#include "drivers/hss/host.h"
#include "drivers/hss/log.h"
#include "drivers/hss/tests/rig.h"

#define MAXSOCK 64
#define BUF (256 * 1024)

struct side {
	struct hss_loop loop;
	pthread_t thread;
};

struct hss_pair {
	struct side h, d;
	struct hss_transport *th, *td;
	struct hss_host *host;
	struct hss_device *dev;
	char dir[128], path[192];
};

static void *side_main(void *arg)
{
	hss_loop_run(&((struct side *)arg)->loop);
	return NULL;
}

static int pair_start(struct hss_pair *p, uint32_t host_mt, uint32_t dev_mt)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->dir, sizeof(p->dir), "/tmp/hss-bench-XXXXXX");
	if (!mkdtemp(p->dir))
		return -1;
	snprintf(p->path, sizeof(p->path), "%s/dev.sock", p->dir);
	struct hss_host_config hc;
	struct hss_device_config dc;
	hss_host_config_default(&hc);
	hss_device_config_default(&dc);
	hc.max_transmit = host_mt;
	dc.max_transmit = dev_mt;
	dc.socket_path = p->path;
	if (hss_loop_init(&p->h.loop) < 0 || hss_loop_init(&p->d.loop) < 0 ||
	    hss_loopback_pair(&p->th, &p->td, NULL) < 0 ||
	    hss_host_new(&p->host, &p->h.loop, p->th, &hc) < 0 ||
	    hss_device_new(&p->dev, &p->d.loop, p->td, &dc) < 0)
		return -1;
	pthread_create(&p->h.thread, NULL, side_main, &p->h);
	pthread_create(&p->d.thread, NULL, side_main, &p->d);
	return 0;
}

static void pair_stop(struct hss_pair *p)
{
	hss_loop_stop(&p->h.loop);
	hss_loop_stop(&p->d.loop);
	pthread_join(p->h.thread, NULL);
	pthread_join(p->d.thread, NULL);
	hss_device_free(p->dev);
	hss_host_free(p->host);
	p->th->ops->destroy(p->th);
	p->td->ops->destroy(p->td);
	hss_loop_free(&p->h.loop);
	hss_loop_free(&p->d.loop);
	rmdir(p->dir);
}

/* word-wise checksum: cheap enough not to dominate, order-sensitive enough to catch loss */
static uint64_t csum(uint64_t c, const uint8_t *p, size_t n, uint64_t *pos)
{
	for (size_t i = 0; i < n; i++, (*pos)++)
		c += (uint64_t)p[i] * ((*pos & 1023) + 1);
	return c;
}

struct server {
	int lfd, n, upload;
	size_t per_sock;
	uint64_t bytes[MAXSOCK], sums[MAXSOCK];
	pthread_t thread;
};

static uint8_t pattern[BUF];

/* upload: read every connection to EOF; download: write per_sock bytes then close */
static void *server_main(void *arg)
{
	struct server *s = arg;
	int fds[MAXSOCK];
	uint64_t pos[MAXSOCK] = { 0 };
	size_t sent[MAXSOCK] = { 0 };
	static __thread uint8_t buf[BUF];
	for (int i = 0; i < s->n; i++) {
		fds[i] = accept(s->lfd, NULL, NULL);
		fcntl(fds[i], F_SETFL, O_NONBLOCK);
	}
	int open = s->n;
	struct pollfd p[MAXSOCK];
	while (open > 0) {
		for (int i = 0; i < s->n; i++) {
			p[i].fd = fds[i];
			p[i].events = s->upload ? POLLIN : POLLOUT;
		}
		if (poll(p, (nfds_t)s->n, 10000) <= 0)
			break;
		for (int i = 0; i < s->n; i++) {
			if (fds[i] < 0 || !p[i].revents)
				continue;
			if (s->upload) {
				ssize_t r = read(fds[i], buf, sizeof(buf));
				if (r > 0) {
					s->sums[i] = csum(s->sums[i], buf, (size_t)r, &pos[i]);
					s->bytes[i] += (uint64_t)r;
				} else if (r == 0 || errno != EAGAIN) {
					close(fds[i]);
					fds[i] = -1;
					open--;
				}
			} else {
				size_t left = s->per_sock - sent[i];
				size_t off = sent[i] % BUF;
				size_t chunk = left < BUF - off ? left : BUF - off;
				ssize_t w = send(fds[i], pattern + off, chunk, MSG_NOSIGNAL);
				if (w > 0 && (sent[i] += (size_t)w) == s->per_sock) {
					close(fds[i]);
					fds[i] = -1;
					open--;
				}
			}
		}
	}
	return NULL;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int open_sock(const struct hss_pair *p, const struct sockaddr_storage *to, socklen_t len)
{
	int fd;
	if (p) {
		fd = hss_socket(p->path, AF_INET, SOCK_STREAM, 0);
		if (fd >= 0 && hss_connect(fd, (const struct sockaddr *)to, len) < 0) {
			close(fd);
			fd = -1;
		}
	} else {
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd >= 0 && connect(fd, (const struct sockaddr *)to, len) < 0) {
			close(fd);
			fd = -1;
		}
	}
	if (fd >= 0)
		fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

/* One run: n sockets moving total bytes through HSS (p) or plain TCP (p NULL).
 * MB/s, or -1 when a byte count or checksum differs. */
static double run(const struct hss_pair *p, int n, size_t total, int upload)
{
	struct server s = { .n = n, .upload = upload, .per_sock = total / (size_t)n };
	struct sockaddr_storage to;
	socklen_t len;
	s.lfd = listen_on(AF_INET, SOCK_STREAM, &to, &len);
	pthread_create(&s.thread, NULL, server_main, &s);
	int fds[MAXSOCK];
	size_t done[MAXSOCK] = { 0 };
	uint64_t sums[MAXSOCK] = { 0 }, pos[MAXSOCK] = { 0 }, want_sum = 0, wpos = 0;
	for (size_t off = 0; off < s.per_sock; off += BUF) {
		size_t c = s.per_sock - off < BUF ? s.per_sock - off : BUF;
		want_sum = csum(want_sum, pattern, c, &wpos);
	}
	double t0 = now_s();
	for (int i = 0; i < n; i++)
		if ((fds[i] = open_sock(p, &to, len)) < 0)
			return -1;
	static uint8_t buf[BUF];
	int open = n, ok = 1;
	struct pollfd pf[MAXSOCK];
	while (open > 0) {
		for (int i = 0; i < n; i++) {
			pf[i].fd = fds[i];
			pf[i].events = upload ? POLLOUT : POLLIN;
		}
		if (poll(pf, (nfds_t)n, 10000) <= 0) {
			ok = 0;
			break;
		}
		for (int i = 0; i < n; i++) {
			if (fds[i] < 0 || !pf[i].revents)
				continue;
			if (upload) {
				size_t off = done[i] % BUF, left = s.per_sock - done[i];
				size_t chunk = left < BUF - off ? left : BUF - off;
				ssize_t w = send(fds[i], pattern + off, chunk, MSG_NOSIGNAL);
				if (w > 0 && (done[i] += (size_t)w) == s.per_sock) {
					close(fds[i]);
					fds[i] = -1;
					open--;
				}
			} else {
				ssize_t r = read(fds[i], buf, sizeof(buf));
				if (r > 0) {
					sums[i] = csum(sums[i], buf, (size_t)r, &pos[i]);
					done[i] += (size_t)r;
				} else if (r == 0 || errno != EAGAIN) {
					close(fds[i]);
					fds[i] = -1;
					open--;
				}
			}
		}
	}
	pthread_join(s.thread, NULL);
	double dt = now_s() - t0;
	close(s.lfd);
	for (int i = 0; i < n; i++) {
		uint64_t got = upload ? s.bytes[i] : done[i];
		uint64_t sum = upload ? s.sums[i] : sums[i];
		if (got != s.per_sock || sum != want_sum) {
			fprintf(stderr, "socket %d: %llu of %zu bytes, checksum %s\n", i,
				(unsigned long long)got, s.per_sock, sum == want_sum ? "ok" : "wrong");
			ok = 0;
		}
	}
	return ok ? (double)s.per_sock * n / dt / 1e6 : -1;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

struct bench_case {
	const char *name;
	int hss;            /* 0: plain loopback TCP */
	uint32_t host_mt, dev_mt;
	int n;
	int upload;
	double r[16];
};

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 5;
	size_t total = (argc > 2 ? (size_t)atoi(argv[2]) : 256) << 20;
	if (rounds < 1 || rounds > 16)
		rounds = 5;
	hss_log_level = HSS_LOG_ERR;
	signal(SIGPIPE, SIG_IGN);
	fill_random(pattern, sizeof(pattern), 1);
	struct bench_case cases[] = {
		{ "tcp loopback, no hss", 0, 0, 0, 1, 1, { 0 } },
		{ "tcp loopback, no hss", 0, 0, 0, 64, 1, { 0 } },
		{ "hss compat (1012/4084)", 1, 1012, 4084, 1, 1, { 0 } },
		{ "hss compat (1012/4084)", 1, 1012, 4084, 64, 1, { 0 } },
		{ "hss compat (1012/4084)", 1, 1012, 4084, 1, 0, { 0 } },
		{ "hss compat (1012/4084)", 1, 1012, 4084, 64, 0, { 0 } },
		{ "hss 64 KiB transmits", 1, 65536, 65536, 1, 1, { 0 } },
		{ "hss 64 KiB transmits", 1, 65536, 65536, 64, 1, { 0 } },
		{ "hss 64 KiB transmits", 1, 65536, 65536, 1, 0, { 0 } },
		{ "hss 64 KiB transmits", 1, 65536, 65536, 64, 0, { 0 } },
	};
	int ncases = (int)(sizeof(cases) / sizeof(cases[0]));
	int failed = 0;
	for (int r = 0; r < rounds; r++) {
		for (int c = 0; c < ncases; c++) {
			struct bench_case *bc = &cases[c];
			struct hss_pair pair;
			if (bc->hss && pair_start(&pair, bc->host_mt, bc->dev_mt) < 0) {
				fprintf(stderr, "setup failed\n");
				return 1;
			}
			bc->r[r] = run(bc->hss ? &pair : NULL, bc->n, total, bc->upload);
			if (bc->hss)
				pair_stop(&pair);
			if (bc->r[r] < 0)
				failed = 1;
		}
	}
	printf("HSS throughput over the loopback transport: %zu MiB per run, median of %d interleaved rounds\n",
	       total >> 20, rounds);
	printf("%-26s %-9s %7s %10s %9s\n", "case", "direction", "sockets", "MB/s", "vs tcp");
	for (int c = 0; c < ncases; c++) {
		struct bench_case *bc = &cases[c];
		qsort(bc->r, (size_t)rounds, sizeof(double), cmp);
		double med = bc->r[rounds / 2];
		double base = cases[bc->n == 1 ? 0 : 1].r[rounds / 2];
		printf("%-26s %-9s %7d %10.0f %8.2fx\n", bc->name, bc->upload ? "upload" : "download", bc->n,
		       med, base > 0 ? med / base : 0);
	}
	printf("byte counts and checksums: %s\n", failed ? "MISMATCH" : "all identical");
	return failed;
}
