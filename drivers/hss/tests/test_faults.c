/* Malformed input and lost links: rejected or torn down without harm, nothing leaked. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/un.h>
#include <unistd.h>

#include "drivers/hss/hss.h"
#include "drivers/hss/link.h"
#include "drivers/hss/proto.h"
#include "drivers/hss/tests/rig.h"

static struct rig rig;

static void start_default(void)
{
	cr_assert_eq(rig_start(&rig, NULL, NULL, NULL), 0);
}

static void stop(void)
{
	rig_stop(&rig);
}

static void expect_echo(int fd, const char *msg)
{
	size_t n = strlen(msg);
	char buf[64];
	cr_assert_eq(write_all(fd, msg, n), 0);
	cr_assert_eq(read_all(fd, buf, n), 0, "no echo of '%s'", msg);
	cr_assert(memcmp(buf, msg, n) == 0);
}

/* Wait until fd reports EOF or an error: 1, or 0 after timeout_ms. */
static int sees_end(int fd, int timeout_ms)
{
	char buf[4096];
	for (int waited = 0; waited < timeout_ms; waited += 10) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno != EAGAIN))
			return 1;
		if (n < 0)
			usleep(10000);
	}
	return 0;
}

static int wait_fds(int want, int timeout_ms)
{
	int n = count_fds();
	for (int waited = 0; n != want && waited < timeout_ms; waited += 10) {
		usleep(10000);
		n = count_fds();
	}
	return n;
}

Test(faults, malformed_commands_rejected_without_harm)
{
	start_default();
	struct echo e;
	cr_assert_eq(echo_start(&e, AF_INET, SOCK_STREAM), 0);
	int fd = hss_open_connected(&rig, AF_INET, SOCK_STREAM, &e.addr, e.len);
	cr_assert_geq(fd, 0);
	expect_echo(fd, "before");

	uint8_t b[128];
	memset(b, 0, sizeof(b));
	/* each of these reaches the host as a command from the device, and is refused */
	hss_loopback_inject_cmd(rig.td, b, 5);                      /* shorter than a header */
	hss_loopback_inject_cmd(rig.td, b, 100);                    /* longer than 64 */
	struct hss_open o = { .handle = 77, .family = 1, .protocol = 1, .type = 1 };
	size_t n = hss_open_encode(b, 900, &o);
	b[8] = 10;
	hss_loopback_inject_cmd(rig.td, b, n);                      /* payload_len lies */
	b[8] = 9;
	b[16] = 9;
	hss_loopback_inject_cmd(rig.td, b, n);                      /* family 9 */
	o.handle = 1;
	n = hss_open_encode(b, 901, &o);
	hss_loopback_inject_cmd(rig.td, b, n);                      /* duplicate of the live handle */
	struct hss_connect c = { .family = 2 };
	n = hss_connect_encode(b, 902, 1, &c);
	hss_loopback_inject_cmd(rig.td, b, n);                      /* CONNECT an already connected socket */
	n = hss_close_encode(b, 903, 424242);
	hss_loopback_inject_cmd(rig.td, b, n);                      /* CLOSE of an unknown socket */
	b[0] = 0x42;
	hss_loopback_inject_cmd(rig.td, b, n);                      /* unknown opcode */
	hss_transmit_hdr_encode(b, 904, 1, 0);
	hss_loopback_inject_cmd(rig.td, b, HSS_HDR_LEN);            /* TRANSMIT on the command pipe */

	/* the live socket is untouched and new ones still work */
	expect_echo(fd, "after");
	int fd2 = hss_open_connected(&rig, AF_INET, SOCK_STREAM, &e.addr, e.len);
	cr_assert_geq(fd2, 0);
	expect_echo(fd2, "fresh");
	close(fd);
	close(fd2);
	/* the five undecodable commands, family 9 and the duplicate were refused (the
	 * second CONNECT and the unknown CLOSE are answered with an error code instead) */
	rig_halt(&rig);
	struct hss_host_stats hs;
	hss_host_stats(rig.host, &hs);
	cr_assert_eq(hs.rejected, 7, "%llu commands refused", (unsigned long long)hs.rejected);
	cr_assert_eq(hs.opened, 2, "only the two real sockets were opened");
	stop();
}

