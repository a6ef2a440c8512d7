/* Small helpers shared by the daemons' command lines. */
#ifndef HSS_OPTS_H
#define HSS_OPTS_H

#include <stdint.h>

/* Parse a decimal number in [min, max] for option name; exits with a message otherwise. */
uint64_t hss_opt_number(const char *name, const char *text, uint64_t min, uint64_t max);
/* Install SIGINT/SIGTERM handlers that stop loop, and ignore SIGPIPE. */
struct hss_loop;
void hss_opt_signals(struct hss_loop *loop);

#endif
