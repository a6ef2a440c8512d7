/* Bulk, concurrency, backpressure, malformed input and disconnects, with fault injection
 * on the loopback bulk pipes (random re-chunking down to 1 byte, delays, cable pulls). */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "drivers/hss/hss.h"
#include "drivers/hss/proto.h"
#include "drivers/hss/tests/rig.h"

static struct rig rig;

static void stop(void)
{
	rig_stop(&rig);
}

/* Push len bytes through each of n echo connections at once and check every byte. */
static void echo_many(int n, size_t len, int af)
{
	struct echo e;
	cr_assert_eq(echo_start(&e, af, SOCK_STREAM), 0);
	int *fds = calloc((size_t)n, sizeof(int));
	size_t *sent = calloc((size_t)n, sizeof(size_t)), *got = calloc((size_t)n, sizeof(size_t));
	uint8_t *data = malloc(len), *back = malloc(len * (size_t)n);
	fill_random(data, len, 42);
	for (int i = 0; i < n; i++) {
		fds[i] = hss_open_connected(&rig, af, SOCK_STREAM, &e.addr, e.len);
		cr_assert_geq(fds[i], 0, "socket %d: %s", i, strerror(errno));
		fcntl(fds[i], F_SETFL, O_NONBLOCK);
	}
	struct pollfd *p = calloc((size_t)n, sizeof(*p));
	int done = 0;
	while (done < n) {
		for (int i = 0; i < n; i++) {
			p[i].fd = got[i] == len ? -1 : fds[i];
			p[i].events = POLLIN | (sent[i] < len ? POLLOUT : 0);
		}
		cr_assert_gt(poll(p, (nfds_t)n, 20000), 0, "stalled: no progress for 20 s");
		for (int i = 0; i < n; i++) {
			if (p[i].revents & POLLOUT) {
				size_t chunk = len - sent[i] < 32768 ? len - sent[i] : 32768;
				ssize_t w = send(fds[i], data + sent[i], chunk, MSG_NOSIGNAL);
				if (w > 0)
					sent[i] += (size_t)w;
			}
			if (p[i].revents & (POLLIN | POLLHUP)) {
				ssize_t r = read(fds[i], back + (size_t)i * len + got[i], len - got[i]);
				cr_assert(r > 0 || (r < 0 && errno == EAGAIN), "socket %d ended early at %zu", i, got[i]);
				if (r > 0 && (got[i] += (size_t)r) == len)
					done++;
			}
		}
	}
	for (int i = 0; i < n; i++) {
		cr_assert(memcmp(back + (size_t)i * len, data, len) == 0, "socket %d: bytes differ", i);
		close(fds[i]);
	}
	free(p), free(fds), free(sent), free(got), free(data), free(back);
}

Test(stress, mib_round_trip_rechunked)
{
	struct hss_loopback_faults f = { .max_chunk = 1500, .seed = 7 };
	cr_assert_eq(rig_start(&rig, &f, NULL, NULL), 0);
	echo_many(1, 1 << 20, AF_INET);
	stop();
}

Test(stress, tiny_chunks_and_delays)
{
	/* 1..13-byte bulk transfers both ways split every header; delays reorder timing */
	struct hss_loopback_faults f = { .max_chunk = 13, .max_delay_us = 20, .seed = 3 };
	cr_assert_eq(rig_start(&rig, &f, NULL, NULL), 0);
	echo_many(2, 48 * 1024, AF_INET6);
	stop();
}

Test(stress, sockets_64_concurrent)
{
	struct hss_loopback_faults f = { .max_chunk = 4096, .seed = 11 };
	cr_assert_eq(rig_start(&rig, &f, NULL, NULL), 0);
	echo_many(64, 64 * 1024, AF_INET);
	stop();
}

Test(stress, large_transmits)
{
	/* both sides configured for 64 KiB TRANSMITs */
	struct hss_host_config hc;
	struct hss_device_config dc;
	hss_host_config_default(&hc);
	hss_device_config_default(&dc);
	hc.max_transmit = dc.max_transmit = HSS_TRANSMIT_MAX;
	cr_assert_eq(rig_start(&rig, NULL, &hc, &dc), 0);
	echo_many(4, 1 << 20, AF_INET);
	stop();
}

