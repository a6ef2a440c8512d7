/* Decoder: the kernel's expressions back into rules of the language.  It accepts exactly
 * the shapes the compiler emits (see compile.c), so a listing shows what a rule does no
 * matter which process added it; anything else is reported as a foreign rule. */
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nft-srv6/src/compile.h"

#define MAX_EXPRS 512

struct dec {
	struct nftnl_expr *x[MAX_EXPRS];
	const char *name[MAX_EXPRS];
	size_t n, i;
	const struct decode_env *env;
};

static int load_exprs(struct dec *d, const struct nftnl_rule *r)
{
	struct nftnl_expr_iter *it = nftnl_expr_iter_create(r);
	struct nftnl_expr *x;

	if (!it)
		return -1;
	d->n = d->i = 0;
	for (x = nftnl_expr_iter_next(it); x; x = nftnl_expr_iter_next(it)) {
		if (d->n == MAX_EXPRS) {
			nftnl_expr_iter_destroy(it);
			return -1;
		}
		d->name[d->n] = nftnl_expr_get_str(x, NFTNL_EXPR_NAME);
		d->x[d->n++] = x;
	}
	nftnl_expr_iter_destroy(it);
	return 0;
}

static bool is(const struct dec *d, size_t i, const char *name)
{
	return i < d->n && d->name[i] && !strcmp(d->name[i], name);
}

static const uint8_t *data_of(const struct nftnl_expr *x, uint16_t attr, uint32_t *len)
{
	*len = 0;
	if (!nftnl_expr_is_set(x, attr))
		return NULL;
	return nftnl_expr_get(x, attr, len);
}

/* cmp OP against one byte */
static bool cmp_u8(const struct dec *d, size_t i, uint32_t op, uint8_t *v)
{
	uint32_t len;
	const uint8_t *p;

	if (!is(d, i, "cmp") || nftnl_expr_get_u32(d->x[i], NFTNL_EXPR_CMP_OP) != op)
		return false;
	p = data_of(d->x[i], NFTNL_EXPR_CMP_DATA, &len);
	if (!p || len != 1)
		return false;
	*v = p[0];
	return true;
}

static bool meta_is(const struct dec *d, size_t i, uint32_t key)
{
	return is(d, i, "meta") && nftnl_expr_get_u32(d->x[i], NFTNL_EXPR_META_KEY) == key;
}

static bool exthdr_at(const struct dec *d, size_t i, uint32_t *off, uint32_t *len)
{
	const struct nftnl_expr *x = d->x[i];

	if (!is(d, i, "exthdr") || nftnl_expr_get_u8(x, NFTNL_EXPR_EXTHDR_TYPE) != 43 ||
	    nftnl_expr_get_u32(x, NFTNL_EXPR_EXTHDR_OP) != NFT_EXTHDR_OP_IPV6 ||
	    (nftnl_expr_is_set(x, NFTNL_EXPR_EXTHDR_FLAGS) &&
	     nftnl_expr_get_u32(x, NFTNL_EXPR_EXTHDR_FLAGS)))
		return false;
	*off = nftnl_expr_get_u32(x, NFTNL_EXPR_EXTHDR_OFFSET);
	*len = nftnl_expr_get_u32(x, NFTNL_EXPR_EXTHDR_LEN);
	return true;
}

/* The set a lookup names.  Before the kernel names an anonymous set ("__set%d") only
 * its batch id tells sets apart (decoding freshly compiled rules). */
static const struct nftnl_set *find_set(const struct dec *d, const struct nftnl_expr *lookup)
{
	const char *name = nftnl_expr_get_str(lookup, NFTNL_EXPR_LOOKUP_SET);
	bool by_id = name && strchr(name, '%');
	size_t i;

	for (i = 0; name && i < d->env->nsets; i++) {
		const struct nftnl_set *s = d->env->sets[i];

		if (by_id ? nftnl_set_get_u32(s, NFTNL_SET_ID) ==
			    nftnl_expr_get_u32(lookup, NFTNL_EXPR_LOOKUP_SET_ID) :
			    !strcmp(nftnl_set_get_str(s, NFTNL_SET_NAME), name))
			return s;
	}
	return NULL;
}

