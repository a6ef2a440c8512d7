/* Parser of the rule language: matches, statements, verdict; then the commands that
 * place rules (add, insert) or remove them (delete, flush).  Every error names the line,
 * the column and the token, and says what was expected. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nft-srv6/src/parse.h"

const struct token *nfts_tk_peek(const struct pstate *ps)
{
	return &ps->tk->t[ps->pos];
}

const struct token *nfts_tk_next(struct pstate *ps)
{
	const struct token *t = &ps->tk->t[ps->pos];

	if (t->kind != TOK_END)
		ps->pos++;
	return t;
}

bool nfts_tk_is(const struct token *t, const char *w)
{
	return t->kind == TOK_WORD && t->len == strlen(w) && !memcmp(t->text, w, t->len);
}

/* The token quoted for messages ("end of line" at the end). */
const char *nfts_tok_text(const struct token *t, char *buf)
{
	size_t len = t->len < NFTSRV6_TOKEN_MAX - 3 ? t->len : NFTSRV6_TOKEN_MAX - 3;

	if (t->kind == TOK_END)
		return "end of line";
	buf[0] = '\'';
	memcpy(buf + 1, t->text, len);
	buf[len + 1] = '\'';
	buf[len + 2] = '\0';
	return buf;
}

int nfts_ps_fail(const struct pstate *ps, const struct token *t, const char *fmt, ...)
{
	char msg[NFTSRV6_MESSAGE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	nfts_error_set(ps->err, ps->line, t->column, t->text, t->len, "%s", msg);
	return -1;
}

#define EXPECT_MATCH "a match (saddr, daddr, segleft, last-entry, flags, tag, sid[N], " \
	"contains, inner ...), a statement (counter, log, limit) or a verdict (accept, " \
	"drop, jump)"

int nfts_parse_uint_token(unsigned long *v, const struct pstate *ps, const struct token *t,
			    unsigned long max, const char *what)
{
	size_t i;
	char maxs[32];

	snprintf(maxs, sizeof(maxs), "%lu", max);
	if (t->kind != TOK_WORD || t->len == 0 || t->len > 20)
		goto bad;
	*v = 0;
	for (i = 0; i < t->len; i++) {
		if (t->text[i] < '0' || t->text[i] > '9')
			goto bad;
		*v = *v * 10 + (unsigned long)(t->text[i] - '0');
		if (*v > max)
			goto bad;
	}
	return 0;
bad:
	return nfts_ps_fail(ps, t, "unexpected %s: expected %s (0-%s)", TS(t), what, maxs);
}

/* ------------------------------------------------------------------ matches */

static int add_range(struct match *m, const struct vrange *r, const struct pstate *ps,
		     const struct token *t)
{
	if (m->n >= VALUE_MAX_RANGES)
		return nfts_ps_fail(ps, t, "too many values at %s: a set holds at most 4096", TS(t));
	if ((m->n & (m->n - 1)) == 0) {   /* grow at powers of two */
		struct vrange *v = realloc(m->v, (m->n ? m->n * 2 : 1) * sizeof(*v));

		if (!v)
			return nfts_ps_fail(ps, t, "out of memory at %s", TS(t));
		m->v = v;
	}
	m->v[m->n++] = *r;
	return 0;
}

/* Sets the rule's inner family from an inner address, refusing a conflict. */
static int set_family(struct nftsrv6_rule *rule, uint8_t fam, const struct pstate *ps,
		      const struct token *t)
{
	if (rule->inner_family && rule->inner_family != fam)
		return nfts_ps_fail(ps, t, "%s is %s but an earlier inner match made the inner packet %s", TS(t), fam == 4 ? "IPv4" : "IPv6", fam == 4 ? "IPv6" : "IPv4");
	rule->inner_family = fam;
	return 0;
}

static int parse_values(struct match *m, struct nftsrv6_rule *rule, struct pstate *ps)
{
	const struct nfts_field_info *fi = nfts_field_info(m->field);
	const struct token *t = nfts_tk_peek(ps);
	bool braces = false;
	uint8_t width = 0;

	if (t->kind == TOK_NEQ || t->kind == TOK_EQ) {
		m->neg = t->kind == TOK_NEQ;
		if (m->neg && m->field == FIELD_CONTAINS)
			return nfts_ps_fail(ps, t, "unexpected %s: 'contains' cannot be negated", TS(t));
		nfts_tk_next(ps);
		t = nfts_tk_peek(ps);
	}
	if (t->kind == TOK_LBRACE) {
		braces = true;
		nfts_tk_next(ps);
		t = nfts_tk_peek(ps);
		if (t->kind == TOK_RBRACE)
			return nfts_ps_fail(ps, t, "unexpected %s: a set needs at least one value", TS(t));
	}
	for (;;) {
		struct vrange r;
		uint8_t w = 0;

		t = nfts_tk_next(ps);
		if (t->kind != TOK_WORD)
			return nfts_ps_fail(ps, t, "unexpected %s: expected a value for '%s'", TS(t), fi->name);
		if (m->field == FIELD_INNER_PROTO &&
		    (nfts_tk_is(t, "ipv4") || nfts_tk_is(t, "ipv6"))) {
			if (braces || m->neg)
				return nfts_ps_fail(ps, t, "%s selects the inner packet's family: it cannot "
					    "be negated or part of a set", TS(t));
			if (set_family(rule, nfts_tk_is(t, "ipv4") ? 4 : 6, ps, t))
				return -1;
			m->width = 0;   /* tells the caller: no match to keep */
			return 0;
		}
		if (nfts_value_parse_element(&r, &w, m->field, t, ps->line, ps->err))
			return -1;
		if (width && w != width)
			return nfts_ps_fail(ps, t, "%s is %s but the set's other values are not", TS(t), w == 4 ? "IPv4" : "IPv6");
		width = w;
		if (fi->width == 0 && set_family(rule, w == 4 ? 4 : 6, ps, t))
			return -1;
		if (add_range(m, &r, ps, t))
			return -1;
		if (!braces)
			break;
		t = nfts_tk_next(ps);
		if (t->kind == TOK_RBRACE)
			break;
		if (t->kind != TOK_COMMA)
			return nfts_ps_fail(ps, t, "unexpected %s: expected ',' or '}' in the set", TS(t));
	}
	m->width = width;
	return nfts_value_canonical(m);
}

static int parse_match(struct nftsrv6_rule *rule, enum field f, const struct token *start,
		       struct pstate *ps)
{
	struct match *m;

	if (rule->nmatch >= RULE_MAX_MATCHES)
		return nfts_ps_fail(ps, start, "too many matches at %s: a rule holds at most 32", TS(start));
	m = &rule->m[rule->nmatch];
	memset(m, 0, sizeof(*m));
	m->field = f;
	m->column = start->column;
	if (f == FIELD_SID) {
		const struct token *t = nfts_tk_next(ps);
		unsigned long idx;

		if (t->kind != TOK_LBRACKET)
			return nfts_ps_fail(ps, t, "unexpected %s: expected '[' after 'sid' (sid[N], N the "
				    "0-based Segment List index)", TS(t));
		t = nfts_tk_next(ps);
		if (nfts_parse_uint_token(&idx, ps, t, SRH_MAX_SID_INDEX,
				     "a 0-based Segment List index"))
			return -1;
		m->index = (uint8_t)idx;
		t = nfts_tk_next(ps);
		if (t->kind != TOK_RBRACKET)
			return nfts_ps_fail(ps, t, "unexpected %s: expected ']' after the SID index", TS(t));
	}
	if (f >= FIELD_INNER_SADDR && !rule->inner_column)
		rule->inner_column = start->column;
	if (parse_values(m, rule, ps)) {
		free(m->v);
		m->v = NULL;
		return -1;
	}
	if (m->width == 0) {   /* "inner proto ipv4|ipv6": the family, no value match */
		free(m->v);
		m->v = NULL;
		return 0;
	}
	rule->nmatch++;
	return 0;
}

/* --------------------------------------------------------------- statements */

static int parse_counter(struct nftsrv6_rule *rule, struct pstate *ps)
{
	struct stmt *s = &rule->s[rule->nstmt++];
	unsigned long v;

	memset(s, 0, sizeof(*s));
	s->kind = STMT_COUNTER;
	if (nfts_tk_is(nfts_tk_peek(ps), "packets")) {
		nfts_tk_next(ps);
		if (nfts_parse_uint_token(&v, ps, nfts_tk_next(ps), ~0UL, "a packet count"))
			return -1;
		s->u.counter.packets = v;
		if (!nfts_tk_is(nfts_tk_peek(ps), "bytes"))
			return nfts_ps_fail(ps, nfts_tk_peek(ps), "unexpected %s: expected 'bytes' after the "
				    "packet count", TS(nfts_tk_peek(ps)));
		nfts_tk_next(ps);
		if (nfts_parse_uint_token(&v, ps, nfts_tk_next(ps), ~0UL, "a byte count"))
			return -1;
		s->u.counter.bytes = v;
	}
	return 0;
}

static const char *const log_levels[] = { "emerg", "alert", "crit", "err", "warn", "notice",
					   "info", "debug" };

static int parse_log(struct nftsrv6_rule *rule, struct pstate *ps)
{
	struct stmt *s = &rule->s[rule->nstmt++];
	const struct token *level_tok = NULL;

	memset(s, 0, sizeof(*s));
	s->kind = STMT_LOG;
	s->u.log.group = -1;
	s->u.log.level = -1;
	for (;;) {
		const struct token *t = nfts_tk_peek(ps);
		unsigned long v;

		if (nfts_tk_is(t, "prefix")) {
			nfts_tk_next(ps);
			t = nfts_tk_next(ps);
			if (t->kind != TOK_STRING && t->kind != TOK_WORD)
				return nfts_ps_fail(ps, t, "unexpected %s: expected a quoted prefix after "
					    "'prefix'", TS(t));
			{
				size_t i, o = 0;

				for (i = 0; i < t->len; i++) {
					char c = t->text[i];

					if (c == '\\' && i + 1 < t->len)
						c = t->text[++i];
					if (o >= LOG_PREFIX_MAX)
						return nfts_ps_fail(ps, t, "log prefix %s is too long: at most "
							    "127 characters", TS(t));
					s->u.log.prefix[o++] = c;
				}
				s->u.log.prefix[o] = '\0';
			}
			s->u.log.has_prefix = true;
		} else if (nfts_tk_is(t, "group")) {
			nfts_tk_next(ps);
			if (nfts_parse_uint_token(&v, ps, nfts_tk_next(ps), 65535, "a log group"))
				return -1;
			s->u.log.group = (int)v;
		} else if (nfts_tk_is(t, "level")) {
			size_t i;

			level_tok = t;
			nfts_tk_next(ps);
			t = nfts_tk_next(ps);
			for (i = 0; i < sizeof(log_levels) / sizeof(log_levels[0]); i++)
				if (nfts_tk_is(t, log_levels[i]))
					break;
			if (i == sizeof(log_levels) / sizeof(log_levels[0]))
				return nfts_ps_fail(ps, t, "unknown log level %s: expected emerg, alert, "
					    "crit, err, warn, notice, info or debug", TS(t));
			s->u.log.level = i == 4 ? -1 : (int)i;   /* warn is the default */
		} else {
			break;
		}
	}
	if (s->u.log.group >= 0 && level_tok)
		return nfts_ps_fail(ps, level_tok, "%s does not go with 'group': nflog has no level, use "
			    "one of 'group' and 'level'", TS(level_tok));
	return 0;
}

static int parse_limit(struct nftsrv6_rule *rule, struct pstate *ps)
{
	static const char *const units[] = { "second", "minute", "hour", "day", "week" };
	struct stmt *s = &rule->s[rule->nstmt++];
	const struct token *t;
	const char *slash;
	unsigned long rate = 0;
	size_t i, nlen;

	memset(s, 0, sizeof(*s));
	s->kind = STMT_LIMIT;
	t = nfts_tk_next(ps);
	if (!nfts_tk_is(t, "rate"))
		return nfts_ps_fail(ps, t, "unexpected %s: expected 'rate' after 'limit'", TS(t));
	if (nfts_tk_is(nfts_tk_peek(ps), "over")) {
		nfts_tk_next(ps);
		s->u.limit.over = true;
	}
	t = nfts_tk_next(ps);
	slash = t->kind == TOK_WORD ? memchr(t->text, '/', t->len) : NULL;
	if (!slash)
		return nfts_ps_fail(ps, t, "unexpected %s: expected a rate such as 10/second", TS(t));
	nlen = (size_t)(slash - t->text);
	if (nlen == 0 || nlen > 10)
		goto badrate;
	for (i = 0; i < nlen; i++) {
		if (t->text[i] < '0' || t->text[i] > '9')
			goto badrate;
		rate = rate * 10 + (unsigned long)(t->text[i] - '0');
	}
	if (rate == 0 || rate > 0xffffffffUL)
		goto badrate;
	s->u.limit.rate = rate;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strlen(units[i]) == t->len - nlen - 1 &&
		    !memcmp(units[i], slash + 1, t->len - nlen - 1))
			break;
	if (i == sizeof(units) / sizeof(units[0])) {
		nfts_error_set(ps->err, ps->line, t->column + (unsigned)nlen + 1, slash + 1,
			  t->len - nlen - 1, "unknown rate unit '%.*s': expected second, minute, "
			  "hour, day or week", (int)(t->len - nlen - 1), slash + 1);
		return -1;
	}
	s->u.limit.unit = (enum limit_unit)i;
	if (nfts_tk_is(nfts_tk_peek(ps), "burst")) {
		unsigned long b;

		nfts_tk_next(ps);
		if (nfts_parse_uint_token(&b, ps, nfts_tk_next(ps), 0xffffffffUL, "a burst in packets"))
			return -1;
		if (b == 0)
			return nfts_ps_fail(ps, &ps->tk->t[ps->pos - 1], "burst %s must be at least 1", TS(&ps->tk->t[ps->pos - 1]));
		if (!nfts_tk_is(nfts_tk_peek(ps), "packets"))
			return nfts_ps_fail(ps, nfts_tk_peek(ps), "unexpected %s: expected 'packets' after the "
				    "burst", TS(nfts_tk_peek(ps)));
		nfts_tk_next(ps);
		s->u.limit.burst = b == 5 ? 0 : (uint32_t)b;   /* 5 is the default */
	}
	return 0;
badrate:
	nfts_error_set(ps->err, ps->line, t->column, t->text, nlen,
		  "bad rate '%.*s': expected a number 1-4294967295", (int)nlen, t->text);
	return -1;
}

