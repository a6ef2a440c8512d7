/*
 * parse_policy.c: the headend's side of a policy file: segment lists, policies and their
 * paths, steering rules and their match conditions.
 */
#include <string.h>

#include "agent/policy/parse.h"

static const char *const policy_keys[] = {
	[PK_NAME] = "name", [PK_MODE] = "mode", [PK_PATHS] = "paths", [PK_SOURCE] = "source",
	[PK_HOP_LIMIT] = "hop_limit", [PK_MTU] = "mtu", [PK_TRAFFIC_CLASS] = "traffic_class",
	NULL
};
static const char *const path_keys[] = { [HK_SEGMENTS] = "segments", [HK_WEIGHT] = "weight", NULL };
static const char *const rule_keys[] = {
	[RK_MATCH] = "match", [RK_POLICY] = "policy", [RK_PRIORITY] = "priority", NULL
};
static const char *const match_keys[] = {
	[MK_DST] = "dst", [MK_SRC] = "src", [MK_PROTO] = "proto", [MK_SPORT] = "sport",
	[MK_DPORT] = "dport", [MK_DSCP] = "dscp", [MK_IIF] = "iif", NULL
};

/* ---------------------------------------------------------------------------------------- */
/* segment_lists                                                                             */

void read_seglists(struct parser *p, const struct ypath *path)
{
	const char *name;
	struct pos kpos;

	if (yr_begin_map(&p->yr, path, NULL))
		return;
	while (yr_key_any(&p->yr, path, &p->m->arena, &name, &kpos)) {
		struct m_seglist *sl = VEC_PUSH(&p->m->seglists);
		const struct ypath *f = YP_KEY(path, name);

		sl->name = name;
		sl->name_pos = kpos;
		if (parse_check_name(p, f, name, kpos))
			sl->name = NULL;
		if (read_seg_seq(p, f, &sl->segs, &sl->seg_pos, &sl->n, &sl->pos) == -2)
			sl->bad = true;
	}
}

/* ---------------------------------------------------------------------------------------- */
/* policies                                                                                  */

static void read_path(struct parser *p, const struct ypath *path, struct m_path *h)
{
	int k;

	h->weight = 1;
	h->seglist = -1;
	if (yr_begin_map(&p->yr, path, &h->pos))
		return;
	while ((k = yr_key(&p->yr, path, path_keys, &h->seen, h->kpos)) != YR_END) {
		const struct ypath *f = YP_KEY(path, path_keys[k]);
		size_t before = diag_count(p->d);

		switch (k) {
		case HK_SEGMENTS:
			if (yr_kind(&p->yr) == YN_SEQ)
				read_seg_seq(p, f, &h->segs, &h->seg_pos, &h->n, NULL);
			else if (read_name(p, f, &h->segname, NULL))
				h->segname = NULL;
			break;
		case HK_WEIGHT:
			read_u32(p, f, 1, SR6_MAX_WEIGHT, &h->weight);
			break;
		}
		if (diag_count(p->d) != before)
			h->bad |= 1u << k;
	}
	if (!(h->seen & (1u << HK_SEGMENTS)))
		ydiag(p->d, h->pos, path, "missing key \"segments\"");
}

void read_policy(struct parser *p, const struct ypath *path, struct m_policy *pol)
{
	static const char *const modes[] = { "encap", "encap.red", "inline", NULL };
	static const char *const tcs[] = { "inherit", "zero", NULL };
	VEC(struct m_path) paths = { 0 };
	int k, e;

	pol->mode = SR6_MODE_ENCAP;
	if (yr_begin_map(&p->yr, path, &pol->pos))
		return;
	while ((k = yr_key(&p->yr, path, policy_keys, &pol->seen, pol->kpos)) != YR_END) {
		const struct ypath *f = YP_KEY(path, policy_keys[k]);
		size_t before = diag_count(p->d);

		switch (k) {
		case PK_NAME:
			if (read_name(p, f, &pol->name, NULL))
				pol->name = NULL;
			break;
		case PK_MODE:
			e = read_enum(p, f, modes, "mode");
			if (e >= 0)
				pol->mode = (uint8_t)(e + 1);
			break;
		case PK_PATHS:
			if (yr_begin_seq(&p->yr, f, NULL))
				break;
			while (yr_more(&p->yr)) {
				struct m_path *h = VEC_PUSH(&paths);

				read_path(p, YP_INDEX(f, paths.n - 1), h);
			}
			break;
		case PK_SOURCE:
			read_addr6(p, f, &pol->source, NULL);
			break;
		case PK_HOP_LIMIT:
			read_u8(p, f, 1, 255, &pol->hop_limit);
			break;
		case PK_MTU:
			read_u32(p, f, 1280, 65535, &pol->mtu);
			break;
		case PK_TRAFFIC_CLASS:
			e = read_enum(p, f, tcs, "traffic_class");
			if (e >= 0)
				pol->traffic_class = (uint8_t)e;
			break;
		}
		if (diag_count(p->d) != before)
			pol->bad |= 1u << k;
	}
	pol->paths = arena_memdup(&p->m->arena, paths.v, paths.n * sizeof(*paths.v));
	pol->n_paths = paths.n;
	VEC_FREE(&paths);
	if (!(pol->seen & (1u << PK_NAME)))
		ydiag(p->d, pol->pos, path, "missing key \"name\"");
	if (!(pol->seen & (1u << PK_PATHS)))
		ydiag(p->d, pol->pos, path, "missing key \"paths\"");
}

