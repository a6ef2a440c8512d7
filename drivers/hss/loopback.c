/* Loopback transport: socketpairs standing in for the USB pipes, with fault injection that
 * re-chunks the bulk streams, delays them and pulls the cable. */
#include "drivers/hss/transport.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

struct loopback {
	struct hss_transport t;
	int cmd_fd;
	int bulk_fd;
	struct hss_loop *loop;
	struct hss_ev *ev;
	unsigned want;
	struct hss_loopback_faults faults;
	uint64_t bulk_sent;
	int down;
};

static struct loopback *lb_of(struct hss_transport *t)
{
	return (struct loopback *)t;
}

static unsigned chunk_limit(struct loopback *lb, size_t len)
{
	if (!lb->faults.max_chunk)
		return len > UINT32_MAX ? UINT32_MAX : (unsigned)len;
	unsigned n = 1 + (unsigned)rand_r(&lb->faults.seed) % lb->faults.max_chunk;
	return n < len ? n : (unsigned)len;
}

static uint32_t bulk_events(const struct loopback *lb)
{
	uint32_t ev = 0;
	if (!(lb->want & HSS_PAUSE_BULK_IN))
		ev |= EPOLLIN | EPOLLRDHUP;
	if (lb->want & HSS_WANT_BULK_OUT)
		ev |= EPOLLOUT;
	return ev;
}

static uint32_t cmd_events(const struct loopback *lb)
{
	return EPOLLIN | EPOLLRDHUP | (lb->want & HSS_WANT_CMD_OUT ? EPOLLOUT : 0);
}

static int lb_attach(struct hss_transport *t, struct hss_loop *loop, struct hss_ev *ev)
{
	struct loopback *lb = lb_of(t);
	lb->loop = loop;
	lb->ev = ev;
	if (hss_loop_add(loop, lb->cmd_fd, cmd_events(lb), ev) < 0)
		return -1;
	if (hss_loop_add(loop, lb->bulk_fd, bulk_events(lb), ev) < 0) {
		hss_loop_del(loop, lb->cmd_fd);
		return -1;
	}
	return 0;
}

static void lb_detach(struct hss_transport *t, struct hss_loop *loop)
{
	struct loopback *lb = lb_of(t);
	hss_loop_del(loop, lb->cmd_fd);
	hss_loop_del(loop, lb->bulk_fd);
	lb->loop = NULL;
}

static void lb_interest(struct hss_transport *t, unsigned want)
{
	struct loopback *lb = lb_of(t);
	unsigned old = lb->want;
	lb->want = want;
	if (!lb->loop)
		return;
	if ((old ^ want) & (HSS_WANT_BULK_OUT | HSS_PAUSE_BULK_IN))
		hss_loop_mod(lb->loop, lb->bulk_fd, bulk_events(lb), lb->ev);
	if ((old ^ want) & HSS_WANT_CMD_OUT)
		hss_loop_mod(lb->loop, lb->cmd_fd, cmd_events(lb), lb->ev);
}