static bool valid_chain_name(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > CHAIN_NAME_MAX)
		return false;
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_'))
		return false;
	for (i = 1; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '.'))
			return false;
	}
	return !(len >= 4 && !memcmp(s, "_sr6", 4));
}

int nfts_parse_chain_name(char *out, unsigned *column, const struct pstate *ps,
			    const struct token *t)
{
	if (t->kind == TOK_END)
		return nfts_ps_fail(ps, t, "unexpected %s: expected a chain name", TS(t));
	if (t->kind != TOK_WORD || !valid_chain_name(t->text, t->len))
		return nfts_ps_fail(ps, t, "bad chain name %s: expected a letter or '_' then letters, "
			    "digits, '_', '-' or '.', at most 64, not starting with '_sr6'", TS(t));
	memcpy(out, t->text, t->len);
	out[t->len] = '\0';
	if (column)
		*column = t->column;
	return 0;
}

/* ------------------------------------------------------------------- rules */

static const struct { const char *word; enum field field; } outer_words[] = {
	{ "saddr", FIELD_SADDR }, { "daddr", FIELD_DADDR }, { "segleft", FIELD_SEGLEFT },
	{ "last-entry", FIELD_LAST_ENTRY }, { "flags", FIELD_FLAGS }, { "tag", FIELD_TAG },
	{ "sid", FIELD_SID }, { "contains", FIELD_CONTAINS },
};

