#include "agent/policy/functions.h"

#include <stdio.h>
#include <string.h>

/* tag-acl: allow and deny lists of at most 8 rules in all (SR6_ACL_MAX_RULES). */
#define ACL_MAX_RULES	8

static const char *const acl_defaults[] = { "permit", "deny", NULL };
static const char *const delay_modes[] = { "auto", "write", "read", NULL };
static const char *const rl_units[] = { "packets", "bytes", NULL };

static int acl_check(const struct fn_def *fn, const struct fn_values *v, const struct m_sid *s,
		     const struct ypath *path, struct diag *d)
{
	size_t rules = v->n[0] + v->n[1];

	(void)fn;
	if (!v->present[0] && !v->present[1]) {
		ydiag(d, s->kpos[SK_FUNCTION], path, "tag-acl needs \"allow\" or \"deny\" (a list "
		      "of SRH tags)");
		return -1;
	}
	if (rules > ACL_MAX_RULES) {
		ydiag(d, s->kpos[SK_PARAMS], YP_KEY(path, "params"), "%zu tags in allow and deny: "
		      "at most %d", rules, ACL_MAX_RULES);
		return -1;
	}
	return 0;
}

static void set_one(struct fn_values *v, int k, uint64_t value, struct arena *a)
{
	v->present[k] = 1;
	v->n[k] = 1;
	v->v[k] = arena_alloc(a, sizeof(uint64_t));
	v->v[k][0] = value;
}

/* tag-acl: other tags are denied when an allow list is given, else permitted. */
static void acl_defaults_fill(struct fn_values *v, struct arena *a)
{
	if (!v->present[2])
		set_one(v, 2, v->present[0] ? 1 : 0, a);
}

/* ratelimit: the bucket holds one second of rate unless burst is given. */
static void rl_defaults_fill(struct fn_values *v, struct arena *a)
{
	if (!v->present[1] && v->present[0])
		set_one(v, 1, v->v[0][0], a);
}

const struct fn_def fn_defs[] = {
	{
		.name = "count",
		.object = "fn_count",
		.prog = "sr6_count",
		.summary = "counts packets and bytes per SID and per inner flow",
		.maps = { "sr6_fn_count_sid" },
	},
	{
		.name = "tag-acl",
		.object = "fn_tag_acl",
		.prog = "sr6_tag_acl",
		.summary = "lets through or drops packets by their SRH tag",
		.maps = { "sr6_fn_acl", "sr6_fn_acl_stats" },
		.config_size = 72,
		.params = {
			{ .key = "allow", .type = FP_UINT_LIST, .max = 65535,
			  .max_items = ACL_MAX_RULES, .help = "SRH tags let through" },
			{ .key = "deny", .type = FP_UINT_LIST, .max = 65535,
			  .max_items = ACL_MAX_RULES, .help = "SRH tags dropped" },
			{ .key = "default", .type = FP_ENUM, .names = acl_defaults,
			  .help = "verdict for other tags: deny when allow is given, else permit" },
		},
		.check = acl_check,
		.defaults = acl_defaults_fill,
	},
	{
		.name = "delay",
		.object = "fn_delay",
		.prog = "sr6_delay",
		.summary = "measures one-way delay between two SIDs with a timestamp TLV",
		.maps = { "sr6_fn_delay" },
		.config_size = 8,
		.params = {
			{ .key = "mode", .type = FP_ENUM, .names = delay_modes,
			  .help = "write the timestamp, read it, or auto: read when present" },
			{ .key = "pop", .type = FP_BOOL,
			  .help = "the reader removes the TLV" },
		},
	},
	{
		.name = "ratelimit",
		.object = "fn_ratelimit",
		.prog = "sr6_ratelimit",
		.summary = "token bucket per SID and inner source /64",
		.maps = { "sr6_fn_rl", "sr6_fn_rl_stats" },
		.config_size = 24,
		.params = {
			{ .key = "rate", .type = FP_UINT, .min = 1, .max = 1ull << 40,
			  .required = 1, .help = "units per second" },
			{ .key = "burst", .type = FP_UINT, .min = 1, .max = 1ull << 40,
			  .help = "bucket size in units (default: one second of rate)" },
			{ .key = "unit", .type = FP_ENUM, .names = rl_units,
			  .help = "packets (default) or bytes" },
		},
		.defaults = rl_defaults_fill,
	},
};

const size_t fn_count = sizeof(fn_defs) / sizeof(fn_defs[0]);

const struct fn_def *fn_find(const char *name)
{
	size_t i;

	for (i = 0; i < fn_count; i++)
		if (!strcmp(fn_defs[i].name, name))
			return &fn_defs[i];
	return NULL;
}

int fn_param_index(const struct fn_def *fn, const char *key)
{
	int k;

	for (k = 0; k < FN_MAX_PARAMS && fn->params[k].key; k++)
		if (!strcmp(fn->params[k].key, key))
			return k;
	return -1;
}

