/* Compiler: a rule of the language into nftables expressions (libnftnl objects).
 *
 * Layout of a compiled rule, in order:
 *   family guard        inet: meta nfproto ipv6; netdev: meta protocol ip6
 *   SRH guard           exthdr routing header type == 4 (nft: rt type 4)
 *   outer and SRH       network header loads and exthdr loads of the routing header
 *   inner               transport-header (@th) loads: on this kernel @th is the header after
 *                       the SRH, i.e. the inner IPv6 or IPv4 header
 *   inner family        meta l4proto 41 or 4, LAST: "nft list" (1.0.6) asserts on a
 *                       ranged, masked or set @th match that follows meta l4proto
 *   contains            jump to the stage chain (see compile.h)
 *   statements, verdict (in the body chain when the rule has "contains")
 */
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libnftnl/udata.h>

#include "nft-srv6/src/compile.h"

#define REG NFT_REG_1
#define NEXTHDR_ROUTING 43
#define SRH_TYPE 4
/* nft's datatype numbers, so "nft list" prints set elements sensibly */
#define NFT_TYPE_INTEGER 4
#define NFT_TYPE_IPADDR 7
#define NFT_TYPE_IP6ADDR 8
#define NFT_TYPE_INET_PROTOCOL 12
#define NFT_TYPE_INET_SERVICE 13
#define NFT_BYTEORDER_BIG_ENDIAN 2

enum src_kind { SRC_NET, SRC_TH, SRC_EXTHDR };

struct source {
	enum src_kind kind;
	uint32_t offset;
	uint8_t width;
};

struct emitter {
	struct compiled *out;
	struct compile_ctx *cc;
	struct nftnl_rule *r;
	bool failed;
};

static struct nftnl_expr *add_expr(struct emitter *e, const char *name)
{
	struct nftnl_expr *x = nftnl_expr_alloc(name);

	if (!x) {
		e->failed = true;
		return NULL;
	}
	nftnl_rule_add_expr(e->r, x);
	return x;
}

static void emit_meta(struct emitter *e, uint32_t key)
{
	struct nftnl_expr *x = add_expr(e, "meta");

	if (!x)
		return;
	nftnl_expr_set_u32(x, NFTNL_EXPR_META_KEY, key);
	nftnl_expr_set_u32(x, NFTNL_EXPR_META_DREG, REG);
}

static void emit_cmp(struct emitter *e, uint32_t op, const void *data, uint32_t len)
{
	struct nftnl_expr *x = add_expr(e, "cmp");

	if (!x)
		return;
	nftnl_expr_set_u32(x, NFTNL_EXPR_CMP_SREG, REG);
	nftnl_expr_set_u32(x, NFTNL_EXPR_CMP_OP, op);
	nftnl_expr_set(x, NFTNL_EXPR_CMP_DATA, data, len);
}

static void emit_cmp_u8(struct emitter *e, uint32_t op, uint8_t v)
{
	emit_cmp(e, op, &v, 1);
}

static void emit_load(struct emitter *e, const struct source *s, uint32_t len)
{
	struct nftnl_expr *x;

	if (s->kind == SRC_EXTHDR) {
		x = add_expr(e, "exthdr");
		if (!x)
			return;
		nftnl_expr_set_u32(x, NFTNL_EXPR_EXTHDR_DREG, REG);
		nftnl_expr_set_u8(x, NFTNL_EXPR_EXTHDR_TYPE, NEXTHDR_ROUTING);
		nftnl_expr_set_u32(x, NFTNL_EXPR_EXTHDR_OFFSET, s->offset);
		nftnl_expr_set_u32(x, NFTNL_EXPR_EXTHDR_LEN, len);
		nftnl_expr_set_u32(x, NFTNL_EXPR_EXTHDR_OP, NFT_EXTHDR_OP_IPV6);
		return;
	}
	x = add_expr(e, "payload");
	if (!x)
		return;
	nftnl_expr_set_u32(x, NFTNL_EXPR_PAYLOAD_DREG, REG);
	nftnl_expr_set_u32(x, NFTNL_EXPR_PAYLOAD_BASE, s->kind == SRC_NET ?
			   NFT_PAYLOAD_NETWORK_HEADER : NFT_PAYLOAD_TRANSPORT_HEADER);
	nftnl_expr_set_u32(x, NFTNL_EXPR_PAYLOAD_OFFSET, s->offset);
	nftnl_expr_set_u32(x, NFTNL_EXPR_PAYLOAD_LEN, len);
}