static const struct { const char *word; enum field field; } inner_words[] = {
	{ "saddr", FIELD_INNER_SADDR }, { "daddr", FIELD_INNER_DADDR },
	{ "proto", FIELD_INNER_PROTO }, { "sport", FIELD_INNER_SPORT },
	{ "dport", FIELD_INNER_DPORT },
};

int nfts_rule_parse_tokens(struct nftsrv6_rule *rule, const struct tokens *tk, size_t *pos,
		      unsigned line, struct nftsrv6_error *err)
{
	struct pstate ps = { .tk = tk, .pos = *pos, .line = line, .err = err };

	for (;;) {
		const struct token *t = nfts_tk_next(&ps);
		const char *vword = NULL;
		size_t i;
		int found = 0;

		if (t->kind == TOK_END)
			break;
		if (rule->verdict != VERDICT_NONE)
			return nfts_ps_fail(&ps, t, "unexpected %s after the verdict: the verdict ends the "
				    "rule", TS(t));
		if (t->kind != TOK_WORD)
			return nfts_ps_fail(&ps, t, "unexpected %s: expected %s", TS(t), EXPECT_MATCH);
		for (i = 0; i < sizeof(outer_words) / sizeof(outer_words[0]); i++)
			if (nfts_tk_is(t, outer_words[i].word)) {
				if (parse_match(rule, outer_words[i].field, t, &ps))
					return -1;
				found = 1;
				break;
			}
		if (found)
			continue;
		if (nfts_tk_is(t, "inner")) {
			const struct token *w = nfts_tk_next(&ps);

			for (i = 0; i < sizeof(inner_words) / sizeof(inner_words[0]); i++)
				if (nfts_tk_is(w, inner_words[i].word))
					break;
			if (i == sizeof(inner_words) / sizeof(inner_words[0]))
				return nfts_ps_fail(&ps, w, "unexpected %s: expected saddr, daddr, proto, "
					    "sport or dport after 'inner'", TS(w));
			if (parse_match(rule, inner_words[i].field, t, &ps))
				return -1;
			continue;
		}
		if (nfts_tk_is(t, "counter") || nfts_tk_is(t, "log") || nfts_tk_is(t, "limit")) {
			if (rule->nstmt >= RULE_MAX_STMTS)
				return nfts_ps_fail(&ps, t, "too many statements at %s: a rule holds at most "
					    "8", TS(t));
			if (nfts_tk_is(t, "counter") ? parse_counter(rule, &ps) :
			    nfts_tk_is(t, "limit") ? parse_limit(rule, &ps) : parse_log(rule, &ps))
				return -1;
			continue;
		}
		if (nfts_tk_is(t, "accept"))
			vword = "accept";
		else if (nfts_tk_is(t, "drop"))
			vword = "drop";
		if (vword) {
			rule->verdict = vword[0] == 'a' ? VERDICT_ACCEPT : VERDICT_DROP;
			continue;
		}
		if (nfts_tk_is(t, "jump")) {
			if (nfts_parse_chain_name(rule->jump, &rule->jump_column, &ps, nfts_tk_next(&ps)))
				return -1;
			rule->verdict = VERDICT_JUMP;
			continue;
		}
		return nfts_ps_fail(&ps, t, "unexpected %s: expected %s", TS(t), EXPECT_MATCH);
	}
	*pos = ps.pos;
	return 0;
}

