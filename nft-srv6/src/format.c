/* Printing rules back in the rule language, in canonical form: the text the parser reads
 * into an equal rule. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nft-srv6/src/rule.h"

void nfts_sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	if (sb->failed)
		return;
	for (;;) {
		size_t room = sb->cap - sb->len;
		va_list ap;
		int n;

		va_start(ap, fmt);
		n = vsnprintf(sb->p ? sb->p + sb->len : NULL, sb->p ? room : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			sb->failed = true;
			return;
		}
		if (sb->p && (size_t)n < room) {
			sb->len += (size_t)n;
			return;
		}
		{
			size_t cap = sb->cap ? sb->cap : 256;
			char *p;

			while (cap < sb->len + (size_t)n + 1)
				cap *= 2;
			p = realloc(sb->p, cap);
			if (!p) {
				sb->failed = true;
				return;
			}
			sb->p = p;
			sb->cap = cap;
		}
	}
}

void nfts_sb_puts(struct strbuf *sb, const char *s)
{
	nfts_sb_printf(sb, "%s", s);
}

void nfts_match_format_value(struct strbuf *sb, const struct match *m)
{
	char buf[128];
	uint32_t i;

	if (m->n > 1)
		nfts_sb_puts(sb, "{ ");
	for (i = 0; i < m->n; i++) {
		nfts_value_format_range(buf, sizeof(buf), m->field, m->width, &m->v[i]);
		nfts_sb_printf(sb, "%s%s", i ? ", " : "", buf);
	}
	if (m->n > 1)
		nfts_sb_puts(sb, " }");
}

static const char *const units[] = { "second", "minute", "hour", "day", "week" };
static const char *const levels[] = { "emerg", "alert", "crit", "err", "warn", "notice",
				      "info", "debug" };

static void stmt_format(struct strbuf *sb, const struct stmt *s)
{
	switch (s->kind) {
	case STMT_COUNTER:
		nfts_sb_puts(sb, "counter");
		if (s->u.counter.packets || s->u.counter.bytes)
			nfts_sb_printf(sb, " packets %llu bytes %llu",
				  (unsigned long long)s->u.counter.packets,
				  (unsigned long long)s->u.counter.bytes);
		break;
	case STMT_LOG:
		nfts_sb_puts(sb, "log");
		if (s->u.log.has_prefix) {
			const char *p;

			nfts_sb_puts(sb, " prefix \"");
			for (p = s->u.log.prefix; *p; p++)
				nfts_sb_printf(sb, "%s%c", (*p == '"' || *p == '\\') ? "\\" : "", *p);
			nfts_sb_puts(sb, "\"");
		}
		if (s->u.log.group >= 0)
			nfts_sb_printf(sb, " group %d", s->u.log.group);
		if (s->u.log.level >= 0)
			nfts_sb_printf(sb, " level %s", levels[s->u.log.level]);
		break;
	case STMT_LIMIT:
		nfts_sb_printf(sb, "limit rate %s%llu/%s", s->u.limit.over ? "over " : "",
			  (unsigned long long)s->u.limit.rate, units[s->u.limit.unit]);
		if (s->u.limit.burst)
			nfts_sb_printf(sb, " burst %u packets", s->u.limit.burst);
		break;
	}
}

void nfts_rule_format_sb(struct strbuf *sb, const struct nftsrv6_rule *rule)
{
	bool family_shown = rule->inner_family == nfts_rule_infer_family(rule);
	bool first = true;
	unsigned i;

#define SEP() do { if (!first) nfts_sb_puts(sb, " "); first = false; } while (0)
	for (i = 0; i < rule->nmatch; i++) {
		const struct match *m = &rule->m[i];

		if (m->field >= FIELD_INNER_SADDR && !family_shown) {
			SEP();
			nfts_sb_printf(sb, "inner proto ipv%u", rule->inner_family);
			family_shown = true;
		}
		SEP();
		if (m->field == FIELD_SID)
			nfts_sb_printf(sb, "sid[%u]", m->index);
		else
			nfts_sb_puts(sb, nfts_field_info(m->field)->name);
		nfts_sb_puts(sb, m->neg ? " != " : " ");
		nfts_match_format_value(sb, m);
	}
	if (!family_shown && rule->inner_family) {
		SEP();
		nfts_sb_printf(sb, "inner proto ipv%u", rule->inner_family);
	}
	for (i = 0; i < rule->nstmt; i++) {
		SEP();
		stmt_format(sb, &rule->s[i]);
	}
	switch (rule->verdict) {
	case VERDICT_NONE:
		break;
	case VERDICT_ACCEPT:
		SEP();
		nfts_sb_puts(sb, "accept");
		break;
	case VERDICT_DROP:
		SEP();
		nfts_sb_puts(sb, "drop");
		break;
	case VERDICT_JUMP:
		SEP();
		nfts_sb_printf(sb, "jump %s", rule->jump);
		break;
	}
#undef SEP
	if (!sb->p)
		nfts_sb_puts(sb, "");
}

int nftsrv6_rule_format(char *buf, size_t size, const struct nftsrv6_rule *rule)
{
	struct strbuf sb = { 0 };
	int rc = -1;

	nfts_rule_format_sb(&sb, rule);
	if (!sb.failed && sb.len < size) {
		memcpy(buf, sb.p, sb.len + 1);
		rc = 0;
	}
	free(sb.p);
	return rc;
}

void nfts_place_format_sb(struct strbuf *sb, const struct place *p, enum nftsrv6_family fam)
{
	if (p->chain[0]) {
		nfts_sb_printf(sb, "chain %s", p->chain);
		return;
	}
	nfts_sb_printf(sb, "hook %s", nfts_hook_name(p->hook));
	if (p->priority)
		nfts_sb_printf(sb, " priority %d", p->priority);
	if (fam == NFTSRV6_FAMILY_NETDEV && p->dev[0])
		nfts_sb_printf(sb, " dev %s", p->dev);
}

static bool stmt_equal(const struct stmt *a, const struct stmt *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case STMT_COUNTER:
		return true;    /* counter values are state, not the rule */
	case STMT_LOG:
		return a->u.log.has_prefix == b->u.log.has_prefix &&
		       !strcmp(a->u.log.prefix, b->u.log.prefix) &&
		       a->u.log.group == b->u.log.group && a->u.log.level == b->u.log.level;
	case STMT_LIMIT:
		return a->u.limit.rate == b->u.limit.rate && a->u.limit.unit == b->u.limit.unit &&
		       a->u.limit.burst == b->u.limit.burst && a->u.limit.over == b->u.limit.over;
	}
	return false;
}

int nftsrv6_rule_equal(const struct nftsrv6_rule *a, const struct nftsrv6_rule *b)
{
	unsigned i;
	uint32_t k;

	if (a->inner_family != b->inner_family || a->nmatch != b->nmatch ||
	    a->nstmt != b->nstmt || a->verdict != b->verdict)
		return 0;
	if (a->verdict == VERDICT_JUMP && strcmp(a->jump, b->jump))
		return 0;
	for (i = 0; i < a->nmatch; i++) {
		const struct match *x = &a->m[i], *y = &b->m[i];

		if (x->field != y->field || x->neg != y->neg || x->index != y->index ||
		    x->width != y->width || x->n != y->n)
			return 0;
		for (k = 0; k < x->n; k++)
			if (memcmp(x->v[k].lo, y->v[k].lo, x->width) ||
			    memcmp(x->v[k].hi, y->v[k].hi, x->width))
				return 0;
	}
	for (i = 0; i < a->nstmt; i++)
		if (!stmt_equal(&a->s[i], &b->s[i]))
			return 0;
	return 1;
}
