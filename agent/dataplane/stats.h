/*
 * stats.h: the node's counters, summed over CPUs: per policy and path, per SID (the fast
 * path's map counters and the kernel's route counters), per End.BPF function, and the drop
 * reasons and kernel hand-offs named by the X-macros of sr6_abi.h.
 */
#ifndef SR6_AGENT_STATS_H
#define SR6_AGENT_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include "agent/dataplane/dp.h"
#include "agent/dataplane/routes.h"
#include "agent/policy/plan.h"

struct stat_pair {
	uint64_t packets, bytes;
};

struct policy_stats {
	const struct plan_policy *policy;	/* in the state plan given to stats_read */
	struct stat_pair total;
	struct stat_pair path[SR6_MAX_PATHS];
};

struct sid_stats {
	const struct plan_sid *sid;
	struct stat_pair fast;		/* processed by the XDP/tc fast path */
	struct stat_pair slow;		/* processed by the kernel's seg6local route */
	uint64_t slow_errors;
	bool has_route;
	/* End.BPF: count: packets/bytes; tag-acl: permitted/denied; ratelimit: passed/dropped */
	uint64_t fn[2];
};

struct delay_stats {
	union sr6_in6 ingress, egress;
	uint64_t count, sum_ns, negative;
	uint64_t buckets[32];
};

struct node_stats {
	VEC(struct policy_stats) policies;
	VEC(struct sid_stats) sids;
	VEC(struct delay_stats) delays;
	uint64_t drops[SR6_DROP_MAX];
	uint64_t events[SR6_EVENT_MAX];
	uint32_t generation;
};

/* state: what is installed (state_read); rtnl may be NULL (no route counters). */
int stats_read(struct dataplane *dp, struct rtnl *rtnl, const struct plan *state,
	       struct node_stats *out);
void stats_free(struct node_stats *s);

/* Names and descriptions of drop reasons and events (NULL for unused numbers). */
const char *drop_name(unsigned reason);
const char *drop_desc(unsigned reason);
const char *event_name(unsigned event);
const char *event_desc(unsigned event);

#endif
