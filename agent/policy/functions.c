#include "agent/policy/functions.h"

#include <stdio.h>
#include <string.h>

const struct fn_def fn_defs[] = {
	{
		.name = "count",
		.object = "count",
		.prog = "count",
	},
	{
		.name = "tag-acl",
		.object = "tag_acl",
		.prog = "tag_acl",
		.params = {
			{ .key = "allow", .type = FP_UINT_LIST, .min = 0, .max = 65535,
			  .max_items = 16, .required = 1, .help = "SRH tags let through" },
		},
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

static int check_value(const struct fn_param_spec *ps, const struct yscalar *y,
		       const struct ypath *path, struct diag *d, uint64_t *out)
{
	if (!y->plain || yaml_parse_uint(y->text, out)) {
		ydiag(d, y->pos, path, "expected an integer, got \"%.40s\"", y->text);
		return -1;
	}
	if (*out < ps->min || *out > ps->max) {
		ydiag(d, y->pos, path, "must be %llu..%llu, got %llu",
			 (unsigned long long)ps->min, (unsigned long long)ps->max,
			 (unsigned long long)*out);
		return -1;
	}
	return 0;
}

int fn_check_params(const struct fn_def *fn, const struct m_sid *s, const struct ypath *path,
		    struct diag *d, struct arena *a, struct fn_values *out)
{
	char keys[128];
	size_t i, j, off = 0, before = diag_count(d);
	int k;

	if (out)
		memset(out, 0, sizeof(*out));
	keys[0] = 0;
	for (k = 0; k < FN_MAX_PARAMS && fn->params[k].key; k++)
		off += (size_t)snprintf(keys + off, sizeof(keys) - off, "%s%s", k ? ", " : "",
					fn->params[k].key);
	for (i = 0; i < s->n_params; i++) {
		const struct m_param *p = &s->params[i];
		const struct fn_param_spec *ps = NULL;
		const struct ypath *f = YP_KEY(YP_KEY(path, "params"), p->key);
		uint64_t v;

		for (k = 0; k < FN_MAX_PARAMS && fn->params[k].key; k++)
			if (!strcmp(fn->params[k].key, p->key))
				ps = &fn->params[k];
		if (!ps) {
			if (keys[0])
				ydiag(d, p->key_pos, f, "unknown parameter of %s (expected: %s)",
					 fn->name, keys);
			else
				ydiag(d, p->key_pos, f, "%s takes no parameters", fn->name);
			continue;
		}
		k = (int)(ps - fn->params);
		if (ps->type == FP_UINT && p->is_list) {
			ydiag(d, p->pos, f, "expected one integer, got a list");
			continue;
		}
		if (ps->type == FP_UINT_LIST && (!p->is_list || p->n == 0 || p->n > ps->max_items)) {
			ydiag(d, p->pos, f, "expected a list of 1..%zu integers", ps->max_items);
			continue;
		}
		if (out) {
			out->present[k] = 1;
			out->v[k] = arena_alloc(a, p->n * sizeof(uint64_t));
			out->n[k] = p->n;
		}
		for (j = 0; j < p->n; j++) {
			const struct ypath *ff = p->is_list ? YP_INDEX(f, j) : f;

			if (!check_value(ps, &p->items[j], ff, d, &v) && out)
				out->v[k][j] = v;
		}
	}
	for (k = 0; k < FN_MAX_PARAMS && fn->params[k].key; k++) {
		for (i = 0; i < s->n_params; i++)
			if (!strcmp(s->params[i].key, fn->params[k].key))
				break;
		if (fn->params[k].required && i == s->n_params)
			ydiag(d, s->kpos[SK_FUNCTION], path, "%s needs the parameter \"%s\" (%s)",
				 fn->name, fn->params[k].key, fn->params[k].help);
	}
	return diag_count(d) == before ? 0 : -1;
}
