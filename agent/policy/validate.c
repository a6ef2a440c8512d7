/*
 * validate.c: the checks that span several values of the model: references, duplicates,
 * SIDs inside the locator, the fields each behaviour needs, list lengths, weights and
 * limits.  Everything is reported; nothing stops at the first error.  Values parse.c already
 * rejected (the `bad` bits) are not checked again, so one mistake gives one message.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "agent/policy/functions.h"
#include "agent/policy/index.h"
#include "agent/policy/model.h"

#define HAS(obj, k)	((obj)->seen & (1ull << (k)))
#define GOOD(obj, k)	(HAS(obj, k) && !((obj)->bad & (1ull << (k))))

struct vctx {
	struct model *m;
	struct diag *d;
};

static void node_checks(struct vctx *v)
{
	struct m_node *n = &v->m->node;
	struct index names = { 0 };
	const struct ypath *node = YP_KEY(NULL, "node");
	uint32_t first;
	size_t i;

	if (!n->present)
		return;
	if (n->n_locators > POLICY_MAX_LOCATORS)
		ydiag(v->d, n->kpos[NK_LOCATOR], YP_KEY(node, "locator"), "at most %d locators",
			 POLICY_MAX_LOCATORS);
	if (GOOD(n, NK_SOURCE) &&
	    (addr6_is_zero(&n->source) || n->source.b[0] == 0xff))
		ydiag(v->d, n->kpos[NK_SOURCE], YP_KEY(node, "source"),
			 "the outer source must be a unicast address");
	for (i = 0; i < n->n_ifaces; i++) {
		const struct m_iface *ifc = &n->ifaces[i];

		if (!ifc->name)
			continue;
		if (!index_put_str(&names, ifc->name, (uint32_t)i, &first))
			ydiag(v->d, ifc->kpos[IK_NAME],
			      YP_KEY(YP_INDEX(YP_KEY(node, "interfaces"), i), "name"),
				 "interface %s is listed twice (first at line %u)", ifc->name,
				 n->ifaces[first].kpos[IK_NAME].line);
	}
	index_free(&names);
}

/* Which optional keys each behaviour uses; anything else present is an error. */
static uint64_t sid_allowed(uint8_t behavior)
{
	uint64_t base = 1ull << SK_SID | 1ull << SK_BEHAVIOR;

	switch (behavior) {
	case SR6_END:
		return base | 1ull << SK_FLAVORS | 1ull << SK_BLOCK_BITS |
		       1ull << SK_NODE_FUNCTION_BITS;
	case SR6_END_X:
		return base | 1ull << SK_NEXTHOP | 1ull << SK_INTERFACE | 1ull << SK_FLAVORS |
		       1ull << SK_BLOCK_BITS | 1ull << SK_NODE_FUNCTION_BITS;
	case SR6_END_T:
	case SR6_END_DT6:
		return base | 1ull << SK_TABLE;
	case SR6_END_DX6:
	case SR6_END_DX4:
		return base | 1ull << SK_NEXTHOP | 1ull << SK_INTERFACE;
	case SR6_END_BPF:
		return base | 1ull << SK_FUNCTION | 1ull << SK_PARAMS;
	default:
		return base;
	}
}

static const char *const sid_key_names[SK_COUNT] = {
	"sid", "behavior", "nexthop", "interface", "table", "function", "params", "flavors",
	"block_bits", "node_function_bits",
};

static void require(struct vctx *v, const struct m_sid *s, const struct ypath *path, int key,
		    const char *what)
{
	if (!HAS(s, key))
		ydiag(v->d, s->kpos[SK_BEHAVIOR], path, "%s needs \"%s\" (%s)",
			 behavior_name(s->behavior), sid_key_names[key], what);
}