static void emit_bitwise(struct emitter *e, const uint8_t *mask, uint32_t len)
{
	static const uint8_t zero[16];
	struct nftnl_expr *x = add_expr(e, "bitwise");

	if (!x)
		return;
	nftnl_expr_set_u32(x, NFTNL_EXPR_BITWISE_SREG, REG);
	nftnl_expr_set_u32(x, NFTNL_EXPR_BITWISE_DREG, REG);
	nftnl_expr_set_u32(x, NFTNL_EXPR_BITWISE_LEN, len);
	nftnl_expr_set(x, NFTNL_EXPR_BITWISE_MASK, mask, len);
	nftnl_expr_set(x, NFTNL_EXPR_BITWISE_XOR, zero, len);
}

static void emit_exthdr_guard(struct emitter *e, uint32_t offset, uint32_t op, uint8_t v)
{
	struct source s = { SRC_EXTHDR, offset, 1 };

	emit_load(e, &s, 1);
	emit_cmp_u8(e, op, v);
}

static uint32_t set_key_type(enum field f, uint8_t width)
{
	switch (f) {
	case FIELD_INNER_PROTO:
		return NFT_TYPE_INET_PROTOCOL;
	case FIELD_INNER_SPORT:
	case FIELD_INNER_DPORT:
		return NFT_TYPE_INET_SERVICE;
	default:
		break;
	}
	if (nfts_field_info(f)->address)
		return width == 4 ? NFT_TYPE_IPADDR : NFT_TYPE_IP6ADDR;
	return NFT_TYPE_INTEGER;
}

static bool is_max(const uint8_t *v, uint8_t width)
{
	uint8_t i;

	for (i = 0; i < width; i++)
		if (v[i] != 0xff)
			return false;
	return true;
}

static void add_elem(struct nftnl_set *s, const uint8_t *key, uint8_t width, bool end)
{
	struct nftnl_set_elem *el = nftnl_set_elem_alloc();

	if (!el)
		return;
	nftnl_set_elem_set(el, NFTNL_SET_ELEM_KEY, key, width);
	if (end)
		nftnl_set_elem_set_u32(el, NFTNL_SET_ELEM_FLAGS, NFT_SET_ELEM_INTERVAL_END);
	nftnl_set_elem_add(s, el);
}

/* A set holding the match's values: anonymous (bound to one rule) unless name is given. */
static struct nftnl_set *make_set(struct emitter *e, const struct match *m, const char *name)
{
	struct nftnl_set *s = nftnl_set_alloc();
	struct nftnl_set **sets;
	struct nftnl_udata_buf *ud;
	bool interval = false;
	uint32_t i, nelem = 0;
	static const uint8_t zero[16];

