/*
 * engine.c: plan -> maps, routes and links, in the order engine.h describes.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <bpf/bpf.h>

#include "agent/dataplane/attach.h"
#include "agent/dataplane/engine.h"
#include "agent/dataplane/fnconf.h"
#include "agent/dataplane/state.h"
#include "agent/policy/model.h"

#define BATCH 256	/* map values written per syscall (policies are 2.3 KiB each) */

static uint64_t now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000u + (uint64_t)t.tv_nsec / 1000u;
}

struct run {
	struct engine *e;
	struct plan *next;
	const struct plan *was;
	const struct diff *d;		/* engine_diff(e, next) */
	struct apply_result *res;
	uint64_t map_t0;
};

/* Map syscalls are timed as a whole (grace periods are timed apart). */
static void maps_begin(struct run *r)
{
	r->map_t0 = now_us();
}

static void maps_end(struct run *r)
{
	r->res->maps_us += now_us() - r->map_t0;
}

static int barrier(struct run *r)
{
	uint64_t t = now_us();
	int rc = dp_barrier(r->e->dp);

	r->res->barrier_us += now_us() - t;
	r->res->barriers++;
	if (rc == 0) {
		idalloc_grace(&r->e->slots);
		idalloc_grace(&r->e->sid_ids);
		idalloc_grace(&r->e->keys);
	}
	return rc;
}

static int update_batch(struct dataplane *dp, int fd, const char *what, const void *keys,
			const void *values, uint32_t n)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	uint32_t count = n;

	if (!n)
		return 0;
	if (bpf_map_update_batch(fd, keys, values, &count, &opts))
		return dp_fail(dp, -errno, "writing %s (%u of %u written)", what, count, n);
	return 0;
}

/* What a step does to the objects of one kind: write the added and changed ones, take the
 * old values of the changed and removed ones away, or only remove. */
#define OPS_WRITE	(1u << DO_ADD | 1u << DO_CHANGE)
#define OPS_OLD		(1u << DO_CHANGE | 1u << DO_REMOVE)
#define OPS_REMOVE	(1u << DO_REMOVE)

