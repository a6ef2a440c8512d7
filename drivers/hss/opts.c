#include "drivers/hss/opts.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "drivers/hss/loop.h"

uint64_t hss_opt_number(const char *name, const char *text, uint64_t min, uint64_t max)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno || end == text || *end || v < min || v > max) {
		fprintf(stderr, "%s: '%s' is not a number in %llu..%llu\n", name, text,
			(unsigned long long)min, (unsigned long long)max);
		exit(2);
	}
	return v;
}

static struct hss_loop *signal_loop;

static void on_signal(int sig)
{
	(void)sig;
	if (signal_loop)
		hss_loop_stop(signal_loop); /* a write(2) to an eventfd: async-signal-safe */
}

void hss_opt_signals(struct hss_loop *loop)
{
	signal_loop = loop;
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}
