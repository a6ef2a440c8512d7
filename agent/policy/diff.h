/*
 * diff.h: what changes between two plans (what is installed -> what should be).  Objects are
 * matched by their identity: policies by name, SIDs and routes by address, locators and
 * steering sets by prefix, attach points by interface name.
 */
#ifndef SR6_AGENT_DIFF_H
#define SR6_AGENT_DIFF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "agent/policy/plan.h"

enum diff_kind {
	DK_POLICY, DK_SID, DK_LOCATOR, DK_SET, DK_ROUTE, DK_ATTACH,
	DK_NODE,	/* node settings (sr6_config flags) */
	DK_COUNT
};
enum diff_op { DO_ADD, DO_CHANGE, DO_REMOVE, DO_COUNT };

struct diff_item {
	uint8_t kind;		/* enum diff_kind */
	uint8_t op;		/* enum diff_op */
	uint32_t now;		/* index in the new plan, PLAN_NO_ID for a removal */
	uint32_t was;		/* index in the old plan, PLAN_NO_ID for an addition */
};

struct diff {
	VEC(struct diff_item) items;	/* grouped by kind, in the order of the plans */
	size_t count[DK_COUNT][DO_COUNT];
	uint32_t *policy_was;		/* new policy index -> old index or PLAN_NO_ID */
};

/*
 * Compare.  Ids of what is kept are copied from was into now: policy keys (same name),
 * stats ids (same SID), slots of steering sets whose rules are unchanged.
 */
void plan_diff(struct diff *out, struct plan *now, const struct plan *was);
void diff_free(struct diff *d);
size_t diff_total(const struct diff *d);

/* One line per change, "+ ", "~ " or "- " first (diff_text.c), the first DIFF_PRINT_MAX of
 * them; and a one-line summary. */
#define DIFF_PRINT_MAX 500
void diff_print(FILE *f, const struct diff *d, const struct plan *now, const struct plan *was);
void diff_print_summary(FILE *f, const struct diff *d);

extern const char *const diff_kind_names[DK_COUNT];
extern const char *const diff_op_names[DO_COUNT];

#endif
