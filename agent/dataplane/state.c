/*
 * state.c: what the kernel holds, read back into a plan: map entries (with the names the
 * agent keeps beside them), sr6's seg6local routes and the pinned links.  The diff between
 * this and a compiled policy is what `sr6 diff` shows and what an apply changes, and a
 * restarted agent starts from it without touching anything.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <bpf/bpf.h>

#include "agent/dataplane/attach.h"
#include "agent/dataplane/fnconf.h"
#include "agent/dataplane/routes.h"
#include "agent/dataplane/state.h"
#include "agent/policy/index.h"
#include "agent/policy/model.h"

/* Every key of a map (any key size): keys[n * key_size], to free(). */
static int map_keys(int fd, size_t key_size, void **keys, size_t *n)
{
	size_t cap = 0;
	unsigned char *v = NULL, *prev = NULL;
	unsigned char next[64];

	*n = 0;
	for (;;) {
		if (bpf_map_get_next_key(fd, prev, next)) {
			if (errno == ENOENT)
				break;
			free(v);
			return -1;
		}
		v = vec_grow(v, &cap, (*n + 1) * key_size, 1);
		memcpy(v + *n * key_size, next, key_size);
		prev = v + *n * key_size;
		(*n)++;
	}
	*keys = v;
	return 0;
}

static const char *name_or_key(struct plan *p, const char *name, uint32_t key)
{
	char buf[32];

	if (name && *name)
		return arena_strndup(&p->arena, name, strnlen(name, DP_NAME_MAX));
	snprintf(buf, sizeof(buf), "#%u", key);	/* installed without a name */
	return arena_strdup(&p->arena, buf);
}

/* sr6_policy -> plan_policy: the segment lists are read back from the SRHs. */
static void decode_policy(struct plan *p, struct plan_policy *pp, uint32_t key,
			  const struct sr6_policy *v, const struct dp_names *names)
{
	unsigned i, j, prev = 0;

	pp->name = name_or_key(p, names ? names->policy : NULL, key);
	pp->key = key;
	pp->mode = v->mode;
	pp->hop_limit = v->hop_limit;
	pp->flags = v->flags;
	pp->mtu = v->mtu;
	pp->source = v->source;
	pp->path_count = v->path_count;
	if (pp->path_count > SR6_MAX_PATHS)
		pp->path_count = SR6_MAX_PATHS;	/* not written by sr6: read what fits */
	for (i = 0; i < pp->path_count; i++) {
		const struct sr6_path *w = &v->paths[i];
		struct plan_path *h = &pp->paths[i];
		union sr6_in6 *segs = arena_alloc(&p->arena, (SR6_MAX_SIDS + 1) * sizeof(*segs));
		unsigned entries = w->srh_len >= 8 ? (w->srh_len - 8u) / 16u : 0;
		unsigned n = 0;

		if (entries > SR6_MAX_SIDS + 1)
			entries = SR6_MAX_SIDS + 1;
		/* First segment first: Segment List[k] holds S(n-k). */
		switch (v->mode) {
		case SR6_MODE_ENCAP_RED:
			segs[n++] = w->dst;
			for (j = entries; j-- > 0;)
				memcpy(segs[n++].b, w->srh + 8 + 16 * j, 16);
			break;
		case SR6_MODE_INLINE:
			for (j = entries; j-- > 1;)
				memcpy(segs[n++].b, w->srh + 8 + 16 * j, 16);
			break;
		default:
			for (j = entries; j-- > 0;)
				memcpy(segs[n++].b, w->srh + 8 + 16 * j, 16);
			break;
		}
		h->segs = segs;
		h->n = (uint8_t)n;
		h->weight = (uint16_t)(v->cum_weight[i] - prev);
		prev = v->cum_weight[i];
		if (names && names->paths[i][0])
			h->segname = arena_strndup(&p->arena, names->paths[i],
						   strnlen(names->paths[i], DP_NAME_MAX));
	}
}

static int read_policies(struct dataplane *dp, struct plan *p, struct index *bykey)
{
	struct sr6_policy *v = xmalloc(sizeof(*v));
	struct dp_names names;
	uint32_t *keys = NULL;
	size_t n, i;

	if (map_keys(dp->map[DPM_POLICIES], sizeof(uint32_t), (void **)&keys, &n)) {
		free(v);
		return dp_fail(dp, -errno, "reading sr6_policies");
	}
	for (i = 0; i < n; i++) {
		struct plan_policy *pp;
		int named;

		if (bpf_map_lookup_elem(dp->map[DPM_POLICIES], &keys[i], v))
			continue;
		named = dp->names_fd >= 0 &&
			bpf_map_lookup_elem(dp->names_fd, &keys[i], &names) == 0;
		pp = VEC_PUSH(&p->policies);
		decode_policy(p, pp, keys[i], v, named ? &names : NULL);
	}
	/* Indexed once the array stops moving: the index keeps pointers to the keys. */
	for (i = 0; i < p->policies.n; i++)
		index_put(bykey, &p->policies.v[i].key, sizeof(uint32_t), (uint32_t)i, NULL);
	free(keys);
	free(v);
	return 0;
}