/* ---------------------------------------------------------------------------------------- */
/* steering                                                                                  */

static void read_match(struct parser *p, const struct ypath *path, struct m_rule *r)
{
	struct pos mpos[MK_COUNT] = { { 0, 0 } };
	uint32_t seen = 0;
	int k;

	if (yr_begin_map(&p->yr, path, &r->match_pos))
		return;
	while ((k = yr_key(&p->yr, path, match_keys, &seen, mpos)) != YR_END) {
		const struct ypath *f = YP_KEY(path, match_keys[k]);
		size_t before = diag_count(p->d);

		switch (k) {
		case MK_DST:
			read_prefix(p, f, 0, &r->dst, NULL);
			break;
		case MK_SRC:
			if (!read_prefix(p, f, 0, &r->src, NULL))
				r->match |= SR6_MATCH_SRC;
			break;
		case MK_PROTO:
			if (!read_proto(p, f, &r->proto))
				r->match |= SR6_MATCH_PROTO;
			break;
		case MK_SPORT:
			if (!read_ports(p, f, &r->sport_min, &r->sport_max))
				r->match |= SR6_MATCH_SPORT;
			break;
		case MK_DPORT:
			if (!read_ports(p, f, &r->dport_min, &r->dport_max))
				r->match |= SR6_MATCH_DPORT;
			break;
		case MK_DSCP:
			if (!read_u8(p, f, 0, 63, &r->dscp))
				r->match |= SR6_MATCH_DSCP;
			break;
		case MK_IIF:
			if (!read_kept(p, f, &r->iif))
				r->match |= SR6_MATCH_IIF;
			break;
		}
		if (diag_count(p->d) != before)
			r->match_bad |= 1u << k;
	}
	r->match_seen = (uint8_t)seen;
	if (!(r->match_seen & (1u << MK_DST)))
		ydiag(p->d, r->match_pos, path, "missing key \"dst\"");
	r->dst_pos = mpos[MK_DST];
	r->src_pos = mpos[MK_SRC];
	r->proto_pos = mpos[MK_PROTO];
	r->iif_pos = mpos[MK_IIF];
}

void read_rule(struct parser *p, const struct ypath *path, struct m_rule *r)
{
	struct pos kpos[RK_COUNT] = { { 0, 0 } };
	uint32_t seen = 0;
	int k;

	r->priority = POLICY_DEFAULT_PRIORITY;
	r->policy_idx = -1;
	if (yr_begin_map(&p->yr, path, &r->pos))
		return;
	while ((k = yr_key(&p->yr, path, rule_keys, &seen, kpos)) != YR_END) {
		const struct ypath *f = YP_KEY(path, rule_keys[k]);
		size_t before = diag_count(p->d);

		switch (k) {
		case RK_MATCH:
			read_match(p, f, r);
			break;
		case RK_POLICY:
			if (read_name(p, f, &r->policy, NULL))
				r->policy = NULL;
			break;
		case RK_PRIORITY:
			read_u32(p, f, 0, UINT32_MAX, &r->priority);
			break;
		}
		if (diag_count(p->d) != before)
			r->bad |= 1u << k;
	}
	r->seen = (uint8_t)seen;
	if (!(r->seen & (1u << RK_MATCH)))
		ydiag(p->d, r->pos, path, "missing key \"match\"");
	if (!(r->seen & (1u << RK_POLICY)))
		ydiag(p->d, r->pos, path, "missing key \"policy\"");
	r->policy_pos = kpos[RK_POLICY];
}
