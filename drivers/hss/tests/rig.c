/* Test rig: see rig.h. */
#include "drivers/hss/tests/rig.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drivers/hss/hss.h"
#include "drivers/hss/log.h"

static void *loop_main(void *arg)
{
	struct rig *r = arg;
	hss_loop_run(&r->loop);
	return NULL;
}

int rig_start(struct rig *r, const struct hss_loopback_faults *faults,
	      const struct hss_host_config *hc, const struct hss_device_config *dc)
{
	memset(r, 0, sizeof(*r));
	hss_log_level = getenv("HSS_TEST_VERBOSE") ? HSS_LOG_DEBUG : HSS_LOG_ERR;
	snprintf(r->dir, sizeof(r->dir), "%s/hss-test-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(r->dir))
		return -1;
	snprintf(r->path, sizeof(r->path), "%s/dev.sock", r->dir);
	if (hss_loop_init(&r->loop) < 0 || hss_loopback_pair(&r->th, &r->td, faults) < 0)
		return -1;
	struct hss_device_config dcfg;
	if (dc)
		dcfg = *dc;
	else
		hss_device_config_default(&dcfg);
	dcfg.socket_path = r->path;
	if (hss_host_new(&r->host, &r->loop, r->th, hc) < 0 ||
	    hss_device_new(&r->dev, &r->loop, r->td, &dcfg) < 0)
		return -1;
	return pthread_create(&r->thread, NULL, loop_main, r) == 0 ? 0 : -1;
}

void rig_halt(struct rig *r)
{
	if (r->halted)
		return;
	hss_loop_stop(&r->loop);
	pthread_join(r->thread, NULL);
	r->halted = 1;
}

void rig_stop(struct rig *r)
{
	rig_halt(r);
	hss_device_free(r->dev);
	hss_host_free(r->host);
	r->th->ops->destroy(r->th);
	r->td->ops->destroy(r->td);
	hss_loop_free(&r->loop);
	rmdir(r->dir);
}

static socklen_t loopback_addr(int af, struct sockaddr_storage *ss, uint16_t port)
{
	memset(ss, 0, sizeof(*ss));
	if (af == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		return sizeof(*sin);
	}
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	sin6->sin6_addr = in6addr_loopback;
	return sizeof(*sin6);
}

int listen_on(int af, int type, struct sockaddr_storage *addr, socklen_t *len)
{
	int fd = socket(af, type | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	*len = loopback_addr(af, addr, 0);
	if (bind(fd, (struct sockaddr *)addr, *len) < 0 || (type == SOCK_STREAM && listen(fd, 128) < 0) ||
	    getsockname(fd, (struct sockaddr *)addr, len) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

void unused_port(int af, struct sockaddr_storage *addr, socklen_t *len)
{
	int fd = socket(af, SOCK_STREAM, 0);
	*len = loopback_addr(af, addr, 0);
	bind(fd, (struct sockaddr *)addr, *len);
	getsockname(fd, (struct sockaddr *)addr, len);
	close(fd);
}

static void *echo_conn(void *arg)
{
	int fd = (int)(intptr_t)arg;
	static __thread uint8_t buf[65536];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n <= 0 || write_all(fd, buf, (size_t)n) < 0)
			break;
	}
	close(fd);
	return NULL;
}

static void *echo_main(void *arg)
{
	struct echo *e = arg;
	if (e->type == SOCK_DGRAM) {
		static __thread uint8_t buf[65536];
		for (;;) {
			struct sockaddr_storage from;
			socklen_t fl = sizeof(from);
			ssize_t n = recvfrom(e->fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
			if (n < 0)
				break;
			sendto(e->fd, buf, (size_t)n, 0, (struct sockaddr *)&from, fl);
		}
		return NULL;
	}
	for (;;) {
		int c = accept(e->fd, NULL, NULL);
		if (c < 0)
			break;
		pthread_t t;
		if (pthread_create(&t, NULL, echo_conn, (void *)(intptr_t)c) == 0)
			pthread_detach(t);
		else
			close(c);
	}
	return NULL;
}

int echo_start(struct echo *e, int af, int type)
{
	e->type = type;
	e->fd = listen_on(af, type, &e->addr, &e->len);
	if (e->fd < 0)
		return -1;
	if (pthread_create(&e->thread, NULL, echo_main, e) != 0)
		return -1;
	pthread_detach(e->thread);
	return 0;
}

int hss_open_connected(const struct rig *r, int af, int type, const struct sockaddr_storage *to, socklen_t len)
{
	int fd = hss_socket(r->path, af, type, 0);
	if (fd < 0)
		return -1;
	if (hss_connect(fd, (const struct sockaddr *)to, len) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int rig_tcp_connection(const struct rig *r, int af, int *lfd, int *app, int *srv)
{
	struct sockaddr_storage to;
	socklen_t len;

	*app = *srv = -1;
	*lfd = listen_on(af, SOCK_STREAM, &to, &len);
	if (*lfd < 0)
		return -1;
	*app = hss_open_connected(r, af, SOCK_STREAM, &to, len);
	if (*app < 0)
		return -1;
	*srv = accept(*lfd, NULL, NULL);
	return *srv < 0 ? -1 : 0;
}

int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	int n = 0;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

int write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int read_all(int fd, void *buf, size_t len)
{
	uint8_t *p = buf;
	while (len > 0) {
		ssize_t n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

void fill_random(uint8_t *buf, size_t len, unsigned seed)
{
	uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
	for (size_t i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		buf[i] = (uint8_t)x;
	}
}

uint64_t fnv1a(uint64_t h, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}
