/* The transport interface: two command pipes that keep message boundaries (one command of
 * at most 64 bytes per transfer) and two bulk pipes that are byte streams.  Each side sees
 * them as cmd out/in and bulk out/in.  A transport registers its descriptors in the owner's
 * loop; on any event the owner calls service() and then tries every direction again. */
#ifndef HSS_TRANSPORT_H
#define HSS_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "drivers/hss/loop.h"
#include "drivers/hss/proto.h"

/* What the owner wants to hear about, for transports that poll selectively. */
enum {
	HSS_WANT_CMD_OUT = 1,   /* commands are waiting to be sent */
	HSS_WANT_BULK_OUT = 2,  /* bulk bytes are waiting to be sent */
	HSS_PAUSE_BULK_IN = 4,  /* the owner cannot take bulk bytes now (backpressure) */
};

struct hss_cmd_buf {
	uint8_t data[HSS_CMD_MAX];
	size_t len;
};

struct hss_transport;

struct hss_transport_ops {
	const char *name;
	int (*attach)(struct hss_transport *t, struct hss_loop *loop, struct hss_ev *ev);
	void (*detach)(struct hss_transport *t, struct hss_loop *loop);
	void (*interest)(struct hss_transport *t, unsigned want);
	/* Process completions after an event (libusb, AIO); may be NULL. */
	void (*service)(struct hss_transport *t);
	/* Send up to n whole commands: how many were sent, or -1 with errno (EAGAIN: none now). */
	int (*cmd_send)(struct hss_transport *t, const struct hss_cmd_buf *cmds, int n);
	/* Receive up to n commands: how many, 0 when the link went down, or -1 with errno EAGAIN. */
	int (*cmd_recv)(struct hss_transport *t, struct hss_cmd_buf *cmds, int n);
	/* Bulk byte streams: bytes moved, 0 from bulk_recv when the link went down, -1 with errno. */
	ssize_t (*bulk_send)(struct hss_transport *t, const uint8_t *buf, size_t len);
	ssize_t (*bulk_recv)(struct hss_transport *t, uint8_t *buf, size_t cap);
	void (*destroy)(struct hss_transport *t);
};

struct hss_transport {
	const struct hss_transport_ops *ops;
};

/* Loopback: socketpairs (SOCK_SEQPACKET for the command pipes, SOCK_STREAM for the bulk
 * pipes) with optional fault injection on the bulk pipes. */
struct hss_loopback_faults {
	unsigned max_chunk;          /* bulk send and receive move 1..max_chunk bytes a call (0: no limit) */
	unsigned max_delay_us;       /* sleep up to this before each bulk send (0: none) */
	uint64_t disconnect_after;   /* drop the link after this many bulk bytes sent (0: never) */
	unsigned seed;
};

int hss_loopback_pair(struct hss_transport **host, struct hss_transport **device,
		      const struct hss_loopback_faults *faults);
/* Wrap descriptors the caller owns from now on (cmd: SEQPACKET, bulk: STREAM). */
int hss_loopback_from_fds(struct hss_transport **out, int cmd_fd, int bulk_fd,
			  const struct hss_loopback_faults *faults);
/* Drop the link as a cable pull would: both sides see it go down. */
void hss_loopback_disconnect(struct hss_transport *t);
/* Inject raw bytes as if the peer sent them: a command transfer or bulk bytes (tests). */
int hss_loopback_inject_cmd(struct hss_transport *t, const uint8_t *buf, size_t len);
int hss_loopback_inject_bulk(struct hss_transport *t, const uint8_t *buf, size_t len);

/* Across processes: the host listens on a SOCK_SEQPACKET path; a device connects and passes
 * its end of a bulk socketpair with SCM_RIGHTS.  hss_loopback_accept takes one device. */
int hss_loopback_listen(const char *path);
int hss_loopback_accept(struct hss_transport **out, int listen_fd);
int hss_loopback_connect(struct hss_transport **out, const char *path);

#endif