struct point {
	uint8_t key[16];
	bool end;
};

static int cmp_point(const void *a, const void *b, void *w)
{
	return memcmp(((const struct point *)a)->key, ((const struct point *)b)->key,
		      *(const uint8_t *)w);
}

static int set_values(struct match *m, const struct nftnl_set *s)
{
	struct nftnl_set_elems_iter *it;
	struct nftnl_set_elem *el;
	struct point *pts = NULL;
	size_t n = 0, cap = 0, i;
	bool interval = nftnl_set_get_u32(s, NFTNL_SET_FLAGS) & NFT_SET_INTERVAL;
	bool open = false;
	struct vrange cur;
	int rc = -1;

	if (nftnl_set_get_u32(s, NFTNL_SET_KEY_LEN) != m->width)
		return -1;
	it = nftnl_set_elems_iter_create(s);
	if (!it)
		return -1;
	for (el = nftnl_set_elems_iter_next(it); el; el = nftnl_set_elems_iter_next(it)) {
		uint32_t len = 0;
		const uint8_t *key = nftnl_set_elem_get(el, NFTNL_SET_ELEM_KEY, &len);

		if (!key || len != m->width)
			goto out;
		if (n == cap) {
			struct point *p = realloc(pts, (cap ? cap * 2 : 16) * sizeof(*p));

			if (!p)
				goto out;
			pts = p;
			cap = cap ? cap * 2 : 16;
		}
		memset(&pts[n], 0, sizeof(pts[n]));
		memcpy(pts[n].key, key, len);
		pts[n].end = nftnl_set_elem_is_set(el, NFTNL_SET_ELEM_FLAGS) &&
			     (nftnl_set_elem_get_u32(el, NFTNL_SET_ELEM_FLAGS) &
			      NFT_SET_ELEM_INTERVAL_END);
		n++;
	}
	qsort_r(pts, n, sizeof(*pts), cmp_point, &m->width);
	m->n = 0;
	m->v = calloc(n ? n : 1, sizeof(*m->v));
	if (!m->v)
		goto out;
	memset(&cur, 0, sizeof(cur));
	for (i = 0; i < n; i++) {
		if (!interval) {
			if (pts[i].end)
				goto out;
			memcpy(m->v[m->n].lo, pts[i].key, m->width);
			memcpy(m->v[m->n++].hi, pts[i].key, m->width);
			continue;
		}
		if (!pts[i].end) {
			if (open)
				goto out;
			memset(&cur, 0, sizeof(cur));
			memcpy(cur.lo, pts[i].key, m->width);
			open = true;
		} else if (open) {
			int b;

			memcpy(cur.hi, pts[i].key, m->width);
			for (b = m->width - 1; b >= 0 && cur.hi[b]-- == 0; b--)
				;
			m->v[m->n++] = cur;
			open = false;
		}
	}
	if (open) {
		memset(cur.hi, 0xff, m->width);
		m->v[m->n++] = cur;
	}
	rc = m->n ? nfts_value_canonical(m) : -1;
out:
	nftnl_set_elems_iter_destroy(it);
	free(pts);
	return rc;
}

