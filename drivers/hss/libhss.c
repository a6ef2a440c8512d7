/* libhss: the client side of hssd-device's socket (see hss.h). */
#include "drivers/hss/hss.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

static int exchange(int fd, const struct hss_app_req *req)
{
	if (send(fd, req, sizeof(*req), MSG_NOSIGNAL) != (ssize_t)sizeof(*req))
		return -1;
	struct hss_app_rep rep = { 0 };
	size_t got = 0;
	while (got < sizeof(rep)) {
		ssize_t n = recv(fd, (char *)&rep + got, sizeof(rep) - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = ECONNRESET;
			return -1;
		}
		got += (size_t)n;
	}
	if (rep.magic != HSS_APP_MAGIC || rep.op != req->op) {
		errno = EPROTO;
		return -1;
	}
	if (rep.err) {
		errno = rep.err;
		return -1;
	}
	return 0;
}

int hss_socket(const char *path, int family, int type, int protocol)
{
	int flags = type & (SOCK_NONBLOCK | SOCK_CLOEXEC);
	type &= ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (family != AF_INET && family != AF_INET6) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	if (type != SOCK_STREAM && type != SOCK_DGRAM) {
		errno = ESOCKTNOSUPPORT;
		return -1;
	}
	if (protocol != 0 && protocol != (type == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP)) {
		errno = EPROTONOSUPPORT;
		return -1;
	}
	if (!path)
		path = getenv("HSS_SOCKET");
	if (!path || !*path)
		path = HSS_DEFAULT_SOCKET;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int len = snprintf(sun.sun_path, sizeof(sun.sun_path), "%s%s", path,
			   type == SOCK_DGRAM ? HSS_DGRAM_SUFFIX : "");
	if (len < 0 || (size_t)len >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = socket(AF_UNIX, (type == SOCK_DGRAM ? SOCK_SEQPACKET : SOCK_STREAM) | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	struct hss_app_req req = {
		.magic = HSS_APP_MAGIC, .op = HSS_APP_OPEN,
		.family = (uint16_t)family, .type = (uint16_t)type, .protocol = (uint16_t)protocol,
	};
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 || exchange(fd, &req) < 0) {
		int e = errno;
		close(fd);
		errno = e == ENOENT || e == ECONNREFUSED ? ENETDOWN : e; /* no daemon: no network */
		return -1;
	}
	if (!(flags & SOCK_CLOEXEC))
		fcntl(fd, F_SETFD, 0);
	if (flags & SOCK_NONBLOCK)
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

int hss_connect(int fd, const struct sockaddr *addr, socklen_t addrlen)
{
	struct hss_app_req req = { .magic = HSS_APP_MAGIC, .op = HSS_APP_CONNECT };
	if (!addr || addrlen > sizeof(req.addr) ||
	    (addr->sa_family == AF_INET && addrlen < sizeof(struct sockaddr_in)) ||
	    (addr->sa_family == AF_INET6 && addrlen < sizeof(struct sockaddr_in6))) {
		errno = EINVAL;
		return -1;
	}
	if (addr->sa_family != AF_INET && addr->sa_family != AF_INET6) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	req.addrlen = addrlen;
	memcpy(req.addr, addr, addrlen);
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0)
		return -1;
	if (fl & O_NONBLOCK)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	int rc = exchange(fd, &req);
	int e = errno;
	if (fl & O_NONBLOCK)
		fcntl(fd, F_SETFL, fl);
	errno = e;
	return rc;
}
