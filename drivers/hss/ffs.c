/* FunctionFS device transport: see ffs.h. */
#include "drivers/hss/ffs.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <linux/usb/functionfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "drivers/hss/log.h"

#define INTERFACE_NAME "Socket Control Model (HSS)"
#define BULK_IN_EP 0x81
#define BULK_OUT_EP 0x02
#define INT_IN_EP 0x83
#define INT_OUT_EP 0x04
#define BULK_READS 4
#define CMD_READS 2
#define BULK_WRITES 4
#define CMD_WRITES 16
#define BULK_SIZE (16 * 1024)

static void le16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void le32(uint8_t *p, uint32_t v) { le16(p, (uint16_t)v); le16(p + 2, (uint16_t)(v >> 16)); }

static size_t put_interface(uint8_t *p)
{
	const uint8_t d[9] = { 9, 0x04, 0, 0, 4, 0xFF, 0xAB, 0x00, 1 };
	memcpy(p, d, sizeof(d));
	return sizeof(d);
}

static size_t put_endpoint(uint8_t *p, uint8_t addr, uint8_t attr, uint16_t mps, uint8_t interval)
{
	p[0] = 7;
	p[1] = 0x05;
	p[2] = addr;
	p[3] = attr;
	le16(p + 4, mps);
	p[6] = interval;
	return 7;
}

static size_t put_companion(uint8_t *p, uint16_t bytes_per_interval)
{
	p[0] = 6;
	p[1] = 0x30;
	p[2] = 0; /* no bursts */
	p[3] = 0;
	le16(p + 4, bytes_per_interval);
	return 6;
}

/* One speed: interface, bulk IN, bulk OUT, interrupt IN, interrupt OUT (the files ep1..ep4). */
static size_t put_speed(uint8_t *p, uint16_t bulk_mps, uint8_t int_interval, int ss)
{
	size_t n = put_interface(p);
	n += put_endpoint(p + n, BULK_IN_EP, 0x02, bulk_mps, 0);
	if (ss)
		n += put_companion(p + n, 0);
	n += put_endpoint(p + n, BULK_OUT_EP, 0x02, bulk_mps, 0);
	if (ss)
		n += put_companion(p + n, 0);
	n += put_endpoint(p + n, INT_IN_EP, 0x03, 64, int_interval);
	if (ss)
		n += put_companion(p + n, 64);
	n += put_endpoint(p + n, INT_OUT_EP, 0x03, 64, int_interval);
	if (ss)
		n += put_companion(p + n, 64);
	return n;
}

size_t hss_ffs_descriptors(uint8_t *out, size_t cap)
{
	uint8_t buf[512];
	size_t n = 24; /* magic, length, flags, three counts */
	n += put_speed(buf + n, 64, 10, 0);  /* full speed: 10 ms */
	n += put_speed(buf + n, 512, 6, 0);  /* high speed: 2^(6-1) microframes = 4 ms */
	n += put_speed(buf + n, 1024, 6, 1); /* super speed */
	le32(buf, FUNCTIONFS_DESCRIPTORS_MAGIC_V2);
	le32(buf + 4, (uint32_t)n);
	le32(buf + 8, FUNCTIONFS_HAS_FS_DESC | FUNCTIONFS_HAS_HS_DESC | FUNCTIONFS_HAS_SS_DESC);
	le32(buf + 12, 5);
	le32(buf + 16, 5);
	le32(buf + 20, 9);
	if (n > cap)
		return 0;
	memcpy(out, buf, n);
	return n;
}

size_t hss_ffs_strings(uint8_t *out, size_t cap)
{
	size_t n = 16 + 2 + sizeof(INTERFACE_NAME);
	if (n > cap)
		return 0;
	le32(out, FUNCTIONFS_STRINGS_MAGIC);
	le32(out + 4, (uint32_t)n);
	le32(out + 8, 1);  /* strings */
	le32(out + 12, 1); /* languages */
	le16(out + 16, 0x0409);
	memcpy(out + 18, INTERFACE_NAME, sizeof(INTERFACE_NAME));
	return n;
}

const char *hss_ffs_event_name(uint8_t type)
{
	static const char *const names[] = { "BIND", "UNBIND", "ENABLE", "DISABLE", "SETUP", "SUSPEND", "RESUME" };
	return type < sizeof(names) / sizeof(names[0]) ? names[type] : "unknown";
}

