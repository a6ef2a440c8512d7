/* libusb host transport: see usb_host.h.  Transfers complete inside libusb's event handling
 * (driven from the loop through libusb's pollfds); completions kick the owning link. */
#include "drivers/hss/usb_host.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "drivers/hss/log.h"

#define CMD_IN_XFERS 2
#define CMD_OUT_XFERS 16
#define CMD_QUEUE 64
#define BULK_IN_XFERS 4
#define BULK_OUT_XFERS 4
#define BULK_XFER_SIZE (64 * 1024)

int hss_usb_match(struct hss_usb_eps *eps, uint16_t vid, const struct libusb_interface_descriptor *alt)
{
	if (vid != HSS_USB_VENDOR || alt->bInterfaceClass != HSS_USB_CLASS ||
	    alt->bInterfaceSubClass != HSS_USB_SUBCLASS || alt->bInterfaceProtocol != HSS_USB_PROTOCOL)
		return 0;
	memset(eps, 0, sizeof(*eps));
	eps->iface = alt->bInterfaceNumber;
	for (int i = 0; i < alt->bNumEndpoints; i++) {
		const struct libusb_endpoint_descriptor *ep = &alt->endpoint[i];
		int in = (ep->bEndpointAddress & LIBUSB_ENDPOINT_DIR_MASK) == LIBUSB_ENDPOINT_IN;
		switch (ep->bmAttributes & LIBUSB_TRANSFER_TYPE_MASK) {
		case LIBUSB_TRANSFER_TYPE_BULK:
			if (in && !eps->bulk_in)
				eps->bulk_in = ep->bEndpointAddress;
			if (!in && !eps->bulk_out) {
				eps->bulk_out = ep->bEndpointAddress;
				eps->bulk_max_packet = ep->wMaxPacketSize & 0x7ff;
			}
			break;
		case LIBUSB_TRANSFER_TYPE_INTERRUPT:
			if (in && !eps->int_in)
				eps->int_in = ep->bEndpointAddress;
			if (!in && !eps->int_out)
				eps->int_out = ep->bEndpointAddress;
			break;
		default:
			break;
		}
	}
	return eps->bulk_in && eps->bulk_out && eps->int_in && eps->int_out;
}

int hss_usb_zlp_needed(size_t len, uint16_t max_packet)
{
	return max_packet && len > 0 && len % max_packet == 0;
}

struct usbt {
	struct hss_transport t;
	struct hss_usb_host *owner;
	libusb_device_handle *dev;
	struct hss_usb_eps eps;
	struct hss_ev *ev;
	int down;
	int live; /* transfers still submitted: the handle is closed after the last one returns */
	int destroyed;

	struct libusb_transfer *cin[CMD_IN_XFERS];
	uint8_t cin_buf[CMD_IN_XFERS][HSS_CMD_MAX + 1];
	int cin_parked[CMD_IN_XFERS];
	struct hss_cmd_buf cq[CMD_QUEUE];
	int cq_head, cq_len;

	struct libusb_transfer *cout[CMD_OUT_XFERS];
	uint8_t cout_buf[CMD_OUT_XFERS][HSS_CMD_MAX];
	int cout_busy[CMD_OUT_XFERS];

	struct libusb_transfer *bin[BULK_IN_XFERS];
	uint8_t *bin_buf[BULK_IN_XFERS];
	int bin_done[BULK_IN_XFERS]; /* completed, bytes not yet taken */
	int bin_len[BULK_IN_XFERS], bin_off[BULK_IN_XFERS];
	int bin_next; /* transfers on one endpoint complete in order: take them round-robin */

	struct libusb_transfer *bout[BULK_OUT_XFERS];
	uint8_t *bout_buf[BULK_OUT_XFERS];
	int bout_busy[BULK_OUT_XFERS];
};

struct hss_usb_host {
	libusb_context *ctx;
	struct hss_loop *loop;
	struct hss_ev ev;
	int (*attach)(struct hss_transport *t);
	libusb_hotplug_callback_handle hotplug;
	int has_hotplug;
};

static void kick(struct usbt *u)
{
	if (u->ev && !u->destroyed)
		u->ev->fn(u->ev, 0);
}

static void went_down(struct usbt *u, enum libusb_transfer_status st)
{
	if (!u->down)
		hss_log(HSS_LOG_INFO, "USB device: transfer ended with %s", libusb_error_name((int)st));
	u->down = 1;
}

static void xfer_gone(struct usbt *u)
{
	if (--u->live == 0 && u->destroyed) {
		libusb_release_interface(u->dev, u->eps.iface);
		libusb_close(u->dev);
		for (int i = 0; i < BULK_IN_XFERS; i++)
			free(u->bin_buf[i]);
		for (int i = 0; i < BULK_OUT_XFERS; i++)
			free(u->bout_buf[i]);
		free(u);
	}
}

