/*
 * headend_policy.h: build sr6_policies values the way the ABI describes them (sr6_abi.h), for
 * the headend tests and the test loader; and the flow hash of bpf/lib/hash.h written again
 * from its definition in bpf/README.md, so tests can predict paths and flow labels.
 */
#ifndef SR6_SELFTESTS_HEADEND_POLICY_H
#define SR6_SELFTESTS_HEADEND_POLICY_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "sr6_abi.h"

struct headend_path_spec {
	const char *sids;	/* "fc00:1::1,fc00:2::2": first SID (the first hop) first */
	uint16_t weight;	/* 0 means 1 */
};

struct headend_policy_spec {
	uint8_t mode;		/* enum sr6_encap_mode */
	uint8_t hop_limit;	/* 0: the default (64) */
	uint8_t flags;		/* enum sr6_policy_flags */
	uint16_t tag;
	uint32_t stats_id;
	uint32_t mtu;
	const char *source;	/* NULL: unset (::) */
	int npaths;
	struct headend_path_spec paths[SR6_MAX_PATHS];
};

/* Fill *out from spec.  Returns 0, or -1 with a message in err. */
int headend_policy_build(struct sr6_policy *out, const struct headend_policy_spec *spec,
			 char *err, size_t errlen);

/* Parse "a,b,c" into up to max addresses.  Returns the count, or -1. */
int headend_parse_sids(struct in6_addr *out, int max, const char *text);

uint32_t headend_hash6(const struct in6_addr *src, const struct in6_addr *dst, uint16_t sport,
		       uint16_t dport, uint8_t proto, uint32_t seed);
uint32_t headend_hash4(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport, uint8_t proto,
		       uint32_t seed);
uint32_t headend_flow_label(uint32_t hash);
/* The path a policy gives to flow hash h. */
int headend_path_of(const struct sr6_policy *pol, uint32_t hash);

#endif