static int lb_cmd_send(struct hss_transport *t, const struct hss_cmd_buf *cmds, int n)
{
	struct loopback *lb = lb_of(t);
	struct mmsghdr msgs[32];
	struct iovec iov[32];
	if (n > 32)
		n = 32;
	memset(msgs, 0, sizeof(msgs[0]) * (size_t)n);
	for (int i = 0; i < n; i++) {
		iov[i].iov_base = (void *)cmds[i].data;
		iov[i].iov_len = cmds[i].len;
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	return sendmmsg(lb->cmd_fd, msgs, (unsigned)n, MSG_DONTWAIT | MSG_NOSIGNAL);
}

static int lb_cmd_recv(struct hss_transport *t, struct hss_cmd_buf *cmds, int n)
{
	struct loopback *lb = lb_of(t);
	struct mmsghdr msgs[32];
	/* One byte more than a command may hold, so an oversize transfer shows as too long. */
	uint8_t spill[32];
	struct iovec spill_iov[32][2];
	if (n > 32)
		n = 32;
	memset(msgs, 0, sizeof(msgs[0]) * (size_t)n);
	for (int i = 0; i < n; i++) {
		spill_iov[i][0] = (struct iovec){ cmds[i].data, HSS_CMD_MAX };
		spill_iov[i][1] = (struct iovec){ &spill[i], 1 };
		msgs[i].msg_hdr.msg_iov = spill_iov[i];
		msgs[i].msg_hdr.msg_iovlen = 2;
	}
	int got = recvmmsg(lb->cmd_fd, msgs, (unsigned)n, MSG_DONTWAIT, NULL);
	if (got < 0)
		return -1;
	for (int i = 0; i < got; i++) {
		cmds[i].len = msgs[i].msg_len;
		if (msgs[i].msg_len == 0)
			return i == 0 ? 0 : i; /* EOF: the peer is gone */
	}
	return got;
}

static ssize_t lb_bulk_send(struct hss_transport *t, const uint8_t *buf, size_t len)
{
	struct loopback *lb = lb_of(t);
	if (lb->down) {
		errno = EPIPE;
		return -1;
	}
	size_t n = chunk_limit(lb, len);
	if (lb->faults.disconnect_after) {
		if (lb->bulk_sent >= lb->faults.disconnect_after) {
			hss_loopback_disconnect(t);
			errno = EPIPE;
			return -1;
		}
		if (n > lb->faults.disconnect_after - lb->bulk_sent)
			n = lb->faults.disconnect_after - lb->bulk_sent;
	}
	if (lb->faults.max_delay_us)
		usleep((useconds_t)(rand_r(&lb->faults.seed) % lb->faults.max_delay_us));
	ssize_t w = send(lb->bulk_fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (w > 0)
		lb->bulk_sent += (uint64_t)w;
	return w;
}

static ssize_t lb_bulk_recv(struct hss_transport *t, uint8_t *buf, size_t cap)
{
	struct loopback *lb = lb_of(t);
	return recv(lb->bulk_fd, buf, chunk_limit(lb, cap), MSG_DONTWAIT);
}

static void lb_destroy(struct hss_transport *t)
{
	struct loopback *lb = lb_of(t);
	if (lb->loop)
		lb_detach(t, lb->loop);
	close(lb->cmd_fd);
	close(lb->bulk_fd);
	free(lb);
}

static const struct hss_transport_ops loopback_ops = {
	.name = "loopback",
	.attach = lb_attach,
	.detach = lb_detach,
	.interest = lb_interest,
	.cmd_send = lb_cmd_send,
	.cmd_recv = lb_cmd_recv,
	.bulk_send = lb_bulk_send,
	.bulk_recv = lb_bulk_recv,
	.destroy = lb_destroy,
};

int hss_loopback_from_fds(struct hss_transport **out, int cmd_fd, int bulk_fd,
			  const struct hss_loopback_faults *faults)
{
	struct loopback *lb = calloc(1, sizeof(*lb));
	if (!lb)
		return -1;
	lb->t.ops = &loopback_ops;
	lb->cmd_fd = cmd_fd;
	lb->bulk_fd = bulk_fd;
	if (faults)
		lb->faults = *faults;
	/* Small socket buffers keep the loopback close to a USB pipe's few queued transfers. */
	int sz = 1 << 20;
	setsockopt(bulk_fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	*out = &lb->t;
	return 0;
}

int hss_loopback_pair(struct hss_transport **host, struct hss_transport **device,
		      const struct hss_loopback_faults *faults)
{
	int cmd[2], bulk[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, cmd) < 0)
		return -1;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, bulk) < 0) {
		close(cmd[0]);
		close(cmd[1]);
		return -1;
	}
	if (hss_loopback_from_fds(host, cmd[0], bulk[0], faults) < 0) {
		close(cmd[0]), close(cmd[1]), close(bulk[0]), close(bulk[1]);
		return -1;
	}
	struct hss_loopback_faults dev_faults = faults ? *faults : (struct hss_loopback_faults){ 0 };
	dev_faults.seed ^= 0x9e3779b9u;
	if (hss_loopback_from_fds(device, cmd[1], bulk[1], &dev_faults) < 0) {
		(*host)->ops->destroy(*host);
		close(cmd[1]), close(bulk[1]);
		return -1;
	}
	return 0;
}

void hss_loopback_disconnect(struct hss_transport *t)
{
	struct loopback *lb = lb_of(t);
	lb->down = 1;
	shutdown(lb->cmd_fd, SHUT_RDWR);
	shutdown(lb->bulk_fd, SHUT_RDWR);
}

int hss_loopback_inject_cmd(struct hss_transport *t, const uint8_t *buf, size_t len)
{
	return send(lb_of(t)->cmd_fd, buf, len, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

int hss_loopback_inject_bulk(struct hss_transport *t, const uint8_t *buf, size_t len)
{
	return send(lb_of(t)->bulk_fd, buf, len, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

static int unix_addr(struct sockaddr_un *sun, const char *path)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sun->sun_path, path);
	return 0;
}

int hss_loopback_listen(const char *path)
{
	struct sockaddr_un sun;
	if (unix_addr(&sun, path) < 0)
		return -1;
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 || listen(fd, 8) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int hss_loopback_accept(struct hss_transport **out, int listen_fd)
{
	int cmd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (cmd < 0)
		return -1;
	/* The device's first message carries its bulk descriptor. */
	char byte;
	union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } ctl;
	struct iovec iov = { &byte, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf) };
	struct timeval tv = { .tv_sec = 5 };
	setsockopt(cmd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	ssize_t n = recvmsg(cmd, &mh, MSG_CMSG_CLOEXEC);
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	if (n != 1 || !c || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof(int))) {
		close(cmd);
		errno = EPROTO;
		return -1;
	}
	int bulk;
	memcpy(&bulk, CMSG_DATA(c), sizeof(int));
	if (hss_loopback_from_fds(out, cmd, bulk, NULL) < 0) {
		close(cmd);
		close(bulk);
		return -1;
	}
	return 0;
}

int hss_loopback_connect(struct hss_transport **out, const char *path)
{
	struct sockaddr_un sun;
	if (unix_addr(&sun, path) < 0)
		return -1;
	int cmd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (cmd < 0)
		return -1;
	int bulk[2] = { -1, -1 };
	if (connect(cmd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, bulk) < 0)
		goto fail;
	char byte = 0;
	union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } ctl;
	memset(&ctl, 0, sizeof(ctl));
	struct iovec iov = { &byte, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &bulk[1], sizeof(int));
	if (sendmsg(cmd, &mh, MSG_NOSIGNAL) != 1)
		goto fail;
	close(bulk[1]);
	if (hss_loopback_from_fds(out, cmd, bulk[0], NULL) < 0) {
		close(cmd);
		close(bulk[0]);
		return -1;
	}
	return 0;
fail:
	close(cmd);
	if (bulk[0] >= 0) {
		close(bulk[0]);
		close(bulk[1]);
	}
	return -1;
}
