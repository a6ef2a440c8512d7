#include "agent/dataplane/stats.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <stdio.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "agent/policy/index.h"

_Static_assert(sizeof(((struct delay_stats *)0)->buckets) ==
	       sizeof(((struct sr6_delay_hist *)0)->buckets), "delay buckets");

struct named {
	const char *name, *desc;
};

#define SR6_X_NAME(n, value, d) [value] = { #n, d },
static const struct named drops[SR6_DROP_MAX] = { SR6_DROP_REASONS(SR6_X_NAME) };
static const struct named events[SR6_EVENT_MAX] = { SR6_EVENTS(SR6_X_NAME) };
#undef SR6_X_NAME

const char *drop_name(unsigned reason)
{
	return reason < SR6_DROP_MAX ? drops[reason].name : NULL;
}

const char *drop_desc(unsigned reason)
{
	return reason < SR6_DROP_MAX ? drops[reason].desc : NULL;
}

const char *event_name(unsigned event)
{
	return event < SR6_EVENT_MAX ? events[event].name : NULL;
}

const char *event_desc(unsigned event)
{
	return event < SR6_EVENT_MAX ? events[event].desc : NULL;
}

/* Sum a per-CPU value of n 64-bit words into out[n].  0, or -1 when the entry is absent. */
static int percpu_sum(struct dataplane *dp, int fd, const void *key, uint64_t *out,
		      size_t words, uint64_t *buf)
{
	size_t c, w;

	memset(out, 0, words * sizeof(*out));
	if (fd < 0 || bpf_map_lookup_elem(fd, key, buf))
		return -1;
	for (c = 0; c < (size_t)dp->ncpus; c++)
		for (w = 0; w < words; w++)
			out[w] += buf[c * words + w];
	return 0;
}

static void read_fn(struct dataplane *dp, struct sid_stats *s, uint64_t *buf)
{
	const struct dp_fn *f = s->sid->fn.def ? dp_fn_get(dp, s->sid->fn.def) : NULL;
	int m = s->sid->fn.def && s->sid->fn.def->config_size ? 1 : 0;

	/* The counters map is the first after the configuration (functions.c). */
	if (f && m < FN_MAX_MAPS && f->map_fd[m] >= 0)
		percpu_sum(dp, f->map_fd[m], &s->sid->sid, s->fn, 2, buf);
}

/* delay: one histogram per (writer SID, reader SID) pair. */
static void read_delays(struct dataplane *dp, struct node_stats *out, uint64_t *buf)
{
	const struct fn_def *def = fn_find("delay");
	const struct dp_fn *f = def ? dp_fn_get(dp, def) : NULL;
	struct sr6_delay_key key, prev;
	char path[PATH_MAX + 32];
	int fd, have_prev = 0;

	snprintf(path, sizeof(path), "%s/sr6_fn_delay_hist", dp->root);
	fd = f && f->obj ? bpf_object__find_map_fd_by_name(f->obj, "sr6_fn_delay_hist")
			 : bpf_obj_get(path);
	if (fd < 0)
		return;
	while (bpf_map_get_next_key(fd, have_prev ? &prev : NULL, &key) == 0) {
		struct delay_stats *d = VEC_PUSH(&out->delays);
		struct sr6_delay_hist h;

		d->ingress = key.ingress;
		d->egress = key.egress;
		if (percpu_sum(dp, fd, &key, (uint64_t *)&h, sizeof(h) / 8, buf) == 0) {
			d->count = h.count;
			d->sum_ns = h.sum_ns;
			d->negative = h.negative;
			memcpy(d->buckets, h.buckets, sizeof(d->buckets));
		}
		prev = key;
		have_prev = 1;
	}
	if (!(f && f->obj))
		close(fd);
}

int stats_read(struct dataplane *dp, struct rtnl *rtnl, const struct plan *state,
	       struct node_stats *out)
{
	uint64_t *buf = xcalloc((size_t)dp->ncpus, sizeof(struct sr6_delay_hist));
	struct route_counter *rc = NULL;
	struct sr6_config cfg = { 0 };
	struct index routes = { 0 };
	size_t n_rc = 0, i, j;
	uint32_t zero = 0, k;

	memset(out, 0, sizeof(*out));
	if (bpf_map_lookup_elem(dp->map[DPM_CONFIG], &zero, &cfg) == 0)
		out->generation = cfg.generation;
	for (k = 0; k < SR6_DROP_MAX; k++)
		percpu_sum(dp, dp->map[DPM_DROPS], &k, &out->drops[k], 1, buf);
	for (k = 0; k < SR6_EVENT_MAX; k++)
		percpu_sum(dp, dp->map[DPM_EVENTS], &k, &out->events[k], 1, buf);
	for (i = 0; i < state->policies.n; i++) {
		const struct plan_policy *p = &state->policies.v[i];
		struct policy_stats *ps = VEC_PUSH(&out->policies);
		uint32_t base = p->key * SR6_POLICY_STATS_SLOTS;

		ps->policy = p;
		percpu_sum(dp, dp->map[DPM_POLICY_STATS], &base, &ps->total.packets, 2, buf);
		for (j = 0; j < p->path_count; j++) {
			k = base + 1 + (uint32_t)j;
			percpu_sum(dp, dp->map[DPM_POLICY_STATS], &k, &ps->path[j].packets, 2, buf);
		}
	}
	if (rtnl) {
		struct plan scratch;

		plan_init(&scratch);
		if (routes_dump(rtnl, &scratch, &rc, &n_rc) == 0) {
			index_init(&routes, n_rc);
			for (i = 0; i < n_rc; i++)
				index_put(&routes, &rc[i].dst, 16, (uint32_t)i, NULL);
		}
		plan_free(&scratch);
	}
	for (i = 0; i < state->sids.n; i++) {
		const struct plan_sid *s = &state->sids.v[i];
		struct sid_stats *ss = VEC_PUSH(&out->sids);
		uint32_t r;

		ss->sid = s;
		k = s->value.stats_id;
		percpu_sum(dp, dp->map[DPM_SID_STATS], &k, &ss->fast.packets, 2, buf);
		if (!index_get(&routes, &s->sid, 16, &r)) {
			ss->has_route = true;
			ss->slow.packets = rc[r].packets;
			ss->slow.bytes = rc[r].bytes;
			ss->slow_errors = rc[r].errors;
		}
		if (s->fn.def)
			read_fn(dp, ss, buf);
	}
	read_delays(dp, out, buf);
	index_free(&routes);
	free(rc);
	free(buf);
	return 0;
}

void stats_free(struct node_stats *s)
{
	VEC_FREE(&s->policies);
	VEC_FREE(&s->sids);
	VEC_FREE(&s->delays);
}
