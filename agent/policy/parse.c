/*
 * parse.c: policy YAML -> model.  One pass over the YAML events: every key is checked
 * against the schema of its object, every value against its type and syntax (addresses,
 * prefixes, names, enumerations, ranges).  What relates several values is left to
 * validate.c.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "agent/policy/index.h"
#include "agent/policy/model.h"

struct parser {
	struct yreader yr;
	struct model *m;
	struct diag *d;
	struct index names;	/* the names kept by the model, stored once each */
};

/* The model's copy of a name read from the file (one copy per distinct name). */
static const char *intern(struct parser *p, const char *s)
{
	const char *copy = index_stored_key(&p->names, s, strlen(s));

	if (copy)
		return copy;
	copy = arena_strdup(&p->m->arena, s);
	index_put_str(&p->names, copy, 0, NULL);
	return copy;
}

static const char *const top_keys[] = {
	"apiVersion", "node", "sids", "segment_lists", "policies", "steering", NULL
};
enum { TK_API, TK_NODE, TK_SIDS, TK_SEGLISTS, TK_POLICIES, TK_STEERING };

static const char *const node_keys[] = {
	[NK_NAME] = "name", [NK_LOCATOR] = "locator", [NK_SOURCE] = "source",
	[NK_INTERFACES] = "interfaces", [NK_HOP_LIMIT] = "hop_limit", [NK_FIB_CACHE] = "fib_cache",
	NULL
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
/* Names of enumerations                                                                     */

static const struct {
	const char *name;
	uint8_t value;
} behaviors[] = {
	{ "End", SR6_END },	    { "End.X", SR6_END_X },	{ "End.T", SR6_END_T },
	{ "End.DX6", SR6_END_DX6 }, { "End.DX4", SR6_END_DX4 }, { "End.DT6", SR6_END_DT6 },
	{ "End.BPF", SR6_END_BPF },
};

const char *behavior_name(uint8_t behavior)
{
	size_t i;

	for (i = 0; i < sizeof(behaviors) / sizeof(behaviors[0]); i++)
		if (behaviors[i].value == behavior)
			return behaviors[i].name;
	return "?";
}

const char *mode_name(uint8_t mode)
{
	switch (mode) {
	case SR6_MODE_ENCAP:
		return "encap";
	case SR6_MODE_ENCAP_RED:
		return "encap.red";
	case SR6_MODE_INLINE:
		return "inline";
	default:
		return "?";
	}
}

const char *attach_name(uint8_t attach)
{
	switch (attach) {
	case ATTACH_XDP:
		return "xdp";
	case ATTACH_XDP_GENERIC:
		return "xdp-generic";
	case ATTACH_TC:
		return "tc";
	case ATTACH_NONE:
		return "none";
	default:
		return "?";
	}
}

static const struct {
	const char *name;
	uint8_t value;
} protos[] = {
	{ "icmp", 1 }, { "tcp", 6 }, { "udp", 17 }, { "icmpv6", 58 }, { "sctp", 132 },
};

const char *proto_name(uint8_t proto, char buf[8])
{
	size_t i;

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (protos[i].value == proto)
			return protos[i].name;
	snprintf(buf, 8, "%u", proto);
	return buf;
}

/* ---------------------------------------------------------------------------------------- */
/* Typed values                                                                              */

static int check_name(struct parser *p, const struct ypath *path, const char *name, struct pos pos)
{
	size_t i, n = strlen(name);

	if (n == 0 || n > POLICY_NAME_MAX) {
		ydiag(p->d, pos, path, "a name must have 1..%d characters", POLICY_NAME_MAX);
		return -1;
	}
	for (i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.')) {
			ydiag(p->d, pos, path, "\"%s\": a name may use only letters, digits, "
				 "'-', '_' and '.'", name);
			return -1;
		}
	}
	return 0;
}

static int read_name(struct parser *p, const struct ypath *path, const char **out, struct pos *pos)
{
	const char *s;
	struct pos ps;

	if (yr_str(&p->yr, path, NULL, &s, &ps))
		return -1;
	if (pos)
		*pos = ps;
	if (check_name(p, path, s, ps))
		return -1;
	*out = intern(p, s);
	return 0;
}

/* A free-form string kept by the model (interface and function names). */
static int read_kept(struct parser *p, const struct ypath *path, const char **out)
{
	const char *s;

	if (yr_str(&p->yr, path, NULL, &s, NULL))
		return -1;
	*out = intern(p, s);
	return 0;
}