Test(faults, corrupt_bulk_stream_drops_link_and_frees_everything)
{
	start_default();
	struct sockaddr_storage to;
	socklen_t len;
	int lfd = listen_on(AF_INET, SOCK_STREAM, &to, &len);
	int base = count_fds();
	int fd = hss_open_connected(&rig, AF_INET, SOCK_STREAM, &to, len);
	int c = accept(lfd, NULL, NULL);
	cr_assert_geq(c, 0);
	/* a CLOSE header on the bulk pipe: the stream cannot be trusted any more */
	uint8_t b[HSS_HDR_LEN];
	hss_close_encode(b, 1, 1);
	hss_loopback_inject_bulk(rig.td, b, sizeof(b));
	cr_assert(sees_end(c, 5000), "the host kept the server connection open");
	close(c);
	close(fd);
	cr_assert_eq(wait_fds(base, 5000), base, "descriptors leaked");
	const char *why;
	cr_assert(hss_host_down(rig.host, &why));
	cr_assert(strstr(why, "corrupt") != NULL, "%s", why);
	close(lfd);
	stop();
}

Test(faults, disconnect_midstream_tears_down_and_frees)
{
	start_default();
	struct sockaddr_storage to;
	socklen_t len;
	int lfd = listen_on(AF_INET6, SOCK_STREAM, &to, &len);
	int base = count_fds();
	enum { N = 16 };
	int app[N], srv[N];
	uint8_t junk[65536];
	memset(junk, 0xA5, sizeof(junk));
	for (int i = 0; i < N; i++) {
		app[i] = hss_open_connected(&rig, AF_INET6, SOCK_STREAM, &to, len);
		cr_assert_geq(app[i], 0);
		srv[i] = accept(lfd, NULL, NULL);
		fcntl(app[i], F_SETFL, O_NONBLOCK);
		fcntl(srv[i], F_SETFL, O_NONBLOCK);
		/* data in flight both ways when the cable goes */
		send(app[i], junk, sizeof(junk), MSG_NOSIGNAL);
		send(srv[i], junk, sizeof(junk), MSG_NOSIGNAL);
	}
	cr_assert_eq(count_fds(), base + 4 * N, "app, daemon, host and server ends");
	hss_loopback_disconnect(rig.th);
	for (int i = 0; i < N; i++) {
		cr_assert(sees_end(srv[i], 5000), "server connection %d still open on the host", i);
		cr_assert(sees_end(app[i], 5000), "application socket %d never ended", i);
	}
	for (int i = 0; i < N; i++) {
		close(app[i]);
		close(srv[i]);
	}
	cr_assert_eq(wait_fds(base, 5000), base, "descriptors leaked after the disconnect");
	cr_assert(hss_device_down(rig.dev, NULL));
	/* with the link down, new sockets fail cleanly */
	errno = 0;
	cr_assert_eq(hss_socket(rig.path, AF_INET, SOCK_STREAM, 0), -1);
	cr_assert_eq(errno, ENETDOWN);
	close(lfd);
	stop();
}

Test(faults, close_frees_host_socket)
{
	start_default();
	/* The original leaked the host socket until unplug: count descriptors around 50 cycles. */
	struct echo e;
	cr_assert_eq(echo_start(&e, AF_INET, SOCK_STREAM), 0);
	int fd = hss_open_connected(&rig, AF_INET, SOCK_STREAM, &e.addr, e.len);
	expect_echo(fd, "warm");
	close(fd);
	usleep(100000);
	int base = count_fds();
	for (int i = 0; i < 50; i++) {
		fd = hss_open_connected(&rig, AF_INET, SOCK_STREAM, &e.addr, e.len);
		cr_assert_geq(fd, 0);
		expect_echo(fd, "cycle");
		close(fd);
	}
	cr_assert_eq(wait_fds(base, 5000), base, "a socket per cycle stays open");
	stop();
}

Test(faults, disconnect_after_n_bytes)
{
	start_default();
	/* the transport itself pulls the cable part way through a transfer */
	rig_stop(&rig);
	struct hss_loopback_faults f = { .disconnect_after = 300000, .max_chunk = 2000, .seed = 5 };
	cr_assert_eq(rig_start(&rig, &f, NULL, NULL), 0);
	struct sockaddr_storage to;
	socklen_t len;
	int lfd = listen_on(AF_INET, SOCK_STREAM, &to, &len);
	int base = count_fds();
	int fd = hss_open_connected(&rig, AF_INET, SOCK_STREAM, &to, len);
	int c = accept(lfd, NULL, NULL);
	uint8_t *big = calloc(1, 1 << 20);
	fcntl(c, F_SETFL, O_NONBLOCK);
	ssize_t w = send(c, big, 1 << 20, MSG_NOSIGNAL);
	cr_assert_gt(w, 0);
	size_t got = 0;
	char buf[65536];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	cr_assert_lt(got, (size_t)w, "more arrived than the link carried");
	cr_assert(sees_end(c, 5000));
	close(c);
	close(fd);
	cr_assert_eq(wait_fds(base, 5000), base);
	free(big);
	close(lfd);
	stop();
}

