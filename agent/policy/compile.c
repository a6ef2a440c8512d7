/*
 * compile.c: model -> plan.  Policies become ready-to-send path lists, SIDs become map
 * values and seg6local routes, and steering rules become one rule set per destination
 * prefix: the set of a prefix holds its own rules and those of every shorter prefix covering
 * it, in evaluation order, so the data plane decides with one LPM lookup and one scan.
 *
 * Evaluation order inside a set: lower priority value first; on equal priority the longer
 * destination prefix first; then the order of the file.
 */
#include "agent/policy/compile.h"

#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "agent/policy/index.h"

static uint32_t system_ifindex(void *arg, const char *name)
{
	(void)arg;
	return if_nametoindex(name);
}

const struct compile_env compile_env_system = { .ifindex = system_ifindex };

struct cctx {
	const struct model *m;
	const struct compile_env *env;
	struct plan *p;
	struct diag *d;
};

static uint32_t ifindex_of(struct cctx *c, const char *name, struct pos pos,
			   const struct ypath *path)
{
	uint32_t ifindex = c->env->ifindex(c->env->arg, name);

	if (!ifindex)
		ydiag(c->d, pos, path, "no interface named \"%s\" on this node", name);
	return ifindex;
}

uint32_t rule_id_of(const struct m_rule *r)
{
	struct rule_match_key k;
	uint32_t id;

	rule_match_key(&k, r);
	id = (uint32_t)hash_bytes(&k, sizeof(k));
	return id ? id : 1;
}

/* ---------------------------------------------------------------------------------------- */

static void compile_policies(struct cctx *c)
{
	const struct m_node *n = &c->m->node;
	size_t i, j;

	for (i = 0; i < c->m->policies.n; i++) {
		const struct m_policy *mp = &c->m->policies.v[i];
		struct plan_policy *pp = VEC_PUSH(&c->p->policies);

		pp->name = arena_strdup(&c->p->arena, mp->name ? mp->name : "");
		pp->key = PLAN_NO_ID;
		pp->mode = mp->mode;
		pp->mtu = mp->mtu;
		pp->path_count = (uint8_t)mp->n_paths;
		if (mp->mode != SR6_MODE_INLINE) {
			pp->hop_limit = mp->hop_limit ? mp->hop_limit : n->hop_limit;
			pp->source = (mp->seen & (1u << PK_SOURCE)) ? mp->source : n->source;
			if (mp->traffic_class == TC_INHERIT)
				pp->flags |= SR6_POLICY_F_TC_COPY;
		}
		for (j = 0; j < mp->n_paths && j < SR6_MAX_PATHS; j++) {
			const struct m_path *mh = &mp->paths[j];
			struct plan_path *ph = &pp->paths[j];
			const union sr6_in6 *segs = mh->segs;
			uint32_t ns = mh->n;

			if (mh->seglist >= 0) {
				const struct m_seglist *sl = &c->m->seglists.v[mh->seglist];

				segs = sl->segs;
				ns = sl->n;
				ph->segname = arena_strdup(&c->p->arena, sl->name);
			}
			ph->n = (uint8_t)ns;
			ph->weight = (uint16_t)mh->weight;
			ph->segs = arena_memdup(&c->p->arena, segs, ns * sizeof(*segs));
		}
	}
}

/* ---------------------------------------------------------------------------------------- */