static int read_addr6(struct parser *p, const struct ypath *path, union sr6_in6 *out, struct pos *pos)
{
	const char *s, *why;
	struct pos ps;

	if (yr_str(&p->yr, path, NULL, &s, &ps))
		return -1;
	if (pos)
		*pos = ps;
	if (addr6_parse(out, s, &why)) {
		ydiag(p->d, ps, path, "\"%s\": %s", s, why);
		return -1;
	}
	return 0;
}

/* A SID or segment: a unicast IPv6 address. */
static int read_sid_addr(struct parser *p, const struct ypath *path, union sr6_in6 *out,
			 struct pos *pos)
{
	char a[ADDR_STRLEN];
	struct pos ps;

	if (read_addr6(p, path, out, &ps))
		return -1;
	if (pos)
		*pos = ps;
	addr6_format(a, out);
	if (addr6_is_zero(out) || out->b[0] == 0xff ||
	    (out->w[0] == 0 && out->w[1] == 0 && out->w[2] == 0 && out->w[3] == htonl(1))) {
		ydiag(p->d, ps, path, "%s is not a unicast address: a SID must be one", a);
		return -1;
	}
	return 0;
}

static int read_prefix(struct parser *p, const struct ypath *path, int family, struct prefix *out,
		       struct pos *pos)
{
	char suggest[ADDR_STRLEN];
	const char *s, *why;
	struct pos ps;

	if (yr_str(&p->yr, path, NULL, &s, &ps))
		return -1;
	if (pos)
		*pos = ps;
	if (prefix_parse(out, s, family, &why, suggest)) {
		if (suggest[0])
			ydiag(p->d, ps, path, "\"%s\": %s (did you mean %s?)", s, why, suggest);
		else
			ydiag(p->d, ps, path, "\"%s\": %s", s, why);
		return -1;
	}
	return 0;
}

static int read_u8(struct parser *p, const struct ypath *path, unsigned min, unsigned max,
		   uint8_t *out)
{
	uint64_t v;

	if (yr_uint(&p->yr, path, min, max, &v, NULL))
		return -1;
	*out = (uint8_t)v;
	return 0;
}

/* One of names[] (case-insensitive); its index, or -1 (reported). */
static int read_enum(struct parser *p, const struct ypath *path, const char *const *names,
		     const char *what)
{
	char list[256];
	size_t off = 0;
	const char *s;
	struct pos ps;
	int i;

	if (yr_str(&p->yr, path, NULL, &s, &ps))
		return -1;
	for (i = 0; names[i]; i++)
		if (!strcasecmp(names[i], s))
			return i;
	list[0] = 0;
	for (i = 0; names[i] && off < sizeof(list); i++)
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s", i ? ", " : "",
					names[i]);
	ydiag(p->d, ps, path, "unknown %s \"%s\" (expected one of: %s)", what, s, list);
	return -1;
}

/* "443" or "8000-8080". */
static int read_ports(struct parser *p, const struct ypath *path, uint16_t *lo, uint16_t *hi)
{
	struct yscalar s;
	uint64_t a, b;
	const char *dash;
	char buf[32];

	if (yr_scalar(&p->yr, path, NULL, &s))
		return -1;
	if (s.plain && !yaml_parse_uint(s.text, &a)) {
		b = a;
	} else {
		dash = strchr(s.text, '-');
		if (!dash || (size_t)(dash - s.text) >= sizeof(buf))
			goto bad;
		memcpy(buf, s.text, (size_t)(dash - s.text));
		buf[dash - s.text] = 0;
		if (yaml_parse_uint(buf, &a) || yaml_parse_uint(dash + 1, &b))
			goto bad;
	}
	if (a > 65535 || b > 65535 || a > b) {
		ydiag(p->d, s.pos, path, "\"%s\": ports are 0..65535 and a range is low-high",
			 s.text);
		return -1;
	}
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return 0;
bad:
	ydiag(p->d, s.pos, path, "\"%s\": expected a port (443) or a range (8000-8080)",
		 s.text);
	return -1;
}

static int read_proto(struct parser *p, const struct ypath *path, uint8_t *out)
{
	struct yscalar s;
	uint64_t v;
	size_t i;

	if (yr_scalar(&p->yr, path, NULL, &s))
		return -1;
	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		if (!strcasecmp(protos[i].name, s.text)) {
			*out = protos[i].value;
			return 0;
		}
	}
	if (s.plain && !yaml_parse_uint(s.text, &v) && v <= 255) {
		*out = (uint8_t)v;
		return 0;
	}
	ydiag(p->d, s.pos, path, "unknown protocol \"%s\" (expected tcp, udp, sctp, icmp, "
		 "icmpv6 or a number 0..255)", s.text);
	return -1;
}