	if (!s)
		goto nomem;
	for (i = 0; i < m->n; i++)
		if (!nfts_range_is_single(&m->v[i], m->width))
			interval = true;
	nftnl_set_set_str(s, NFTNL_SET_TABLE, e->cc->table);
	nftnl_set_set_str(s, NFTNL_SET_NAME, name ? name : "__set%d");
	nftnl_set_set_u32(s, NFTNL_SET_FAMILY, e->cc->nfproto);
	nftnl_set_set_u32(s, NFTNL_SET_ID, ++e->cc->next_set_id);
	nftnl_set_set_u32(s, NFTNL_SET_FLAGS, (name ? 0 : NFT_SET_ANONYMOUS) | NFT_SET_CONSTANT |
			  (interval ? NFT_SET_INTERVAL : 0));
	nftnl_set_set_u32(s, NFTNL_SET_KEY_TYPE, set_key_type(m->field, m->width));
	nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, m->width);
	ud = nftnl_udata_buf_alloc(64);
	if (!ud)
		goto nomem;
	nftnl_udata_put_u32(ud, NFTNL_UDATA_SET_KEYBYTEORDER, NFT_BYTEORDER_BIG_ENDIAN);
	nftnl_set_set_data(s, NFTNL_SET_USERDATA, nftnl_udata_buf_data(ud),
			   nftnl_udata_buf_len(ud));
	nftnl_udata_buf_free(ud);
	if (interval && memcmp(m->v[0].lo, zero, m->width)) {
		add_elem(s, zero, m->width, true);   /* nft's leading "interval end" at 0 */
		nelem++;
	}
	for (i = 0; i < m->n; i++) {
		add_elem(s, m->v[i].lo, m->width, false);
		nelem++;
		if (interval && !is_max(m->v[i].hi, m->width)) {
			uint8_t next[16];
			int b;

			memcpy(next, m->v[i].hi, 16);
			for (b = m->width - 1; b >= 0 && ++next[b] == 0; b--)
				;
			add_elem(s, next, m->width, true);
			nelem++;
		}
	}
	nftnl_set_set_u32(s, NFTNL_SET_DESC_SIZE, nelem);
	sets = realloc(e->out->sets, (e->out->nsets + 1) * sizeof(*sets));
	if (!sets)
		goto nomem;
	e->out->sets = sets;
	sets[e->out->nsets++] = s;
	return s;
nomem:
	if (s)
		nftnl_set_free(s);
	e->failed = true;
	return NULL;
}

static void emit_lookup(struct emitter *e, const struct nftnl_set *s, bool inv)
{
	struct nftnl_expr *x = add_expr(e, "lookup");

	if (!x)
		return;
	nftnl_expr_set_u32(x, NFTNL_EXPR_LOOKUP_SREG, REG);
	nftnl_expr_set_str(x, NFTNL_EXPR_LOOKUP_SET, nftnl_set_get_str(s, NFTNL_SET_NAME));
	nftnl_expr_set_u32(x, NFTNL_EXPR_LOOKUP_SET_ID, nftnl_set_get_u32(s, NFTNL_SET_ID));
	if (inv)
		nftnl_expr_set_u32(x, NFTNL_EXPR_LOOKUP_FLAGS, NFT_LOOKUP_F_INV);
}

/* One match against the field at src; shared_set is used instead of a new set if given. */
static void emit_value_match(struct emitter *e, const struct source *src, const struct match *m,
			     const struct nftnl_set *shared_set)
{
	const struct vrange *r = &m->v[0];
	uint32_t eq = m->neg ? NFT_CMP_NEQ : NFT_CMP_EQ;
	int plen;

	if (m->n > 1 || shared_set) {
		const struct nftnl_set *s = shared_set ? shared_set : make_set(e, m, NULL);

		if (!s)
			return;
		emit_load(e, src, m->width);
		emit_lookup(e, s, m->neg);
		return;
	}
	if (nfts_range_is_single(r, m->width)) {
		emit_load(e, src, m->width);
		emit_cmp(e, eq, r->lo, m->width);
		return;
	}
	plen = nfts_field_info(m->field)->address ? nfts_range_prefix_len(r, m->width) : -1;
	if (plen > 0) {
		/* like nft: a byte-aligned prefix loads only its bytes ("ip6 saddr fc00::/16"
		 * is a 2-byte compare); any other prefix masks the whole field */
		uint32_t nbytes = plen % 8 ? m->width : (uint32_t)plen / 8;

		emit_load(e, src, nbytes);
		if (plen % 8) {
			uint8_t mask[16] = { 0 };

			memset(mask, 0xff, (size_t)plen / 8);
			mask[plen / 8] = (uint8_t)(0xff << (8 - plen % 8));
			emit_bitwise(e, mask, nbytes);
		}
		emit_cmp(e, eq, r->lo, nbytes);
		return;
	}
	emit_load(e, src, m->width);
	if (m->neg) {
		struct nftnl_expr *x = add_expr(e, "range");

		if (!x)
			return;
		nftnl_expr_set_u32(x, NFTNL_EXPR_RANGE_SREG, REG);
		nftnl_expr_set_u32(x, NFTNL_EXPR_RANGE_OP, NFT_RANGE_NEQ);
		nftnl_expr_set(x, NFTNL_EXPR_RANGE_FROM_DATA, r->lo, m->width);
		nftnl_expr_set(x, NFTNL_EXPR_RANGE_TO_DATA, r->hi, m->width);
		return;
	}
	emit_cmp(e, NFT_CMP_GTE, r->lo, m->width);
	emit_cmp(e, NFT_CMP_LTE, r->hi, m->width);
}