static void compile_sids(struct cctx *c)
{
	const struct m_node *n = &c->m->node;
	/* The device of the SIDs' routes (validate made sure there is one). */
	uint32_t dev = n->n_ifaces && n->ifaces[0].name ?
			       c->env->ifindex(c->env->arg, n->ifaces[0].name) : 0;
	size_t i;

	for (i = 0; i < c->m->sids.n; i++) {
		const struct m_sid *ms = &c->m->sids.v[i];
		struct plan_sid *ps = VEC_PUSH(&c->p->sids);
		struct plan_route *rt = VEC_PUSH(&c->p->routes);
		struct sr6_sid *v = &ps->value;
		const struct ypath *f = YP_INDEX(YP_KEY(NULL, "sids"), i);

		ps->sid = ms->sid;
		v->behavior = ms->behavior;
		v->flavors = ms->flavors;
		v->stats_id = PLAN_NO_ID;
		if (ms->flavors & SR6_FLV_NEXT_CSID) {
			v->lcblock_bits = ms->lcblock_bits ? ms->lcblock_bits : 32;
			v->lcnode_fn_bits = ms->lcnode_fn_bits ? ms->lcnode_fn_bits : 16;
		}
		if (ms->behavior == SR6_END_T || ms->behavior == SR6_END_DT6)
			v->table = ms->table;
		if (ms->iface)
			v->oif = ifindex_of(c, ms->iface, ms->kpos[SK_INTERFACE],
					    YP_KEY(f, "interface"));
		if (ms->nh_family == AF_INET6)
			v->nh6 = ms->nh;
		else if (ms->nh_family == AF_INET)
			v->nh4 = ms->nh.w[0];

		rt->dst = ms->sid;
		rt->action = ms->behavior;
		rt->table = v->table;
		rt->oif = v->oif;
		rt->dev = v->oif ? v->oif : dev;
		rt->nh_family = ms->nh_family;
		rt->nh = ms->nh;
		rt->flavors = ms->flavors;
		rt->lcblock_bits = v->lcblock_bits;
		rt->lcnode_fn_bits = v->lcnode_fn_bits;

		if (ms->behavior == SR6_END_BPF && ms->function) {
			ps->fn.def = fn_find(ms->function);
			ps->fn.name = arena_strdup(&c->p->arena, ms->function);
			if (ps->fn.def) {
				fn_check_params(ps->fn.def, ms, f, c->d, &c->p->arena, &ps->fn.values);
				fn_normalize(ps->fn.def, &ps->fn.values, &c->p->arena);
				rt->function = arena_strdup(&c->p->arena, ps->fn.def->prog);
			}
		}
		if (ms->flavors & SR6_FLV_NEXT_CSID) {
			struct plan_locator *l = VEC_PUSH(&c->p->locators);

			l->key.prefixlen = (uint32_t)v->lcblock_bits + v->lcnode_fn_bits;
			l->key.prefix = ms->sid;
			addr_mask(&l->key.prefix, l->key.prefixlen);
			l->sid = (uint32_t)(c->p->sids.n - 1);
		}
	}
}

/* ---------------------------------------------------------------------------------------- */

static const struct model *sort_model;

static int dst_cmp(const struct prefix *x, const struct prefix *y)
{
	int c;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	c = memcmp(x->addr.b, y->addr.b, 16);
	if (c)
		return c;
	return x->len == y->len ? 0 : x->len < y->len ? -1 : 1;
}

/* Group rules by destination (family, address, length), then file order. */
static int by_dst(const void *a, const void *b)
{
	uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
	int c = dst_cmp(&sort_model->rules.v[i].dst, &sort_model->rules.v[j].dst);

	return c ? c : i < j ? -1 : 1;
}

/* Evaluation order. */
static int by_eval(const void *a, const void *b)
{
	uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
	const struct m_rule *x = &sort_model->rules.v[i], *y = &sort_model->rules.v[j];

	if (x->priority != y->priority)
		return x->priority < y->priority ? -1 : 1;
	if (x->dst.len != y->dst.len)
		return x->dst.len > y->dst.len ? -1 : 1;
	return i < j ? -1 : i > j;
}

/* Rules order[first .. first+count-1] share one destination prefix. */
struct group {
	uint32_t first, count;
};

/* The group whose prefix is p (binary search over the sorted groups), or -1. */
static long find_group(const struct model *m, const uint32_t *order, const struct group *g,
		       size_t n, const struct prefix *p)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = dst_cmp(p, &m->rules.v[order[g[mid].first]].dst);

		if (c == 0)
			return (long)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

/* How many rules the sets will hold: each group's own plus those of its covering groups. */
static size_t expanded_count(const struct model *m, const uint32_t *order, const struct group *g,
			     size_t n, bool lens[2][129])
{
	size_t total = 0, i;

	for (i = 0; i < n; i++) {
		const struct prefix *d = &m->rules.v[order[g[i].first]].dst;
		unsigned l;

		total += g[i].count;
		for (l = 0; l < d->len; l++) {
			struct prefix up = *d;
			long h;

			if (!lens[d->family == AF_INET6][l])
				continue;
			up.len = (uint8_t)l;
			addr_mask(&up.addr, l);
			h = find_group(m, order, g, n, &up);
			if (h >= 0)
				total += g[h].count;
		}
	}
	return total;
}

static void rule_value(struct cctx *c, struct sr6_steer_rule *out, uint32_t i)
{
	const struct m_rule *r = &c->m->rules.v[i];

	memset(out, 0, sizeof(*out));
	if (r->match & SR6_MATCH_SRC) {
		out->src = r->src.addr;
		out->src_len = r->src.len;
	}
	out->proto = r->match & SR6_MATCH_PROTO ? r->proto : 0;
	out->dscp = r->match & SR6_MATCH_DSCP ? r->dscp : 0;
	out->match = r->match;
	if (r->match & SR6_MATCH_SPORT) {
		out->sport_min = r->sport_min;
		out->sport_max = r->sport_max;
	}
	if (r->match & SR6_MATCH_DPORT) {
		out->dport_min = r->dport_min;
		out->dport_max = r->dport_max;
	}
	out->policy = (uint32_t)r->policy_idx;
	out->rule_id = rule_id_of(r);
}

