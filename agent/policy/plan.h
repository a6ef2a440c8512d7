/*
 * plan.h: what the data plane of a node should hold: map entries (policies, SIDs, locators,
 * steering sets and their rules), seg6local routes and attach points.  compile.c makes a
 * plan from a model; dataplane/state.c makes one from what the kernel holds; diff.c compares
 * two.  A plan owns all its memory and outlives the model it came from.
 *
 * Ids that depend on what is installed (policy keys, stats ids, rule slots) are not part of
 * compiling: they are PLAN_NO_ID until the apply step assigns them, and are read back by
 * state.c.
 */
#ifndef SR6_AGENT_PLAN_H
#define SR6_AGENT_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "agent/policy/addr.h"
#include "agent/policy/arena.h"
#include "agent/policy/functions.h"
#include "sr6_abi.h"

#define PLAN_NO_ID	UINT32_MAX

struct plan_path {
	const char *segname;		/* segment list name, NULL for a list written in place */
	const union sr6_in6 *segs;	/* segs[0] is the first segment (the first hop) */
	uint8_t n;
	uint16_t weight;
};

struct plan_policy {
	const char *name;
	uint32_t key;			/* sr6_policies key, also its stats id */
	uint8_t mode;			/* enum sr6_encap_mode */
	uint8_t hop_limit;
	uint8_t flags;			/* enum sr6_policy_flags */
	uint8_t path_count;
	uint32_t mtu;
	union sr6_in6 source;
	struct plan_path paths[SR6_MAX_PATHS];
};

/* End.BPF: the function and its parameters. */
struct plan_fn {
	const struct fn_def *def;	/* NULL: unknown to this agent (read back from a route) */
	const char *name;
	struct fn_values values;
};

struct plan_sid {
	union sr6_in6 sid;
	struct sr6_sid value;		/* value.stats_id: PLAN_NO_ID until assigned */
	struct plan_fn fn;		/* End.BPF only */
};

struct plan_locator {
	struct sr6_locator_key key;
	uint32_t sid;			/* index into plan.sids: same behaviour and stats */
};

/* Destination prefix -> the rules in plan.rules[first .. first + count - 1]. */
struct plan_set {
	uint8_t family;			/* AF_INET6 or AF_INET */
	uint8_t len;
	union sr6_in6 prefix;
	uint32_t first, count;
	uint32_t slot;			/* first slot in sr6_steer_rules, at apply */
};

/* A seg6local route for a SID: the kernel's path for what the fast path hands over. */
struct plan_route {
	union sr6_in6 dst;		/* the SID (/128) */
	uint32_t action;		/* SEG6_LOCAL_ACTION_* (= enum sr6_behavior) */
	uint32_t table;			/* End.T, End.DT6 */
	uint32_t oif;			/* End.X, End.DX*: the interface given, 0 if none */
	uint32_t dev;			/* the route's device: oif, or the node's first interface */
	uint8_t nh_family;		/* AF_INET6 / AF_INET when a next hop is set */
	union sr6_in6 nh;
	uint32_t flavors;		/* SEG6_LOCAL_FLV_OP_* bits */
	uint8_t lcblock_bits, lcnode_fn_bits;
	const char *function;		/* End.BPF: the function's program name */
	uint32_t prog_id;		/* End.BPF: the program installed (0: not known yet) */
};

struct plan_attach {
	const char *ifname;
	uint32_t ifindex;
	uint8_t mode;			/* enum attach_mode */
	uint8_t egress;
};

struct plan {
	struct arena arena;
	const char *node;		/* node name */
	uint32_t config_flags;		/* enum sr6_config_flags */
	uint32_t hash_seed;		/* sr6_config.hash_seed */
	VEC(struct plan_policy) policies;	/* in file order */
	VEC(struct plan_sid) sids;		/* in file order */
	VEC(struct plan_locator) locators;
	VEC(struct plan_set) sets;		/* sorted: family, prefix, length */
	/* Rules of all sets; rule.policy is an index into policies until written to a map. */
	VEC(struct sr6_steer_rule) rules;
	VEC(struct plan_route) routes;		/* one per SID, same order */
	VEC(struct plan_attach) attach;
};

void plan_init(struct plan *p);
void plan_free(struct plan *p);

/* The sr6_policies value of a policy (its key must be assigned). */
void plan_policy_value(struct sr6_policy *out, const struct plan_policy *p);
/* The SRH of path i of a policy as the data plane writes it: srh_len bytes into out. */
uint16_t plan_path_srh(uint8_t out[SR6_SRH_MAX_LEN], uint8_t mode, const struct plan_path *h);
/* Same content (ids aside)? */
bool plan_policy_equal(const struct plan_policy *a, const struct plan_policy *b);
bool plan_route_equal(const struct plan_route *a, const struct plan_route *b);
/* Same sr6_sid value, stats id aside. */
bool plan_sid_value_equal(const struct sr6_sid *a, const struct sr6_sid *b);
bool plan_fn_equal(const struct plan_fn *a, const struct plan_fn *b);

/* The plan as text, one line per entry (plan_text.c): `sr6 check --plan`, golden tests. */
void plan_print(FILE *f, const struct plan *p);
void plan_print_rule(FILE *f, const struct plan *p, uint8_t family,
		     const struct sr6_steer_rule *r);
/* "route ADDR/128 seg6local BEHAVIOR [parameters] dev N", without a newline. */
void plan_print_route(FILE *f, const struct plan_route *r);

/* Index of the set for a prefix, or -1. */
long plan_find_set(const struct plan *p, uint8_t family, uint8_t len,
		   const union sr6_in6 *prefix);

#endif
