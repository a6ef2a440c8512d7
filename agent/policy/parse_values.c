/*
 * parse_values.c: the typed values of a policy file (names, addresses, prefixes, numbers,
 * enumerations, ports, protocols, tables, SID lists), each checked where it is written, and
 * the names of the enumerations.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "agent/policy/parse.h"

/* The model's copy of a name read from the file (one copy per distinct name). */
const char *parse_intern(struct parser *p, const char *s)
{
	const char *copy = index_stored_key(&p->names, s, strlen(s));

	if (copy)
		return copy;
	copy = arena_strdup(&p->m->arena, s);
	index_put_str(&p->names, copy, 0, NULL);
	return copy;
}

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

int parse_check_name(struct parser *p, const struct ypath *path, const char *name, struct pos pos)
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

int read_name(struct parser *p, const struct ypath *path, const char **out, struct pos *pos)
{
	const char *s;
	struct pos ps;

	if (yr_str(&p->yr, path, NULL, &s, &ps))
		return -1;
	if (pos)
		*pos = ps;
	if (parse_check_name(p, path, s, ps))
		return -1;
	*out = parse_intern(p, s);
	return 0;
}

/* A free-form string kept by the model (interface and function names). */
int read_kept(struct parser *p, const struct ypath *path, const char **out)
{
	const char *s;

	if (yr_str(&p->yr, path, NULL, &s, NULL))
		return -1;
	*out = parse_intern(p, s);
	return 0;
}

int read_addr6(struct parser *p, const struct ypath *path, union sr6_in6 *out, struct pos *pos)
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
int read_sid_addr(struct parser *p, const struct ypath *path, union sr6_in6 *out,
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

int read_prefix(struct parser *p, const struct ypath *path, int family, struct prefix *out,
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

int read_u8(struct parser *p, const struct ypath *path, unsigned min, unsigned max,
		   uint8_t *out)
{
	uint64_t v;

	if (yr_uint(&p->yr, path, min, max, &v, NULL))
		return -1;
	*out = (uint8_t)v;
	return 0;
}

int read_u32(struct parser *p, const struct ypath *path, uint32_t min, uint32_t max,
	     uint32_t *out)
{
	uint64_t v;

	if (yr_uint(&p->yr, path, min, max, &v, NULL))
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* One of names[] (case-insensitive); its index, or -1 (reported). */
int read_enum(struct parser *p, const struct ypath *path, const char *const *names,
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
int read_ports(struct parser *p, const struct ypath *path, uint16_t *lo, uint16_t *hi)
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

int read_proto(struct parser *p, const struct ypath *path, uint8_t *out)
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
int read_table(struct parser *p, const struct ypath *path, uint32_t *out)
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
int read_seg_seq(struct parser *p, const struct ypath *path, union sr6_in6 **segs,
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

int read_behavior(struct parser *p, const struct ypath *path, uint8_t *out)
{
	static const char *names[sizeof(behaviors) / sizeof(behaviors[0]) + 1];
	size_t i;
	int v;

	for (i = 0; i < sizeof(behaviors) / sizeof(behaviors[0]); i++)
		names[i] = behaviors[i].name;
	v = read_enum(p, path, names, "behavior");
	if (v < 0)
		return -1;
	*out = behaviors[v].value;
	return 0;
}