struct slot {
	struct iocb cb;
	uint8_t *buf;
	int busy, done;
	size_t len, off;
};

struct ffst {
	struct hss_transport t;
	struct hss_ffs *f;
	int ep[4]; /* bulk IN, bulk OUT, int IN, int OUT */
	aio_context_t aio;
	int efd;
	struct hss_ev aio_ev;
	struct hss_ev *owner_ev;
	struct hss_loop *loop;
	uint16_t bulk_mps;
	int down;
	struct slot bread[BULK_READS], cread[CMD_READS], bwrite[BULK_WRITES], cwrite[CMD_WRITES];
	int bread_next, cread_next;
	int zlp_pending;
};

struct hss_ffs {
	char dir[256];
	int ep0;
	struct hss_loop *loop;
	struct hss_ev ev;
	int enabled;
	struct ffst *active;
};

static int submit(struct ffst *t, struct slot *s, int fd, int write, size_t len)
{
	memset(&s->cb, 0, sizeof(s->cb));
	s->cb.aio_data = (uint64_t)(uintptr_t)s;
	s->cb.aio_lio_opcode = write ? IOCB_CMD_PWRITE : IOCB_CMD_PREAD;
	s->cb.aio_fildes = (uint32_t)fd;
	s->cb.aio_buf = (uint64_t)(uintptr_t)s->buf;
	s->cb.aio_nbytes = len;
	s->cb.aio_flags = IOCB_FLAG_RESFD;
	s->cb.aio_resfd = (uint32_t)t->efd;
	struct iocb *list[1] = { &s->cb };
	if (syscall(SYS_io_submit, t->aio, 1, list) != 1) {
		t->down = 1;
		return -1;
	}
	s->busy = 1;
	s->done = 0;
	return 0;
}