static bool proto_has_ports(const struct match *m)
{
	uint32_t i;

	if (m->neg)
		return false;
	for (i = 0; i < m->n; i++) {
		unsigned p = m->v[i].lo[0];

		if (!nfts_range_is_single(&m->v[i], 1) ||
		    !(p == 6 || p == 17 || p == 33 || p == 132 || p == 136))
			return false;
	}
	return true;
}

int nfts_rule_infer_family(const struct nftsrv6_rule *rule)
{
	int fam = 0;
	unsigned i;
	uint32_t k;

	for (i = 0; i < rule->nmatch; i++) {
		const struct match *m = &rule->m[i];

		if (m->field == FIELD_INNER_SADDR || m->field == FIELD_INNER_DADDR)
			return m->width == 4 ? 4 : 6;
	}
	for (i = 0; i < rule->nmatch; i++) {
		const struct match *m = &rule->m[i];
		int all4 = 1, all6 = 1;

		if (m->field != FIELD_INNER_PROTO || m->neg)
			continue;
		for (k = 0; k < m->n; k++) {
			if (!nfts_range_is_single(&m->v[k], 1) || m->v[k].lo[0] != 1)
				all4 = 0;
			if (!nfts_range_is_single(&m->v[k], 1) || m->v[k].lo[0] != 58)
				all6 = 0;
		}
		if (all4)
			fam = 4;
		else if (all6)
			fam = 6;
	}
	return fam;
}

