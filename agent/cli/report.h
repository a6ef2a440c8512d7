/*
 * report.h: what the CLI and the daemon say about a policy and an apply, as text and as
 * JSON (json-c), so `sr6 apply` and `sr6 push` report alike.
 */
#ifndef SR6_AGENT_REPORT_H
#define SR6_AGENT_REPORT_H

#include <stdio.h>

#include <json-c/json.h>

#include "agent/dataplane/engine.h"
#include "agent/policy/diag.h"
#include "agent/policy/diff.h"

/* Exit codes of sr6 (docs/sr6.8). */
enum sr6_exit {
	SR6_EXIT_OK = 0,
	SR6_EXIT_DIFFERENT = 1,	/* sr6 diff: the running state differs from the file */
	SR6_EXIT_USAGE = 2,	/* bad command line */
	SR6_EXIT_INVALID = 3,	/* the policy file has errors: nothing was changed */
	SR6_EXIT_SYSTEM = 4,	/* the kernel or the system refused something */
	SR6_EXIT_NO_AGENT = 5,	/* no agent answers on the control socket */
};

/* [{"file","line","col","field","message"}...] */
json_object *report_errors_json(const struct diag *d);
/* The diff as lines of text, in a JSON array. */
json_object *report_diff_json(const struct diff *d, const struct plan *now,
			      const struct plan *was);
/* {"changes": N, "add": .., "change": .., "remove": .., "generation", "timing_us": {...}} */
json_object *report_apply_json(const struct apply_result *r);
/* "applied: 3 changes, generation 7 (maps 41 us, routes 0 us, ...)" */
void report_apply_text(FILE *f, const struct apply_result *r);

#endif
