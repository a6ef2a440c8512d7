/* End to end: application (libhss) -> hssd-device role -> loopback transport -> hssd-host
 * role -> a real server on 127.0.0.1 / ::1, and back. */
#include <criterion/criterion.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drivers/hss/hss.h"
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

static void echo_once(int af, int type)
{
	struct echo e;
	cr_assert_eq(echo_start(&e, af, type), 0);
	int fd = hss_open_connected(&rig, af, type, &e.addr, e.len);
	cr_assert_geq(fd, 0, "connect: %s", strerror(errno));
	if (type == SOCK_STREAM) {
		cr_assert_eq(write_all(fd, "hello over hss", 14), 0);
		char buf[14];
		cr_assert_eq(read_all(fd, buf, 14), 0);
		cr_assert(memcmp(buf, "hello over hss", 14) == 0);
	} else {
		/* datagram boundaries survive both ways, an empty datagram included */
		static const size_t sizes[] = { 1, 1400, 0, 9000 };
		uint8_t out[9000], in[9100];
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			fill_random(out, sizes[i], (unsigned)i);
			cr_assert_eq(send(fd, out, sizes[i], 0), (ssize_t)sizes[i]);
			struct pollfd p = { fd, POLLIN, 0 };
			cr_assert_eq(poll(&p, 1, 5000), 1, "no reply to a %zu-byte datagram", sizes[i]);
			ssize_t n = recv(fd, in, sizeof(in), 0);
			cr_assert_eq(n, (ssize_t)sizes[i], "datagram of %zu came back as %zd", sizes[i], n);
			cr_assert(memcmp(in, out, sizes[i]) == 0);
		}
	}
	close(fd);
}

Test(e2e, tcp_ipv4)
{
	start_default();
	echo_once(AF_INET, SOCK_STREAM);
	stop();
}
Test(e2e, tcp_ipv6)
{
	start_default();
	echo_once(AF_INET6, SOCK_STREAM);
	stop();
}
Test(e2e, udp_ipv4)
{
	start_default();
	echo_once(AF_INET, SOCK_DGRAM);
	stop();
}
Test(e2e, udp_ipv6)
{
	start_default();
	echo_once(AF_INET6, SOCK_DGRAM);
	stop();
}

Test(e2e, refused_port_is_econnrefused)
{
	start_default();
	int afs[] = { AF_INET, AF_INET6 };
	for (int i = 0; i < 2; i++) {
		struct sockaddr_storage to;
		socklen_t len;
		unused_port(afs[i], &to, &len);
		errno = 0;
		cr_assert_eq(hss_open_connected(&rig, afs[i], SOCK_STREAM, &to, len), -1);
		cr_assert_eq(errno, ECONNREFUSED, "errno %d (%s)", errno, strerror(errno));
	}
	stop();
}

Test(e2e, bad_requests_are_errno)
{
	start_default();
	errno = 0;
	cr_assert_eq(hss_socket(rig.path, AF_UNIX, SOCK_STREAM, 0), -1);
	cr_assert_eq(errno, EAFNOSUPPORT);
	cr_assert_eq(hss_socket(rig.path, AF_INET, SOCK_STREAM, IPPROTO_UDP), -1);
	cr_assert_eq(errno, EPROTONOSUPPORT);
	int fd = hss_socket(rig.path, AF_INET, SOCK_STREAM, 0);
	cr_assert_geq(fd, 0);
	struct sockaddr_storage to;
	socklen_t len;
	unused_port(AF_INET6, &to, &len);
	cr_assert_eq(hss_connect(fd, (struct sockaddr *)&to, len), -1);
	cr_assert_eq(errno, EAFNOSUPPORT, "IPv6 address on an IPv4 socket: %s", strerror(errno));
	close(fd);
	char missing[256];
	snprintf(missing, sizeof(missing), "%s/nothing-here", rig.dir);
	cr_assert_eq(hss_socket(missing, AF_INET, SOCK_STREAM, 0), -1);
	cr_assert_eq(errno, ENETDOWN);
	stop();
}

Test(e2e, server_close_is_eof_at_app)
{
	start_default();
	int lfd, fd, c;
	cr_assert_eq(rig_tcp_connection(&rig, AF_INET, &lfd, &fd, &c), 0, "connect: %s", strerror(errno));
	cr_assert_eq(write_all(c, "bye", 3), 0);
	close(c);
	char buf[8];
	cr_assert_eq(read_all(fd, buf, 3), 0);
	cr_assert(memcmp(buf, "bye", 3) == 0);
	cr_assert_eq(read(fd, buf, sizeof(buf)), 0, "EOF after the server closed");
	/* writing to a closed connection fails, it is not swallowed */
	ssize_t w = 0;
	for (int i = 0; i < 50 && w >= 0; i++) {
		w = send(fd, "x", 1, MSG_NOSIGNAL);
		usleep(1000);
	}
	cr_assert_eq(w, -1);
	cr_assert_eq(errno, EPIPE);
	close(fd);
	close(lfd);
	stop();
}

Test(e2e, app_close_is_eof_at_server)
{
	start_default();
	int lfd, fd, c;
	cr_assert_eq(rig_tcp_connection(&rig, AF_INET6, &lfd, &fd, &c), 0, "connect: %s", strerror(errno));
	cr_assert_eq(write_all(fd, "last words", 10), 0);
	close(fd);
	char buf[16];
	cr_assert_eq(read_all(c, buf, 10), 0, "data before the close arrives first");
	cr_assert(memcmp(buf, "last words", 10) == 0);
	cr_assert_eq(read(c, buf, sizeof(buf)), 0, "EOF at the server after the app closed");
	close(c);
	close(lfd);
	stop();
}

Test(e2e, app_half_close_keeps_reading)
{
	start_default();
	int lfd, fd, c;
	cr_assert_eq(rig_tcp_connection(&rig, AF_INET, &lfd, &fd, &c), 0, "connect: %s", strerror(errno));
	cr_assert_eq(write_all(fd, "request", 7), 0);
	cr_assert_eq(shutdown(fd, SHUT_WR), 0);
	char buf[16];
	cr_assert_eq(read_all(c, buf, 7), 0);
	cr_assert_eq(read(c, buf, sizeof(buf)), 0, "the server sees the app's half-close");
	cr_assert_eq(write_all(c, "response", 8), 0);
	close(c);
	cr_assert_eq(read_all(fd, buf, 8), 0, "the app still reads after its shutdown");
	cr_assert(memcmp(buf, "response", 8) == 0);
	cr_assert_eq(read(fd, buf, sizeof(buf)), 0);
	close(fd);
	close(lfd);
	stop();
}

Test(e2e, no_false_eof_while_idle)
{
	start_default();
	/* The original returned 0 from recv after 30 s of silence.  Here an idle socket stays
	 * idle well past the daemon's reply timeout, then data still arrives. */
	rig_stop(&rig);
	struct hss_device_config dc;
	hss_device_config_default(&dc);
	dc.reply_timeout_ms = 200;
	cr_assert_eq(rig_start(&rig, NULL, NULL, &dc), 0);
	int lfd, fd, c;
	cr_assert_eq(rig_tcp_connection(&rig, AF_INET, &lfd, &fd, &c), 0, "connect: %s", strerror(errno));
	struct pollfd p = { fd, POLLIN, 0 };
	cr_assert_eq(poll(&p, 1, 700), 0, "an idle socket became readable (false EOF?)");
	cr_assert_eq(write_all(c, "late", 4), 0);
	char buf[4];
	cr_assert_eq(read_all(fd, buf, 4), 0);
	close(c);
	close(fd);
	close(lfd);
	stop();
}