/* After a load of "loaded" bytes at d->i - 1: the comparison, into m (width set). */
static int decode_compare(struct dec *d, struct match *m, uint32_t loaded)
{
	uint8_t mask[16];
	uint32_t len, op;
	const uint8_t *p;
	bool masked = false;

	memset(mask, 0xff, sizeof(mask));
	if (is(d, d->i, "bitwise")) {
		const uint8_t *xr;
		uint32_t xlen, k;

		p = data_of(d->x[d->i], NFTNL_EXPR_BITWISE_MASK, &len);
		xr = data_of(d->x[d->i], NFTNL_EXPR_BITWISE_XOR, &xlen);
		if (!p || len != loaded || !nfts_field_info(m->field)->address)
			return -1;
		for (k = 0; xr && k < xlen; k++)
			if (xr[k])
				return -1;
		memcpy(mask, p, len);
		masked = true;
		d->i++;
	}
	if (is(d, d->i, "lookup")) {
		const struct nftnl_expr *x = d->x[d->i];
		const struct nftnl_set *s;

		if (masked || loaded != m->width)
			return -1;
		s = find_set(d, x);
		if (!s || set_values(m, s))
			return -1;
		m->neg = nftnl_expr_is_set(x, NFTNL_EXPR_LOOKUP_FLAGS) &&
			 (nftnl_expr_get_u32(x, NFTNL_EXPR_LOOKUP_FLAGS) & NFT_LOOKUP_F_INV);
		d->i++;
		return 0;
	}
	m->v = calloc(1, sizeof(*m->v));
	if (!m->v)
		return -1;
	m->n = 1;
	if (is(d, d->i, "range")) {
		const uint8_t *to;
		uint32_t tlen;

		p = data_of(d->x[d->i], NFTNL_EXPR_RANGE_FROM_DATA, &len);
		to = data_of(d->x[d->i], NFTNL_EXPR_RANGE_TO_DATA, &tlen);
		if (masked || !p || !to || len != m->width || tlen != m->width ||
		    nftnl_expr_get_u32(d->x[d->i], NFTNL_EXPR_RANGE_OP) != NFT_RANGE_NEQ)
			return -1;
		memcpy(m->v[0].lo, p, len);
		memcpy(m->v[0].hi, to, len);
		m->neg = true;
		d->i++;
		return 0;
	}
	if (!is(d, d->i, "cmp"))
		return -1;
	op = nftnl_expr_get_u32(d->x[d->i], NFTNL_EXPR_CMP_OP);
	p = data_of(d->x[d->i], NFTNL_EXPR_CMP_DATA, &len);
	if (!p || len != loaded)
		return -1;
	if (op == NFT_CMP_GTE && loaded == m->width && !masked && is(d, d->i + 1, "cmp") &&
	    nftnl_expr_get_u32(d->x[d->i + 1], NFTNL_EXPR_CMP_OP) == NFT_CMP_LTE) {
		const uint8_t *hi;
		uint32_t hlen;

		hi = data_of(d->x[d->i + 1], NFTNL_EXPR_CMP_DATA, &hlen);
		if (!hi || hlen != loaded)
			return -1;
		memcpy(m->v[0].lo, p, len);
		memcpy(m->v[0].hi, hi, len);
		d->i += 2;
		return memcmp(m->v[0].lo, m->v[0].hi, m->width) < 0 ? 0 : -1;
	}
	if (op != NFT_CMP_EQ && op != NFT_CMP_NEQ)
		return -1;
	m->neg = op == NFT_CMP_NEQ;
	if (loaded == m->width && !masked) {
		memcpy(m->v[0].lo, p, len);
		memcpy(m->v[0].hi, p, len);
	} else {
		/* a prefix: the loaded bytes, the mask's leading ones on the last one */
		unsigned plen = 0, b;

		if (!nfts_field_info(m->field)->address || loaded > m->width)
			return -1;
		for (b = 0; b < loaded * 8 && (mask[b / 8] & (0x80 >> (b % 8))); b++)
			plen++;
		for (b = plen; b < loaded * 8; b++)
			if (mask[b / 8] & (0x80 >> (b % 8)))
				return -1;
		if (plen == 0 || (masked ? loaded != m->width || plen % 8 == 0 :
					  plen != loaded * 8))
			return -1;        /* only the two prefix shapes the compiler writes */
		memcpy(m->v[0].lo, p, loaded);
		for (b = plen; b < loaded * 8; b++)
			if (m->v[0].lo[b / 8] & (0x80 >> (b % 8)))
				return -1;
		memcpy(m->v[0].hi, m->v[0].lo, 16);
		for (b = plen; b < (unsigned)m->width * 8; b++)
			m->v[0].hi[b / 8] |= (uint8_t)(0x80 >> (b % 8));
	}
	d->i++;
	return 0;
}

