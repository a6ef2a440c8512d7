/*
 * engine.h: makes the data plane match a plan, atomically per object and without dropping
 * traffic, following the update model of sr6_abi.h:
 *
 *   make     new policies and SIDs are written before anything refers to them; a changed
 *            policy or SID is replaced by one map update (the packet sees the old or the new
 *            value, never a mix); the rules of a new or changed destination prefix go into
 *            free slots and are published by one update of its trie entry
 *   break    then what is no longer wanted is unlinked; a policy is deleted only after a
 *            grace period (sr6_barrier) so that no packet still holding an old rule finds it
 *            gone; slots and stats ids are reused only after a grace period
 *
 * The engine remembers what it installed, so a change costs only its own map updates.
 */
#ifndef SR6_AGENT_ENGINE_H
#define SR6_AGENT_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "agent/dataplane/dp.h"
#include "agent/dataplane/idalloc.h"
#include "agent/dataplane/routes.h"
#include "agent/policy/diff.h"
#include "agent/policy/plan.h"

struct engine {
	struct dataplane *dp;
	struct rtnl *rtnl;
	struct plan applied;		/* what the kernel holds */
	struct idalloc keys;		/* policy keys = policy stats ids */
	struct idalloc sid_ids;		/* SID stats ids */
	struct idalloc slots;		/* sr6_steer_rules slots */
	uint32_t generation;
};

struct apply_result {
	size_t count[DK_COUNT][DO_COUNT];
	size_t changes;
	uint32_t generation;
	unsigned barriers;
	/* Microseconds: the whole apply, map updates, routes, attach points, grace periods. */
	uint64_t total_us, maps_us, routes_us, attach_us, barrier_us;
};

/*
 * Start from what is installed (read back).  When dp has its programs loaded, the pinned
 * links are switched to them (bpf_link_update, atomic): a restarted agent adopts the data
 * plane without flushing it.  0 or -1 (dp->err).
 */
int engine_open(struct engine *e, struct dataplane *dp);
void engine_close(struct engine *e);

/* The diff next would cause, without changing anything (sr6 diff). */
void engine_diff(struct engine *e, struct plan *next, struct diff *out);

/*
 * Make the data plane match next (a compiled plan; its ids are assigned here and it is
 * moved into the engine, leaving next empty), carrying out d, which engine_diff(e, next)
 * gave just before (the caller reports it and frees it).  source names where the plan came
 * from (for status).  On a kernel error the previous state is restored as far as the
 * kernel allows.  0 or -1 (dp->err).
 */
int engine_apply(struct engine *e, struct plan *next, const struct diff *d,
		 const char *source, struct apply_result *res);

#endif