static int submit(struct usbt *u, struct libusb_transfer *x)
{
	if (u->down || u->destroyed)
		return -1;
	if (libusb_submit_transfer(x) < 0) {
		u->down = 1;
		return -1;
	}
	u->live++;
	return 0;
}

/* Queue the command interrupt-in transfer i carries and resubmit the transfer. */
static void take_cmd(struct usbt *u, int i)
{
	struct hss_cmd_buf *c = &u->cq[(u->cq_head + u->cq_len++) % CMD_QUEUE];

	c->len = (size_t)u->cin[i]->actual_length; /* an oversize one is refused by its length */
	memcpy(c->data, u->cin_buf[i], c->len > HSS_CMD_MAX ? HSS_CMD_MAX : c->len);
	submit(u, u->cin[i]);
}

static void cin_done(struct libusb_transfer *x)
{
	struct usbt *u = x->user_data;
	int i = x == u->cin[0] ? 0 : 1;
	if (x->status != LIBUSB_TRANSFER_COMPLETED || u->destroyed) {
		if (!u->destroyed)
			went_down(u, x->status);
		xfer_gone(u);
		kick(u);
		return;
	}
	u->live--;
	if (u->cq_len < CMD_QUEUE) {
		take_cmd(u, i);
	} else {
		u->cin_parked[i] = 1; /* queue full: leave it until commands are taken */
	}
	kick(u);
}

static void cout_done(struct libusb_transfer *x)
{
	struct usbt *u = x->user_data;
	for (int i = 0; i < CMD_OUT_XFERS; i++)
		if (u->cout[i] == x)
			u->cout_busy[i] = 0;
	if (x->status != LIBUSB_TRANSFER_COMPLETED)
		went_down(u, x->status);
	xfer_gone(u);
	kick(u);
}

static void bin_done(struct libusb_transfer *x)
{
	struct usbt *u = x->user_data;
	for (int i = 0; i < BULK_IN_XFERS; i++) {
		if (u->bin[i] != x)
			continue;
		if (x->status == LIBUSB_TRANSFER_COMPLETED) {
			u->bin_done[i] = 1;
			u->bin_len[i] = x->actual_length;
			u->bin_off[i] = 0;
		} else {
			went_down(u, x->status);
		}
	}
	xfer_gone(u);
	kick(u);
}

static void bout_done(struct libusb_transfer *x)
{
	struct usbt *u = x->user_data;
	for (int i = 0; i < BULK_OUT_XFERS; i++)
		if (u->bout[i] == x)
			u->bout_busy[i] = 0;
	if (x->status != LIBUSB_TRANSFER_COMPLETED)
		went_down(u, x->status);
	xfer_gone(u);
	kick(u);
}

static int usbt_attach(struct hss_transport *t, struct hss_loop *loop, struct hss_ev *ev)
{
	(void)loop;
	((struct usbt *)t)->ev = ev; /* the host's loop already polls libusb's descriptors */
	return 0;
}

static void usbt_detach(struct hss_transport *t, struct hss_loop *loop)
{
	(void)loop;
	((struct usbt *)t)->ev = NULL;
}

static void usbt_interest(struct hss_transport *t, unsigned want)
{
	/* Pausing bulk in is implicit: a transfer is resubmitted only once its bytes are taken. */
	(void)t;
	(void)want;
}

static int usbt_cmd_send(struct hss_transport *t, const struct hss_cmd_buf *cmds, int n)
{
	struct usbt *u = (struct usbt *)t;
	if (u->down) {
		errno = ENODEV;
		return -1;
	}
	int sent = 0;
	for (int i = 0; i < CMD_OUT_XFERS && sent < n; i++) {
		if (u->cout_busy[i])
			continue;
		memcpy(u->cout_buf[i], cmds[sent].data, cmds[sent].len);
		libusb_fill_interrupt_transfer(u->cout[i], u->dev, u->eps.int_out, u->cout_buf[i],
					       (int)cmds[sent].len, cout_done, u, 0);
		if (submit(u, u->cout[i]) < 0)
			break;
		u->cout_busy[i] = 1;
		sent++;
	}
	if (sent == 0) {
		errno = u->down ? ENODEV : EAGAIN;
		return -1;
	}
	return sent;
}