static void sid_fields(struct vctx *v, const struct m_sid *s, const struct ypath *path)
{
	uint64_t extra = s->seen & ~sid_allowed(s->behavior);
	int k;

	for (k = 0; k < SK_COUNT; k++)
		if (extra & (1ull << k))
			ydiag(v->d, s->kpos[k], YP_KEY(path, sid_key_names[k]),
				 "not used by %s", behavior_name(s->behavior));
	switch (s->behavior) {
	case SR6_END_X:
	case SR6_END_DX6:
		require(v, s, path, SK_NEXTHOP, "the IPv6 next hop");
		if (GOOD(s, SK_NEXTHOP) && s->nh_family != AF_INET6)
			ydiag(v->d, s->kpos[SK_NEXTHOP], YP_KEY(path, "nexthop"),
				 "%s needs an IPv6 next hop", behavior_name(s->behavior));
		if (GOOD(s, SK_NEXTHOP) && s->nh_family == AF_INET6 && s->nh.b[0] == 0xfe &&
		    (s->nh.b[1] & 0xc0) == 0x80 && !HAS(s, SK_INTERFACE))
			ydiag(v->d, s->kpos[SK_NEXTHOP], YP_KEY(path, "nexthop"),
				 "a link-local next hop needs \"interface\"");
		break;
	case SR6_END_DX4:
		require(v, s, path, SK_NEXTHOP, "the IPv4 next hop");
		if (GOOD(s, SK_NEXTHOP) && s->nh_family != AF_INET)
			ydiag(v->d, s->kpos[SK_NEXTHOP], YP_KEY(path, "nexthop"),
				 "End.DX4 needs an IPv4 next hop");
		break;
	case SR6_END_T:
	case SR6_END_DT6:
		require(v, s, path, SK_TABLE, "the FIB table to look the packet up in");
		break;
	case SR6_END_BPF:
		require(v, s, path, SK_FUNCTION, "the network function to run");
		break;
	}
	if (GOOD(s, SK_FLAVORS)) {
		if (s->flavors & (SR6_FLV_USP | SR6_FLV_USD))
			ydiag(v->d, s->kpos[SK_FLAVORS], YP_KEY(path, "flavors"),
				 "usp and usd are not supported (the kernel refuses them)");
		if ((s->flavors & SR6_FLV_PSP) && s->behavior != SR6_END)
			ydiag(v->d, s->kpos[SK_FLAVORS], YP_KEY(path, "flavors"),
				 "psp is supported on End only");
		if ((s->flavors & SR6_FLV_PSP) && (s->flavors & SR6_FLV_NEXT_CSID))
			ydiag(v->d, s->kpos[SK_FLAVORS], YP_KEY(path, "flavors"),
				 "psp and next-csid cannot be combined");
	}
	if ((HAS(s, SK_BLOCK_BITS) || HAS(s, SK_NODE_FUNCTION_BITS)) &&
	    !(s->flavors & SR6_FLV_NEXT_CSID)) {
		k = HAS(s, SK_BLOCK_BITS) ? SK_BLOCK_BITS : SK_NODE_FUNCTION_BITS;
		ydiag(v->d, s->kpos[k], YP_KEY(path, sid_key_names[k]),
			 "only used with the next-csid flavor");
	}
	if (s->flavors & SR6_FLV_NEXT_CSID) {
		unsigned b = s->lcblock_bits ? s->lcblock_bits : 32;
		unsigned nf = s->lcnode_fn_bits ? s->lcnode_fn_bits : 16;

		if (GOOD(s, SK_BLOCK_BITS) && b % 8)
			ydiag(v->d, s->kpos[SK_BLOCK_BITS], YP_KEY(path, "block_bits"),
				 "must be a multiple of 8");
		if (GOOD(s, SK_NODE_FUNCTION_BITS) && nf % 8)
			ydiag(v->d, s->kpos[SK_NODE_FUNCTION_BITS], YP_KEY(path, "node_function_bits"), "must be a multiple of 8");
		if (b + nf > 128)
			ydiag(v->d, s->kpos[SK_FLAVORS], YP_KEY(path, "flavors"),
				 "block_bits + node_function_bits must be at most 128");
	}
	if (s->behavior == SR6_END_BPF && GOOD(s, SK_FUNCTION)) {
		const struct fn_def *fn = fn_find(s->function);

		if (!fn) {
			char list[256];
			size_t i, off = 0;

			list[0] = 0;
			for (i = 0; i < fn_count; i++)
				off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
							i ? ", " : "", fn_defs[i].name);
			ydiag(v->d, s->kpos[SK_FUNCTION], YP_KEY(path, "function"),
				 "unknown function \"%s\" (expected one of: %s)", s->function, list);
		} else if (!(s->bad & (1ull << SK_PARAMS))) {
			fn_check_params(fn, s, path, v->d, NULL, NULL);
		}
	}
}