static struct match *new_match(struct nftsrv6_rule *rule, enum field f, uint8_t width)
{
	struct match *m;

	if (rule->nmatch >= RULE_MAX_MATCHES)
		return NULL;
	m = &rule->m[rule->nmatch++];
	memset(m, 0, sizeof(*m));
	m->field = f;
	m->width = width;
	return m;
}

static bool exthdr_guard(const struct dec *d, size_t i, uint32_t off, uint8_t *v)
{
	uint32_t o, l;

	return exthdr_at(d, i, &o, &l) && o == off && l == 1 && cmp_u8(d, i + 1, NFT_CMP_GTE, v) &&
	       !(is(d, i + 2, "cmp"));
}

/* The guards seen before a sid[N] match (see emit_sid_guards). */
struct guards {
	int le, len;        /* Last Entry >= le, Hdr Ext Len >= len; -1: none */
	bool nh;            /* ip6 nexthdr == 43 */
};

static bool sid_guards_ok(const struct guards *g, unsigned index)
{
	return ((index == 0 && g->le < 0) || g->le == (int)index) &&
	       g->len == (int)(2 * index + 2) && g->nh == (index > SID_EXTHDR_MAX);
}

static bool no_guards(const struct guards *g)
{
	return g->le < 0 && g->len < 0 && !g->nh;
}

/* exthdr at d->i (guards consumed by the caller): an SRH field or sid[N] */
static int decode_exthdr(struct dec *d, struct nftsrv6_rule *rule, const struct guards *g)
{
	uint32_t off, len;
	struct match *m;
	enum field f;
	unsigned index = 0;

	if (!exthdr_at(d, d->i, &off, &len))
		return -1;
	switch (off) {
	case 3: f = FIELD_SEGLEFT; break;
	case 4: f = FIELD_LAST_ENTRY; break;
	case 5: f = FIELD_FLAGS; break;
	case 6: f = FIELD_TAG; break;
	default:
		if (off < 8 || (off - 8) % 16 || (off - 8) / 16 > SID_EXTHDR_MAX)
			return -1;
		f = FIELD_SID;
		index = (off - 8) / 16;
		if (!sid_guards_ok(g, index))
			return -1;
		break;
	}
	if (f != FIELD_SID && !no_guards(g))
		return -1;
	m = new_match(rule, f, nfts_field_info(f)->width);
	if (!m)
		return -1;
	m->index = (uint8_t)index;
	d->i++;
	if ((f != FIELD_SID && len != m->width) || len > m->width)
		return -1;
	return decode_compare(d, m, len);
}

static int decode_payload(struct dec *d, struct nftsrv6_rule *rule, const struct guards *g)
{
	const struct nftnl_expr *x = d->x[d->i];
	uint32_t base = nftnl_expr_get_u32(x, NFTNL_EXPR_PAYLOAD_BASE);
	uint32_t off = nftnl_expr_get_u32(x, NFTNL_EXPR_PAYLOAD_OFFSET);
	uint32_t len = nftnl_expr_get_u32(x, NFTNL_EXPR_PAYLOAD_LEN);
	uint8_t fam = rule->inner_family;
	unsigned index = 0;
	struct match *m;
	enum field f;

	if (base == NFT_PAYLOAD_NETWORK_HEADER && off >= 48 && (off - 48) % 16 == 0) {
		/* Segment List[N] for N past the exthdr reach, SRH right after IPv6 */
		index = (off - 48) / 16;
		if (index <= SID_EXTHDR_MAX || index > SRH_MAX_SID_INDEX || !sid_guards_ok(g, index))
			return -1;
		f = FIELD_SID;
	} else if (!no_guards(g)) {
		return -1;
	} else if (base == NFT_PAYLOAD_NETWORK_HEADER) {
		if (off == 8)
			f = FIELD_SADDR;
		else if (off == 24)
			f = FIELD_DADDR;
		else
			return -1;
	} else if (base == NFT_PAYLOAD_TRANSPORT_HEADER && fam) {
		if (fam == 6 && off == 8)
			f = FIELD_INNER_SADDR;
		else if (fam == 6 && off == 24)
			f = FIELD_INNER_DADDR;
		else if (fam == 4 && off == 12)
			f = FIELD_INNER_SADDR;
		else if (fam == 4 && off == 16)
			f = FIELD_INNER_DADDR;
		else if (off == (fam == 4 ? 9u : 6u))
			f = FIELD_INNER_PROTO;
		else if (off == (fam == 4 ? 20u : 40u))
			f = FIELD_INNER_SPORT;
		else if (off == (fam == 4 ? 22u : 42u))
			f = FIELD_INNER_DPORT;
		else
			return -1;
	} else {
		return -1;
	}
	m = new_match(rule, f, nfts_field_info(f)->width ? nfts_field_info(f)->width : (fam == 4 ? 4 : 16));
	if (!m || len > m->width || (!nfts_field_info(f)->address && len != m->width))
		return -1;
	m->index = (uint8_t)index;
	d->i++;
	return decode_compare(d, m, len);
}

