/*
 * functions.h: the End.BPF network functions the agent knows: their names in the policy,
 * the BPF object and program that implement them, their per-SID maps, and the parameters
 * each accepts (checked here; turned into map values by dataplane/fnconf.c).
 */
#ifndef SR6_AGENT_FUNCTIONS_H
#define SR6_AGENT_FUNCTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "agent/policy/diag.h"
#include "agent/policy/model.h"

enum fn_param_type {
	FP_UINT,		/* one integer min..max */
	FP_UINT_LIST,		/* a list of 1..max_items integers min..max */
	FP_ENUM,		/* one of names[]: the value is its index */
	FP_BOOL,		/* true or false: 1 or 0 */
};

#define FN_MAX_PARAMS	4
#define FN_MAX_MAPS	4
#define FN_MAX		8

struct fn_param_spec {
	const char *key;
	enum fn_param_type type;
	uint64_t min, max;
	size_t max_items;
	const char *const *names;	/* FP_ENUM */
	int required;
	uint64_t dflt;			/* the value when the parameter is not given */
	const char *help;		/* meaning and unit, for messages and the docs */
};

/* Parameter values of one SID, in the order of fn_def.params. */
struct fn_values {
	uint8_t present[FN_MAX_PARAMS];
	uint64_t *v[FN_MAX_PARAMS];	/* v[i][0 .. n[i]-1] */
	size_t n[FN_MAX_PARAMS];
};

struct fn_def {
	const char *name;	/* in the policy: "function: tag-acl" */
	const char *object;	/* BPF object build/bpf/<object>.bpf.o */
	const char *prog;	/* its lwt_seg6local program */
	const char *summary;	/* one line for the docs and `sr6 sid list` */
	/* Maps keyed by SID: [0] the configuration when config_size, then counters.  Entries
	 * of a SID are removed with it, and reset when a SID is added. */
	const char *maps[FN_MAX_MAPS];
	size_t config_size;
	struct fn_param_spec params[FN_MAX_PARAMS];
	/* Checks across parameters, after each was checked alone: 0 or -1 (reported). */
	int (*check)(const struct fn_def *fn, const struct fn_values *v, const struct m_sid *s,
		     const struct ypath *path, struct diag *d);
	/* Defaults that depend on other parameters (before the plain defaults are filled). */
	void (*defaults)(struct fn_values *v, struct arena *a);
};

extern const struct fn_def fn_defs[];
extern const size_t fn_count;

/* The function of that name, or NULL. */
const struct fn_def *fn_find(const char *name);
/* Index of a parameter by key, or -1. */
int fn_param_index(const struct fn_def *fn, const char *key);
/* Check the params of an End.BPF SID against its function (reported into d); fill out
 * (arrays from a) when out is not NULL.  0 or -1. */
int fn_check_params(const struct fn_def *fn, const struct m_sid *s, const struct ypath *path,
		    struct diag *d, struct arena *a, struct fn_values *out);
/* Make every parameter present with its effective value (a list not given: empty), so two
 * configurations that mean the same compare equal.  Arrays from a. */
void fn_normalize(const struct fn_def *fn, struct fn_values *v, struct arena *a);

#endif
