/* hssd-host: serve HSS devices attached over USB (libusb) or the loopback transport. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "drivers/hss/host.h"
#include "drivers/hss/log.h"
#include "drivers/hss/opts.h"
#include "drivers/hss/usb_host.h"

#define MAX_DEVICES 16

struct attached {
	struct hss_host *host;
	struct hss_transport *t;
};

static struct hss_loop loop;
static struct hss_host_config cfg;
static struct attached devs[MAX_DEVICES];
static struct hss_ev listen_ev;
static int listen_fd = -1;
static uint64_t listen_resume; /* 0, or when to watch listen_fd again */
static struct hss_tick reaper;

static int attach(struct hss_transport *t)
{
	for (int i = 0; i < MAX_DEVICES; i++) {
		if (devs[i].t)
			continue;
		if (hss_host_new(&devs[i].host, &loop, t, &cfg) < 0) {
			t->ops->destroy(t);
			return -1;
		}
		devs[i].t = t;
		hss_log(HSS_LOG_INFO, "device %d attached over %s", i, t->ops->name);
		return 0;
	}
	hss_log(HSS_LOG_WARN, "more than %d devices: refusing one", MAX_DEVICES);
	t->ops->destroy(t);
	return -1;
}

/* Free the context of a device whose link went down (unplugged, or broke the protocol);
 * watch the loopback listener again after a pause. */
static void reap(struct hss_tick *tick)
{
	(void)tick;
	hss_loop_accept_resume(&loop, listen_fd, &listen_ev, &listen_resume);
	for (int i = 0; i < MAX_DEVICES; i++) {
		const char *why;
		if (devs[i].t && hss_host_down(devs[i].host, &why)) {
			hss_log(HSS_LOG_INFO, "device %d detached: %s", i, why);
			hss_host_free(devs[i].host);
			devs[i].t->ops->destroy(devs[i].t);
			devs[i].t = NULL;
		}
	}
}

static void on_listen(struct hss_ev *ev, uint32_t events)
{
	(void)ev;
	(void)events;
	struct hss_transport *t;
	if (hss_loopback_accept(&t, listen_fd) < 0) {
		if (errno == EAGAIN)
			return;
		hss_log(HSS_LOG_WARN, "loopback device refused: %s", strerror(errno));
		listen_resume = hss_loop_accept_failed(&loop, listen_fd, errno);
		return;
	}
	attach(t);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: hssd-host [options]\n"
		"  -t, --transport T        usb (default) or loopback:PATH (listen for devices at PATH)\n"
		"  -m, --max-transmit N     payload bytes per TRANSMIT to the device (default 1012)\n"
		"  -q, --queue-max N        bytes queued per socket before the device is paused (default 1048576)\n"
		"  -c, --connect-timeout MS connect timeout (default 30000)\n"
		"  -s, --max-sockets N      sockets per device (default 1024)\n"
		"  -v, --verbose            more log (repeat for debug)\n"
		"  -h, --help\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "transport", required_argument, NULL, 't' },
		{ "max-transmit", required_argument, NULL, 'm' },
		{ "queue-max", required_argument, NULL, 'q' },
		{ "connect-timeout", required_argument, NULL, 'c' },
		{ "max-sockets", required_argument, NULL, 's' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *transport = "usb";
	hss_host_config_default(&cfg);
	int c;
	while ((c = getopt_long(argc, argv, "t:m:q:c:s:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 't': transport = optarg; break;
		case 'm': cfg.max_transmit = (uint32_t)hss_opt_number("--max-transmit", optarg, 1, HSS_TRANSMIT_MAX); break;
		case 'q': cfg.sock_queue_max = hss_opt_number("--queue-max", optarg, 4096, 1ull << 32); break;
		case 'c': cfg.connect_timeout_ms = (unsigned)hss_opt_number("--connect-timeout", optarg, 1, 3600000); break;
		case 's': cfg.max_sockets = (unsigned)hss_opt_number("--max-sockets", optarg, 1, 1 << 20); break;
		case 'v': hss_log_level++; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (hss_loop_init(&loop) < 0) {
		perror("hssd-host: epoll");
		return 1;
	}
	hss_opt_signals(&loop);
	reaper.fn = reap;
	hss_loop_add_tick(&loop, &reaper);
	struct hss_usb_host *usb = NULL;
	if (strncmp(transport, "loopback:", 9) == 0) {
		listen_fd = hss_loopback_listen(transport + 9);
		listen_ev.fn = on_listen;
		if (listen_fd < 0 || hss_loop_add(&loop, listen_fd, EPOLLIN, &listen_ev) < 0) {
			fprintf(stderr, "hssd-host: cannot listen on %s: %s\n", transport + 9, strerror(errno));
			return 1;
		}
		hss_log(HSS_LOG_INFO, "waiting for loopback devices on %s", transport + 9);
	} else if (strcmp(transport, "usb") == 0) {
		if (hss_usb_host_start(&usb, &loop, attach) < 0) {
			fprintf(stderr, "hssd-host: USB: %s\n", strerror(errno));
			return 1;
		}
	} else {
		fprintf(stderr, "hssd-host: unknown transport '%s'\n", transport);
		return 2;
	}
	int rc = hss_loop_run(&loop);
	for (int i = 0; i < MAX_DEVICES; i++) {
		if (devs[i].t) {
			hss_host_free(devs[i].host);
			devs[i].t->ops->destroy(devs[i].t);
		}
	}
	hss_usb_host_stop(usb);
	if (listen_fd >= 0) {
		close(listen_fd);
		unlink(transport + 9);
	}
	hss_loop_free(&loop);
	return rc < 0 ? 1 : 0;
}