static void sid_checks(struct vctx *v)
{
	struct m_node *n = &v->m->node;
	struct index sids = { 0 };
	const struct ypath *sids_path = YP_KEY(NULL, "sids");
	char a[ADDR_STRLEN], l[ADDR_STRLEN];
	size_t per_fn[FN_MAX];
	uint32_t first;
	size_t i, j;

	if (v->m->sids.n > SR6_MAX_LOCAL_SIDS)
		ydiag(v->d, v->m->sids.v[SR6_MAX_LOCAL_SIDS].pos, sids_path,
			 "too many SIDs: %zu (at most %d)", v->m->sids.n, SR6_MAX_LOCAL_SIDS);
	if (v->m->sids.n && n->present && !HAS(n, NK_LOCATOR))
		ydiag(v->d, n->pos, YP_KEY(NULL, "node"), "missing key \"locator\": SIDs must be inside the "
			 "node's locator");
	/* The kernel turns a route through the loopback into a reject route, so the SIDs'
	 * seg6local routes need a real device: the first interface of the node. */
	if (v->m->sids.n && n->present && !n->n_ifaces)
		ydiag(v->d, n->pos, YP_KEY(NULL, "node"), "missing key \"interfaces\": the seg6local "
		      "routes of the SIDs need a device (list one; attach: none keeps sr6 off it)");
	index_init(&sids, v->m->sids.n);
	memset(per_fn, 0, sizeof(per_fn));
	for (i = 0; i < v->m->sids.n; i++) {
		const struct m_sid *s = &v->m->sids.v[i];
		const struct fn_def *fn = s->behavior == SR6_END_BPF && GOOD(s, SK_FUNCTION) ?
						  fn_find(s->function) : NULL;

		const struct ypath *sp = YP_INDEX(sids_path, i);

		if (GOOD(s, SK_BEHAVIOR))
			sid_fields(v, s, sp);
		/* A function's maps hold SR6_FN_MAX_SIDS SIDs. */
		if (fn && ++per_fn[fn - fn_defs] == SR6_FN_MAX_SIDS + 1)
			ydiag(v->d, s->kpos[SK_FUNCTION], YP_KEY(sp, "function"), "more than %d SIDs "
			      "use %s (its maps hold %d)", SR6_FN_MAX_SIDS, fn->name, SR6_FN_MAX_SIDS);
		if (!GOOD(s, SK_SID))
			continue;
		addr6_format(a, &s->sid);
		if (!index_put(&sids, &s->sid, sizeof(s->sid), (uint32_t)i, &first)) {
			ydiag(v->d, s->kpos[SK_SID], YP_KEY(sp, "sid"),
				 "duplicate SID %s (first at sids[%u], line %u)", a, first,
				 v->m->sids.v[first].kpos[SK_SID].line);
			continue;
		}
		if (!GOOD(n, NK_LOCATOR) && !n->n_locators)
			continue;
		for (j = 0; j < n->n_locators; j++)
			if (n->locators[j].prefix.len <= 128 &&
			    prefix_contains6(&n->locators[j].prefix, &s->sid))
				break;
		if (j == n->n_locators && n->n_locators) {
			prefix_format(l, &n->locators[0].prefix);
			ydiag(v->d, s->kpos[SK_SID], YP_KEY(sp, "sid"),
				 "%s is outside the node's locator %s%s", a, l,
				 n->n_locators > 1 ? " (and the others)" : "");
		}
	}
	index_free(&sids);
}

/* Inline (H.Insert) keeps one more entry, the original destination: the SRH has room. */
_Static_assert(SR6_SRH_MAX_LEN >= SR6_SRH_LEN(SR6_MAX_SIDS + 1), "inline needs 16 SIDs + 1");

/* A list of segments: 1..16 SIDs. */
static void seg_count(struct vctx *v, uint32_t n, struct pos pos, const struct ypath *path)
{
	if (n == 0)
		ydiag(v->d, pos, path, "empty segment list: at least one SID is needed");
	else if (n > SR6_MAX_SIDS)
		ydiag(v->d, pos, path, "%u SIDs: at most %u", n, SR6_MAX_SIDS);
}

