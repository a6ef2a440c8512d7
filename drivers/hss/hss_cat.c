/* hss-cat: connect through hssd-device and copy stdin to the socket and the socket to
 * stdout, like a minimal netcat.  hss-cat [-u] [-S PATH] ADDRESS PORT */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drivers/hss/hss.h"

int main(int argc, char **argv)
{
	const char *path = NULL;
	int type = SOCK_STREAM, c;
	while ((c = getopt(argc, argv, "uS:h")) != -1) {
		if (c == 'u')
			type = SOCK_DGRAM;
		else if (c == 'S')
			path = optarg;
		else {
			fprintf(stderr, "usage: hss-cat [-u] [-S PATH] ADDRESS PORT\n");
			return c == 'h' ? 0 : 2;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "usage: hss-cat [-u] [-S PATH] ADDRESS PORT\n");
		return 2;
	}
	struct sockaddr_storage ss = { 0 };
	socklen_t len;
	int port = atoi(argv[optind + 1]);
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	if (inet_pton(AF_INET, argv[optind], &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		len = sizeof(*sin);
	} else if (inet_pton(AF_INET6, argv[optind], &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		len = sizeof(*sin6);
	} else {
		fprintf(stderr, "hss-cat: '%s' is not an IPv4 or IPv6 address\n", argv[optind]);
		return 2;
	}
	int fd = hss_socket(path, ss.ss_family, type, 0);
	if (fd < 0 || hss_connect(fd, (struct sockaddr *)&ss, len) < 0) {
		fprintf(stderr, "hss-cat: %s\n", strerror(errno));
		return 1;
	}
	static char buf[65536];
	int in_open = 1;
	for (;;) {
		struct pollfd p[2] = { { fd, POLLIN, 0 }, { in_open ? 0 : -1, POLLIN, 0 } };
		/* UDP has no EOF: after stdin ends, wait 2 s for replies */
		int ready = poll(p, 2, !in_open && type == SOCK_DGRAM ? 2000 : -1);
		if (ready < 0)
			return 1;
		if (ready == 0)
			break;
		if (p[1].revents) {
			ssize_t n = read(0, buf, sizeof(buf));
			if (n <= 0) {
				in_open = 0;
				if (type == SOCK_STREAM)
					shutdown(fd, SHUT_WR);
			} else if (send(fd, buf, (size_t)n, MSG_NOSIGNAL) != n) {
				return 1;
			}
		}
		if (p[0].revents) {
			ssize_t n = read(fd, buf, sizeof(buf));
			if (n <= 0)
				break;
			if (write(1, buf, (size_t)n) != n)
				return 1;
		}
	}
	close(fd);
	return 0;
}