static void compile_steering(struct cctx *c)
{
	const struct model *m = c->m;
	const struct ypath *steering = YP_KEY(NULL, "steering");
	VEC(struct group) groups = { 0 };
	VEC(uint32_t) members = { 0 };
	uint32_t *order, *ifindex, n = 0, i, j, g;
	bool lens[2][129] = { { false } };
	size_t nprefix[2] = { 0, 0 };
	char pf[ADDR_STRLEN];

	order = xcalloc(m->rules.n ? m->rules.n : 1, sizeof(*order));
	ifindex = xcalloc(m->rules.n ? m->rules.n : 1, sizeof(*ifindex));
	for (i = 0; i < m->rules.n; i++) {
		const struct m_rule *r = &m->rules.v[i];

		if (r->policy_idx < 0 || !(r->match_seen & (1u << MK_DST)) ||
		    (r->match_bad & (1u << MK_DST)))
			continue;
		if ((r->match & SR6_MATCH_IIF) && r->iif)
			ifindex[i] = ifindex_of(c, r->iif, r->iif_pos,
						YP_KEY(YP_KEY(YP_INDEX(steering, i), "match"), "iif"));
		order[n++] = i;
	}
	sort_model = m;
	qsort(order, n, sizeof(*order), by_dst);

	for (i = 0; i < n; i = j) {
		const struct prefix *d = &m->rules.v[order[i]].dst;
		struct group *gr = VEC_PUSH(&groups);

		for (j = i + 1; j < n && !dst_cmp(&m->rules.v[order[j]].dst, d); j++)
			;
		gr->first = i;
		gr->count = j - i;
		lens[d->family == AF_INET6][d->len] = true;
		nprefix[d->family == AF_INET6]++;
	}
	/* Exact room for the sets, and for their rules once counted (a large plan is built
	 * without the copies and slack of growing arrays). */
	VEC_RESERVE(&c->p->sets, c->p->sets.n + groups.n);
	VEC_RESERVE(&c->p->rules, c->p->rules.n + expanded_count(m, order, groups.v, groups.n, lens));
	if (nprefix[0] > SR6_MAX_STEER_PREFIXES || nprefix[1] > SR6_MAX_STEER_PREFIXES)
		ydiag(c->d, m->rules.v[0].pos, steering, "too many destination prefixes (at most "
		      "%d per family)", SR6_MAX_STEER_PREFIXES);

	for (g = 0; g < groups.n; g++) {
		const struct group *gr = &groups.v[g];
		const struct prefix *d = &m->rules.v[order[gr->first]].dst;
		int fam6 = d->family == AF_INET6;
		struct plan_set *set;
		unsigned l;

		members.n = 0;
		for (i = 0; i < gr->count; i++)
			*VEC_PUSH(&members) = order[gr->first + i];
		/* Rules of covering prefixes: only the lengths in use are looked for. */
		for (l = 0; l < d->len; l++) {
			struct prefix up = *d;
			long h;

			if (!lens[fam6][l])
				continue;
			up.len = (uint8_t)l;
			addr_mask(&up.addr, l);
			h = find_group(m, order, groups.v, groups.n, &up);
			if (h < 0)
				continue;
			for (i = 0; i < groups.v[h].count; i++)
				*VEC_PUSH(&members) = order[groups.v[h].first + i];
		}
		if (members.n > SR6_MAX_RULES_PER_SET) {
			const struct m_rule *r = &m->rules.v[order[gr->first]];

			prefix_format(pf, d);
			ydiag(c->d, r->dst_pos,
			      YP_KEY(YP_KEY(YP_INDEX(steering, order[gr->first]), "match"), "dst"),
			      "%zu rules apply to destinations in %s (its own and those of covering "
			      "prefixes): at most %d", members.n, pf, SR6_MAX_RULES_PER_SET);
			continue;
		}
		qsort(members.v, members.n, sizeof(*members.v), by_eval);
		set = VEC_PUSH(&c->p->sets);
		set->family = d->family;
		set->len = d->len;
		set->prefix = d->addr;
		set->first = (uint32_t)c->p->rules.n;
		set->count = (uint32_t)members.n;
		set->slot = PLAN_NO_ID;
		for (i = 0; i < members.n; i++) {
			struct sr6_steer_rule *rv = VEC_PUSH(&c->p->rules);

			rule_value(c, rv, members.v[i]);
			rv->ifindex = ifindex[members.v[i]];
		}
	}
	if (c->p->rules.n > SR6_MAX_STEER_RULES)
		ydiag(c->d, m->rules.v[0].pos, steering, "the rule sets need %zu rule slots (at "
		      "most %d)", c->p->rules.n, SR6_MAX_STEER_RULES);
	VEC_FREE(&groups);
	VEC_FREE(&members);
	free(order);
	free(ifindex);
}