static void seglist_checks(struct vctx *v, struct index *names)
{
	uint32_t first;
	size_t i;

	for (i = 0; i < v->m->seglists.n; i++) {
		struct m_seglist *sl = &v->m->seglists.v[i];

		if (!sl->name)
			continue;
		const struct ypath *f = YP_KEY(YP_KEY(NULL, "segment_lists"), sl->name);

		if (!index_put_str(names, sl->name, (uint32_t)i, &first)) {
			ydiag(v->d, sl->name_pos, f, "duplicate segment list name (first at "
				 "line %u)", v->m->seglists.v[first].name_pos.line);
			continue;
		}
		if (!sl->bad)
			seg_count(v, sl->n, sl->pos, f);
	}
}

static void policy_checks(struct vctx *v, struct index *seglists, struct index *policies)
{
	struct m_node *n = &v->m->node;
	const struct ypath *pols = YP_KEY(NULL, "policies");
	uint32_t first, idx;
	size_t i, j;

	if (v->m->policies.n > SR6_MAX_POLICIES)
		ydiag(v->d, v->m->policies.v[SR6_MAX_POLICIES].pos, pols,
			 "too many policies: %zu (at most %d)", v->m->policies.n, SR6_MAX_POLICIES);
	for (i = 0; i < v->m->policies.n; i++) {
		struct m_policy *p = &v->m->policies.v[i];
		const struct ypath *f = YP_INDEX(pols, i);
		uint32_t total = 0;

		if (p->name && !index_put_str(policies, p->name, (uint32_t)i, &first))
			ydiag(v->d, p->kpos[PK_NAME], YP_KEY(f, "name"),
				 "duplicate policy name \"%s\" (first at policies[%u], line %u)",
				 p->name, first, v->m->policies.v[first].kpos[PK_NAME].line);
		if (GOOD(p, PK_PATHS) && p->n_paths == 0)
			ydiag(v->d, p->kpos[PK_PATHS], YP_KEY(f, "paths"),
				 "a policy needs at least one path");
		if (p->n_paths > SR6_MAX_PATHS)
			ydiag(v->d, p->paths[SR6_MAX_PATHS].pos, YP_KEY(f, "paths"),
				 "%zu paths: at most %d", p->n_paths, SR6_MAX_PATHS);
		if (p->mode != SR6_MODE_INLINE && !HAS(p, PK_SOURCE) && !HAS(n, NK_SOURCE) &&
		    n->present)
			ydiag(v->d, p->pos, f, "no outer source address: set node.source or "
				 "this policy's source");
		if (p->mode == SR6_MODE_INLINE && HAS(p, PK_SOURCE))
			ydiag(v->d, p->kpos[PK_SOURCE], YP_KEY(f, "source"),
				 "not used by inline (the packet keeps its source)");
		if (p->mode == SR6_MODE_INLINE && HAS(p, PK_HOP_LIMIT))
			ydiag(v->d, p->kpos[PK_HOP_LIMIT], YP_KEY(f, "hop_limit"),
				 "not used by inline (there is no outer header)");
		if (GOOD(p, PK_SOURCE) && (addr6_is_zero(&p->source) || p->source.b[0] == 0xff))
			ydiag(v->d, p->kpos[PK_SOURCE], YP_KEY(f, "source"),
				 "the outer source must be a unicast address");
		for (j = 0; j < p->n_paths; j++) {
			struct m_path *h = &p->paths[j];
			const struct ypath *fp = YP_INDEX(YP_KEY(f, "paths"), j);
			const struct ypath *fs = YP_KEY(fp, "segments");

			total += h->weight;
			if (h->segname) {
				if (index_get_str(seglists, h->segname, &idx)) {
					ydiag(v->d, h->kpos[HK_SEGMENTS], fs,
						 "no segment list named \"%s\" in segment_lists",
						 h->segname);
					continue;
				}
				h->seglist = (int32_t)idx;
			} else if (GOOD(h, HK_SEGMENTS)) {
				seg_count(v, h->n, h->kpos[HK_SEGMENTS], fs);
			}
		}
		if (total > SR6_MAX_WEIGHT)
			ydiag(v->d, p->kpos[PK_PATHS], YP_KEY(f, "paths"),
				 "the weights add up to %u: at most %d", total, SR6_MAX_WEIGHT);
	}
}

