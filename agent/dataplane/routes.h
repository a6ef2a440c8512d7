/*
 * routes.h: seg6local routes of the SIDs over rtnetlink (libmnl), in the main table, tagged
 * with protocol SR6_RTPROT so sr6 knows which routes are its own.
 */
#ifndef SR6_AGENT_ROUTES_H
#define SR6_AGENT_ROUTES_H

#include <stddef.h>
#include <stdint.h>

#include "agent/policy/plan.h"

#define SR6_RTPROT 83	/* rtm_protocol of sr6's routes ("proto 83" in `ip -6 route`) */

struct rtnl;

/* The kernel's counters of a SID's route (packets it processed itself). */
struct route_counter {
	union sr6_in6 dst;
	uint64_t packets, bytes, errors;
};

int rtnl_open(struct rtnl **out);
void rtnl_close(struct rtnl *r);
/* Why the kernel refused the last request, in its words (extended ack), or "". */
const char *rtnl_ext_msg(const struct rtnl *r);
/* Add or replace (atomically) the route of a SID; prog_fd for End.BPF.  0 or -errno. */
int route_replace(struct rtnl *r, const struct plan_route *rt, int prog_fd);
int route_delete(struct rtnl *r, const struct plan_route *rt);
/* sr6's routes into out->routes (and their counters when counters is not NULL, to free()). */
int routes_dump(struct rtnl *r, struct plan *out, struct route_counter **counters,
		size_t *n_counters);

#endif