/* ---------------------------------------------------------------------------------------- */

static void compile_attach(struct cctx *c)
{
	const struct m_node *n = &c->m->node;
	size_t i;

	for (i = 0; i < n->n_ifaces; i++) {
		const struct m_iface *ifc = &n->ifaces[i];
		struct plan_attach *a;

		if (!ifc->name)
			continue;
		if (ifc->attach == ATTACH_NONE) {
			ifindex_of(c, ifc->name, ifc->kpos[IK_NAME],
				   YP_KEY(YP_INDEX(YP_KEY(YP_KEY(NULL, "node"), "interfaces"), i), "name"));
			continue;
		}
		a = VEC_PUSH(&c->p->attach);
		a->ifname = arena_strdup(&c->p->arena, ifc->name);
		a->ifindex = ifindex_of(c, ifc->name, ifc->kpos[IK_NAME],
					YP_KEY(YP_INDEX(YP_KEY(YP_KEY(NULL, "node"), "interfaces"), i),
					       "name"));
		a->mode = ifc->attach;
		a->egress = ifc->egress;
	}
}

int policy_compile(struct plan *out, const struct model *m, const struct compile_env *env,
		   struct diag *d)
{
	struct cctx c = { .m = m, .env = env, .p = out, .d = d };
	size_t before = diag_count(d), i;

	plan_init(out);
	out->node = arena_strdup(&out->arena, m->node.name ? m->node.name : "");
	VEC_RESERVE(&out->policies, m->policies.n);
	VEC_RESERVE(&out->sids, m->sids.n);
	VEC_RESERVE(&out->routes, m->sids.n);
	compile_policies(&c);
	compile_sids(&c);
	compile_steering(&c);
	compile_attach(&c);
	for (i = 0; i < out->sets.n; i++)
		out->config_flags |= out->sets.v[i].family == AF_INET6 ? SR6_CFG_STEER6
								   : SR6_CFG_STEER4;
	if (out->sids.n)
		out->config_flags |= SR6_CFG_SIDS;
	if (out->locators.n)
		out->config_flags |= SR6_CFG_LOCATORS;
	if (m->node.fib_cache)
		out->config_flags |= SR6_CFG_FIB_CACHE;
	out->hash_seed = m->node.hash_seed;
	/* XDP interfaces get tc ingress too (dataplane/engine.c): XDP leaves to it the GRO
	 * aggregates and the frames without room for the encapsulation. */
	for (i = 0; i < out->attach.n; i++)
		if (out->attach.v[i].mode == ATTACH_XDP || out->attach.v[i].mode == ATTACH_XDP_GENERIC)
			out->config_flags |= SR6_CFG_TC_AFTER_XDP;
	/* The plan may be kept for a long time (the agent's installed state). */
	VEC_SHRINK(&out->policies);
	VEC_SHRINK(&out->sids);
	VEC_SHRINK(&out->sets);
	VEC_SHRINK(&out->rules);
	VEC_SHRINK(&out->routes);
	if (diag_count(d) != before) {
		plan_free(out);
		return -1;
	}
	return 0;
}

/* Validate even after parse errors (all problems at once), but not a file whose YAML could
 * not be read to its end; compile only what is valid. */
int policy_load_model(struct plan *out, struct model *m, const struct compile_env *env,
		      struct diag *d, size_t before)
{
	int rc = -1;

	if (!m->syntax_error)
		model_validate(m, d);
	if (diag_count(d) == before)
		rc = policy_compile(out, m, env, d);
	model_free(m);
	diag_sort(d);
	return rc;
}

int policy_load(struct plan *out, const void *text, size_t len,
		const struct compile_env *env, struct diag *d)
{
	size_t before = diag_count(d);
	struct model m;

	model_parse(&m, text, len, d);
	return policy_load_model(out, &m, env, d, before);
}

int policy_load_file(struct plan *out, FILE *f, const struct compile_env *env,
		     struct diag *d)
{
	size_t before = diag_count(d);
	struct model m;

	model_parse_file(&m, f, d);
	return policy_load_model(out, &m, env, d, before);
}