static int usbt_cmd_recv(struct hss_transport *t, struct hss_cmd_buf *cmds, int n)
{
	struct usbt *u = (struct usbt *)t;
	int got = 0;
	while (got < n && u->cq_len > 0) {
		cmds[got++] = u->cq[u->cq_head];
		u->cq_head = (u->cq_head + 1) % CMD_QUEUE;
		u->cq_len--;
	}
	for (int i = 0; i < CMD_IN_XFERS; i++) {
		if (u->cin_parked[i] && u->cq_len < CMD_QUEUE) {
			u->cin_parked[i] = 0;
			take_cmd(u, i);
		}
	}
	if (got)
		return got;
	if (u->down)
		return 0;
	errno = EAGAIN;
	return -1;
}

static ssize_t usbt_bulk_send(struct hss_transport *t, const uint8_t *buf, size_t len)
{
	struct usbt *u = (struct usbt *)t;
	if (u->down) {
		errno = ENODEV;
		return -1;
	}
	for (int i = 0; i < BULK_OUT_XFERS; i++) {
		if (u->bout_busy[i])
			continue;
		size_t n = len < BULK_XFER_SIZE ? len : BULK_XFER_SIZE;
		memcpy(u->bout_buf[i], buf, n);
		libusb_fill_bulk_transfer(u->bout[i], u->dev, u->eps.bulk_out, u->bout_buf[i], (int)n, bout_done, u, 0);
		/* a transfer that ends on a packet boundary needs a ZLP or the device waits for more */
		u->bout[i]->flags = hss_usb_zlp_needed(n, u->eps.bulk_max_packet) ? LIBUSB_TRANSFER_ADD_ZERO_PACKET : 0;
		if (submit(u, u->bout[i]) < 0) {
			errno = ENODEV;
			return -1;
		}
		u->bout_busy[i] = 1;
		return (ssize_t)n;
	}
	errno = EAGAIN;
	return -1;
}

static ssize_t usbt_bulk_recv(struct hss_transport *t, uint8_t *buf, size_t cap)
{
	struct usbt *u = (struct usbt *)t;
	int i = u->bin_next;
	if (!u->bin_done[i]) {
		if (u->down)
			return 0;
		errno = EAGAIN;
		return -1;
	}
	size_t left = (size_t)(u->bin_len[i] - u->bin_off[i]);
	size_t n = left < cap ? left : cap;
	memcpy(buf, u->bin_buf[i] + u->bin_off[i], n);
	u->bin_off[i] += (int)n;
	if (u->bin_off[i] == u->bin_len[i]) {
		u->bin_done[i] = 0;
		u->bin_next = (i + 1) % BULK_IN_XFERS;
		submit(u, u->bin[i]);
	}
	return (ssize_t)n;
}

static void usbt_destroy(struct hss_transport *t)
{
	struct usbt *u = (struct usbt *)t;
	u->destroyed = 1;
	u->ev = NULL;
	struct libusb_transfer **all[] = { u->cin, u->cout, u->bin, u->bout };
	const int counts[] = { CMD_IN_XFERS, CMD_OUT_XFERS, BULK_IN_XFERS, BULK_OUT_XFERS };
	for (int k = 0; k < 4; k++)
		for (int i = 0; i < counts[k]; i++)
			libusb_cancel_transfer(all[k][i]); /* fails harmlessly for idle ones */
	if (u->live == 0) {
		u->live = 1;
		xfer_gone(u);
	}
}

static const struct hss_transport_ops usb_ops = {
	.name = "usb",
	.attach = usbt_attach,
	.detach = usbt_detach,
	.interest = usbt_interest,
	.cmd_send = usbt_cmd_send,
	.cmd_recv = usbt_cmd_recv,
	.bulk_send = usbt_bulk_send,
	.bulk_recv = usbt_bulk_recv,
	.destroy = usbt_destroy,
};

