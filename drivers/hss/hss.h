/* libhss: sockets opened through the host's connection by hssd-device.
 *
 *   int fd = hss_socket(NULL, AF_INET6, SOCK_STREAM, 0);
 *   if (fd < 0 || hss_connect(fd, (struct sockaddr *)&sin6, sizeof(sin6)) < 0) ... errno ...
 *   write(fd, ...); read(fd, ...); poll(...); shutdown(fd, SHUT_WR); close(fd);
 *
 * The descriptor is a UNIX socket to the daemon: SOCK_STREAM for TCP, SOCK_SEQPACKET (one
 * datagram per record) for UDP.  Errors come back as errno values. */
#ifndef HSS_H
#define HSS_H

#include <stdint.h>
#include <sys/socket.h>

#define HSS_DEFAULT_SOCKET "/run/hss/hssd-device.sock"
#define HSS_DGRAM_SUFFIX ".dgram"

/* path: the daemon's socket (NULL: $HSS_SOCKET, else HSS_DEFAULT_SOCKET).  type may carry
 * SOCK_NONBLOCK and SOCK_CLOEXEC.  Returns a descriptor, or -1 with errno. */
int hss_socket(const char *path, int family, int type, int protocol);
/* Blocks until the host has connected (or failed): 0, or -1 with errno (ECONNREFUSED,
 * ENETUNREACH, ETIMEDOUT, ...). */
int hss_connect(int fd, const struct sockaddr *addr, socklen_t addrlen);

/* The request/reply records on the daemon's socket, for clients that do not link libhss.
 * A client connects (SOCK_STREAM to path for TCP, SOCK_SEQPACKET to path.dgram for UDP),
 * sends OPEN, reads the reply, sends CONNECT, reads the reply, then the socket carries data.
 * Fields are in host byte order except addr, a struct sockaddr_in or sockaddr_in6. */
#define HSS_APP_MAGIC 0x31535348u /* "HSS1" */
enum { HSS_APP_OPEN = 1, HSS_APP_CONNECT = 2 };

struct hss_app_req {
	uint32_t magic;
	uint16_t op;
	uint16_t family;   /* OPEN: AF_INET or AF_INET6 */
	uint16_t type;     /* OPEN: SOCK_STREAM or SOCK_DGRAM */
	uint16_t protocol; /* OPEN: 0, IPPROTO_TCP or IPPROTO_UDP */
	uint32_t addrlen;  /* CONNECT */
	uint8_t addr[28];  /* CONNECT */
};

struct hss_app_rep {
	uint32_t magic;
	uint16_t op;
	uint16_t reserved;
	int32_t err; /* 0 or an errno value */
};

#endif