/* An FIB table: a number or "main" (254) / "local" (255). */
static int read_table(struct parser *p, const struct ypath *path, uint32_t *out)
{
	struct yscalar s;
	uint64_t v;

	if (yr_scalar(&p->yr, path, NULL, &s))
		return -1;
	if (!strcmp(s.text, "main")) {
		*out = 254;
		return 0;
	}
	if (!strcmp(s.text, "local")) {
		*out = 255;
		return 0;
	}
	if (s.plain && !yaml_parse_uint(s.text, &v) && v >= 1 && v <= 0xffffffffu) {
		*out = (uint32_t)v;
		return 0;
	}
	ydiag(p->d, s.pos, path, "\"%s\": expected a table number 1..4294967295, \"main\" "
		 "or \"local\"", s.text);
	return -1;
}

/* A sequence of SIDs into arena arrays: 0, -1 when an item is bad, -2 when the value is not
 * a sequence (then *n = 0). */
static int read_seg_seq(struct parser *p, const struct ypath *path, union sr6_in6 **segs,
			struct pos **seg_pos, uint32_t *n, struct pos *pos)
{
	VEC(union sr6_in6) v = { 0 };
	VEC(struct pos) vp = { 0 };
	int rc = 0;

	*n = 0;
	if (yr_begin_seq(&p->yr, path, pos))
		return -2;
	while (yr_more(&p->yr)) {
		union sr6_in6 a = { 0 };
		struct pos ps = { 0, 0 };

		/* A bad item still takes its place, so later indexes stay right. */
		if (read_sid_addr(p, YP_INDEX(path, v.n), &a, &ps))
			rc = -1;
		*VEC_PUSH(&v) = a;
		*VEC_PUSH(&vp) = ps;
	}
	*segs = arena_memdup(&p->m->arena, v.v, v.n * sizeof(*v.v));
	*seg_pos = arena_memdup(&p->m->arena, vp.v, vp.n * sizeof(*vp.v));
	*n = (uint32_t)v.n;
	VEC_FREE(&v);
	VEC_FREE(&vp);
	return rc;
}

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

static void read_node(struct parser *p, const struct ypath *path)
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

static void read_sid(struct parser *p, const struct ypath *path, struct m_sid *s)
{
	static const char *names[sizeof(behaviors) / sizeof(behaviors[0]) + 1];
	const char *str, *why;
	size_t i;
	int k, v;

	for (i = 0; i < sizeof(behaviors) / sizeof(behaviors[0]); i++)
		names[i] = behaviors[i].name;
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
			v = read_enum(p, f, names, "behavior");
			if (v >= 0)
				s->behavior = behaviors[v].value;
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

/* ---------------------------------------------------------------------------------------- */
/* segment_lists                                                                             */

static void read_seglists(struct parser *p, const struct ypath *path)
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
		if (check_name(p, f, name, kpos))
			sl->name = NULL;
		if (read_seg_seq(p, f, &sl->segs, &sl->seg_pos, &sl->n, &sl->pos) == -2)
			sl->bad = true;
	}
}

/* ---------------------------------------------------------------------------------------- */
/* policies                                                                                  */

static void read_path(struct parser *p, const struct ypath *path, struct m_path *h)
{
	uint64_t w;
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
			if (!yr_uint(&p->yr, f, 1, SR6_MAX_WEIGHT, &w, NULL))
				h->weight = (uint32_t)w;
			break;
		}
		if (diag_count(p->d) != before)
			h->bad |= 1u << k;
	}
	if (!(h->seen & (1u << HK_SEGMENTS)))
		ydiag(p->d, h->pos, path, "missing key \"segments\"");
}

