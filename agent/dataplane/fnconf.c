#include "agent/dataplane/fnconf.h"

#include <string.h>

#include "sr6_abi.h"

_Static_assert(sizeof(struct sr6_fn_acl) <= FNCONF_MAX, "fnconf buffer");
_Static_assert(sizeof(struct sr6_fn_rl) <= FNCONF_MAX, "fnconf buffer");

/* Parameter indexes, in the order functions.c declares them. */
enum { ACL_ALLOW, ACL_DENY, ACL_DEFAULT };
enum { DELAY_MODE, DELAY_POP };
enum { RL_RATE, RL_BURST, RL_UNIT };

static uint64_t one(const struct plan_fn *fn, int k)
{
	return fn->values.n[k] ? fn->values.v[k][0] : fn->def->params[k].dflt;
}

size_t fnconf_encode(const struct plan_fn *fn, void *out)
{
	const struct fn_def *def = fn->def;

	if (!def || !def->config_size)
		return 0;
	memset(out, 0, def->config_size);
	if (!strcmp(def->name, "tag-acl")) {
		struct sr6_fn_acl *acl = out;
		size_t i;

		_Static_assert(sizeof(*acl) == 72, "functions.c config_size of tag-acl");
		/* Deny rules first: a tag in both lists is denied. */
		for (i = 0; i < fn->values.n[ACL_DENY] && acl->rule_count < SR6_ACL_MAX_RULES; i++) {
			struct sr6_acl_rule *r = &acl->rules[acl->rule_count++];

			r->tag = (uint16_t)fn->values.v[ACL_DENY][i];
			r->tag_mask = 0xffff;
			r->verdict = SR6_ACL_DENY;
		}
		for (i = 0; i < fn->values.n[ACL_ALLOW] && acl->rule_count < SR6_ACL_MAX_RULES; i++) {
			struct sr6_acl_rule *r = &acl->rules[acl->rule_count++];

			r->tag = (uint16_t)fn->values.v[ACL_ALLOW][i];
			r->tag_mask = 0xffff;
			r->verdict = SR6_ACL_PERMIT;
		}
		acl->default_verdict = one(fn, ACL_DEFAULT) ? SR6_ACL_DENY : SR6_ACL_PERMIT;
	} else if (!strcmp(def->name, "delay")) {
		struct sr6_fn_delay *dl = out;

		_Static_assert(sizeof(*dl) == 8, "functions.c config_size of delay");
		/* functions.c lists the modes in enum sr6_delay_mode order. */
		dl->mode = (uint8_t)one(fn, DELAY_MODE);
		dl->flags = one(fn, DELAY_POP) ? SR6_DELAY_F_POP : 0;
	} else if (!strcmp(def->name, "ratelimit")) {
		struct sr6_fn_rl *rl = out;

		_Static_assert(sizeof(*rl) == 24, "functions.c config_size of ratelimit");
		rl->rate = one(fn, RL_RATE);
		rl->burst = one(fn, RL_BURST);
		rl->unit = one(fn, RL_UNIT) ? SR6_RL_BYTES : SR6_RL_PACKETS;
	} else {
		return 0;
	}
	return def->config_size;
}

static void set_list(struct plan_fn *fn, int k, const uint64_t *v, size_t n, struct arena *a)
{
	fn->values.present[k] = 1;
	fn->values.n[k] = n;
	fn->values.v[k] = n ? arena_memdup(a, v, n * sizeof(*v)) : NULL;
}

static void set_one(struct plan_fn *fn, int k, uint64_t v, struct arena *a)
{
	set_list(fn, k, &v, 1, a);
}

int fnconf_decode(struct plan_fn *fn, const void *value, struct arena *a)
{
	const struct fn_def *def = fn->def;

	memset(&fn->values, 0, sizeof(fn->values));
	if (!def)
		return -1;
	if (!strcmp(def->name, "tag-acl")) {
		const struct sr6_fn_acl *acl = value;
		uint64_t allow[SR6_ACL_MAX_RULES], deny[SR6_ACL_MAX_RULES];
		size_t na = 0, nd = 0, i;

		for (i = 0; i < acl->rule_count && i < SR6_ACL_MAX_RULES; i++) {
			if (acl->rules[i].verdict == SR6_ACL_DENY)
				deny[nd++] = acl->rules[i].tag;
			else
				allow[na++] = acl->rules[i].tag;
		}
		set_list(fn, ACL_ALLOW, allow, na, a);
		set_list(fn, ACL_DENY, deny, nd, a);
		set_one(fn, ACL_DEFAULT, acl->default_verdict == SR6_ACL_DENY, a);
	} else if (!strcmp(def->name, "delay")) {
		const struct sr6_fn_delay *dl = value;

		set_one(fn, DELAY_MODE, dl->mode, a);
		set_one(fn, DELAY_POP, !!(dl->flags & SR6_DELAY_F_POP), a);
	} else if (!strcmp(def->name, "ratelimit")) {
		const struct sr6_fn_rl *rl = value;

		set_one(fn, RL_RATE, rl->rate, a);
		set_one(fn, RL_BURST, rl->burst, a);
		set_one(fn, RL_UNIT, rl->unit == SR6_RL_BYTES, a);
	}
	return 0;
}
