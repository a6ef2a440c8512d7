/* The host role: one context per attached device.  Opens real sockets for the device in the
 * daemon's network namespace, connects them without blocking, forwards data both ways in
 * bounded chunks, and pushes back instead of dropping when either side is slow. */
#ifndef HSS_HOST_H
#define HSS_HOST_H

#include <stddef.h>
#include <stdint.h>

#include "drivers/hss/loop.h"
#include "drivers/hss/transport.h"

struct hss_host_config {
	uint32_t max_transmit;        /* payload per TRANSMIT to the device; 1012 fits one 1024-byte transfer */
	uint32_t rx_max_payload;      /* largest TRANSMIT taken from the device */
	size_t sock_queue_max;        /* bytes queued for one socket before the bulk pipe is paused */
	unsigned connect_timeout_ms;
	unsigned max_sockets;
};

struct hss_host_stats {
	uint64_t opened, closed, rejected;
	uint64_t bytes_to_net, bytes_from_net;
	uint64_t transmit_acks, transmit_errors;
	unsigned sockets;
};

struct hss_host;

void hss_host_config_default(struct hss_host_config *cfg);
/* The context uses t (the caller destroys it after hss_host_free) and registers in loop. */
int hss_host_new(struct hss_host **out, struct hss_loop *loop, struct hss_transport *t,
		 const struct hss_host_config *cfg);
/* Close every socket and detach.  Safe after the link went down. */
void hss_host_free(struct hss_host *h);
/* 1 once the link is down (the device went away or broke the protocol); why says how. */
int hss_host_down(const struct hss_host *h, const char **why);
void hss_host_stats(const struct hss_host *h, struct hss_host_stats *out);

#endif
