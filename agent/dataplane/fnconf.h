/*
 * fnconf.h: End.BPF function parameters <-> the per-SID configuration values of sr6_abi.h.
 */
#ifndef SR6_AGENT_FNCONF_H
#define SR6_AGENT_FNCONF_H

#include <stddef.h>

#include "agent/policy/plan.h"

#define FNCONF_MAX 128	/* bytes of the largest configuration value */

/* The value for fn (normalized values) into out: its size, 0 for a function without one. */
size_t fnconf_encode(const struct plan_fn *fn, void *out);
/* fn->def set, value read from its configuration map -> fn->values (arrays from a). */
int fnconf_decode(struct plan_fn *fn, const void *value, struct arena *a);

#endif
