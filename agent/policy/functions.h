/*
 * functions.h: the End.BPF network functions the agent knows: their names in the policy,
 * the BPF object and program that implement them, and the parameters each accepts.
 */
#ifndef SR6_AGENT_FUNCTIONS_H
#define SR6_AGENT_FUNCTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "agent/policy/diag.h"
#include "agent/policy/model.h"

enum fn_param_type {
	FP_UINT,		/* one integer min..max */
	FP_UINT_LIST,		/* a list of integers min..max, 1..max_items of them */
};

struct fn_param_spec {
	const char *key;
	enum fn_param_type type;
	uint64_t min, max;
	size_t max_items;
	int required;
	const char *help;	/* unit or meaning, for messages and docs */
};

#define FN_MAX_PARAMS 4

struct fn_def {
	const char *name;	/* in the policy: "function: tag-acl" */
	const char *object;	/* BPF object: build/bpf/<object>.bpf.o */
	const char *prog;	/* its lwt_seg6local program */
	struct fn_param_spec params[FN_MAX_PARAMS];
};

/* Parameter values of one SID, in the order of fn_def.params. */
struct fn_values {
	uint8_t present[FN_MAX_PARAMS];
	uint64_t *v[FN_MAX_PARAMS];	/* v[i][0..n[i]-1] */
	size_t n[FN_MAX_PARAMS];
};

extern const struct fn_def fn_defs[];
extern const size_t fn_count;

/* The function of that name, or NULL. */
const struct fn_def *fn_find(const char *name);
/* Check the params of an End.BPF SID against its function (reported into d); fill out
 * (arrays from a) when not NULL.  0 or -1. */
int fn_check_params(const struct fn_def *fn, const struct m_sid *s, const struct ypath *path,
		    struct diag *d, struct arena *a, struct fn_values *out);

#endif