/* The IPv4 port guards: th,0,8 == 0x45 and th,48,16 & 0x1fff == 0. */
static bool v4_port_guards(const struct dec *d, size_t i)
{
	static const uint8_t fragmask[2] = { 0x1f, 0xff };
	const uint8_t *p;
	uint32_t len;
	uint8_t v;

	if (!is(d, i, "payload") ||
	    nftnl_expr_get_u32(d->x[i], NFTNL_EXPR_PAYLOAD_BASE) != NFT_PAYLOAD_TRANSPORT_HEADER ||
	    nftnl_expr_get_u32(d->x[i], NFTNL_EXPR_PAYLOAD_OFFSET) != 0 ||
	    nftnl_expr_get_u32(d->x[i], NFTNL_EXPR_PAYLOAD_LEN) != 1 ||
	    !cmp_u8(d, i + 1, NFT_CMP_EQ, &v) || v != 0x45)
		return false;
	if (!is(d, i + 2, "payload") ||
	    nftnl_expr_get_u32(d->x[i + 2], NFTNL_EXPR_PAYLOAD_BASE) !=
		    NFT_PAYLOAD_TRANSPORT_HEADER ||
	    nftnl_expr_get_u32(d->x[i + 2], NFTNL_EXPR_PAYLOAD_OFFSET) != 6 ||
	    nftnl_expr_get_u32(d->x[i + 2], NFTNL_EXPR_PAYLOAD_LEN) != 2 || !is(d, i + 3, "bitwise"))
		return false;
	p = data_of(d->x[i + 3], NFTNL_EXPR_BITWISE_MASK, &len);
	if (!p || len != 2 || memcmp(p, fragmask, 2) || !is(d, i + 4, "cmp") ||
	    nftnl_expr_get_u32(d->x[i + 4], NFTNL_EXPR_CMP_OP) != NFT_CMP_EQ)
		return false;
	p = data_of(d->x[i + 4], NFTNL_EXPR_CMP_DATA, &len);
	return p && len == 2 && !p[0] && !p[1];
}

