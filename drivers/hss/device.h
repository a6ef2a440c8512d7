/* The device role: applications ask for sockets on a UNIX socket (libhss, hss.h); each one
 * becomes an HSS handle whose data flows over the transport to the host. */
#ifndef HSS_DEVICE_H
#define HSS_DEVICE_H

#include <stddef.h>
#include <stdint.h>

#include "drivers/hss/loop.h"
#include "drivers/hss/transport.h"

struct hss_device_config {
	const char *socket_path;     /* stream listener; the datagram one is path.dgram */
	uint32_t max_transmit;       /* payload per TRANSMIT to the host */
	uint32_t rx_max_payload;     /* largest TRANSMIT taken from the host */
	size_t window;               /* unacknowledged bytes in flight per socket */
	size_t app_queue_max;        /* bytes queued for one application before the bulk pipe pauses */
	unsigned reply_timeout_ms;   /* how long an OPEN or CONNECT waits for the host's ACK */
};

struct hss_device_stats {
	uint64_t opened, closed;
	uint64_t bytes_to_host, bytes_from_host;
	uint64_t acks, bad_acks, discarded;
	uint64_t accept_errors;      /* failed accepts of application connections */
	unsigned sockets;
};

struct hss_device;

void hss_device_config_default(struct hss_device_config *cfg);
/* Binds the application sockets (replacing stale ones) and starts on transport t. */
int hss_device_new(struct hss_device **out, struct hss_loop *loop, struct hss_transport *t,
		   const struct hss_device_config *cfg);
void hss_device_free(struct hss_device *d);
int hss_device_down(const struct hss_device *d, const char **why);
void hss_device_stats(const struct hss_device *d, struct hss_device_stats *out);

#endif