static void ignore_cmd(void *owner, const struct hss_msg *msg)
{
	(void)owner;
	(void)msg;
}

static void ignore_bad_cmd(void *owner, const struct hss_msg *msg, int hdr_ok, const struct hss_error *err)
{
	(void)owner;
	(void)msg;
	(void)hdr_ok;
	(void)err;
}

static int refuse_bulk(void *owner, struct hss_reasm *rx)
{
	(void)owner;
	(void)rx;
	return -1; /* as a receiver out of memory does */
}

static int no_room_use(void *owner)
{
	(void)owner;
	return 0;
}

static void ignore_down(void *owner, const char *why)
{
	(void)owner;
	(void)why;
}

Test(faults, receiver_failure_is_not_reported_as_corruption)
{
	static const struct hss_link_ops ops = {
		.on_cmd = ignore_cmd, .on_bad_cmd = ignore_bad_cmd, .on_bulk = refuse_bulk,
		.on_room = no_room_use, .on_down = ignore_down,
	};
	struct hss_transport *a, *b;
	struct hss_loop loop;
	struct hss_link l;
	uint8_t msg[HSS_HDR_LEN + 2];

	cr_assert_eq(hss_loop_init(&loop), 0);
	cr_assert_eq(hss_loopback_pair(&a, &b, NULL), 0);
	cr_assert_eq(hss_link_init(&l, a, &loop, &ops, NULL, HSS_TRANSMIT_MAX, 0), 0);
	/* a well-formed TRANSMIT: the stream is fine, the receiver is not */
	hss_transmit_hdr_encode(msg, 1, 7, 2);
	memcpy(msg + HSS_HDR_LEN, "hi", 2);
	cr_assert_eq(hss_loopback_inject_bulk(b, msg, sizeof(msg)), 0);
	for (int i = 0; i < 100 && !l.down; i++) {
		hss_link_pump(&l);
		usleep(1000);
	}
	cr_assert(l.down, "the link stayed up");
	cr_assert(strstr(l.down_why, "corrupt") == NULL, "reported as corruption: %s", l.down_why);
	cr_assert(strstr(l.down_why, "out of memory") != NULL, "%s", l.down_why);
	hss_link_free(&l);
	a->ops->destroy(a);
	b->ops->destroy(b);
	hss_loop_free(&loop);
}

Test(faults, out_of_descriptors_pauses_accepting)
{
	start_default();
	/* applications connect while the process has no descriptor to spare: the daemon's
	 * accept fails with EMFILE and must not retry in a busy loop */
	enum { N = 8 };
	int app[N];
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	cr_assert_lt(strlen(rig.path), sizeof(sun.sun_path));
	memcpy(sun.sun_path, rig.path, strlen(rig.path) + 1);
	for (int i = 0; i < N; i++)
		cr_assert_geq(app[i] = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), 0);
	struct rlimit old, none;
	cr_assert_eq(getrlimit(RLIMIT_NOFILE, &old), 0);
	none = old;
	none.rlim_cur = (rlim_t)count_fds();
	cr_assert_eq(setrlimit(RLIMIT_NOFILE, &none), 0);
	for (int i = 0; i < N; i++)
		cr_assert_eq(connect(app[i], (struct sockaddr *)&sun, sizeof(sun)), 0);
	usleep(500000);
	cr_assert_eq(setrlimit(RLIMIT_NOFILE, &old), 0);
	for (int i = 0; i < N; i++)
		close(app[i]);
	/* accepting resumes after the pause (the echo server starts only now: it shares
	 * this process's descriptors) */
	usleep(1200000);
	struct echo e;
	cr_assert_eq(echo_start(&e, AF_INET, SOCK_STREAM), 0);
	int fd = hss_open_connected(&rig, AF_INET, SOCK_STREAM, &e.addr, e.len);
	cr_assert_geq(fd, 0, "no socket after the pause: %s", strerror(errno));
	expect_echo(fd, "back");
	close(fd);
	rig_halt(&rig);
	struct hss_device_stats ds;
	hss_device_stats(rig.dev, &ds);
	cr_assert_geq(ds.accept_errors, 1, "the daemon never ran out of descriptors");
	cr_assert_leq(ds.accept_errors, 3, "%llu failed accepts: a busy loop",
		      (unsigned long long)ds.accept_errors);
	stop();
}