static int open_device(struct hss_usb_host *h, libusb_device *dev)
{
	struct libusb_device_descriptor dd;
	struct libusb_config_descriptor *cfg;
	if (libusb_get_device_descriptor(dev, &dd) < 0 || dd.idVendor != HSS_USB_VENDOR)
		return 0;
	if (libusb_get_active_config_descriptor(dev, &cfg) < 0)
		return 0;
	struct hss_usb_eps eps;
	int found = 0;
	for (int i = 0; i < cfg->bNumInterfaces && !found; i++)
		for (int a = 0; a < cfg->interface[i].num_altsetting && !found; a++)
			found = hss_usb_match(&eps, dd.idVendor, &cfg->interface[i].altsetting[a]);
	libusb_free_config_descriptor(cfg);
	if (!found)
		return 0;
	struct usbt *u = calloc(1, sizeof(*u));
	if (!u)
		return -1;
	u->t.ops = &usb_ops;
	u->owner = h;
	u->eps = eps;
	if (libusb_open(dev, &u->dev) < 0) {
		free(u);
		return -1;
	}
	libusb_set_auto_detach_kernel_driver(u->dev, 1);
	if (libusb_claim_interface(u->dev, eps.iface) < 0) {
		libusb_close(u->dev);
		free(u);
		return -1;
	}
	u->live = 1; /* held until destroy */
	for (int i = 0; i < CMD_IN_XFERS; i++) {
		u->cin[i] = libusb_alloc_transfer(0);
		/* one byte more than a command may hold shows an oversize transfer as too long */
		libusb_fill_interrupt_transfer(u->cin[i], u->dev, u->eps.int_in, u->cin_buf[i], HSS_CMD_MAX + 1, cin_done, u, 0);
		submit(u, u->cin[i]);
	}
	for (int i = 0; i < CMD_OUT_XFERS; i++)
		u->cout[i] = libusb_alloc_transfer(0);
	for (int i = 0; i < BULK_IN_XFERS; i++) {
		u->bin[i] = libusb_alloc_transfer(0);
		u->bin_buf[i] = malloc(BULK_XFER_SIZE);
		libusb_fill_bulk_transfer(u->bin[i], u->dev, u->eps.bulk_in, u->bin_buf[i], BULK_XFER_SIZE, bin_done, u, 0);
		submit(u, u->bin[i]);
	}
	for (int i = 0; i < BULK_OUT_XFERS; i++) {
		u->bout[i] = libusb_alloc_transfer(0);
		u->bout_buf[i] = malloc(BULK_XFER_SIZE);
	}
	hss_log(HSS_LOG_INFO, "USB device %04x:%04x interface %u claimed", dd.idVendor, dd.idProduct, eps.iface);
	return h->attach(&u->t);
}

static int on_hotplug(libusb_context *ctx, libusb_device *dev, libusb_hotplug_event event, void *arg)
{
	(void)ctx;
	if (event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED)
		open_device(arg, dev);
	return 0; /* departures show as failed transfers */
}

static void usb_event(struct hss_ev *ev, uint32_t events)
{
	(void)events;
	struct hss_usb_host *h = (struct hss_usb_host *)((char *)ev - offsetof(struct hss_usb_host, ev));
	struct timeval zero = { 0 };
	libusb_handle_events_timeout_completed(h->ctx, &zero, NULL);
}

static void pollfd_added(int fd, short events, void *arg)
{
	struct hss_usb_host *h = arg;
	uint32_t ev = ((events & POLLIN) ? EPOLLIN : 0) | ((events & POLLOUT) ? EPOLLOUT : 0);
	hss_loop_add(h->loop, fd, ev, &h->ev);
}

static void pollfd_removed(int fd, void *arg)
{
	struct hss_usb_host *h = arg;
	hss_loop_del(h->loop, fd);
}

int hss_usb_host_start(struct hss_usb_host **out, struct hss_loop *loop,
		       int (*attach)(struct hss_transport *t))
{
	struct hss_usb_host *h = calloc(1, sizeof(*h));
	if (!h)
		return -1;
	h->loop = loop;
	h->attach = attach;
	h->ev.fn = usb_event;
	int rc = libusb_init(&h->ctx);
	if (rc < 0) {
		hss_log(HSS_LOG_ERR, "libusb_init: %s (is usbfs available?)", libusb_error_name(rc));
		free(h);
		errno = ENODEV;
		return -1;
	}
	const struct libusb_pollfd **fds = libusb_get_pollfds(h->ctx);
	for (int i = 0; fds && fds[i]; i++)
		pollfd_added(fds[i]->fd, fds[i]->events, h);
	libusb_free_pollfds(fds);
	libusb_set_pollfd_notifiers(h->ctx, pollfd_added, pollfd_removed, h);
	if (libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG) &&
	    libusb_hotplug_register_callback(h->ctx, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT,
					     LIBUSB_HOTPLUG_ENUMERATE, HSS_USB_VENDOR, LIBUSB_HOTPLUG_MATCH_ANY,
					     LIBUSB_HOTPLUG_MATCH_ANY, on_hotplug, h, &h->hotplug) == 0) {
		h->has_hotplug = 1;
	} else {
		libusb_device **list;
		ssize_t n = libusb_get_device_list(h->ctx, &list);
		for (ssize_t i = 0; i < n; i++)
			open_device(h, list[i]);
		if (n >= 0)
			libusb_free_device_list(list, 1);
	}
	*out = h;
	return 0;
}

void hss_usb_host_stop(struct hss_usb_host *h)
{
	if (!h)
		return;
	if (h->has_hotplug)
		libusb_hotplug_deregister_callback(h->ctx, h->hotplug);
	libusb_set_pollfd_notifiers(h->ctx, NULL, NULL, NULL);
	libusb_exit(h->ctx);
	free(h);
}