/* sid[N] may only read inside the Segment List: Last Entry >= N and Hdr Ext Len covers
 * N+1 SIDs.  Without these guards the exthdr load reads past the SRH.  Positions past
 * SID_EXTHDR_MAX are read from the network header (the kernel caps exthdr offsets at
 * 255), which needs the SRH right after the IPv6 header: ip6 nexthdr == 43. */
static void emit_sid_guards(struct emitter *e, unsigned index)
{
	if (index > SID_EXTHDR_MAX) {
		struct source nh = { SRC_NET, 6, 1 };

		emit_load(e, &nh, 1);
		emit_cmp_u8(e, NFT_CMP_EQ, NEXTHDR_ROUTING);
	}
	if (index > 0)
		emit_exthdr_guard(e, 4, NFT_CMP_GTE, (uint8_t)index);
	emit_exthdr_guard(e, 1, NFT_CMP_GTE, (uint8_t)(2 * index + 2));
}

static struct source field_source(enum field f, unsigned index, uint8_t fam)
{
	switch (f) {
	case FIELD_SADDR: return (struct source){ SRC_NET, 8, 16 };
	case FIELD_DADDR: return (struct source){ SRC_NET, 24, 16 };
	case FIELD_SEGLEFT: return (struct source){ SRC_EXTHDR, 3, 1 };
	case FIELD_LAST_ENTRY: return (struct source){ SRC_EXTHDR, 4, 1 };
	case FIELD_FLAGS: return (struct source){ SRC_EXTHDR, 5, 1 };
	case FIELD_TAG: return (struct source){ SRC_EXTHDR, 6, 2 };
	case FIELD_SID:
	case FIELD_CONTAINS:
		if (index > SID_EXTHDR_MAX)
			return (struct source){ SRC_NET, 40 + 8 + 16 * index, 16 };
		return (struct source){ SRC_EXTHDR, 8 + 16 * index, 16 };
	case FIELD_INNER_SADDR:
		return fam == 4 ? (struct source){ SRC_TH, 12, 4 } : (struct source){ SRC_TH, 8, 16 };
	case FIELD_INNER_DADDR:
		return fam == 4 ? (struct source){ SRC_TH, 16, 4 } : (struct source){ SRC_TH, 24, 16 };
	case FIELD_INNER_PROTO:
		return (struct source){ SRC_TH, fam == 4 ? 9 : 6, 1 };
	case FIELD_INNER_SPORT:
		return (struct source){ SRC_TH, fam == 4 ? 20 : 40, 2 };
	case FIELD_INNER_DPORT:
		return (struct source){ SRC_TH, fam == 4 ? 22 : 42, 2 };
	default:
		break;
	}
	return (struct source){ SRC_NET, 0, 0 };
}

