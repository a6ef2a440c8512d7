/*
 * parse_node.c: the node (name, locators, source, interfaces, settings) and its SIDs
 * (behaviours, next hops, tables, flavors, End.BPF functions and their parameters).
 */
#include <string.h>
#include <sys/socket.h>

#include "agent/policy/parse.h"

static const char *const node_keys[] = {
	[NK_NAME] = "name", [NK_LOCATOR] = "locator", [NK_SOURCE] = "source",
	[NK_INTERFACES] = "interfaces", [NK_HOP_LIMIT] = "hop_limit", [NK_FIB_CACHE] = "fib_cache",
	[NK_HASH_SEED] = "hash_seed", NULL
};
static const char *const iface_keys[] = {
	[IK_NAME] = "name", [IK_ATTACH] = "attach", [IK_EGRESS] = "egress", NULL
};
static const char *const sid_keys[] = {
	[SK_SID] = "sid", [SK_BEHAVIOR] = "behavior", [SK_NEXTHOP] = "nexthop",
	[SK_INTERFACE] = "interface", [SK_TABLE] = "table", [SK_FUNCTION] = "function",
	[SK_PARAMS] = "params", [SK_FLAVORS] = "flavors", [SK_BLOCK_BITS] = "block_bits",
	[SK_NODE_FUNCTION_BITS] = "node_function_bits", NULL
};

/* ---------------------------------------------------------------------------------------- */
/* node                                                                                      */

static void read_iface(struct parser *p, const struct ypath *path, struct m_iface *ifc)
{
	static const char *const attach_names[] = { "xdp", "xdp-generic", "tc", "none", NULL };
	int k, v;

	ifc->attach = ATTACH_XDP;
	if (yr_begin_map(&p->yr, path, &ifc->pos))
		return;
	while ((k = yr_key(&p->yr, path, iface_keys, &ifc->seen, ifc->kpos)) != YR_END) {
		const struct ypath *f = YP_KEY(path, iface_keys[k]);
		size_t before = diag_count(p->d);

		switch (k) {
		case IK_NAME:
			if (!read_kept(p, f, &ifc->name) &&
			    (strlen(ifc->name) >= 16 || strchr(ifc->name, '/') || !*ifc->name)) {
				ydiag(p->d, ifc->kpos[k], f, "\"%s\" is not a valid interface name",
					 ifc->name);
				ifc->name = NULL;
			}
			break;
		case IK_ATTACH:
			v = read_enum(p, f, attach_names, "attach mode");
			if (v >= 0)
				ifc->attach = (uint8_t)(v + 1);
			break;
		case IK_EGRESS:
			yr_bool(&p->yr, f, &ifc->egress, NULL);
			break;
		}
		if (diag_count(p->d) != before)
			ifc->bad |= 1u << k;
	}
	if (!(ifc->seen & (1u << IK_NAME)))
		ydiag(p->d, ifc->pos, path, "missing key \"name\"");
}

static void read_locators(struct parser *p, const struct ypath *path, struct m_node *n)
{
	VEC(struct m_locator) v = { 0 };
	struct m_locator *l;

	if (yr_kind(&p->yr) == YN_SCALAR) {
		l = VEC_PUSH(&v);
		if (read_prefix(p, path, AF_INET6, &l->prefix, &l->pos))
			v.n--;
	} else if (!yr_begin_seq(&p->yr, path, NULL)) {
		while (yr_more(&p->yr)) {
			l = VEC_PUSH(&v);
			if (read_prefix(p, YP_INDEX(path, v.n - 1), AF_INET6, &l->prefix,
					&l->pos))
				l->prefix.len = 0xff;	/* keep the index, mark it unusable */
		}
	}
	n->locators = arena_memdup(&p->m->arena, v.v, v.n * sizeof(*v.v));
	n->n_locators = v.n;
	VEC_FREE(&v);
}

void read_node(struct parser *p, const struct ypath *path)
{
	struct m_node *n = &p->m->node;
	VEC(struct m_iface) ifs = { 0 };
	int k;

	n->present = true;
	n->hop_limit = SR6_DEFAULT_HOP_LIMIT;
	if (yr_begin_map(&p->yr, path, &n->pos))
		return;
	while ((k = yr_key(&p->yr, path, node_keys, &n->seen, n->kpos)) != YR_END) {
		const struct ypath *f = YP_KEY(path, node_keys[k]);
		size_t before = diag_count(p->d);

		switch (k) {
		case NK_NAME:
			if (read_name(p, f, &n->name, NULL))
				n->name = NULL;
			break;
		case NK_LOCATOR:
			read_locators(p, f, n);
			break;
		case NK_SOURCE:
			read_addr6(p, f, &n->source, NULL);
			break;
		case NK_INTERFACES:
			if (yr_begin_seq(&p->yr, f, NULL))
				break;
			while (yr_more(&p->yr)) {
				struct m_iface *ifc = VEC_PUSH(&ifs);

				read_iface(p, YP_INDEX(f, ifs.n - 1), ifc);
			}
			break;
		case NK_HOP_LIMIT:
			read_u8(p, f, 1, 255, &n->hop_limit);
			break;
		case NK_FIB_CACHE:
			yr_bool(&p->yr, f, &n->fib_cache, NULL);
			break;
		case NK_HASH_SEED:
			read_u32(p, f, 0, UINT32_MAX, &n->hash_seed);
			break;
		}
		if (diag_count(p->d) != before)
			n->bad |= 1u << k;
	}
	n->ifaces = arena_memdup(&p->m->arena, ifs.v, ifs.n * sizeof(*ifs.v));
	n->n_ifaces = ifs.n;
	VEC_FREE(&ifs);
	if (!(n->seen & (1u << NK_NAME)))
		ydiag(p->d, n->pos, path, "missing key \"name\"");
}

