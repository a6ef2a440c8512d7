/*
 * headend_harness.h: what the headend program tests share.  Each test process gets its own
 * network namespace with one veth pair (v0 <-> v1): v0 has fc00:e::1/64 and 10.99.0.1/24, the
 * next hop fc00:e::2 / 10.99.0.2 has a permanent neighbour entry (MAC HARNESS_NH_MAC), and
 * routes send SIDs (fc00:5::/32), 2001:db8::/32 and 10.0.0.0/8 that way.  The node program is
 * loaded from its skeleton without pinning; packets run through bpf_prog_test_run_opts as if
 * received on v0 (XDP, tc ingress) or sent by it (tc egress).
 */
#ifndef SR6_SELFTESTS_HEADEND_HARNESS_H
#define SR6_SELFTESTS_HEADEND_HARNESS_H

#include <stdint.h>

#include "selftests/bpf/headend_policy.h"
#include "selftests/lib/bpf_run.h"
#include "selftests/lib/pktbuild.h"
#include "sr6_abi.h"

#define HARNESS_NH_MAC	"02:00:00:00:00:02"	/* the next hop's MAC */
#define HARNESS_PEER_MAC "02:00:00:00:00:aa"	/* source MAC of received frames */
#define HARNESS_V0_ADDR6 "fc00:e::1"
#define HARNESS_V0_ADDR4 "10.99.0.1"

enum harness_hook { H_XDP, H_TC_IN, H_TC_EG, H_HOOKS };

struct harness {
	struct sr6_bpf *skel;
	int ifindex;		/* v0 */
	char mac[18];		/* v0's MAC */
};

extern struct harness H;

void harness_setup(void);
void harness_teardown(void);
/* Run "ip" commands (one per line) in the test namespace; the test fails if one fails. */
void harness_ip(const char *commands);

void h_config(uint32_t flags);
/* The same with the flow hash seeded (sr6_config.hash_seed). */
void h_config_seeded(uint32_t flags, uint32_t hash_seed);
void h_policy(uint32_t key, const struct headend_policy_spec *spec);
void h_policy_delete(uint32_t key);
void h_steer6(const char *prefix, uint32_t plen, uint32_t first, uint32_t count);
void h_steer4(const char *prefix, uint32_t plen, uint32_t first, uint32_t count);
void h_rule(uint32_t slot, const struct sr6_steer_rule *rule);
/* A rule that only points at a policy. */
void h_rule_policy(uint32_t slot, uint32_t policy);

/* Per-CPU counters summed: policy stats slot (0 = the policy, 1 + i = path i). */
struct sr6_counter h_policy_counter(uint32_t stats_id, uint32_t slot);
uint64_t h_drops(uint32_t reason);
uint64_t h_events(uint32_t event);

int h_prog_fd(enum harness_hook hook);
/* Run in on a hook; the test fails if test_run itself fails. */
void h_run(enum harness_hook hook, const struct pkt *in, struct bpf_run_result *out);

const char *h_hook_name(enum harness_hook hook);
/* The verdicts of each hook. */
uint32_t h_verdict_pass(enum harness_hook hook);
uint32_t h_verdict_drop(enum harness_hook hook);
/* What a hook returns after encapsulating towards the next hop on v0. */
uint32_t h_verdict_sent(enum harness_hook hook);

#endif