static void list_names(char *buf, size_t size, const char *const *names)
{
	size_t off = 0;
	int i;

	buf[0] = 0;
	for (i = 0; names[i] && off < size; i++)
		off += (size_t)snprintf(buf + off, size - off, "%s%s", i ? ", " : "", names[i]);
}

static int check_value(const struct fn_param_spec *ps, const struct yscalar *y,
		       const struct ypath *path, struct diag *d, uint64_t *out)
{
	char list[128];
	int i;

	switch (ps->type) {
	case FP_ENUM:
		for (i = 0; ps->names[i]; i++) {
			if (!strcmp(ps->names[i], y->text)) {
				*out = (uint64_t)i;
				return 0;
			}
		}
		list_names(list, sizeof(list), ps->names);
		ydiag(d, y->pos, path, "\"%.40s\": expected one of: %s", y->text, list);
		return -1;
	case FP_BOOL:
		if (y->plain && !strcmp(y->text, "true")) {
			*out = 1;
			return 0;
		}
		if (y->plain && !strcmp(y->text, "false")) {
			*out = 0;
			return 0;
		}
		ydiag(d, y->pos, path, "expected true or false, got \"%.40s\"", y->text);
		return -1;
	default:
		break;
	}
	if (!y->plain || yaml_parse_uint(y->text, out)) {
		ydiag(d, y->pos, path, "expected an integer, got \"%.40s\"", y->text);
		return -1;
	}
	if (*out < ps->min || *out > ps->max) {
		ydiag(d, y->pos, path, "must be %llu..%llu, got %llu", (unsigned long long)ps->min,
		      (unsigned long long)ps->max, (unsigned long long)*out);
		return -1;
	}
	return 0;
}

int fn_check_params(const struct fn_def *fn, const struct m_sid *s, const struct ypath *path,
		    struct diag *d, struct arena *a, struct fn_values *out)
{
	struct fn_values scratch = { { 0 } };
	struct fn_values *vals = out ? out : &scratch;
	uint64_t local[FN_MAX_PARAMS][1];
	char keys[128];
	size_t i, j, off = 0, before = diag_count(d);
	bool given[FN_MAX_PARAMS] = { false };	/* written, even with a bad value */
	int k;

	memset(vals, 0, sizeof(*vals));
	keys[0] = 0;
	for (k = 0; k < FN_MAX_PARAMS && fn->params[k].key; k++)
		off += (size_t)snprintf(keys + off, sizeof(keys) - off, "%s%s", k ? ", " : "",
					fn->params[k].key);
	for (i = 0; i < s->n_params; i++) {
		const struct m_param *p = &s->params[i];
		const struct ypath *f = YP_KEY(YP_KEY(path, "params"), p->key);
		const struct fn_param_spec *ps;

		k = fn_param_index(fn, p->key);
		if (k < 0) {
			if (keys[0])
				ydiag(d, p->key_pos, f, "unknown parameter of %s (expected: %s)",
				      fn->name, keys);
			else
				ydiag(d, p->key_pos, f, "%s takes no parameters", fn->name);
			continue;
		}
		ps = &fn->params[k];
		given[k] = true;
		if (ps->type != FP_UINT_LIST && p->is_list) {
			ydiag(d, p->pos, f, "expected one value, got a list");
			continue;
		}
		if (ps->type == FP_UINT_LIST && (!p->is_list || p->n == 0 || p->n > ps->max_items)) {
			ydiag(d, p->pos, f, "expected a list of 1..%zu integers", ps->max_items);
			continue;
		}
		vals->present[k] = 1;
		vals->n[k] = p->n;
		/* Without an arena (validation only) the values are checked, not kept. */
		vals->v[k] = a ? arena_alloc(a, p->n * sizeof(uint64_t)) : NULL;
		for (j = 0; j < p->n; j++) {
			const struct ypath *fj = p->is_list ? YP_INDEX(f, j) : f;
			uint64_t *dst = vals->v[k] ? &vals->v[k][j] : &local[k][0];

			check_value(ps, &p->items[j], fj, d, dst);
		}
	}
	for (k = 0; k < FN_MAX_PARAMS && fn->params[k].key; k++)
		if (fn->params[k].required && !given[k])
			ydiag(d, s->kpos[SK_FUNCTION], path, "%s needs the parameter \"%s\" (%s)",
			      fn->name, fn->params[k].key, fn->params[k].help);
	if (diag_count(d) == before && fn->check)
		fn->check(fn, vals, s, path, d);
	return diag_count(d) == before ? 0 : -1;
}

void fn_normalize(const struct fn_def *fn, struct fn_values *v, struct arena *a)
{
	int k;

	if (fn->defaults)
		fn->defaults(v, a);
	for (k = 0; k < FN_MAX_PARAMS && fn->params[k].key; k++) {
		if (v->present[k])
			continue;
		if (fn->params[k].type == FP_UINT_LIST) {
			v->present[k] = 1;
			v->n[k] = 0;
			v->v[k] = NULL;
		} else {
			set_one(v, k, fn->params[k].dflt, a);
		}
	}
}