static int decode_stmt(struct dec *d, struct nftsrv6_rule *rule)
{
	const struct nftnl_expr *x = d->x[d->i];
	struct stmt *s;

	if (rule->nstmt >= RULE_MAX_STMTS)
		return -1;
	s = &rule->s[rule->nstmt];
	memset(s, 0, sizeof(*s));
	if (is(d, d->i, "counter")) {
		s->kind = STMT_COUNTER;
		s->u.counter.packets = nftnl_expr_get_u64(x, NFTNL_EXPR_CTR_PACKETS);
		s->u.counter.bytes = nftnl_expr_get_u64(x, NFTNL_EXPR_CTR_BYTES);
	} else if (is(d, d->i, "log")) {
		s->kind = STMT_LOG;
		s->u.log.group = -1;
		s->u.log.level = -1;
		if (nftnl_expr_is_set(x, NFTNL_EXPR_LOG_PREFIX)) {
			const char *p = nftnl_expr_get_str(x, NFTNL_EXPR_LOG_PREFIX);

			if (strlen(p) > LOG_PREFIX_MAX)
				return -1;
			strcpy(s->u.log.prefix, p);
			s->u.log.has_prefix = true;
		}
		if (nftnl_expr_is_set(x, NFTNL_EXPR_LOG_GROUP))
			s->u.log.group = nftnl_expr_get_u16(x, NFTNL_EXPR_LOG_GROUP);
		else if (nftnl_expr_is_set(x, NFTNL_EXPR_LOG_LEVEL)) {
			uint32_t lv = nftnl_expr_get_u32(x, NFTNL_EXPR_LOG_LEVEL);

			if (lv > 7)
				return -1;
			/* the kernel always reports a level; warn (4) is the default */
			s->u.log.level = lv == 4 ? -1 : (int)lv;
		}
		if (nftnl_expr_is_set(x, NFTNL_EXPR_LOG_FLAGS) &&
		    nftnl_expr_get_u32(x, NFTNL_EXPR_LOG_FLAGS))
			return -1;
	} else if (is(d, d->i, "limit")) {
		static const uint64_t secs[] = { 1, 60, 3600, 86400, 604800 };
		uint64_t unit = nftnl_expr_get_u64(x, NFTNL_EXPR_LIMIT_UNIT);
		uint32_t flags = nftnl_expr_get_u32(x, NFTNL_EXPR_LIMIT_FLAGS);
		unsigned u;

		s->kind = STMT_LIMIT;
		for (u = 0; u < 5 && secs[u] != unit; u++)
			;
		if (u == 5 || nftnl_expr_get_u32(x, NFTNL_EXPR_LIMIT_TYPE) != NFT_LIMIT_PKTS ||
		    (flags & ~(uint32_t)NFT_LIMIT_F_INV))
			return -1;
		s->u.limit.unit = (enum limit_unit)u;
		s->u.limit.rate = nftnl_expr_get_u64(x, NFTNL_EXPR_LIMIT_RATE);
		s->u.limit.burst = nftnl_expr_get_u32(x, NFTNL_EXPR_LIMIT_BURST);
		if (s->u.limit.burst == 5)
			s->u.limit.burst = 0;
		s->u.limit.over = flags & NFT_LIMIT_F_INV;
		if (!s->u.limit.rate)
			return -1;
	} else {
		return -1;
	}
	rule->nstmt++;
	d->i++;
	return 0;
}

/* A verdict at d->i: accept, drop or jump CHAIN; *jump gets a auxiliary stage chain. */
static int decode_verdict(struct dec *d, struct nftsrv6_rule *rule, const char **stage)
{
	const struct nftnl_expr *x = d->x[d->i];
	int code;

	if (!is(d, d->i, "immediate") ||
	    nftnl_expr_get_u32(x, NFTNL_EXPR_IMM_DREG) != NFT_REG_VERDICT)
		return -1;
	code = (int)nftnl_expr_get_u32(x, NFTNL_EXPR_IMM_VERDICT);
	if (code == NF_ACCEPT)
		rule->verdict = VERDICT_ACCEPT;
	else if (code == NF_DROP)
		rule->verdict = VERDICT_DROP;
	else if (code == NFT_JUMP) {
		const char *c = nftnl_expr_get_str(x, NFTNL_EXPR_IMM_CHAIN);

		if (!c || strlen(c) > CHAIN_NAME_MAX)
			return -1;
		if (!strncmp(c, AUX_PREFIX, strlen(AUX_PREFIX))) {
			if (!stage)
				return -1;
			*stage = c;
		} else {
			strcpy(rule->jump, c);
			rule->verdict = VERDICT_JUMP;
		}
	} else {
		return -1;
	}
	d->i++;
	return 0;
}

static int decode_tail(struct dec *d, struct nftsrv6_rule *rule, const char **stage)
{
	while (d->i < d->n) {
		if (is(d, d->i, "immediate")) {
			if (decode_verdict(d, rule, stage))
				return -1;
			return d->i == d->n ? 0 : -1;
		}
		if (decode_stmt(d, rule))
			return -1;
	}
	return 0;
}