/* The next item after it (NULL: the first) of a kind, with one of ops; NULL at the end. */
static const struct diff_item *next_item(const struct run *r, const struct diff_item *it,
					 uint8_t kind, unsigned ops)
{
	const struct diff_item *end;

	if (!r->d->items.n)
		return NULL;
	end = r->d->items.v + r->d->items.n;
	for (it = it ? it + 1 : r->d->items.v; it < end; it++)
		if (it->kind == kind && (ops & (1u << it->op)))
			return it;
	return NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* Ids                                                                                        */

static int alloc(struct run *r, struct idalloc *a, uint32_t count, uint32_t *out,
		 const char *what)
{
	if (idalloc_get(a, count, out) == 0)
		return 0;
	if (idalloc_has_pending(a) && barrier(r) == 0 && idalloc_get(a, count, out) == 0)
		return 0;
	return dp_fail(r->e->dp, -ENOSPC, "no room for %s (the old entries stay until the new "
		       "ones are in)", what);
}

static int assign_ids(struct run *r)
{
	size_t i;

	for (i = 0; i < r->d->items.n; i++) {
		const struct diff_item *it = &r->d->items.v[i];

		if (it->op == DO_REMOVE)
			continue;
		switch (it->kind) {
		case DK_POLICY:
			if (it->op == DO_ADD &&
			    alloc(r, &r->e->keys, 1, &r->next->policies.v[it->now].key, "a policy"))
				return -1;
			break;
		case DK_SID:
			if (it->op == DO_ADD &&
			    alloc(r, &r->e->sid_ids, 1, &r->next->sids.v[it->now].value.stats_id,
				  "a SID"))
				return -1;
			break;
		case DK_SET: {
			struct plan_set *s = &r->next->sets.v[it->now];

			if (alloc(r, &r->e->slots, s->count, &s->slot, "steering rules"))
				return -1;
			break;
		}
		default:
			break;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* make                                                                                       */

static int write_names(struct run *r)
{
	struct dataplane *dp = r->e->dp;
	struct dp_names names;
	const struct diff_item *it;
	size_t j;

	for (it = NULL; (it = next_item(r, it, DK_POLICY, OPS_WRITE));) {
		const struct plan_policy *p;

		p = &r->next->policies.v[it->now];
		memset(&names, 0, sizeof(names));
		snprintf(names.policy, sizeof(names.policy), "%s", p->name);
		for (j = 0; j < p->path_count; j++)
			if (p->paths[j].segname)
				snprintf(names.paths[j], sizeof(names.paths[j]), "%s",
					 p->paths[j].segname);
		if (bpf_map_update_elem(dp->names_fd, &p->key, &names, BPF_ANY))
			return dp_fail(dp, -errno, "writing the name of policy %s", p->name);
	}
	return 0;
}

/* Counters of ids handed out again start from zero, and so do the counters of a path whose
 * segment list changed (zeroed just before the new value is written: the few packets in
 * between count on the new path). */
static int zero_stats(struct run *r)
{
	struct dataplane *dp = r->e->dp;
	size_t per = (size_t)dp->ncpus * sizeof(struct sr6_counter), i;
	void *zeros = xcalloc(SR6_POLICY_STATS_SLOTS, per);
	uint32_t keys[SR6_POLICY_STATS_SLOTS];
	int rc = 0;

	for (i = 0; i < r->d->items.n && !rc; i++) {
		const struct diff_item *it = &r->d->items.v[i];
		uint32_t k;

		if (it->kind == DK_POLICY && it->op == DO_CHANGE) {
			/* A path that changed starts counting again (the policy's total goes on). */
			const struct plan_policy *p = &r->next->policies.v[it->now];
			const struct plan_policy *o = &r->was->policies.v[it->was];
			uint32_t n = 0;

			for (k = 0; k < SR6_MAX_PATHS; k++) {
				const struct plan_path *a = &p->paths[k], *b = &o->paths[k];
				int same = k < p->path_count && k < o->path_count && a->n == b->n &&
					   !memcmp(a->segs, b->segs, a->n * sizeof(*a->segs)) &&
					   !a->segname == !b->segname &&
					   (!a->segname || !strcmp(a->segname, b->segname));

				if (!same && (k < p->path_count || k < o->path_count))
					keys[n++] = p->key * SR6_POLICY_STATS_SLOTS + 1 + k;
			}
			rc = update_batch(dp, dp->map[DPM_POLICY_STATS], "sr6_policy_stats", keys,
					  zeros, n);
			continue;
		}
		if (it->op != DO_ADD)
			continue;
		if (it->kind == DK_POLICY) {
			uint32_t base = r->next->policies.v[it->now].key * SR6_POLICY_STATS_SLOTS;

			for (k = 0; k < SR6_POLICY_STATS_SLOTS; k++)
				keys[k] = base + k;
			rc = update_batch(dp, dp->map[DPM_POLICY_STATS], "sr6_policy_stats", keys,
					  zeros, SR6_POLICY_STATS_SLOTS);
		} else if (it->kind == DK_SID) {
			const struct plan_sid *s = &r->next->sids.v[it->now];
			const struct dp_fn *f = s->fn.def ? dp_fn_get(dp, s->fn.def) : NULL;
			int m;

			k = s->value.stats_id;
			if (bpf_map_update_elem(dp->map[DPM_SID_STATS], &k, zeros, BPF_ANY))
				rc = dp_fail(dp, -errno, "resetting sr6_sid_stats");
			/* A function's per-SID counters of an earlier SID at this address. */
			for (m = s->fn.def && s->fn.def->config_size ? 1 : 0; f && m < FN_MAX_MAPS;
			     m++)
				if (f->map_fd[m] >= 0)
					bpf_map_delete_elem(f->map_fd[m], &s->sid);
		}
	}
	free(zeros);
	return rc;
}

static int write_policies(struct run *r)
{
	struct dataplane *dp = r->e->dp;
	struct sr6_policy *vals = xmalloc(BATCH * sizeof(*vals));
	uint32_t keys[BATCH], n = 0;
	const struct diff_item *it;
	int rc = 0;

	for (it = NULL; !rc && (it = next_item(r, it, DK_POLICY, OPS_WRITE));) {
		keys[n] = r->next->policies.v[it->now].key;
		plan_policy_value(&vals[n], &r->next->policies.v[it->now]);
		if (++n == BATCH) {
			rc = update_batch(dp, dp->map[DPM_POLICIES], "sr6_policies", keys, vals, n);
			n = 0;
		}
	}
	if (!rc)
		rc = update_batch(dp, dp->map[DPM_POLICIES], "sr6_policies", keys, vals, n);
	free(vals);
	return rc;
}

static int write_sids(struct run *r)
{
	struct dataplane *dp = r->e->dp;
	unsigned char conf[FNCONF_MAX];
	size_t i;

	for (i = 0; i < r->d->items.n; i++) {
		const struct diff_item *it = &r->d->items.v[i];
		const struct plan_sid *s;

		if (it->op == DO_REMOVE)
			continue;
		if (it->kind == DK_SID) {
			const struct dp_fn *f;

			s = &r->next->sids.v[it->now];
			/* The function's configuration first: the route that runs it comes later. */
			f = s->fn.def ? dp_fn_get(dp, s->fn.def) : NULL;
			if (f && fnconf_encode(&s->fn, conf) &&
			    bpf_map_update_elem(f->map_fd[0], &s->sid, conf, BPF_ANY))
				return dp_fail(dp, -errno, "writing %s", f->def->maps[0]);
			if (bpf_map_update_elem(dp->map[DPM_SIDS], &s->sid, &s->value, BPF_ANY))
				return dp_fail(dp, -errno, "writing sr6_sids");
		} else if (it->kind == DK_LOCATOR) {
			const struct plan_locator *l = &r->next->locators.v[it->now];

			s = &r->next->sids.v[l->sid];
			if (bpf_map_update_elem(dp->map[DPM_LOCATORS], &l->key, &s->value, BPF_ANY))
				return dp_fail(dp, -errno, "writing sr6_locators");
		}
	}
	return 0;
}

/* The rules of new and changed sets into their (unreferenced) slots, then the trie entries
 * that publish them. */
static int write_steering(struct run *r)
{
	struct dataplane *dp = r->e->dp;
	VEC(uint32_t) slots = { 0 };
	VEC(struct sr6_steer_rule) rules = { 0 };
	VEC(struct sr6_steer6_key) k6 = { 0 };
	VEC(struct sr6_steer4_key) k4 = { 0 };
	VEC(struct sr6_steer_set) v6 = { 0 }, v4 = { 0 };
	const struct diff_item *it;
	uint32_t j;
	int rc;

	for (it = NULL; (it = next_item(r, it, DK_SET, OPS_WRITE));) {
		const struct plan_set *s;

		s = &r->next->sets.v[it->now];
		for (j = 0; j < s->count; j++) {
			struct sr6_steer_rule *w = VEC_PUSH(&rules);

			*w = r->next->rules.v[s->first + j];
			w->policy = r->next->policies.v[w->policy].key;
			*VEC_PUSH(&slots) = s->slot + j;
		}
		if (s->family == AF_INET6) {
			struct sr6_steer6_key *k = VEC_PUSH(&k6);
			struct sr6_steer_set *v = VEC_PUSH(&v6);

			k->prefixlen = s->len;
			k->dst = s->prefix;
			v->first = s->slot;
			v->count = s->count;
		} else {
			struct sr6_steer4_key *k = VEC_PUSH(&k4);
			struct sr6_steer_set *v = VEC_PUSH(&v4);

			k->prefixlen = s->len;
			k->dst = s->prefix.w[0];
			v->first = s->slot;
			v->count = s->count;
		}
	}
	rc = update_batch(dp, dp->map[DPM_RULES], "sr6_steer_rules", slots.v, rules.v,
			  (uint32_t)rules.n);
	if (!rc)
		rc = update_batch(dp, dp->map[DPM_STEER6], "sr6_steer6", k6.v, v6.v, (uint32_t)k6.n);
	if (!rc)
		rc = update_batch(dp, dp->map[DPM_STEER4], "sr6_steer4", k4.v, v4.v, (uint32_t)k4.n);
	VEC_FREE(&slots);
	VEC_FREE(&rules);
	VEC_FREE(&k6);
	VEC_FREE(&k4);
	VEC_FREE(&v6);
	VEC_FREE(&v4);
	return rc;
}

static int config_write(struct engine *e, uint32_t flags, uint32_t hash_seed)
{
	struct sr6_config cfg = { .flags = flags, .generation = e->generation,
				  .hash_seed = hash_seed };
	uint32_t zero = 0;

	if (bpf_map_update_elem(e->dp->map[DPM_CONFIG], &zero, &cfg, BPF_ANY))
		return dp_fail(e->dp, -errno, "writing sr6_config");
	return 0;
}

static int write_config(struct run *r, uint32_t flags)
{
	/* The new seed from the first write on: a flow changes path once, not twice. */
	return config_write(r->e, flags, r->next->hash_seed);
}

static int route_prog_fd(struct dataplane *dp, const struct plan_route *rt)
{
	size_t i;

	for (i = 0; rt->function && i < dp->n_fn; i++)
		if (!strcmp(dp->fn[i].def->prog, rt->function))
			return dp->fn[i].prog_fd;
	return -1;
}

/*
 * A refused route: what it was, the route in full, the error and the kernel's reason, e.g.
 * "installing route fc00:1::12/128 seg6local End.X nh6 fe80::2 oif 7 dev 7 (s0): Network is
 * down (kernel: Nexthop device is not up)".
 */
static int route_fail(struct run *r, int err, const char *doing, const struct plan_route *rt)
{
	struct dataplane *dp = r->e->dp;
	const char *why = rtnl_ext_msg(r->e->rtnl);
	char desc[320] = "";
	FILE *f = fmemopen(desc, sizeof(desc), "w");
	size_t n;

	if (f) {
		char ifname[IF_NAMESIZE];

		plan_print_route(f, rt);
		if (if_indextoname(rt->dev, ifname))
			fprintf(f, " (%s)", ifname);
		fclose(f);
	}
	dp_fail(dp, err, "%s %s", doing, desc);
	n = strlen(dp->err);
	if (*why && n < sizeof(dp->err))
		snprintf(dp->err + n, sizeof(dp->err) - n, " (kernel: %s)", why);
	return -1;
}

static int write_routes(struct run *r)
{
	struct dataplane *dp = r->e->dp;
	uint64_t t = now_us();
	const struct diff_item *it;
	int rc = 0;

	for (it = NULL; !rc && (it = next_item(r, it, DK_ROUTE, OPS_WRITE));) {
		const struct plan_route *rt;
		int fd = -1;

		rt = &r->next->routes.v[it->now];
		if (rt->function) {
			fd = route_prog_fd(dp, rt);
			if (fd < 0) {
				rc = dp_fail(dp, 0, "End.BPF %s is not loaded", rt->function);
				break;
			}
		}
		rc = route_replace(r->e->rtnl, rt, fd);
		if (rc)
			rc = route_fail(r, rc, "installing", rt);
	}
	r->res->routes_us += now_us() - t;
	return rc;
}

/*
 * Hooks an attach point needs: bit per enum dp_hook.  XDP comes with tc ingress on the same
 * interface, which takes what XDP cannot encapsulate right (GRO aggregates under generic
 * XDP, frames without room): the plan sets SR6_CFG_TC_AFTER_XDP for it.
 */
static unsigned hooks_of(const struct plan_attach *a)
{
	unsigned h = a->mode == ATTACH_TC ? 1u << DPH_TC_INGRESS
					  : 1u << DPH_XDP | 1u << DPH_TC_INGRESS;

	return a->egress ? h | 1u << DPH_TC_EGRESS : h;
}

static int write_attach(struct run *r)
{
	struct dataplane *dp = r->e->dp;
	uint64_t t = now_us();
	const struct diff_item *it;
	int h, rc = 0;

	for (it = NULL; !rc && (it = next_item(r, it, DK_ATTACH, OPS_WRITE));) {
		const struct plan_attach *a, *old = NULL;
		unsigned want, had = 0;

		a = &r->next->attach.v[it->now];
		if (it->op == DO_CHANGE) {
			old = &r->was->attach.v[it->was];
			had = old->ifindex == a->ifindex ? hooks_of(old) : 0;
		}
		want = hooks_of(a);
		/* XDP in another mode: native and generic cannot be attached at once. */
		if (old && (had & (1u << DPH_XDP)) && (want & (1u << DPH_XDP)) &&
		    old->mode != a->mode) {
			rc = dp_link_remove(dp, a->ifname, DPH_XDP);
			had &= ~(1u << DPH_XDP);
		}
		for (h = 0; h < DPH_COUNT && !rc; h++)
			if ((want & (1u << h)) && !(had & (1u << h)))
				rc = dp_link_attach(dp, a->ifname, a->ifindex, h, a->mode);
	}
	r->res->attach_us += now_us() - t;
	return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* break                                                                                      */

static int remove_attach(struct run *r)
{
	struct dataplane *dp = r->e->dp;
	uint64_t t = now_us();
	const struct diff_item *it;
	int h, rc = 0;

	for (it = NULL; !rc && (it = next_item(r, it, DK_ATTACH, OPS_OLD));) {
		const struct plan_attach *old;
		unsigned want = 0, had;

		old = &r->was->attach.v[it->was];
		had = hooks_of(old);
		/* Hooks still wanted were attached again (or kept) by write_attach, under the
		 * same pin names: only the others go. */
		if (it->op == DO_CHANGE)
			want = hooks_of(&r->next->attach.v[it->now]);
		for (h = 0; h < DPH_COUNT && !rc; h++)
			if ((had & (1u << h)) && !(want & (1u << h)))
				rc = dp_link_remove(dp, old->ifname, h);
	}
	r->res->attach_us += now_us() - t;
	return rc;
}

static int remove_routes(struct run *r)
{
	uint64_t t = now_us();
	const struct diff_item *it;
	int rc = 0;

	for (it = NULL; !rc && (it = next_item(r, it, DK_ROUTE, OPS_REMOVE));) {
		rc = route_delete(r->e->rtnl, &r->was->routes.v[it->was]);
		if (rc)
			rc = route_fail(r, rc, "removing", &r->was->routes.v[it->was]);
	}
	r->res->routes_us += now_us() - t;
	return rc;
}

/* Trie entries of removed prefixes; slots of removed and replaced sets wait a grace period. */
static int remove_steering(struct run *r)
{
	struct dataplane *dp = r->e->dp;
	const struct diff_item *it;

	for (it = NULL; (it = next_item(r, it, DK_SET, OPS_OLD));) {
		const struct plan_set *s;

		s = &r->was->sets.v[it->was];
		if (it->op == DO_REMOVE) {
			int rc;

			if (s->family == AF_INET6) {
				struct sr6_steer6_key k = { .prefixlen = s->len, .dst = s->prefix };

				rc = bpf_map_delete_elem(dp->map[DPM_STEER6], &k);
			} else {
				struct sr6_steer4_key k = { .prefixlen = s->len, .dst = s->prefix.w[0] };

				rc = bpf_map_delete_elem(dp->map[DPM_STEER4], &k);
			}
			if (rc && errno != ENOENT)
				return dp_fail(dp, -errno, "removing a steering prefix");
		}
		if (s->slot != PLAN_NO_ID)
			idalloc_defer(&r->e->slots, s->slot, s->count);
	}
	return 0;
}

static int remove_policies(struct run *r)
{
	struct dataplane *dp = r->e->dp;
	const struct diff_item *it;
	int rc;

	if (!r->d->count[DK_POLICY][DO_REMOVE])
		return 0;
	/* Rules that pointed to these policies were unlinked above: wait until no packet can
	 * still be between reading such a rule and looking its policy up. */
	maps_end(r);
	rc = barrier(r);
	maps_begin(r);
	if (rc)
		return -1;
	for (it = NULL; (it = next_item(r, it, DK_POLICY, OPS_REMOVE));) {
		uint32_t key;

		key = r->was->policies.v[it->was].key;
		if (bpf_map_delete_elem(dp->map[DPM_POLICIES], &key) && errno != ENOENT)
			return dp_fail(dp, -errno, "removing policy %s",
				       r->was->policies.v[it->was].name);
		bpf_map_delete_elem(dp->names_fd, &key);
		/* Nothing can reach the key any more: it is free at once. */
		idalloc_put(&r->e->keys, key, 1);
	}
	return 0;
}

static int remove_sids(struct run *r)
{
	struct dataplane *dp = r->e->dp;
	size_t i;

	for (i = 0; i < r->d->items.n; i++) {
		const struct diff_item *it = &r->d->items.v[i];

		if (it->op != DO_REMOVE && !(it->kind == DK_SID && it->op == DO_CHANGE))
			continue;
		if (it->kind == DK_SID) {
			const struct plan_sid *s = &r->was->sids.v[it->was];
			const struct plan_sid *now = it->op == DO_CHANGE ?
				&r->next->sids.v[it->now] : NULL;
			const struct dp_fn *f = s->fn.def ? dp_fn_get(dp, s->fn.def) : NULL;

			/* The old function's per-SID entries when the SID stops using it. */
			if (f && (!now || now->fn.def != s->fn.def)) {
				int m;

				for (m = 0; m < FN_MAX_MAPS; m++)
					if (f->map_fd[m] >= 0)
						bpf_map_delete_elem(f->map_fd[m], &s->sid);
			}
			if (now)
				continue;
			if (bpf_map_delete_elem(dp->map[DPM_SIDS], &s->sid) && errno != ENOENT)
				return dp_fail(dp, -errno, "removing a SID");
			idalloc_defer(&r->e->sid_ids, s->value.stats_id, 1);
		} else if (it->kind == DK_LOCATOR) {
			const struct plan_locator *l = &r->was->locators.v[it->was];

			if (bpf_map_delete_elem(dp->map[DPM_LOCATORS], &l->key) && errno != ENOENT)
				return dp_fail(dp, -errno, "removing a locator");
		}
	}
	return 0;
}

static void write_meta(struct run *r, const char *source)
{
	struct dp_meta meta;
	uint32_t zero = 0;

	memset(&meta, 0, sizeof(meta));
	snprintf(meta.node, sizeof(meta.node), "%s", r->next->node);
	snprintf(meta.source, sizeof(meta.source), "%s", source ? source : "");
	meta.applied_unix = (uint64_t)time(NULL);
	meta.generation = r->e->generation;
	snprintf(meta.version, sizeof(meta.version), "%s", SR6_VERSION);
	if (r->e->dp->meta_fd >= 0)
		bpf_map_update_elem(r->e->dp->meta_fd, &zero, &meta, BPF_ANY);
}

/* ---------------------------------------------------------------------------------------- */

static void rebuild_allocators(struct engine *e)
{
	size_t i;

	idalloc_free(&e->keys);
	idalloc_free(&e->sid_ids);
	idalloc_free(&e->slots);
	idalloc_init(&e->keys, SR6_MAX_POLICIES);
	idalloc_init(&e->sid_ids, SR6_MAX_LOCAL_SIDS);
	idalloc_init(&e->slots, SR6_MAX_STEER_RULES);
	for (i = 0; i < e->applied.policies.n; i++)
		idalloc_mark(&e->keys, e->applied.policies.v[i].key, 1);
	for (i = 0; i < e->applied.sids.n; i++)
		idalloc_mark(&e->sid_ids, e->applied.sids.v[i].value.stats_id, 1);
	for (i = 0; i < e->applied.sets.n; i++)
		idalloc_mark(&e->slots, e->applied.sets.v[i].slot, e->applied.sets.v[i].count);
}

/* Read the kernel's state again (after a failure, or at start). */
static int resync(struct engine *e)
{
	struct sr6_config cfg;

	plan_free(&e->applied);
	if (state_read(e->dp, e->rtnl, &e->applied, &cfg, NULL))
		return -1;
	e->generation = cfg.generation;
	rebuild_allocators(e);
	/* Ids freed by whoever ran before may still be in use by packets in flight. */
	return dp_barrier(e->dp);
}

int engine_open(struct engine *e, struct dataplane *dp)
{
	size_t i;
	int h;

	memset(e, 0, sizeof(*e));
	e->dp = dp;
	plan_init(&e->applied);
	if (rtnl_open(&e->rtnl))
		return dp_fail(dp, -errno, "opening rtnetlink");
	if (resync(e))
		goto fail;
	/* A restarted agent: the pinned links go on with its programs. */
	for (i = 0; dp->node && i < e->applied.attach.n; i++) {
		const struct plan_attach *a = &e->applied.attach.v[i];
		unsigned hooks = hooks_of(a);

		if (!a->ifindex)
			continue;
		for (h = 0; h < DPH_COUNT; h++)
			if ((hooks & (1u << h)) && dp_link_update(dp, a->ifname, h))
				goto fail;
	}
	return 0;
fail:
	engine_close(e);
	return -1;
}

void engine_close(struct engine *e)
{
	plan_free(&e->applied);
	idalloc_free(&e->keys);
	idalloc_free(&e->sid_ids);
	idalloc_free(&e->slots);
	rtnl_close(e->rtnl);
	e->rtnl = NULL;
}

/* The End.BPF programs this process would install: their ids make routes comparable. */
static void set_route_progs(struct engine *e, struct plan *next)
{
	size_t i, j;

	for (i = 0; i < next->routes.n; i++) {
		struct plan_route *rt = &next->routes.v[i];

		for (j = 0; rt->function && j < e->dp->n_fn; j++)
			if (e->dp->fn[j].obj && !strcmp(e->dp->fn[j].def->prog, rt->function))
				rt->prog_id = e->dp->fn[j].prog_id;
	}
}

void engine_diff(struct engine *e, struct plan *next, struct diff *out)
{
	set_route_progs(e, next);
	plan_diff(out, next, &e->applied);
}

static int run_apply(struct run *r, const char *source)
{
	struct engine *e = r->e;
	int rc;

	if (assign_ids(r))
		return -1;
	e->generation++;
	maps_begin(r);
	rc = write_names(r);
	rc = rc ? rc : zero_stats(r);
	rc = rc ? rc : write_policies(r);
	rc = rc ? rc : write_sids(r);
	rc = rc ? rc : write_steering(r);
	rc = rc ? rc : write_config(r, r->next->config_flags | r->was->config_flags);
	maps_end(r);
	rc = rc ? rc : write_routes(r);
	rc = rc ? rc : write_attach(r);
	rc = rc ? rc : remove_attach(r);
	rc = rc ? rc : remove_routes(r);
	maps_begin(r);
	rc = rc ? rc : remove_steering(r);
	rc = rc ? rc : remove_policies(r);
	rc = rc ? rc : remove_sids(r);
	rc = rc ? rc : write_config(r, r->next->config_flags);
	maps_end(r);
	if (!rc)
		write_meta(r, source);
	return rc;
}

int engine_apply(struct engine *e, struct plan *next, const struct diff *d,
		 const char *source, struct apply_result *res)
{
	struct run r = { .e = e, .next = next, .was = &e->applied, .d = d, .res = res };
	uint32_t generation = e->generation;
	uint64_t t0 = now_us();
	size_t k, o;
	int rc;

	memset(res, 0, sizeof(*res));
	for (k = 0; k < DK_COUNT; k++)
		for (o = 0; o < DO_COUNT; o++)
			res->count[k][o] = d->count[k][o];
	res->changes = diff_total(d);
	rc = res->changes ? run_apply(&r, source) : 0;
	if (rc) {
		/* Put back what was there: read the kernel as it is now and apply the old plan
		 * to it.  The error reported stays the first one. */
		char err[sizeof(e->dp->err)];
		struct plan old = e->applied;
		struct apply_result ignored;
		struct diff back;
		struct dp_meta meta;
		uint32_t zero = 0;
		int have_meta = e->dp->meta_fd >= 0 &&
				bpf_map_lookup_elem(e->dp->meta_fd, &zero, &meta) == 0;

		memcpy(err, e->dp->err, sizeof(err));
		plan_init(&e->applied);
		/* Restored, the node is at the generation it was, with the source it had:
		 * nothing was applied. */
		if (resync(e) == 0) {
			engine_diff(e, &old, &back);
			if (engine_apply(e, &old, &back, source, &ignored) == 0) {
				e->generation = generation;
				config_write(e, e->applied.config_flags, e->applied.hash_seed);
				if (have_meta)
					bpf_map_update_elem(e->dp->meta_fd, &zero, &meta, BPF_ANY);
			}
			diff_free(&back);
		}
		plan_free(&old);
		memcpy(e->dp->err, err, sizeof(err));
		res->total_us = now_us() - t0;
		return -1;
	}
	plan_free(&e->applied);
	e->applied = *next;
	plan_init(next);
	res->generation = e->generation;
	res->total_us = now_us() - t0;
	return 0;
}
