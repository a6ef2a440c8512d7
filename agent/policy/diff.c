#include "agent/policy/diff.h"

#include <stdlib.h>
#include <string.h>

#include "agent/policy/index.h"

const char *const diff_kind_names[DK_COUNT] = {
	"policy", "sid", "locator", "steering", "route", "interface", "node",
};
const char *const diff_op_names[DO_COUNT] = { "add", "change", "remove" };

static void add(struct diff *d, uint8_t kind, uint8_t op, size_t now, size_t was)
{
	struct diff_item *it = VEC_PUSH(&d->items);

	it->kind = kind;
	it->op = op;
	it->now = (uint32_t)now;
	it->was = (uint32_t)was;
	d->count[kind][op]++;
}

static void diff_policies(struct diff *d, struct plan *now, const struct plan *was)
{
	struct index names = { 0 };
	uint8_t *kept = xcalloc(was->policies.n + 1, 1);
	uint32_t w;
	size_t i;

	index_init(&names, was->policies.n);
	for (i = 0; i < was->policies.n; i++)
		index_put_str(&names, was->policies.v[i].name, (uint32_t)i, NULL);
	d->policy_was = xcalloc(now->policies.n + 1, sizeof(*d->policy_was));
	for (i = 0; i < now->policies.n; i++) {
		struct plan_policy *p = &now->policies.v[i];

		if (index_get_str(&names, p->name, &w)) {
			d->policy_was[i] = PLAN_NO_ID;
			add(d, DK_POLICY, DO_ADD, i, PLAN_NO_ID);
			continue;
		}
		d->policy_was[i] = w;
		kept[w] = 1;
		p->key = was->policies.v[w].key;
		if (!plan_policy_equal(p, &was->policies.v[w]))
			add(d, DK_POLICY, DO_CHANGE, i, w);
	}
	for (i = 0; i < was->policies.n; i++)
		if (!kept[i])
			add(d, DK_POLICY, DO_REMOVE, PLAN_NO_ID, i);
	index_free(&names);
	free(kept);
}

static void diff_sids(struct diff *d, struct plan *now, const struct plan *was)
{
	struct index sids = { 0 };
	uint8_t *kept = xcalloc(was->sids.n + 1, 1);
	uint32_t w;
	size_t i;

	index_init(&sids, was->sids.n);
	for (i = 0; i < was->sids.n; i++)
		index_put(&sids, &was->sids.v[i].sid, 16, (uint32_t)i, NULL);
	for (i = 0; i < now->sids.n; i++) {
		struct plan_sid *s = &now->sids.v[i];
		const struct plan_sid *o;

		if (index_get(&sids, &s->sid, 16, &w)) {
			add(d, DK_SID, DO_ADD, i, PLAN_NO_ID);
			continue;
		}
		o = &was->sids.v[w];
		kept[w] = 1;
		s->value.stats_id = o->value.stats_id;
		if (!plan_sid_value_equal(&s->value, &o->value) || !plan_fn_equal(&s->fn, &o->fn))
			add(d, DK_SID, DO_CHANGE, i, w);
	}
	for (i = 0; i < was->sids.n; i++)
		if (!kept[i])
			add(d, DK_SID, DO_REMOVE, PLAN_NO_ID, i);
	index_free(&sids);
	free(kept);
}

static void diff_locators(struct diff *d, const struct plan *now, const struct plan *was)
{
	struct index keys = { 0 };
	uint8_t *kept = xcalloc(was->locators.n + 1, 1);
	uint32_t w;
	size_t i;

	index_init(&keys, was->locators.n);
	for (i = 0; i < was->locators.n; i++)
		index_put(&keys, &was->locators.v[i].key, sizeof(struct sr6_locator_key),
			  (uint32_t)i, NULL);
	for (i = 0; i < now->locators.n; i++) {
		const struct plan_locator *l = &now->locators.v[i];

		if (index_get(&keys, &l->key, sizeof(l->key), &w)) {
			add(d, DK_LOCATOR, DO_ADD, i, PLAN_NO_ID);
			continue;
		}
		kept[w] = 1;
		if (!plan_sid_value_equal(&now->sids.v[l->sid].value,
					  &was->sids.v[was->locators.v[w].sid].value))
			add(d, DK_LOCATOR, DO_CHANGE, i, w);
	}
	for (i = 0; i < was->locators.n; i++)
		if (!kept[i])
			add(d, DK_LOCATOR, DO_REMOVE, PLAN_NO_ID, i);
	index_free(&keys);
	free(kept);
}