static const struct fn_def *fn_by_prog(const char *prog)
{
	size_t i;

	for (i = 0; prog && i < fn_count; i++)
		if (!strcmp(fn_defs[i].prog, prog))
			return &fn_defs[i];
	return NULL;
}

static int read_sids(struct dataplane *dp, struct plan *p)
{
	union sr6_in6 *keys = NULL;
	unsigned char conf[FNCONF_MAX];
	struct index routes = { 0 };
	size_t n, i;

	if (map_keys(dp->map[DPM_SIDS], sizeof(union sr6_in6), (void **)&keys, &n))
		return dp_fail(dp, -errno, "reading sr6_sids");
	index_init(&routes, p->routes.n);
	for (i = 0; i < p->routes.n; i++)
		index_put(&routes, &p->routes.v[i].dst, 16, (uint32_t)i, NULL);
	for (i = 0; i < n; i++) {
		const struct plan_route *rt;
		const struct dp_fn *f;
		struct plan_sid *s;
		struct sr6_sid v;
		uint32_t j;

		if (bpf_map_lookup_elem(dp->map[DPM_SIDS], &keys[i], &v))
			continue;
		s = VEC_PUSH(&p->sids);
		s->sid = keys[i];
		s->value = v;
		if (v.behavior != SR6_END_BPF)
			continue;
		/* The function is the program of the SID's route; its parameters are in the
		 * function's configuration map. */
		if (index_get(&routes, &s->sid, 16, &j))
			continue;
		rt = &p->routes.v[j];
		s->fn.def = fn_by_prog(rt->function);
		if (!s->fn.def)
			continue;
		s->fn.name = s->fn.def->name;
		f = dp_fn_get(dp, s->fn.def);
		if (s->fn.def->config_size && f && f->map_fd[0] >= 0 &&
		    bpf_map_lookup_elem(f->map_fd[0], &s->sid, conf) == 0)
			fnconf_decode(&s->fn, conf, &p->arena);
		else
			fn_normalize(s->fn.def, &s->fn.values, &p->arena);
	}
	index_free(&routes);
	free(keys);
	return 0;
}

static int read_locators(struct dataplane *dp, struct plan *p)
{
	struct sr6_locator_key *keys = NULL;
	size_t n, i, j;

	if (map_keys(dp->map[DPM_LOCATORS], sizeof(*keys), (void **)&keys, &n))
		return dp_fail(dp, -errno, "reading sr6_locators");
	for (i = 0; i < n; i++) {
		struct plan_locator *l;
		struct sr6_sid v;

		if (bpf_map_lookup_elem(dp->map[DPM_LOCATORS], &keys[i], &v))
			continue;
		/* The SID it stands for: same value, address inside the locator. */
		for (j = 0; j < p->sids.n; j++) {
			struct prefix pf = { .family = AF_INET6, .len = (uint8_t)keys[i].prefixlen,
					     .addr = keys[i].prefix };

			if (plan_sid_value_equal(&p->sids.v[j].value, &v) &&
			    p->sids.v[j].value.stats_id == v.stats_id &&
			    prefix_contains6(&pf, &p->sids.v[j].sid))
				break;
		}
		if (j == p->sids.n)
			continue;	/* a locator without its SID: removed by the next apply */
		l = VEC_PUSH(&p->locators);
		l->key = keys[i];
		l->sid = (uint32_t)j;
	}
	free(keys);
	return 0;
}

static int set_cmp(const void *a, const void *b)
{
	const struct plan_set *x = a, *y = b;
	int c;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	c = memcmp(x->prefix.b, y->prefix.b, 16);
	if (c)
		return c;
	return x->len == y->len ? 0 : x->len < y->len ? -1 : 1;
}

