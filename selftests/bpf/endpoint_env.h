/*
 * endpoint_env.h: a private network namespace with a routed egress interface for the
 * endpoint and function test_run tests, and per-CPU counter reads.
 *
 *   in0 <-> in1     packets "arrive" on in0 (the ifindex given to test_run)
 *   out0 <-> out1   routes leave by out0 (MAC 02:00:00:00:00:01); neighbours are permanent:
 *                   fc00:1::2 / 10.1.0.2 = 02:00:00:00:00:02, fc00:1::3 / 10.1.0.3 = ...:03
 *   main:  fc00::/16, 2001:db8::/32 via fc00:1::2; fc00:9:9::/48 via fc00:1::9 (no neighbour);
 *          198.51.100.0/24 via 10.1.0.2; 2001:db8:aa::1 local (on lo)
 *   table 100: 2001:db8:77::/48 via fc00:1::3
 */
#ifndef SR6_SELFTESTS_ENDPOINT_ENV_H
#define SR6_SELFTESTS_ENDPOINT_ENV_H

#include <stdint.h>

#define ENV_MAC_IN	"02:00:00:00:00:10"	/* in0: frames arrive addressed to it */
#define ENV_MAC_OUT	"02:00:00:00:00:01"
#define ENV_MAC_NH2	"02:00:00:00:00:02"
#define ENV_MAC_NH3	"02:00:00:00:00:03"
#define ENV_MAC_PEER	"02:00:00:00:00:aa"	/* source MAC of arriving frames */

struct env {
	uint32_t in_ifindex;
	uint32_t out_ifindex;
};

/* Enter a new network namespace and build the topology above.  Returns 0 or -1. */
int env_setup(struct env *env);

/* Sum over CPUs of a per-CPU map of __u64 (index key), or of struct sr6_counter. */
uint64_t env_percpu_u64(int map_fd, uint32_t key);
void env_percpu_counter(int map_fd, const void *key, uint64_t *packets, uint64_t *bytes);

#endif