static void emit_verdict(struct emitter *e, int code, const char *chain)
{
	struct nftnl_expr *x = add_expr(e, "immediate");

	if (!x)
		return;
	nftnl_expr_set_u32(x, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_u32(x, NFTNL_EXPR_IMM_VERDICT, (uint32_t)code);
	if (chain)
		nftnl_expr_set_str(x, NFTNL_EXPR_IMM_CHAIN, chain);
}

static const uint64_t unit_seconds[] = { 1, 60, 3600, 86400, 604800 };

static void emit_stmts(struct emitter *e, const struct nftsrv6_rule *rule)
{
	unsigned i;

	for (i = 0; i < rule->nstmt; i++) {
		const struct stmt *s = &rule->s[i];
		struct nftnl_expr *x;

		switch (s->kind) {
		case STMT_COUNTER:
			x = add_expr(e, "counter");
			if (!x)
				return;
			nftnl_expr_set_u64(x, NFTNL_EXPR_CTR_PACKETS, s->u.counter.packets);
			nftnl_expr_set_u64(x, NFTNL_EXPR_CTR_BYTES, s->u.counter.bytes);
			break;
		case STMT_LOG:
			x = add_expr(e, "log");
			if (!x)
				return;
			if (s->u.log.has_prefix)
				nftnl_expr_set_str(x, NFTNL_EXPR_LOG_PREFIX, s->u.log.prefix);
			if (s->u.log.group >= 0)
				nftnl_expr_set_u16(x, NFTNL_EXPR_LOG_GROUP, (uint16_t)s->u.log.group);
			if (s->u.log.level >= 0)
				nftnl_expr_set_u32(x, NFTNL_EXPR_LOG_LEVEL, (uint32_t)s->u.log.level);
			break;
		case STMT_LIMIT:
			x = add_expr(e, "limit");
			if (!x)
				return;
			nftnl_expr_set_u64(x, NFTNL_EXPR_LIMIT_RATE, s->u.limit.rate);
			nftnl_expr_set_u64(x, NFTNL_EXPR_LIMIT_UNIT, unit_seconds[s->u.limit.unit]);
			nftnl_expr_set_u32(x, NFTNL_EXPR_LIMIT_BURST,
					   s->u.limit.burst ? s->u.limit.burst : 5);
			nftnl_expr_set_u32(x, NFTNL_EXPR_LIMIT_TYPE, NFT_LIMIT_PKTS);
			nftnl_expr_set_u32(x, NFTNL_EXPR_LIMIT_FLAGS,
					   s->u.limit.over ? NFT_LIMIT_F_INV : 0);
			break;
		}
	}
	switch (rule->verdict) {
	case VERDICT_NONE:
		break;
	case VERDICT_ACCEPT:
		emit_verdict(e, NF_ACCEPT, NULL);
		break;
	case VERDICT_DROP:
		emit_verdict(e, NF_DROP, NULL);
		break;
	case VERDICT_JUMP:
		emit_verdict(e, NFT_JUMP, rule->jump);
		break;
	}
}

static struct nftnl_rule *new_rule(struct compile_ctx *cc, const char *chain)
{
	struct nftnl_rule *r = nftnl_rule_alloc();

	if (!r)
		return NULL;
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, cc->nfproto);
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, cc->table);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain);
	return r;
}

static struct aux_chain *new_aux(struct emitter *e, const char *name)
{
	struct aux_chain *a = realloc(e->out->aux, (e->out->naux + 1) * sizeof(*a));

	if (!a) {
		e->failed = true;
		return NULL;
	}
	e->out->aux = a;
	a = &a[e->out->naux++];
	memset(a, 0, sizeof(*a));
	snprintf(a->name, sizeof(a->name), "%s", name);
	return a;
}

static struct nftnl_rule *aux_rule(struct emitter *e, struct aux_chain *a)
{
	struct nftnl_rule **rules = realloc(a->rules, (a->nrules + 1) * sizeof(*rules));
	struct nftnl_rule *r;

	if (!rules) {
		e->failed = true;
		return NULL;
	}
	a->rules = rules;
	r = new_rule(e->cc, a->name);
	if (!r) {
		e->failed = true;
		return NULL;
	}
	rules[a->nrules++] = r;
	return r;
}

/* Where the early-exit rules of a stage chain sit: before these positions a packet whose
 * Last Entry is smaller returns at once instead of trying every remaining position. */
static bool stage_checkpoint(unsigned i)
{
	return i == 4 || i == 8 || i == 16 || i == 32 || i == 64;
}

/* Stage chain for one "contains" match: position rules 0..126, each jumping (goto) to
 * the next stage or the body when Segment List[i] is one of the values. */
