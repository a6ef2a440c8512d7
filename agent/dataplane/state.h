/*
 * state.h: the installed data plane read back as a plan (state.c).
 */
#ifndef SR6_AGENT_STATE_H
#define SR6_AGENT_STATE_H

#include "agent/dataplane/dp.h"
#include "agent/dataplane/routes.h"
#include "agent/policy/plan.h"

/*
 * Maps, names, routes (when rtnl is not NULL) and links -> out; sr6_config and the agent's
 * metadata as read on the way -> cfg and meta (each may be NULL; meta stays zero when there
 * is none).  0 or -1 (dp->err).
 */
int state_read(struct dataplane *dp, struct rtnl *rtnl, struct plan *out,
	       struct sr6_config *cfg, struct dp_meta *meta);

#endif