/* Canonical order: the order the compiler emits and the decoder reads back. */
static int match_key(const struct match *m)
{
	return (int)m->field * 256 + m->index;
}

int nfts_rule_finish(struct nftsrv6_rule *rule, unsigned line, struct nftsrv6_error *err)
{
	const struct match *proto = NULL;
	bool inner = rule->inner_family != 0;
	unsigned i, j;

	for (i = 0; i < rule->nmatch; i++) {
		if (rule->m[i].field >= FIELD_INNER_SADDR)
			inner = true;
		if (rule->m[i].field == FIELD_INNER_PROTO && !proto && proto_has_ports(&rule->m[i]))
			proto = &rule->m[i];
	}
	if (inner && !rule->inner_family)
		rule->inner_family = (uint8_t)nfts_rule_infer_family(rule);
	if (inner && !rule->inner_family) {
		nfts_error_set(err, line, rule->inner_column, "inner", 5,
			  "the inner packet's family is unknown: add 'inner proto ipv6' or "
			  "'inner proto ipv4', or an inner address");
		return -1;
	}
	for (i = 0; i < rule->nmatch; i++) {
		const struct match *m = &rule->m[i];

		if ((m->field == FIELD_INNER_SPORT || m->field == FIELD_INNER_DPORT) && !proto) {
			nfts_error_set(err, line, m->column, "inner", 5,
				  "'%s' needs an 'inner proto' match of protocols with ports (tcp, "
				  "udp, sctp, dccp, udplite)", nfts_field_info(m->field)->name);
			return -1;
		}
	}
	/* stable insertion sort into canonical order */
	for (i = 1; i < rule->nmatch; i++) {
		struct match tmp = rule->m[i];

		for (j = i; j > 0 && match_key(&rule->m[j - 1]) > match_key(&tmp); j--)
			rule->m[j] = rule->m[j - 1];
		rule->m[j] = tmp;
	}
	return 0;
}

