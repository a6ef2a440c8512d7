/* Test rig: a host context and a device context joined by the loopback transport, run by
 * one loop in a thread; real servers on 127.0.0.1 / ::1 with ephemeral ports. */
#ifndef HSS_TEST_RIG_H
#define HSS_TEST_RIG_H

#include <netinet/in.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "drivers/hss/device.h"
#include "drivers/hss/host.h"
#include "drivers/hss/loop.h"
#include "drivers/hss/transport.h"

struct rig {
	struct hss_loop loop;
	pthread_t thread;
	struct hss_transport *th, *td;
	struct hss_host *host;
	struct hss_device *dev;
	char dir[128];
	char path[192];
	int halted;
};

/* faults, hc, dc may be NULL for defaults.  Returns 0 or -1. */
int rig_start(struct rig *r, const struct hss_loopback_faults *faults,
	      const struct hss_host_config *hc, const struct hss_device_config *dc);
/* Stop the loop thread (the contexts stay, for their statistics); rig_stop does it too. */
void rig_halt(struct rig *r);
void rig_stop(struct rig *r);

/* A listening TCP or UDP socket on the loopback address of family af, port read back. */
int listen_on(int af, int type, struct sockaddr_storage *addr, socklen_t *len);
/* A port on which nothing listens (bound then closed). */
void unused_port(int af, struct sockaddr_storage *addr, socklen_t *len);

/* Echo servers in threads: TCP (one thread per connection) and UDP. */
struct echo {
	int fd;
	int type;
	pthread_t thread;
	struct sockaddr_storage addr;
	socklen_t len;
};
int echo_start(struct echo *e, int af, int type);

int hss_open_connected(const struct rig *r, int af, int type, const struct sockaddr_storage *to, socklen_t len);
/* A TCP connection from an application through the rig to a server on the loopback address
 * of af: *lfd listens, *app is the application's end, *srv the server's accepted end.
 * 0, or -1 with errno (the descriptors made so far are left for the caller, the rest -1). */
int rig_tcp_connection(const struct rig *r, int af, int *lfd, int *app, int *srv);
int count_fds(void);
/* Write all of buf / read exactly len bytes (blocking): 0 or -1. */
int write_all(int fd, const void *buf, size_t len);
int read_all(int fd, void *buf, size_t len);
void fill_random(uint8_t *buf, size_t len, unsigned seed);
uint64_t fnv1a(uint64_t h, const uint8_t *p, size_t n);

#endif
