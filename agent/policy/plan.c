/*
 * plan.c: plan memory, and the map values built from it, byte for byte as sr6_abi.h
 * describes them.
 */
#include "agent/policy/plan.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

void plan_init(struct plan *p)
{
	memset(p, 0, sizeof(*p));
	arena_init(&p->arena);
}

void plan_free(struct plan *p)
{
	arena_free(&p->arena);
	VEC_FREE(&p->policies);
	VEC_FREE(&p->sids);
	VEC_FREE(&p->locators);
	VEC_FREE(&p->sets);
	VEC_FREE(&p->rules);
	VEC_FREE(&p->routes);
	VEC_FREE(&p->attach);
}

/*
 * SRH layout per mode, for segments S1 (first hop) .. Sn:
 *   encap      Segment List = Sn .. S1, Last Entry = n-1, Segments Left = n-1
 *   encap.red  S1 only in the outer destination: Sn .. S2, Last Entry = n-2,
 *              Segments Left = n-1; no SRH at all when n = 1
 *   inline     [0] = the packet's destination (written per packet), then Sn .. S1;
 *              Last Entry = Segments Left = n
 */
uint16_t plan_path_srh(uint8_t out[SR6_SRH_MAX_LEN], uint8_t mode, const struct plan_path *h)
{
	unsigned entries, sl, i, n = h->n, off = 0;

	memset(out, 0, SR6_SRH_MAX_LEN);
	switch (mode) {
	case SR6_MODE_ENCAP_RED:
		if (n <= 1)
			return 0;
		entries = n - 1;
		sl = n - 1;
		break;
	case SR6_MODE_INLINE:
		entries = n + 1;
		sl = n;
		off = 1;	/* slot 0: the original destination */
		break;
	default:
		entries = n;
		sl = n - 1;
		break;
	}
	out[0] = 0;			/* Next Header: written per packet */
	out[1] = (uint8_t)(2 * entries);	/* Hdr Ext Len in 8-octet units */
	out[2] = 4;			/* Routing Type: SRH */
	out[3] = (uint8_t)sl;		/* Segments Left */
	out[4] = (uint8_t)(entries - 1);	/* Last Entry */
	out[5] = 0;			/* Flags */
	out[6] = out[7] = 0;		/* Tag */
	/* Segment List[k] = S(n-k) for the listed part: the last segment comes first. */
	for (i = 0; i < entries - off; i++)
		memcpy(out + 8 + 16 * (off + i), h->segs[n - 1 - i].b, 16);
	return (uint16_t)SR6_SRH_LEN(entries);
}

void plan_policy_value(struct sr6_policy *out, const struct plan_policy *p)
{
	unsigned i, cum = 0;

	memset(out, 0, sizeof(*out));
	out->mode = p->mode;
	out->path_count = p->path_count;
	out->hop_limit = p->hop_limit;
	out->flags = p->flags;
	out->stats_id = p->key;
	out->mtu = p->mtu;
	out->source = p->source;
	for (i = 0; i < p->path_count; i++) {
		const struct plan_path *h = &p->paths[i];
		struct sr6_path *w = &out->paths[i];

		cum += h->weight;
		out->cum_weight[i] = (uint16_t)cum;
		w->dst = h->segs[0];
		w->sid_count = h->n;
		w->srh_len = plan_path_srh(w->srh, p->mode, h);
	}
	out->total_weight = cum;
}

bool plan_policy_equal(const struct plan_policy *a, const struct plan_policy *b)
{
	unsigned i;

	if (a->mode != b->mode || a->hop_limit != b->hop_limit || a->flags != b->flags ||
	    a->path_count != b->path_count || a->mtu != b->mtu ||
	    !addr6_equal(&a->source, &b->source) || strcmp(a->name, b->name))
		return false;
	for (i = 0; i < a->path_count; i++) {
		const struct plan_path *x = &a->paths[i], *y = &b->paths[i];

		if (x->n != y->n || x->weight != y->weight ||
		    memcmp(x->segs, y->segs, x->n * sizeof(*x->segs)))
			return false;
		if (!x->segname != !y->segname || (x->segname && strcmp(x->segname, y->segname)))
			return false;
	}
	return true;
}

bool plan_sid_value_equal(const struct sr6_sid *a, const struct sr6_sid *b)
{
	struct sr6_sid x = *a, y = *b;

	x.stats_id = y.stats_id = 0;
	return !memcmp(&x, &y, sizeof(x));
}

bool plan_fn_equal(const struct plan_fn *a, const struct plan_fn *b)
{
	int k;

	if (!a->name != !b->name || (a->name && strcmp(a->name, b->name)))
		return false;
	for (k = 0; k < FN_MAX_PARAMS; k++) {
		if (a->values.present[k] != b->values.present[k] || a->values.n[k] != b->values.n[k])
			return false;
		if (a->values.n[k] &&
		    memcmp(a->values.v[k], b->values.v[k], a->values.n[k] * sizeof(uint64_t)))
			return false;
	}
	return true;
}

bool plan_route_equal(const struct plan_route *a, const struct plan_route *b)
{
	if (!addr6_equal(&a->dst, &b->dst) || a->action != b->action || a->table != b->table ||
	    a->oif != b->oif || a->dev != b->dev || a->nh_family != b->nh_family ||
	    a->flavors != b->flavors || a->lcblock_bits != b->lcblock_bits ||
	    a->lcnode_fn_bits != b->lcnode_fn_bits)
		return false;
	if (a->nh_family && memcmp(&a->nh, &b->nh, a->nh_family == AF_INET6 ? 16 : 4))
		return false;
	if (!a->function != !b->function || (a->function && strcmp(a->function, b->function)))
		return false;
	/* A program id of 0 means "whichever is installed". */
	return !a->prog_id || !b->prog_id || a->prog_id == b->prog_id;
}

static int set_cmp(uint8_t fa, uint8_t la, const union sr6_in6 *pa, const struct plan_set *b)
{
	int c;

	if (fa != b->family)
		return fa < b->family ? -1 : 1;
	c = memcmp(pa->b, b->prefix.b, 16);
	if (c)
		return c;
	return la == b->len ? 0 : la < b->len ? -1 : 1;
}

long plan_find_set(const struct plan *p, uint8_t family, uint8_t len,
		   const union sr6_in6 *prefix)
{
	size_t lo = 0, hi = p->sets.n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = set_cmp(family, len, prefix, &p->sets.v[mid]);

		if (c == 0)
			return (long)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}
