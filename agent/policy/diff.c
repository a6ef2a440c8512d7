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

/*
 * Objects matched by identity: an index of was's keys, then each object of now is found
 * (matched: its ids carried over, a change when it differs) or added; what was did not
 * find is removed.  key gives an object's identity bytes, match compares a found pair.
 */
typedef const void *(*key_fn)(const struct plan *p, size_t i, size_t *len);
typedef int (*match_fn)(struct diff *d, struct plan *now, size_t i, const struct plan *was,
			uint32_t w);

static void diff_by_key(struct diff *d, uint8_t kind, struct plan *now, size_t n_now,
			const struct plan *was, size_t n_was, key_fn key, match_fn match)
{
	struct index ids = { 0 };
	uint8_t *kept = xcalloc(n_was + 1, 1);
	const void *k;
	size_t i, len;
	uint32_t w;

	index_init(&ids, n_was);
	for (i = 0; i < n_was; i++) {
		k = key(was, i, &len);
		index_put(&ids, k, len, (uint32_t)i, NULL);
	}
	for (i = 0; i < n_now; i++) {
		k = key(now, i, &len);
		if (index_get(&ids, k, len, &w)) {
			add(d, kind, DO_ADD, i, PLAN_NO_ID);
			continue;
		}
		kept[w] = 1;
		if (match(d, now, i, was, w))
			add(d, kind, DO_CHANGE, i, w);
	}
	for (i = 0; i < n_was; i++)
		if (!kept[i])
			add(d, kind, DO_REMOVE, PLAN_NO_ID, i);
	index_free(&ids);
	free(kept);
}

/* Policies by name: a kept policy keeps its key (and its counters). */
static const void *policy_key(const struct plan *p, size_t i, size_t *len)
{
	*len = strlen(p->policies.v[i].name);
	return p->policies.v[i].name;
}

static int policy_match(struct diff *d, struct plan *now, size_t i, const struct plan *was,
			uint32_t w)
{
	struct plan_policy *p = &now->policies.v[i];

	d->policy_was[i] = w;
	p->key = was->policies.v[w].key;
	return !plan_policy_equal(p, &was->policies.v[w]);
}

/* SIDs by address: a kept SID keeps its stats id. */
static const void *sid_key(const struct plan *p, size_t i, size_t *len)
{
	*len = 16;
	return &p->sids.v[i].sid;
}

static int sid_match(struct diff *d, struct plan *now, size_t i, const struct plan *was,
		     uint32_t w)
{
	struct plan_sid *s = &now->sids.v[i];
	const struct plan_sid *o = &was->sids.v[w];

	(void)d;
	s->value.stats_id = o->value.stats_id;
	return !plan_sid_value_equal(&s->value, &o->value) || !plan_fn_equal(&s->fn, &o->fn);
}

/* Locators by prefix: the value is their SID's. */
static const void *locator_key(const struct plan *p, size_t i, size_t *len)
{
	*len = sizeof(struct sr6_locator_key);
	return &p->locators.v[i].key;
}

static int locator_match(struct diff *d, struct plan *now, size_t i, const struct plan *was,
			 uint32_t w)
{
	(void)d;
	return !plan_sid_value_equal(&now->sids.v[now->locators.v[i].sid].value,
				     &was->sids.v[was->locators.v[w].sid].value);
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

/* Routes by destination. */
static const void *route_key(const struct plan *p, size_t i, size_t *len)
{
	*len = 16;
	return &p->routes.v[i].dst;
}

static int route_match(struct diff *d, struct plan *now, size_t i, const struct plan *was,
		       uint32_t w)
{
	(void)d;
	return !plan_route_equal(&now->routes.v[i], &was->routes.v[w]);
}

/* Attach points by interface name. */
static const void *attach_key(const struct plan *p, size_t i, size_t *len)
{
	*len = strlen(p->attach.v[i].ifname);
	return p->attach.v[i].ifname;
}

static int attach_match(struct diff *d, struct plan *now, size_t i, const struct plan *was,
			uint32_t w)
{
	const struct plan_attach *a = &now->attach.v[i], *o = &was->attach.v[w];

	(void)d;
	return a->mode != o->mode || a->egress != o->egress || a->ifindex != o->ifindex;
}

void plan_diff(struct diff *out, struct plan *now, const struct plan *was)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	out->policy_was = xcalloc(now->policies.n + 1, sizeof(*out->policy_was));
	for (i = 0; i < now->policies.n; i++)
		out->policy_was[i] = PLAN_NO_ID;
	diff_by_key(out, DK_POLICY, now, now->policies.n, was, was->policies.n, policy_key,
		    policy_match);
	diff_by_key(out, DK_SID, now, now->sids.n, was, was->sids.n, sid_key, sid_match);
	diff_by_key(out, DK_LOCATOR, now, now->locators.n, was, was->locators.n, locator_key,
		    locator_match);
	diff_sets(out, now, was);
	diff_by_key(out, DK_ROUTE, now, now->routes.n, was, was->routes.n, route_key, route_match);
	diff_by_key(out, DK_ATTACH, now, now->attach.n, was, was->attach.n, attach_key,
		    attach_match);
	if (now->config_flags != was->config_flags || now->hash_seed != was->hash_seed)
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