/* One trie: its sets, and their rules with the policy key turned into a policy index. */
static int read_trie(struct dataplane *dp, struct plan *p, int family, const struct index *bykey)
{
	int fd = dp->map[family == AF_INET6 ? DPM_STEER6 : DPM_STEER4];
	size_t ksize = family == AF_INET6 ? sizeof(struct sr6_steer6_key)
					  : sizeof(struct sr6_steer4_key);
	unsigned char *keys = NULL;
	size_t n, i;
	uint32_t r;

	if (map_keys(fd, ksize, (void **)&keys, &n))
		return dp_fail(dp, -errno, "reading the steering trie");
	for (i = 0; i < n; i++) {
		const unsigned char *k = keys + i * ksize;
		struct sr6_steer_set v;
		struct plan_set *s;
		uint32_t plen;

		if (bpf_map_lookup_elem(fd, k, &v) || v.count > SR6_MAX_RULES_PER_SET)
			continue;
		s = VEC_PUSH(&p->sets);
		memcpy(&plen, k, 4);
		s->family = (uint8_t)family;
		s->len = (uint8_t)plen;
		memcpy(s->prefix.b, k + 4, family == AF_INET6 ? 16 : 4);
		s->slot = v.first;
		s->first = (uint32_t)p->rules.n;
		s->count = v.count;
		for (r = 0; r < v.count; r++) {
			struct sr6_steer_rule *rule = VEC_PUSH(&p->rules);
			uint32_t slot = v.first + r, idx;

			if (bpf_map_lookup_elem(dp->map[DPM_RULES], &slot, rule))
				memset(rule, 0, sizeof(*rule));
			rule->policy = index_get(bykey, &rule->policy, sizeof(rule->policy), &idx) ?
					       PLAN_NO_ID : idx;
		}
	}
	free(keys);
	return 0;
}

static int read_attach(struct dataplane *dp, struct plan *p)
{
	struct dp_link *links;
	size_t n, i, j;

	if (dp_links(dp, &links, &n))
		return -1;
	for (i = 0; i < n; i++) {
		struct plan_attach *a = NULL;

		for (j = 0; j < p->attach.n; j++)
			if (!strcmp(p->attach.v[j].ifname, links[i].ifname))
				a = &p->attach.v[j];
		if (!a) {
			a = VEC_PUSH(&p->attach);
			a->ifname = arena_strdup(&p->arena, links[i].ifname);
		}
		/* A link whose interface went away keeps ifindex 0: the next apply renews it. */
		if (links[i].ifindex)
			a->ifindex = links[i].ifindex;
		/* An XDP interface has tc ingress behind it: its XDP link says the mode,
		 * whichever of the two the folder lists first. */
		if (links[i].hook == DPH_XDP)
			a->mode = links[i].xdp_mode ? links[i].xdp_mode : ATTACH_XDP;
		else if (links[i].hook == DPH_TC_INGRESS && a->mode != ATTACH_XDP &&
			 a->mode != ATTACH_XDP_GENERIC)
			a->mode = ATTACH_TC;
		else if (links[i].hook == DPH_TC_EGRESS)
			a->egress = 1;
	}
	free(links);
	return 0;
}

int state_read(struct dataplane *dp, struct rtnl *rtnl, struct plan *out,
	       struct sr6_config *cfg, struct dp_meta *meta)
{
	struct index bykey = { 0 };
	struct sr6_config cfg_ = { 0 };
	struct dp_meta meta_ = { 0 };
	uint32_t zero = 0;
	int rc;

	plan_init(out);
	cfg = cfg ? cfg : &cfg_;
	if (meta)
		memset(meta, 0, sizeof(*meta));
	else
		meta = &meta_;
	if (bpf_map_lookup_elem(dp->map[DPM_CONFIG], &zero, cfg))
		return dp_fail(dp, -errno, "reading sr6_config");
	out->config_flags = cfg->flags;
	out->hash_seed = cfg->hash_seed;
	out->node = "";
	if (dp->meta_fd >= 0 && bpf_map_lookup_elem(dp->meta_fd, &zero, meta) == 0)
		out->node = arena_strndup(&out->arena, meta->node, strnlen(meta->node, DP_NAME_MAX));
	if (rtnl) {
		rc = routes_dump(rtnl, out, NULL, NULL);
		if (rc) {
			plan_free(out);
			return dp_fail(dp, rc, "reading the seg6local routes%s%s%s",
				       *rtnl_ext_msg(rtnl) ? " (kernel: " : "", rtnl_ext_msg(rtnl),
				       *rtnl_ext_msg(rtnl) ? ")" : "");
		}
	}
	index_init(&bykey, 64);
	rc = read_policies(dp, out, &bykey);
	rc = rc ? rc : read_sids(dp, out);
	rc = rc ? rc : read_locators(dp, out);
	rc = rc ? rc : read_trie(dp, out, AF_INET, &bykey);
	rc = rc ? rc : read_trie(dp, out, AF_INET6, &bykey);
	rc = rc ? rc : read_attach(dp, out);
	index_free(&bykey);
	if (rc) {
		plan_free(out);
		return -1;
	}
	qsort(out->sets.v, out->sets.n, sizeof(*out->sets.v), set_cmp);
	VEC_SHRINK(&out->policies);
	VEC_SHRINK(&out->sets);
	VEC_SHRINK(&out->rules);
	return 0;
}