void nfts_rule_release(struct nftsrv6_rule *rule)
{
	unsigned i;

	for (i = 0; i < rule->nmatch; i++)
		free(rule->m[i].v);
	rule->nmatch = 0;
}

int nfts_match_clone(struct match *dst, const struct match *src)
{
	*dst = *src;
	dst->v = NULL;
	if (src->n) {
		dst->v = malloc(src->n * sizeof(*dst->v));
		if (!dst->v)
			return -1;
		memcpy(dst->v, src->v, src->n * sizeof(*dst->v));
	}
	return 0;
}

int nftsrv6_rule_parse(struct nftsrv6_rule **out, const char *text, struct nftsrv6_error *err)
{
	struct tokens tk = { 0 };
	struct nftsrv6_rule *rule;
	size_t pos = 0;

	*out = NULL;
	if (strchr(text, '\n')) {
		nfts_error_set(err, 1, (unsigned)(strchr(text, '\n') - text) + 1, "\\n", 2,
			  "a rule is one line");
		return -1;
	}
	rule = calloc(1, sizeof(*rule));
	if (!rule) {
		nfts_error_set(err, 0, 0, NULL, 0, "out of memory");
		return -1;
	}
	if (nfts_lex_line(&tk, text, strlen(text), 1, err) ||
	    nfts_rule_parse_tokens(rule, &tk, &pos, 1, err) || nfts_rule_finish(rule, 1, err)) {
		nfts_tokens_free(&tk);
		nftsrv6_rule_free(rule);
		return -1;
	}
	nfts_tokens_free(&tk);
	*out = rule;
	return 0;
}

void nftsrv6_rule_free(struct nftsrv6_rule *rule)
{
	if (!rule)
		return;
	nfts_rule_release(rule);
	free(rule);
}