void rule_match_key(struct rule_match_key *k, const struct m_rule *r)
{
	memset(k, 0, sizeof(*k));
	k->dst = r->dst.addr;
	k->dst_family = r->dst.family;
	k->dst_len = r->dst.len;
	if (r->match & SR6_MATCH_SRC) {
		k->src = r->src.addr;
		k->src_family = r->src.family;
		k->src_len = r->src.len;
	}
	k->priority = r->priority;
	k->match = r->match;
	k->proto = r->match & SR6_MATCH_PROTO ? r->proto : 0;
	if (r->match & SR6_MATCH_SPORT) {
		k->sport_min = r->sport_min;
		k->sport_max = r->sport_max;
	}
	if (r->match & SR6_MATCH_DPORT) {
		k->dport_min = r->dport_min;
		k->dport_max = r->dport_max;
	}
	k->dscp = r->match & SR6_MATCH_DSCP ? r->dscp : 0;
	if ((r->match & SR6_MATCH_IIF) && r->iif)
		snprintf(k->iif, sizeof(k->iif), "%.15s", r->iif);
}

static void rule_checks(struct vctx *v, struct index *policies)
{
	struct rule_match_key *keys;
	struct index seen = { 0 };
	const struct ypath *steering = YP_KEY(NULL, "steering");
	uint32_t first, idx;
	size_t i;

	keys = xcalloc(v->m->rules.n ? v->m->rules.n : 1, sizeof(*keys));
	index_init(&seen, v->m->rules.n);
	for (i = 0; i < v->m->rules.n; i++) {
		struct m_rule *r = &v->m->rules.v[i];
		struct rule_match_key *k = &keys[i];

		const struct ypath *f = YP_INDEX(steering, i), *fm = YP_KEY(f, "match");
		if (r->policy) {
			if (index_get_str(policies, r->policy, &idx))
				ydiag(v->d, r->policy_pos, YP_KEY(f, "policy"),
					 "no policy named \"%s\" in policies", r->policy);
			else
				r->policy_idx = (int32_t)idx;
		}
		if (!HAS(r, RK_MATCH) || (r->bad & (1ull << RK_MATCH)))
			continue;
		if ((r->match & SR6_MATCH_SRC) && r->src.family != r->dst.family)
			ydiag(v->d, r->src_pos, YP_KEY(fm, "src"),
				 "src and dst must be of the same family");
		if ((r->match & (SR6_MATCH_SPORT | SR6_MATCH_DPORT)) &&
		    (r->match & SR6_MATCH_PROTO) && r->proto != 6 && r->proto != 17 &&
		    r->proto != 132)
			ydiag(v->d, r->proto_pos, YP_KEY(fm, "proto"),
				 "ports are matched for tcp, udp and sctp only");
		if (r->dst.family == AF_INET && (r->match & SR6_MATCH_PROTO) && r->proto == 58)
			ydiag(v->d, r->proto_pos, YP_KEY(fm, "proto"),
				 "icmpv6 in an IPv4 rule never matches");
		if (r->dst.family == AF_INET6 && (r->match & SR6_MATCH_PROTO) && r->proto == 1)
			ydiag(v->d, r->proto_pos, YP_KEY(fm, "proto"),
				 "icmp in an IPv6 rule never matches (use icmpv6)");
		rule_match_key(k, r);
		if (!index_put(&seen, k, sizeof(*k), (uint32_t)i, &first))
			ydiag(v->d, r->match_pos, fm, "same match and priority as steering[%u] "
				 "(line %u): the second rule could never apply", first,
				 v->m->rules.v[first].match_pos.line);
	}
	index_free(&seen);
	free(keys);
}

int model_validate(struct model *m, struct diag *d)
{
	struct vctx v = { .m = m, .d = d };
	struct index seglists = { 0 }, policies = { 0 };
	size_t before = diag_count(d);

	node_checks(&v);
	sid_checks(&v);
	index_init(&seglists, m->seglists.n);
	index_init(&policies, m->policies.n);
	seglist_checks(&v, &seglists);
	policy_checks(&v, &seglists, &policies);
	rule_checks(&v, &policies);
	index_free(&seglists);
	index_free(&policies);
	return diag_count(d) == before ? 0 : -1;
}
