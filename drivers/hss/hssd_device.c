/* hssd-device: give local applications sockets through the host (FunctionFS or loopback). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drivers/hss/device.h"
#include "drivers/hss/ffs.h"
#include "drivers/hss/hss.h"
#include "drivers/hss/log.h"
#include "drivers/hss/opts.h"

static struct hss_loop loop;
static struct hss_device_config cfg;
static struct hss_device *dev;
static struct hss_transport *link_t;
static const char *transport = NULL;
static struct hss_tick keeper;
static uint64_t next_try;
static struct hss_ffs *gadget;

/* Loopback: (re)connect to the host; a lost link is retried every second. */
static void keep_linked(struct hss_tick *tick)
{
	(void)tick;
	const char *why;
	if (dev && hss_device_down(dev, &why)) {
		hss_log(HSS_LOG_INFO, "link to the host lost: %s", why);
		hss_device_free(dev);
		link_t->ops->destroy(link_t);
		dev = NULL;
		link_t = NULL;
	}
	if (dev || hss_now_ms() < next_try)
		return;
	next_try = hss_now_ms() + 1000;
	int rc;
	if (gadget)
		rc = hss_ffs_transport(&link_t, gadget);
	else
		rc = hss_loopback_connect(&link_t, transport + 9);
	if (rc < 0)
		return;
	if (hss_device_new(&dev, &loop, link_t, &cfg) < 0) {
		link_t->ops->destroy(link_t);
		link_t = NULL;
		return;
	}
	hss_log(HSS_LOG_INFO, "linked to the host over %s; applications use %s", link_t->ops->name, cfg.socket_path);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: hssd-device -t TRANSPORT [options]\n"
		"  -t, --transport T        ffs:DIR (FunctionFS mounted at DIR) or loopback:PATH (the host's)\n"
		"  -S, --socket PATH        application socket (default " HSS_DEFAULT_SOCKET "; UDP at PATH.dgram)\n"
		"  -m, --max-transmit N     payload bytes per TRANSMIT to the host (default 4084)\n"
		"  -w, --window N           unacknowledged bytes per socket (default 262144)\n"
		"  -q, --queue-max N        bytes queued per application before the host is paused (default 1048576)\n"
		"  -r, --reply-timeout MS   wait for the host's answer to OPEN/CONNECT (default 35000)\n"
		"  -v, --verbose            more log (repeat for debug)\n"
		"  -h, --help\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "transport", required_argument, NULL, 't' },
		{ "socket", required_argument, NULL, 'S' },
		{ "max-transmit", required_argument, NULL, 'm' },
		{ "window", required_argument, NULL, 'w' },
		{ "queue-max", required_argument, NULL, 'q' },
		{ "reply-timeout", required_argument, NULL, 'r' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	hss_device_config_default(&cfg);
	int c;
	while ((c = getopt_long(argc, argv, "t:S:m:w:q:r:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 't': transport = optarg; break;
		case 'S': cfg.socket_path = optarg; break;
		case 'm': cfg.max_transmit = (uint32_t)hss_opt_number("--max-transmit", optarg, 1, HSS_TRANSMIT_MAX); break;
		case 'w': cfg.window = hss_opt_number("--window", optarg, 65536, 1ull << 32); break;
		case 'q': cfg.app_queue_max = hss_opt_number("--queue-max", optarg, 4096, 1ull << 32); break;
		case 'r': cfg.reply_timeout_ms = (unsigned)hss_opt_number("--reply-timeout", optarg, 1, 3600000); break;
		case 'v': hss_log_level++; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!transport || optind != argc || (strncmp(transport, "loopback:", 9) && strncmp(transport, "ffs:", 4))) {
		usage(stderr);
		return 2;
	}
	if (hss_loop_init(&loop) < 0) {
		perror("hssd-device: epoll");
		return 1;
	}
	hss_opt_signals(&loop);
	if (strncmp(transport, "ffs:", 4) == 0 && hss_ffs_open(&gadget, &loop, transport + 4) < 0) {
		fprintf(stderr, "hssd-device: FunctionFS at %s: %s\n", transport + 4, strerror(errno));
		return 1;
	}
	keeper.fn = keep_linked;
	hss_loop_add_tick(&loop, &keeper);
	keep_linked(&keeper);
	int rc = hss_loop_run(&loop);
	if (dev) {
		hss_device_free(dev);
		link_t->ops->destroy(link_t);
	}
	hss_ffs_close(gadget);
	hss_loop_free(&loop);
	return rc < 0 ? 1 : 0;
}