static int set_order(const struct plan_set *a, const struct plan_set *b)
{
	int c;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	c = memcmp(a->prefix.b, b->prefix.b, 16);
	if (c)
		return c;
	return a->len == b->len ? 0 : a->len < b->len ? -1 : 1;
}

static int rules_equal(const struct diff *d, const struct plan *now, const struct plan_set *a,
		       const struct plan *was, const struct plan_set *b)
{
	uint32_t i;

	if (a->count != b->count)
		return 0;
	for (i = 0; i < a->count; i++) {
		struct sr6_steer_rule x = now->rules.v[a->first + i];
		struct sr6_steer_rule y = was->rules.v[b->first + i];

		/* The policy by identity (name), not by index. */
		if (x.policy >= now->policies.n || d->policy_was[x.policy] != y.policy)
			return 0;
		x.policy = y.policy = 0;
		if (memcmp(&x, &y, sizeof(x)))
			return 0;
	}
	return 1;
}

/* Both set lists are sorted: a merge. */
static void diff_sets(struct diff *d, struct plan *now, const struct plan *was)
{
	size_t i = 0, j = 0;

	while (i < now->sets.n || j < was->sets.n) {
		int c = i == now->sets.n ? 1 : j == was->sets.n ? -1
				: set_order(&now->sets.v[i], &was->sets.v[j]);

		if (c < 0) {
			add(d, DK_SET, DO_ADD, i++, PLAN_NO_ID);
		} else if (c > 0) {
			add(d, DK_SET, DO_REMOVE, PLAN_NO_ID, j++);
		} else {
			if (rules_equal(d, now, &now->sets.v[i], was, &was->sets.v[j]))
				now->sets.v[i].slot = was->sets.v[j].slot;
			else
				add(d, DK_SET, DO_CHANGE, i, j);
			i++;
			j++;
		}
	}
}

static void diff_routes(struct diff *d, const struct plan *now, const struct plan *was)
{
	struct index dst = { 0 };
	uint8_t *kept = xcalloc(was->routes.n + 1, 1);
	uint32_t w;
	size_t i;

	index_init(&dst, was->routes.n);
	for (i = 0; i < was->routes.n; i++)
		index_put(&dst, &was->routes.v[i].dst, 16, (uint32_t)i, NULL);
	for (i = 0; i < now->routes.n; i++) {
		const struct plan_route *r = &now->routes.v[i];

		if (index_get(&dst, &r->dst, 16, &w)) {
			add(d, DK_ROUTE, DO_ADD, i, PLAN_NO_ID);
			continue;
		}
		kept[w] = 1;
		if (!plan_route_equal(r, &was->routes.v[w]))
			add(d, DK_ROUTE, DO_CHANGE, i, w);
	}
	for (i = 0; i < was->routes.n; i++)
		if (!kept[i])
			add(d, DK_ROUTE, DO_REMOVE, PLAN_NO_ID, i);
	index_free(&dst);
	free(kept);
}

static void diff_attach(struct diff *d, const struct plan *now, const struct plan *was)
{
	uint8_t *kept = xcalloc(was->attach.n + 1, 1);
	size_t i, j;

	for (i = 0; i < now->attach.n; i++) {
		const struct plan_attach *a = &now->attach.v[i];

		for (j = 0; j < was->attach.n; j++)
			if (!strcmp(a->ifname, was->attach.v[j].ifname))
				break;
		if (j == was->attach.n) {
			add(d, DK_ATTACH, DO_ADD, i, PLAN_NO_ID);
			continue;
		}
		kept[j] = 1;
		if (a->mode != was->attach.v[j].mode || a->egress != was->attach.v[j].egress ||
		    a->ifindex != was->attach.v[j].ifindex)
			add(d, DK_ATTACH, DO_CHANGE, i, j);
	}
	for (j = 0; j < was->attach.n; j++)
		if (!kept[j])
			add(d, DK_ATTACH, DO_REMOVE, PLAN_NO_ID, j);
	free(kept);
}

void plan_diff(struct diff *out, struct plan *now, const struct plan *was)
{
	memset(out, 0, sizeof(*out));
	diff_policies(out, now, was);
	diff_sids(out, now, was);
	diff_locators(out, now, was);
	diff_sets(out, now, was);
	diff_routes(out, now, was);
	diff_attach(out, now, was);
	if (now->config_flags != was->config_flags)
		add(out, DK_NODE, DO_CHANGE, 0, 0);
}

void diff_free(struct diff *d)
{
	VEC_FREE(&d->items);
	free(d->policy_was);
	d->policy_was = NULL;
}

size_t diff_total(const struct diff *d)
{
	return d->items.n;
}