/* A reader that sleeps loses nothing: 8 MiB through queues of 64 KiB each side. */
Test(stress, slow_reader_loses_nothing)
{
	struct hss_host_config hc;
	struct hss_device_config dc;
	hss_host_config_default(&hc);
	hss_device_config_default(&dc);
	hc.sock_queue_max = dc.app_queue_max = 64 * 1024;
	cr_assert_eq(rig_start(&rig, NULL, &hc, &dc), 0);
	int lfd, fd, c;
	cr_assert_eq(rig_tcp_connection(&rig, AF_INET, &lfd, &fd, &c), 0, "connect: %s", strerror(errno));
	const size_t total = 8 << 20;
	uint8_t *buf = malloc(1 << 16);
	/* server -> app: the server writes as fast as it can, the app naps between reads */
	int pid = fork();
	if (pid == 0) {
		for (size_t off = 0; off < total; off += 1 << 16) {
			fill_random(buf, 1 << 16, (unsigned)(off >> 16));
			if (write_all(c, buf, 1 << 16) < 0)
				_exit(1);
		}
		_exit(0);
	}
	close(c);
	size_t got = 0;
	uint8_t *expect = malloc(1 << 16);
	while (got < total) {
		if (got < total / 4)
			usleep(2000);
		ssize_t n = read(fd, buf, (1 << 16) - (got % (1 << 16)));
		cr_assert_gt(n, 0, "ended at %zu of %zu", got, total);
		fill_random(expect, 1 << 16, (unsigned)(got >> 16));
		cr_assert(memcmp(buf, expect + got % (1 << 16), (size_t)n) == 0, "bytes differ at %zu", got);
		got += (size_t)n;
	}
	char tail[8];
	cr_assert_eq(read(fd, tail, sizeof(tail)), 0, "EOF right after the data");
	int status;
	waitpid(pid, &status, 0);
	cr_assert_eq(status, 0, "the server failed");
	close(fd);
	close(lfd);
	free(buf);
	free(expect);
	stop();
}

/* A server that reads slowly: the application's writes block instead of data vanishing. */
Test(stress, slow_server_loses_nothing)
{
	struct hss_host_config hc;
	hss_host_config_default(&hc);
	hc.sock_queue_max = 32 * 1024;
	cr_assert_eq(rig_start(&rig, NULL, &hc, NULL), 0);
	int lfd, fd, c;
	cr_assert_eq(rig_tcp_connection(&rig, AF_INET6, &lfd, &fd, &c), 0, "connect: %s", strerror(errno));
	const size_t total = 4 << 20;
	int pid = fork();
	if (pid == 0) {
		uint8_t *b = malloc(total);
		fill_random(b, total, 99);
		_exit(write_all(fd, b, total) == 0 ? 0 : 1);
	}
	close(fd);
	uint8_t *b = malloc(total), *want = malloc(total);
	fill_random(want, total, 99);
	size_t got = 0;
	while (got < total) {
		if (got < total / 8)
			usleep(1000);
		ssize_t n = read(c, b + got, got < total / 8 ? 4096 : total - got);
		cr_assert_gt(n, 0, "ended at %zu", got);
		got += (size_t)n;
	}
	cr_assert(memcmp(b, want, total) == 0);
	int status;
	waitpid(pid, &status, 0);
	cr_assert_eq(status, 0, "the writer failed");
	char x;
	cr_assert_eq(read(c, &x, 1), 0, "EOF after the app closed");
	close(c);
	close(lfd);
	free(b);
	free(want);
	stop();
}

/* The host forwards data right after its CONNECT ACK; on another pipe the data can arrive
 * first.  A server that talks the moment it accepts must still lose nothing. */
struct greeter {
	int lfd, n;
	size_t len;
};

static void *greeter_main(void *arg)
{
	const struct greeter *g = arg;
	uint8_t *b = malloc(g->len);
	fill_random(b, g->len, 5);
	for (int i = 0; i < g->n; i++) {
		int c = accept(g->lfd, NULL, NULL);
		write_all(c, b, g->len);
		close(c);
	}
	free(b);
	return NULL;
}

Test(stress, data_before_connect_ack)
{
	cr_assert_eq(rig_start(&rig, NULL, NULL, NULL), 0);
	struct sockaddr_storage to;
	socklen_t len;
	struct greeter g = { .n = 32, .len = 256 * 1024 };
	g.lfd = listen_on(AF_INET, SOCK_STREAM, &to, &len);
	pthread_t t;
	pthread_create(&t, NULL, greeter_main, &g);
	uint8_t *want = malloc(g.len), *got = malloc(g.len);
	fill_random(want, g.len, 5);
	for (int i = 0; i < g.n; i++) {
		int fd = hss_open_connected(&rig, AF_INET, SOCK_STREAM, &to, len);
		cr_assert_geq(fd, 0);
		cr_assert_eq(read_all(fd, got, g.len), 0, "socket %d ended early", i);
		cr_assert(memcmp(got, want, g.len) == 0, "socket %d: bytes differ", i);
		char x;
		cr_assert_eq(read(fd, &x, 1), 0);
		close(fd);
	}
	pthread_join(t, NULL);
	close(g.lfd);
	free(want);
	free(got);
	stop();
}