static void read_policy(struct parser *p, const struct ypath *path, struct m_policy *pol)
{
	static const char *const modes[] = { "encap", "encap.red", "inline", NULL };
	static const char *const tcs[] = { "inherit", "zero", NULL };
	VEC(struct m_path) paths = { 0 };
	uint64_t v;
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
			if (!yr_uint(&p->yr, f, 1280, 65535, &v, NULL))
				pol->mtu = (uint32_t)v;
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

static void read_rule(struct parser *p, const struct ypath *path, struct m_rule *r)
{
	struct pos kpos[RK_COUNT] = { { 0, 0 } };
	uint32_t seen = 0;
	uint64_t v;
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
			if (!yr_uint(&p->yr, f, 0, 0xffffffffu, &v, NULL))
				r->priority = (uint32_t)v;
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

/* ---------------------------------------------------------------------------------------- */
/* The document                                                                              */

/* The document, once the reader is open. */
static void read_document(struct parser *p)
{
	struct model *m = p->m;
	struct diag *d = p->d;
	uint32_t seen = 0;
	struct pos kpos[6] = { { 0, 0 } }, top;
	const char *api;
	int k;

	if (yr_begin_map(&p->yr, NULL, &top))
		return;
	while ((k = yr_key(&p->yr, NULL, top_keys, &seen, kpos)) != YR_END) {
		switch (k) {
		case TK_API:
			if (yr_str(&p->yr, YP_KEY(NULL, "apiVersion"), NULL, &api, NULL))
				break;
			if (strcmp(api, POLICY_API_VERSION))
				ydiag(d, kpos[k], YP_KEY(NULL, "apiVersion"), "\"%s\" is not supported "
				      "(this agent reads \"%s\")", api, POLICY_API_VERSION);
			break;
		case TK_NODE:
			read_node(p, YP_KEY(NULL, "node"));
			break;
		case TK_SIDS:
			if (yr_begin_seq(&p->yr, YP_KEY(NULL, "sids"), NULL))
				break;
			while (yr_more(&p->yr)) {
				struct m_sid *s = VEC_PUSH(&m->sids);

				read_sid(p, YP_INDEX(YP_KEY(NULL, "sids"), m->sids.n - 1), s);
			}
			break;
		case TK_SEGLISTS:
			read_seglists(p, YP_KEY(NULL, "segment_lists"));
			break;
		case TK_POLICIES:
			if (yr_begin_seq(&p->yr, YP_KEY(NULL, "policies"), NULL))
				break;
			while (yr_more(&p->yr)) {
				struct m_policy *pol = VEC_PUSH(&m->policies);

				read_policy(p, YP_INDEX(YP_KEY(NULL, "policies"), m->policies.n - 1),
					    pol);
			}
			break;
		case TK_STEERING:
			if (yr_begin_seq(&p->yr, YP_KEY(NULL, "steering"), NULL))
				break;
			while (yr_more(&p->yr)) {
				struct m_rule *r = VEC_PUSH(&m->rules);

				read_rule(p, YP_INDEX(YP_KEY(NULL, "steering"), m->rules.n - 1), r);
			}
			break;
		}
	}
	if (!p->yr.broken) {
		if (!(seen & (1u << TK_API)))
			diag_add(d, top, "", "missing key \"apiVersion\" (write \"apiVersion: %s\")",
				 POLICY_API_VERSION);
		if (!(seen & (1u << TK_NODE)))
			diag_add(d, top, "", "missing key \"node\"");
	}
}

static void parse_begin(struct parser *p, struct model *m, struct diag *d)
{
	memset(m, 0, sizeof(*m));
	arena_init(&m->arena);
	memset(p, 0, sizeof(*p));
	p->m = m;
	p->d = d;
}

static int parse_end(struct parser *p, size_t before)
{
	VEC_SHRINK(&p->m->rules);
	VEC_SHRINK(&p->m->policies);
	VEC_SHRINK(&p->m->sids);
	p->m->syntax_error = p->yr.broken;
	yr_close(&p->yr);
	index_free(&p->names);
	return diag_count(p->d) == before ? 0 : -1;
}

int model_parse(struct model *m, const void *text, size_t len, struct diag *d)
{
	size_t before = diag_count(d);
	struct parser p;

	parse_begin(&p, m, d);
	if (len > POLICY_FILE_MAX) {
		diag_add(d, (struct pos){ 1, 1 }, "", "the file is larger than %u MiB",
			 POLICY_FILE_MAX >> 20);
		m->syntax_error = true;
		return -1;
	}
	if (yr_open(&p.yr, text, len, d) == 0)
		read_document(&p);
	return parse_end(&p, before);
}

int model_parse_file(struct model *m, FILE *f, struct diag *d)
{
	size_t before = diag_count(d);
	struct parser p;
	struct stat st;

	parse_begin(&p, m, d);
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
	    (uint64_t)st.st_size > POLICY_FILE_MAX) {
		diag_add(d, (struct pos){ 1, 1 }, "", "the file is larger than %u MiB",
			 POLICY_FILE_MAX >> 20);
		m->syntax_error = true;
		return -1;
	}
	if (yr_open_file(&p.yr, f, d) == 0)
		read_document(&p);
	return parse_end(&p, before);
}

void model_free(struct model *m)
{
	arena_free(&m->arena);
	VEC_FREE(&m->sids);
	VEC_FREE(&m->seglists);
	VEC_FREE(&m->policies);
	VEC_FREE(&m->rules);
}