unsigned nfts_aux_id_of(const char *name)
{
	unsigned id = 0, k = 0;
	char kind = 0;
	int n = 0;

	if (sscanf(name, "_sr6%c%u%n", &kind, &id, &n) < 2 || (kind != 'c' && kind != 'b' &&
							       kind != 's'))
		return 0;
	if (name[n] == '_' && sscanf(name + n, "_%u", &k) != 1)
		return 0;
	return id;
}

/* Stage chain of a "contains": position 0's rule holds the values; the chain must have
 * every position.  Returns the chain the stage continues to in *next. */
static int decode_stage(struct nftsrv6_rule *rule, const char *name, const char **next,
			const struct decode_env *env)
{
	const struct aux_chain *a = env->chain_rules(env->ctx, name);
	struct dec *d;
	struct match *m;
	uint32_t off, len;
	uint8_t v;
	int rc = -1;

	if (!a || a->nrules != SRH_MAX_SID_INDEX + 1 + 5)
		return -1;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -1;
	d->env = env;
	if (load_exprs(d, a->rules[0]))
		goto out;
	if (!exthdr_guard(d, 0, 1, &v) || v != 2)
		goto out;
	d->i = 2;
	if (!exthdr_at(d, d->i, &off, &len) || off != 8 || len > 16)
		goto out;
	m = new_match(rule, FIELD_CONTAINS, 16);
	if (!m)
		goto out;
	d->i++;
	if (decode_compare(d, m, len) || m->neg)
		goto out;
	if (!is(d, d->i, "immediate") || d->i + 1 != d->n ||
	    nftnl_expr_get_u32(d->x[d->i], NFTNL_EXPR_IMM_VERDICT) != (uint32_t)NFT_GOTO)
		goto out;
	*next = nftnl_expr_get_str(d->x[d->i], NFTNL_EXPR_IMM_CHAIN);
	rc = *next ? 0 : -1;
out:
	free(d);
	return rc;
}

static int decode_contains(struct nftsrv6_rule *rule, const char *stage,
			   const struct decode_env *env)
{
	unsigned id = nfts_aux_id_of(stage), k;
	char body[CHAIN_NAME_MAX + 1];
	const struct aux_chain *b;

	snprintf(body, sizeof(body), AUX_BODY_FMT, id);
	for (k = 0; k < RULE_MAX_MATCHES && strcmp(stage, body); k++) {
		char expect[CHAIN_NAME_MAX + 1];

		snprintf(expect, sizeof(expect), AUX_STAGE_FMT, id, k + 1);
		if (strcmp(stage, expect) || decode_stage(rule, stage, &stage, env))
			return -1;
	}
	b = env->chain_rules(env->ctx, body);
	if (!b || b->nrules > 1)
		return -1;
	if (b->nrules == 1) {
		struct dec *d = calloc(1, sizeof(*d));
		int rc;

		if (!d)
			return -1;
		d->env = env;
		rc = load_exprs(d, b->rules[0]) || decode_tail(d, rule, NULL) ? -1 : 0;
		free(d);
		if (rc || (!rule->nstmt && rule->verdict == VERDICT_NONE))
			return -1;
	}
	return 0;
}

/* payload network header + 6 (ip6 nexthdr) == 43 */
static bool nexthdr_guard(const struct dec *d, size_t i)
{
	uint8_t v;

	return is(d, i, "payload") &&
	       nftnl_expr_get_u32(d->x[i], NFTNL_EXPR_PAYLOAD_BASE) == NFT_PAYLOAD_NETWORK_HEADER &&
	       nftnl_expr_get_u32(d->x[i], NFTNL_EXPR_PAYLOAD_OFFSET) == 6 &&
	       nftnl_expr_get_u32(d->x[i], NFTNL_EXPR_PAYLOAD_LEN) == 1 &&
	       cmp_u8(d, i + 1, NFT_CMP_EQ, &v) && v == 43;
}