/* ---------------------------------------------------------------------------------------- */
/* sids                                                                                      */

static void read_params(struct parser *p, const struct ypath *path, struct m_sid *s)
{
	VEC(struct m_param) v = { 0 };
	VEC(struct yscalar) items = { 0 };
	struct m_param *prm;
	const char *key;
	struct pos kpos;
	size_t i;

	if (yr_begin_map(&p->yr, path, NULL))
		return;
	while (yr_key_any(&p->yr, path, &p->m->arena, &key, &kpos)) {
		const struct ypath *f = YP_KEY(path, key);

		for (i = 0; i < v.n; i++)
			if (!strcmp(v.v[i].key, key))
				break;
		if (i < v.n) {
			ydiag(p->d, kpos, f, "duplicate key");
			yr_skip(&p->yr);
			continue;
		}
		prm = VEC_PUSH(&v);
		prm->key = key;
		prm->key_pos = kpos;
		prm->pos = yr_pos(&p->yr);
		if (yr_kind(&p->yr) == YN_SEQ) {
			prm->is_list = true;
			yr_begin_seq(&p->yr, f, NULL);
			items.n = 0;
			while (yr_more(&p->yr)) {
				struct yscalar *it = VEC_PUSH(&items);

				if (yr_scalar(&p->yr, YP_INDEX(f, items.n - 1), &p->m->arena,
					      it))
					items.n--;
			}
			prm->items = arena_memdup(&p->m->arena, items.v, items.n * sizeof(*items.v));
			prm->n = items.n;
		} else {
			prm->items = arena_alloc(&p->m->arena, sizeof(*prm->items));
			if (yr_scalar(&p->yr, f, &p->m->arena, prm->items))
				v.n--;
			else
				prm->n = 1;
		}
	}
	s->params = arena_memdup(&p->m->arena, v.v, v.n * sizeof(*v.v));
	s->n_params = v.n;
	VEC_FREE(&v);
	VEC_FREE(&items);
}

static void read_flavors(struct parser *p, const struct ypath *path, struct m_sid *s)
{
	static const char *const names[] = { "psp", "usp", "usd", "next-csid", NULL };
	size_t i = 0;

	if (yr_begin_seq(&p->yr, path, NULL))
		return;
	while (yr_more(&p->yr)) {
		int v = read_enum(p, YP_INDEX(path, i++), names, "flavor");

		if (v >= 0)
			s->flavors |= (uint16_t)(1u << (v + 1));	/* SR6_FLV_*: 1 << op */
	}
}

void read_sid(struct parser *p, const struct ypath *path, struct m_sid *s)
{
	const char *str, *why;
	int k;

	if (yr_begin_map(&p->yr, path, &s->pos))
		return;
	while ((k = yr_key(&p->yr, path, sid_keys, &s->seen, s->kpos)) != YR_END) {
		const struct ypath *f = YP_KEY(path, sid_keys[k]);
		size_t before = diag_count(p->d);

		switch (k) {
		case SK_SID:
			read_sid_addr(p, f, &s->sid, NULL);
			break;
		case SK_BEHAVIOR:
			read_behavior(p, f, &s->behavior);
			break;
		case SK_NEXTHOP:
			if (yr_str(&p->yr, f, NULL, &str, NULL))
				break;
			if (strchr(str, ':')) {
				if (addr6_parse(&s->nh, str, &why) == 0)
					s->nh_family = AF_INET6;
			} else if (addr4_parse(&s->nh.w[0], str, &why) == 0) {
				s->nh_family = AF_INET;
			}
			if (!s->nh_family)
				ydiag(p->d, s->kpos[k], f, "\"%s\": not a valid IPv6 or IPv4 address",
					 str);
			break;
		case SK_INTERFACE:
			read_kept(p, f, &s->iface);
			break;
		case SK_TABLE:
			read_table(p, f, &s->table);
			break;
		case SK_FUNCTION:
			read_kept(p, f, &s->function);
			break;
		case SK_PARAMS:
			read_params(p, f, s);
			break;
		case SK_FLAVORS:
			read_flavors(p, f, s);
			break;
		case SK_BLOCK_BITS:
			read_u8(p, f, 8, 120, &s->lcblock_bits);
			break;
		case SK_NODE_FUNCTION_BITS:
			read_u8(p, f, 8, 120, &s->lcnode_fn_bits);
			break;
		}
		if (diag_count(p->d) != before)
			s->bad |= 1u << k;
	}
	if (!(s->seen & (1u << SK_SID)))
		ydiag(p->d, s->pos, path, "missing key \"sid\"");
	if (!(s->seen & (1u << SK_BEHAVIOR)))
		ydiag(p->d, s->pos, path, "missing key \"behavior\"");
}