static void aio_event(struct hss_ev *ev, uint32_t events)
{
	(void)events;
	struct ffst *t = (struct ffst *)((char *)ev - offsetof(struct ffst, aio_ev));
	uint64_t n;
	if (read(t->efd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		return;
	struct io_event evs[32];
	struct timespec zero = { 0 };
	long got;
	while ((got = syscall(SYS_io_getevents, t->aio, 0, 32, evs, &zero)) > 0) {
		for (long i = 0; i < got; i++) {
			struct slot *s = (struct slot *)(uintptr_t)evs[i].data;
			s->busy = 0;
			if (evs[i].res < 0) {
				t->down = 1; /* ESHUTDOWN when the host disables the function */
				continue;
			}
			s->done = 1;
			s->len = (size_t)evs[i].res;
			s->off = 0;
		}
	}
	if (t->owner_ev)
		t->owner_ev->fn(t->owner_ev, 0);
}

static int ffst_attach(struct hss_transport *tt, struct hss_loop *loop, struct hss_ev *ev)
{
	struct ffst *t = (struct ffst *)tt;
	t->owner_ev = ev;
	t->loop = loop;
	return hss_loop_add(loop, t->efd, EPOLLIN, &t->aio_ev);
}

static void ffst_detach(struct hss_transport *tt, struct hss_loop *loop)
{
	struct ffst *t = (struct ffst *)tt;
	hss_loop_del(loop, t->efd);
	t->owner_ev = NULL;
}

static void ffst_interest(struct hss_transport *tt, unsigned want)
{
	(void)tt;
	(void)want; /* reads are resubmitted only when taken: that is the pause */
}

static int ffst_cmd_send(struct hss_transport *tt, const struct hss_cmd_buf *cmds, int n)
{
	struct ffst *t = (struct ffst *)tt;
	int sent = 0;
	for (int i = 0; i < CMD_WRITES && sent < n && !t->down; i++) {
		struct slot *s = &t->cwrite[i];
		if (s->busy)
			continue;
		memcpy(s->buf, cmds[sent].data, cmds[sent].len);
		if (submit(t, s, t->ep[2], 1, cmds[sent].len) < 0)
			break;
		sent++;
	}
	if (sent)
		return sent;
	errno = t->down ? ENODEV : EAGAIN;
	return -1;
}

static int take_reads(struct ffst *t, struct slot *slots, int count, int *next, int fd, size_t size,
		      uint8_t *buf, size_t cap, size_t *got)
{
	*got = 0;
	struct slot *s = &slots[*next];
	if (!s->done)
		return 0;
	size_t n = s->len - s->off < cap ? s->len - s->off : cap;
	memcpy(buf, s->buf + s->off, n);
	s->off += n;
	*got = n;
	if (s->off == s->len) {
		s->done = 0;
		*next = (*next + 1) % count;
		submit(t, s, fd, 0, size);
	}
	return 1;
}

static int ffst_cmd_recv(struct hss_transport *tt, struct hss_cmd_buf *cmds, int n)
{
	struct ffst *t = (struct ffst *)tt;
	int got = 0;
	while (got < n) {
		size_t len;
		if (!take_reads(t, t->cread, CMD_READS, &t->cread_next, t->ep[3], HSS_CMD_MAX,
				cmds[got].data, HSS_CMD_MAX, &len))
			break;
		cmds[got++].len = len;
	}
	if (got)
		return got;
	if (t->down)
		return 0;
	errno = EAGAIN;
	return -1;
}

static ssize_t ffst_bulk_send(struct hss_transport *tt, const uint8_t *buf, size_t len)
{
	struct ffst *t = (struct ffst *)tt;
	for (int i = 0; i < BULK_WRITES && !t->down; i++) {
		struct slot *s = &t->bwrite[i];
		if (s->busy)
			continue;
		if (t->zlp_pending) {
			/* the previous write ended on a packet boundary: end the transfer with a ZLP */
			if (submit(t, s, t->ep[0], 1, 0) < 0)
				break;
			t->zlp_pending = 0;
			continue;
		}
		size_t n = len < BULK_SIZE ? len : BULK_SIZE;
		memcpy(s->buf, buf, n);
		if (submit(t, s, t->ep[0], 1, n) < 0)
			break;
		t->zlp_pending = t->bulk_mps && n % t->bulk_mps == 0;
		return (ssize_t)n;
	}
	errno = t->down ? ENODEV : EAGAIN;
	return -1;
}

static ssize_t ffst_bulk_recv(struct hss_transport *tt, uint8_t *buf, size_t cap)
{
	struct ffst *t = (struct ffst *)tt;
	size_t got;
	if (take_reads(t, t->bread, BULK_READS, &t->bread_next, t->ep[1], BULK_SIZE, buf, cap, &got))
		return (ssize_t)got;
	if (t->down)
		return 0;
	errno = EAGAIN;
	return -1;
}

static void ffst_destroy(struct hss_transport *tt)
{
	struct ffst *t = (struct ffst *)tt;
	if (t->owner_ev && t->loop)
		ffst_detach(tt, t->loop);
	syscall(SYS_io_destroy, t->aio); /* waits for the outstanding requests */
	for (int i = 0; i < 4; i++)
		if (t->ep[i] >= 0)
			close(t->ep[i]);
	close(t->efd);
	struct slot *all[] = { t->bread, t->cread, t->bwrite, t->cwrite };
	const int counts[] = { BULK_READS, CMD_READS, BULK_WRITES, CMD_WRITES };
	for (int k = 0; k < 4; k++)
		for (int i = 0; i < counts[k]; i++)
			free(all[k][i].buf);
	if (t->f && t->f->active == t)
		t->f->active = NULL;
	free(t);
}

static const struct hss_transport_ops ffs_ops = {
	.name = "functionfs",
	.attach = ffst_attach,
	.detach = ffst_detach,
	.interest = ffst_interest,
	.cmd_send = ffst_cmd_send,
	.cmd_recv = ffst_cmd_recv,
	.bulk_send = ffst_bulk_send,
	.bulk_recv = ffst_bulk_recv,
	.destroy = ffst_destroy,
};

int hss_ffs_transport(struct hss_transport **out, struct hss_ffs *f)
{
	if (!f->enabled || f->active) {
		errno = EAGAIN;
		return -1;
	}
	struct ffst *t = calloc(1, sizeof(*t));
	if (!t)
		return -1;
	t->t.ops = &ffs_ops;
	t->f = f;
	t->aio_ev.fn = aio_event;
	t->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	for (int i = 0; i < 4; i++) {
		char path[300];
		snprintf(path, sizeof(path), "%s/ep%d", f->dir, i + 1);
		t->ep[i] = open(path, O_RDWR | O_CLOEXEC);
	}
	struct usb_endpoint_descriptor desc;
	if (t->ep[0] >= 0 && ioctl(t->ep[0], FUNCTIONFS_ENDPOINT_DESC, &desc) == 0)
		t->bulk_mps = desc.wMaxPacketSize;
	int ok = t->efd >= 0 && t->ep[0] >= 0 && t->ep[1] >= 0 && t->ep[2] >= 0 && t->ep[3] >= 0 &&
		 syscall(SYS_io_setup, 64, &t->aio) == 0;
	struct slot *all[] = { t->bread, t->cread, t->bwrite, t->cwrite };
	const int counts[] = { BULK_READS, CMD_READS, BULK_WRITES, CMD_WRITES };
	size_t sizes[] = { BULK_SIZE, HSS_CMD_MAX, BULK_SIZE, HSS_CMD_MAX };
	for (int k = 0; k < 4 && ok; k++)
		for (int i = 0; i < counts[k] && ok; i++)
			ok = (all[k][i].buf = malloc(sizes[k])) != NULL;
	for (int i = 0; i < BULK_READS && ok; i++)
		ok = submit(t, &t->bread[i], t->ep[1], 0, BULK_SIZE) == 0;
	for (int i = 0; i < CMD_READS && ok; i++)
		ok = submit(t, &t->cread[i], t->ep[3], 0, HSS_CMD_MAX) == 0;
	if (!ok) {
		int e = errno;
		t->f = NULL;
		ffst_destroy(&t->t);
		errno = e;
		return -1;
	}
	f->active = t;
	*out = &t->t;
	return 0;
}

static void ep0_event(struct hss_ev *ev, uint32_t events)
{
	(void)events;
	struct hss_ffs *f = (struct hss_ffs *)((char *)ev - offsetof(struct hss_ffs, ev));
	struct usb_functionfs_event e[4];
	ssize_t n;
	while ((n = read(f->ep0, e, sizeof(e))) > 0) {
		for (size_t i = 0; i < (size_t)n / sizeof(e[0]); i++) {
			hss_log(HSS_LOG_DEBUG, "FunctionFS event %s", hss_ffs_event_name(e[i].type));
			switch (e[i].type) {
			case FUNCTIONFS_ENABLE:
				f->enabled = 1;
				break;
			case FUNCTIONFS_DISABLE:
			case FUNCTIONFS_UNBIND:
				f->enabled = 0;
				if (f->active)
					f->active->down = 1;
				break;
			case FUNCTIONFS_SETUP:
				/* no class or vendor requests: stall by answering in the wrong direction */
				if (e[i].u.setup.bRequestType & USB_DIR_IN) {
					if (read(f->ep0, NULL, 0) < 0 && errno != EL2HLT)
						hss_log(HSS_LOG_DEBUG, "ep0 stall: %s", strerror(errno));
				} else if (write(f->ep0, NULL, 0) < 0 && errno != EL2HLT) {
					hss_log(HSS_LOG_DEBUG, "ep0 stall: %s", strerror(errno));
				}
				break;
			default:
				break;
			}
		}
	}
}

int hss_ffs_open(struct hss_ffs **out, struct hss_loop *loop, const char *dir)
{
	struct hss_ffs *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "%s", dir);
	f->loop = loop;
	f->ev.fn = ep0_event;
	char path[300];
	snprintf(path, sizeof(path), "%s/ep0", dir);
	f->ep0 = open(path, O_RDWR | O_CLOEXEC);
	uint8_t blob[512];
	size_t n;
	if (f->ep0 < 0 || (n = hss_ffs_descriptors(blob, sizeof(blob))) == 0 ||
	    write(f->ep0, blob, n) != (ssize_t)n || (n = hss_ffs_strings(blob, sizeof(blob))) == 0 ||
	    write(f->ep0, blob, n) != (ssize_t)n) {
		int e = errno;
		if (f->ep0 >= 0)
			close(f->ep0);
		free(f);
		errno = e;
		return -1;
	}
	fcntl(f->ep0, F_SETFL, fcntl(f->ep0, F_GETFL) | O_NONBLOCK);
	if (hss_loop_add(loop, f->ep0, EPOLLIN, &f->ev) < 0) {
		close(f->ep0);
		free(f);
		return -1;
	}
	*out = f;
	return 0;
}

void hss_ffs_close(struct hss_ffs *f)
{
	if (!f)
		return;
	hss_loop_del(f->loop, f->ep0);
	close(f->ep0);
	free(f);
}