static int decode_main(struct dec *d, struct nftsrv6_rule *rule, unsigned *aux_id)
{
	const char *stage = NULL;
	static const uint8_t eth_ipv6[2] = { 0x86, 0xdd };
	struct guards g = { -1, -1, false };
	size_t k, end = d->n;
	bool l4proto = false;
	uint8_t v;

	/* family guard */
	if (d->env->nfproto == NFPROTO_NETDEV) {
		uint32_t len;
		const uint8_t *p;

		if (!meta_is(d, 0, NFT_META_PROTOCOL) || !is(d, 1, "cmp") ||
		    nftnl_expr_get_u32(d->x[1], NFTNL_EXPR_CMP_OP) != NFT_CMP_EQ)
			return -1;
		p = data_of(d->x[1], NFTNL_EXPR_CMP_DATA, &len);
		if (!p || len != 2 || memcmp(p, eth_ipv6, 2))
			return -1;
	} else if (!meta_is(d, 0, NFT_META_NFPROTO) || !cmp_u8(d, 1, NFT_CMP_EQ, &v) ||
		   v != NFPROTO_IPV6) {
		return -1;
	}
	/* SRH guard */
	{
		uint32_t off, len;

		if (!exthdr_at(d, 2, &off, &len) || off != 2 || len != 1 ||
		    !cmp_u8(d, 3, NFT_CMP_EQ, &v) || v != 4)
			return -1;
	}
	/* the inner family: meta l4proto after the last inner match */
	for (k = 4; k + 1 < d->n; k++)
		if (meta_is(d, k, NFT_META_L4PROTO)) {
			if (!cmp_u8(d, k + 1, NFT_CMP_EQ, &v) || (v != 4 && v != 41))
				return -1;
			rule->inner_family = v == 4 ? 4 : 6;
			end = k;
			l4proto = true;
			break;
		}
	d->i = 4;
	while (d->i < end) {
		if (exthdr_guard(d, d->i, 4, &v) && g.le < 0 && g.len < 0) {
			g.le = v;
			d->i += 2;
		} else if (exthdr_guard(d, d->i, 1, &v) && g.len < 0) {
			g.len = v;
			d->i += 2;
		} else if (nexthdr_guard(d, d->i) && no_guards(&g)) {
			g.nh = true;
			d->i += 2;
		} else if (is(d, d->i, "exthdr")) {
			if (decode_exthdr(d, rule, &g))
				return -1;
			g = (struct guards){ -1, -1, false };
		} else if (is(d, d->i, "payload")) {
			if (rule->inner_family == 4 && no_guards(&g) && v4_port_guards(d, d->i)) {
				d->i += 5;
				continue;
			}
			if (decode_payload(d, rule, &g))
				return -1;
			g = (struct guards){ -1, -1, false };
		} else {
			break;
		}
	}
	if ((l4proto && d->i != end) || !no_guards(&g))
		return -1;
	if (rule->inner_family)
		d->i += 2;
	if (decode_tail(d, rule, &stage))
		return -1;
	if (stage) {
		if (rule->nstmt || rule->verdict != VERDICT_NONE)
			return -1;
		*aux_id = nfts_aux_id_of(stage);
		if (!*aux_id || decode_contains(rule, stage, d->env))
			return -1;
	}
	return 0;
}

int nfts_rule_decode(struct nftsrv6_rule *rule, unsigned *aux_id, const struct nftnl_rule *r,
		const struct decode_env *env)
{
	struct dec *d = calloc(1, sizeof(*d));
	struct nftsrv6_error err;
	int rc = -1;

	memset(rule, 0, sizeof(*rule));
	*aux_id = 0;
	if (!d)
		return -1;
	d->env = env;
	if (load_exprs(d, r) == 0 && decode_main(d, rule, aux_id) == 0 &&
	    nfts_rule_finish(rule, 0, &err) == 0)
		rc = 0;
	free(d);
	if (rc)
		nfts_rule_release(rule);
	return rc;
}