static void emit_contains_stage(struct emitter *e, const struct match *m, unsigned stage,
				const char *name, const char *next_name)
{
	struct aux_chain *a = new_aux(e, name);
	const struct nftnl_set *shared = NULL;
	struct nftnl_rule *saved = e->r;
	unsigned i;

	if (!a)
		return;
	if (m->n > 1) {
		char sname[CHAIN_NAME_MAX + 1];

		snprintf(sname, sizeof(sname), AUX_SET_FMT, e->cc->aux_id, stage);
		shared = make_set(e, m, sname);
		if (!shared)
			return;
	}
	for (i = 0; i <= SRH_MAX_SID_INDEX && !e->failed; i++) {
		struct source src = field_source(FIELD_SID, i, 0);

		if (stage_checkpoint(i)) {
			e->r = aux_rule(e, a);
			if (!e->r)
				break;
			emit_exthdr_guard(e, 4, NFT_CMP_LT, (uint8_t)i);
			emit_verdict(e, NFT_RETURN, NULL);
		}
		e->r = aux_rule(e, a);
		if (!e->r)
			break;
		emit_sid_guards(e, i);
		emit_value_match(e, &src, m, shared);
		emit_verdict(e, NFT_GOTO, next_name);
	}
	e->r = saved;
}

int nfts_rule_compile(struct compiled *out, struct compile_ctx *cc, const struct nftsrv6_rule *rule,
		 unsigned line, struct nftsrv6_error *err)
{
	struct emitter e = { .out = out, .cc = cc };
	static const uint8_t eth_ipv6[2] = { 0x86, 0xdd };
	unsigned i, ncontains = 0, stage = 0;
	bool v4_ports = false;

	memset(out, 0, sizeof(*out));
	out->rule = e.r = new_rule(cc, cc->chain);
	if (!e.r)
		goto nomem;
	if (cc->nfproto == NFPROTO_NETDEV) {
		emit_meta(&e, NFT_META_PROTOCOL);
		emit_cmp(&e, NFT_CMP_EQ, eth_ipv6, 2);
	} else {
		emit_meta(&e, NFT_META_NFPROTO);
		emit_cmp_u8(&e, NFT_CMP_EQ, NFPROTO_IPV6);
	}
	emit_exthdr_guard(&e, 2, NFT_CMP_EQ, SRH_TYPE);
	for (i = 0; i < rule->nmatch; i++) {
		const struct match *m = &rule->m[i];
		struct source src;

		if (m->field == FIELD_CONTAINS) {
			ncontains++;
			continue;
		}
		if ((m->field == FIELD_INNER_SPORT || m->field == FIELD_INNER_DPORT) &&
		    rule->inner_family == 4 && !v4_ports) {
			/* IPv4 ports sit at th + 20 only without options, and only in first
			 * fragments: version/IHL == 0x45 and fragment offset == 0 */
			static const uint8_t fragmask[2] = { 0x1f, 0xff };
			static const uint8_t zero2[2];
			struct source vihl = { SRC_TH, 0, 1 }, frag = { SRC_TH, 6, 2 };

			emit_load(&e, &vihl, 1);
			emit_cmp_u8(&e, NFT_CMP_EQ, 0x45);
			emit_load(&e, &frag, 2);
			emit_bitwise(&e, fragmask, 2);
			emit_cmp(&e, NFT_CMP_EQ, zero2, 2);
			v4_ports = true;
		}
		if (m->field == FIELD_SID)
			emit_sid_guards(&e, m->index);
		src = field_source(m->field, m->index, rule->inner_family);
		emit_value_match(&e, &src, m, NULL);
	}
	if (rule->inner_family) {
		emit_meta(&e, NFT_META_L4PROTO);
		emit_cmp_u8(&e, NFT_CMP_EQ, rule->inner_family == 4 ? IPPROTO_IPIP : IPPROTO_IPV6);
	}
	if (ncontains) {
		char name[CHAIN_NAME_MAX + 1], next_name[CHAIN_NAME_MAX + 1];
		struct aux_chain *body;
		struct nftnl_rule *main_rule = e.r;

		snprintf(name, sizeof(name), AUX_STAGE_FMT, cc->aux_id, 1u);
		emit_verdict(&e, NFT_JUMP, name);
		for (i = 0; i < rule->nmatch && !e.failed; i++) {
			if (rule->m[i].field != FIELD_CONTAINS)
				continue;
			stage++;
			snprintf(name, sizeof(name), AUX_STAGE_FMT, cc->aux_id, stage);
			if (stage < ncontains)
				snprintf(next_name, sizeof(next_name), AUX_STAGE_FMT, cc->aux_id,
					 stage + 1);
			else
				snprintf(next_name, sizeof(next_name), AUX_BODY_FMT, cc->aux_id);
			emit_contains_stage(&e, &rule->m[i], stage, name, next_name);
		}
		snprintf(name, sizeof(name), AUX_BODY_FMT, cc->aux_id);
		body = new_aux(&e, name);
		if (body && (rule->nstmt || rule->verdict != VERDICT_NONE)) {
			e.r = aux_rule(&e, body);
			if (e.r)
				emit_stmts(&e, rule);
		}
		e.r = main_rule;
	} else {
		emit_stmts(&e, rule);
	}
	if (e.failed)
		goto nomem;
	return 0;
nomem:
	nfts_compiled_release(out);
	nfts_error_set(err, line, 0, NULL, 0, "out of memory while compiling the rule");
	return -1;
}

