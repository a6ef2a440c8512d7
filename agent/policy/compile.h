/*
 * compile.h: model -> plan.  Pure: the only outside fact it needs (interface indexes) comes
 * through compile_env, so tests run it without a kernel.
 */
#ifndef SR6_AGENT_COMPILE_H
#define SR6_AGENT_COMPILE_H

#include <stdint.h>

#include "agent/policy/diag.h"
#include "agent/policy/model.h"
#include "agent/policy/plan.h"

struct compile_env {
	/* The ifindex of an interface, 0 when it does not exist. */
	uint32_t (*ifindex)(void *arg, const char *name);
	void *arg;
};

/* The environment of the running system (if_nametoindex in the current namespace). */
extern const struct compile_env compile_env_system;

/*
 * A validated model (model_validate returned 0) -> plan.  Errors that need the environment
 * or the whole steering table (unknown interfaces, too many rules for one destination) go to
 * d.  0, or -1 with the plan freed.
 */
int policy_compile(struct plan *out, const struct model *m, const struct compile_env *env,
		   struct diag *d);

/*
 * The whole pipeline on a file's text: parse, validate, compile.  0 with *out filled, or -1
 * with every error in d.
 */
int policy_load(struct plan *out, const void *text, size_t len,
		const struct compile_env *env, struct diag *d);
int policy_load_file(struct plan *out, FILE *f, const struct compile_env *env,
		     struct diag *d);

/* The second half of policy_load, for a model parsed apart (the text freed in between):
 * validate, compile, free the model.  before = diag_count(d) before parsing. */
int policy_load_model(struct plan *out, struct model *m, const struct compile_env *env,
		      struct diag *d, size_t before);

/* The rule id of a steering rule: stable while its match and priority stay the same. */
uint32_t rule_id_of(const struct m_rule *r);

#endif