void nfts_compiled_release(struct compiled *c)
{
	size_t i, j;

	if (c->rule)
		nftnl_rule_free(c->rule);
	for (i = 0; i < c->nsets; i++)
		nftnl_set_free(c->sets[i]);
	free(c->sets);
	for (i = 0; i < c->naux; i++) {
		for (j = 0; j < c->aux[i].nrules; j++)
			nftnl_rule_free(c->aux[i].rules[j]);
		free(c->aux[i].rules);
	}
	free(c->aux);
	memset(c, 0, sizeof(*c));
}

static void format_nft_rule(struct strbuf *sb, const struct nftnl_rule *r)
{
	char buf[8192];

	nftnl_rule_snprintf(buf, sizeof(buf), r, NFTNL_OUTPUT_DEFAULT, 0);
	nfts_sb_printf(sb, "%s\n", buf);
}

static void format_set(struct strbuf *sb, const struct nftnl_set *s)
{
	struct nftnl_set_elems_iter *it;
	struct nftnl_set_elem *el;
	uint32_t flags = nftnl_set_get_u32(s, NFTNL_SET_FLAGS);

	nfts_sb_printf(sb, "set %s key %u bytes%s%s%s\n", nftnl_set_get_str(s, NFTNL_SET_NAME),
		  nftnl_set_get_u32(s, NFTNL_SET_KEY_LEN),
		  flags & NFT_SET_ANONYMOUS ? " anonymous" : "",
		  flags & NFT_SET_CONSTANT ? " constant" : "",
		  flags & NFT_SET_INTERVAL ? " interval" : "");
	it = nftnl_set_elems_iter_create((struct nftnl_set *)s);
	if (!it)
		return;
	for (el = nftnl_set_elems_iter_next(it); el; el = nftnl_set_elems_iter_next(it)) {
		uint32_t len = 0, k;
		const uint8_t *key = nftnl_set_elem_get(el, NFTNL_SET_ELEM_KEY, &len);

		nfts_sb_puts(sb, "  element 0x");
		for (k = 0; k < len; k++)
			nfts_sb_printf(sb, "%02x", key[k]);
		if (nftnl_set_elem_is_set(el, NFTNL_SET_ELEM_FLAGS) &&
		    (nftnl_set_elem_get_u32(el, NFTNL_SET_ELEM_FLAGS) & NFT_SET_ELEM_INTERVAL_END))
			nfts_sb_puts(sb, " end");
		nfts_sb_puts(sb, "\n");
	}
	nftnl_set_elems_iter_destroy(it);
}

void nfts_compiled_format(struct strbuf *sb, const struct compiled *c)
{
	size_t i, j;

	for (i = 0; i < c->nsets; i++)
		format_set(sb, c->sets[i]);
	for (i = 0; i < c->naux; i++)
		for (j = 0; j < c->aux[i].nrules; j++)
			format_nft_rule(sb, c->aux[i].rules[j]);
	format_nft_rule(sb, c->rule);
}
