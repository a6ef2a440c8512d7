/* Listing: the table read from the kernel and decoded back into rules, printed as
 * commands (readable again by nftsrv6_batch_parse) or as JSON. */
#include <json-c/json.h>
#include <linux/netfilter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nft-srv6/src/plan.h"

struct lchain {
	struct nftsrv6_chain_info info;
	char name[CHAIN_NAME_MAX + 1];
	char dev[IFACE_NAME_MAX];
	struct place place;
};

struct lrule {
	struct nftsrv6_rule_info info;
	size_t chain;                  /* index in chains */
	struct nftsrv6_rule rule;
	bool decoded;
};

struct nftsrv6_listing {
	int exists;
	enum nftsrv6_family family;
	char table[CHAIN_NAME_MAX + 1];
	struct lchain *chains;
	size_t nchains;
	struct lrule *rules;
	size_t nrules;
};

struct env_ctx {
	const struct snapshot *s;
	struct aux_chain *aux;
	size_t naux;
};

static int aux_cmp(const void *a, const void *b)
{
	return strcmp(((const struct aux_chain *)a)->name, ((const struct aux_chain *)b)->name);
}

static int name_cmp(const void *name, const void *a)
{
	return strcmp(name, ((const struct aux_chain *)a)->name);
}

/* The auxiliary chain called name: e->aux is sorted by name. */
static struct aux_chain *aux_find(const struct env_ctx *e, const char *name)
{
	return bsearch(name, e->aux, e->naux, sizeof(*e->aux), name_cmp);
}

static const struct aux_chain *chain_rules(void *ctx, const char *name)
{
	return aux_find(ctx, name);
}

/* The auxiliary chains (a "contains" writes two or more, 100+ rules each) with their rules
 * in snapshot order.  Two passes over the rules, each finding its chain by name: a listing
 * stays linear in the rules however many "contains" rules the table has. */
static int build_aux(struct env_ctx *e)
{
	const struct snapshot *s = e->s;
	struct aux_chain *a;
	size_t i, j;

	e->aux = calloc(s->nchains + 1, sizeof(*e->aux));
	if (!e->aux)
		return -1;
	for (i = 0; i < s->nchains; i++) {
		const char *n = nftnl_chain_get_str(s->chains[i], NFTNL_CHAIN_NAME);

		/* a longer name is not one nft-srv6 writes, and no lookup could name it */
		if (strncmp(n, AUX_PREFIX, strlen(AUX_PREFIX)) || strlen(n) > CHAIN_NAME_MAX)
			continue;
		snprintf(e->aux[e->naux++].name, sizeof(e->aux->name), "%s", n);
	}
	qsort(e->aux, e->naux, sizeof(*e->aux), aux_cmp);
	for (j = 0; j < s->nrules; j++) {
		a = aux_find(e, nftnl_rule_get_str(s->rules[j], NFTNL_RULE_CHAIN));
		if (a)
			a->nrules++;
	}
	for (i = 0; i < e->naux; i++) {
		e->aux[i].rules = calloc(e->aux[i].nrules + 1, sizeof(*e->aux[i].rules));
		if (!e->aux[i].rules)
			return -1;
		e->aux[i].nrules = 0;
	}
	for (j = 0; j < s->nrules; j++) {
		a = aux_find(e, nftnl_rule_get_str(s->rules[j], NFTNL_RULE_CHAIN));
		if (a)
			a->rules[a->nrules++] = s->rules[j];
	}
	return 0;
}

static void free_aux(struct env_ctx *e)
{
	size_t i;

	for (i = 0; i < e->naux; i++)
		free(e->aux[i].rules);
	free(e->aux);
}

static const char *const hooks_inet[] = { "prerouting", "input", "forward", "output",
					  "postrouting" };

static void first_counter(struct lrule *lr, const struct nftnl_rule *r)
{
	if (lr->decoded) {
		unsigned i;

		for (i = 0; i < lr->rule.nstmt; i++)
			if (lr->rule.s[i].kind == STMT_COUNTER) {
				lr->info.has_counter = 1;
				lr->info.packets = lr->rule.s[i].u.counter.packets;
				lr->info.bytes = lr->rule.s[i].u.counter.bytes;
				return;
			}
		return;
	}
	{
		struct nftnl_expr_iter *it = nftnl_expr_iter_create(r);
		struct nftnl_expr *x;

		if (!it)
			return;
		for (x = nftnl_expr_iter_next(it); x; x = nftnl_expr_iter_next(it))
			if (!strcmp(nftnl_expr_get_str(x, NFTNL_EXPR_NAME), "counter")) {
				lr->info.has_counter = 1;
				lr->info.packets = nftnl_expr_get_u64(x, NFTNL_EXPR_CTR_PACKETS);
				lr->info.bytes = nftnl_expr_get_u64(x, NFTNL_EXPR_CTR_BYTES);
				break;
			}
		nftnl_expr_iter_destroy(it);
	}
}

static int listing_build(struct nftsrv6_listing *l, const struct snapshot *s, uint32_t nfproto)
{
	struct env_ctx ec = { .s = s };
	struct decode_env env = { .nfproto = nfproto, .sets = s->sets, .nsets = s->nsets,
				  .chain_rules = chain_rules, .ctx = &ec };
	size_t i, j;
	int rc = -1;

	l->exists = s->table_exists;
	l->chains = calloc(s->nchains + 1, sizeof(*l->chains));
	l->rules = calloc(s->nrules + 1, sizeof(*l->rules));
	if (!l->chains || !l->rules || build_aux(&ec))
		goto out;
	for (i = 0; i < s->nchains; i++) {
		const struct nftnl_chain *c = s->chains[i];
		const char *n = nftnl_chain_get_str(c, NFTNL_CHAIN_NAME);
		struct lchain *lc;

		if (!strncmp(n, AUX_PREFIX, strlen(AUX_PREFIX)))
			continue;
		lc = &l->chains[l->nchains++];
		snprintf(lc->name, sizeof(lc->name), "%s", n);
		lc->info.name = lc->name;
		if (nftnl_chain_is_set(c, NFTNL_CHAIN_HOOKNUM)) {
			uint32_t hk = nftnl_chain_get_u32(c, NFTNL_CHAIN_HOOKNUM);

			lc->info.base = 1;
			lc->info.priority = (int)nftnl_chain_get_s32(c, NFTNL_CHAIN_PRIO);
			lc->place.priority = lc->info.priority;
			if (nfproto == NFPROTO_NETDEV) {
				lc->info.hook = "ingress";
				lc->place.hook = HOOK_INGRESS;
			} else if (hk < 5) {
				lc->info.hook = hooks_inet[hk];
				lc->place.hook = (enum hook)hk;
			}
			if (nftnl_chain_is_set(c, NFTNL_CHAIN_DEV)) {
				snprintf(lc->dev, sizeof(lc->dev), "%s",
					 nftnl_chain_get_str(c, NFTNL_CHAIN_DEV));
				lc->info.dev = lc->dev;
				snprintf(lc->place.dev, sizeof(lc->place.dev), "%s", lc->dev);
			}
		} else {
			snprintf(lc->place.chain, sizeof(lc->place.chain), "%s", n);
			lc->place.hook = HOOK_NONE;
		}
	}
	for (i = 0; i < l->nchains; i++) {
		for (j = 0; j < s->nrules; j++) {
			const struct nftnl_rule *r = s->rules[j];
			struct lrule *lr;
			unsigned aux_id;

			if (strcmp(nftnl_rule_get_str(r, NFTNL_RULE_CHAIN), l->chains[i].name))
				continue;
			lr = &l->rules[l->nrules++];
			lr->chain = i;
			lr->info.chain = l->chains[i].name;
			lr->info.handle = nftnl_rule_get_u64(r, NFTNL_RULE_HANDLE);
			lr->decoded = nfts_rule_decode(&lr->rule, &aux_id, r, &env) == 0;
			lr->info.rule = lr->decoded ? &lr->rule : NULL;
			first_counter(lr, r);
		}
	}
	rc = 0;
out:
	free_aux(&ec);
	return rc;
}

int nftsrv6_list(struct nftsrv6_listing **out, struct nftsrv6 *h, struct nftsrv6_error *err)
{
	struct nftsrv6_listing *l = calloc(1, sizeof(*l));
	struct snapshot s;
	uint32_t nfproto = nfts_family_nfproto(h->family);

	*out = NULL;
	if (!l) {
		nfts_error_set(err, 0, 0, NULL, 0, "out of memory");
		return -1;
	}
	l->family = h->family;
	snprintf(l->table, sizeof(l->table), "%s", h->table);
	if (nfts_snapshot_load(&s, &h->nl, nfproto, h->table, err)) {
		free(l);
		return -1;
	}
	if (s.table_exists && !s.owned) {
		nfts_error_set(err, 0, 0, h->table, strlen(h->table), "table %s %s exists but nft-srv6 did "
			  "not create it: use nft to list it",
			  h->family == NFTSRV6_FAMILY_NETDEV ? "netdev" : "inet", h->table);
		nfts_snapshot_release(&s);
		free(l);
		return -1;
	}
	if (listing_build(l, &s, nfproto)) {
		nfts_snapshot_release(&s);
		nftsrv6_listing_free(l);
		nfts_error_set(err, 0, 0, NULL, 0, "out of memory");
		return -1;
	}
	nfts_snapshot_release(&s);
	*out = l;
	return 0;
}

int nftsrv6_listing_exists(const struct nftsrv6_listing *l)
{
	return l->exists;
}

size_t nftsrv6_listing_chain_count(const struct nftsrv6_listing *l)
{
	return l->nchains;
}

const struct nftsrv6_chain_info *nftsrv6_listing_chain(const struct nftsrv6_listing *l, size_t i)
{
	return i < l->nchains ? &l->chains[i].info : NULL;
}

size_t nftsrv6_listing_rule_count(const struct nftsrv6_listing *l)
{
	return l->nrules;
}

const struct nftsrv6_rule_info *nftsrv6_listing_rule(const struct nftsrv6_listing *l, size_t i)
{
	return i < l->nrules ? &l->rules[i].info : NULL;
}

void nftsrv6_listing_free(struct nftsrv6_listing *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->nrules; i++)
		if (l->rules[i].decoded)
			nfts_rule_release(&l->rules[i].rule);
	free(l->rules);
	free(l->chains);
	free(l);
}

int nftsrv6_listing_text(char **text, const struct nftsrv6_listing *l)
{
	struct strbuf sb = { 0 };
	size_t i;

	*text = NULL;
	nfts_sb_printf(&sb, "# table %s %s%s\n", l->family == NFTSRV6_FAMILY_NETDEV ? "netdev" : "inet",
		  l->table, l->exists ? "" : " does not exist");
	for (i = 0; i < l->nchains; i++) {
		nfts_sb_puts(&sb, "add ");
		nfts_place_format_sb(&sb, &l->chains[i].place, l->family);
		nfts_sb_puts(&sb, "\n");
	}
	for (i = 0; i < l->nrules; i++) {
		const struct lrule *lr = &l->rules[i];

		if (!lr->decoded) {
			nfts_sb_printf(&sb, "# handle %llu in chain %s: a rule nft-srv6 did not write "
				  "(see nft list table)\n", (unsigned long long)lr->info.handle,
				  lr->info.chain);
			continue;
		}
		nfts_sb_puts(&sb, "add ");
		nfts_place_format_sb(&sb, &l->chains[lr->chain].place, l->family);
		nfts_sb_puts(&sb, " ");
		nfts_rule_format_sb(&sb, &lr->rule);
		nfts_sb_printf(&sb, " # handle %llu\n", (unsigned long long)lr->info.handle);
	}
	if (sb.failed) {
		free(sb.p);
		return -1;
	}
	*text = sb.p;
	return 0;
}

static json_object *rule_json(const struct lrule *lr)
{
	json_object *o = json_object_new_object(), *ms, *ss;
	struct strbuf sb = { 0 };
	unsigned i;

	json_object_object_add(o, "chain", json_object_new_string(lr->info.chain));
	json_object_object_add(o, "handle", json_object_new_uint64(lr->info.handle));
	json_object_object_add(o, "foreign", json_object_new_boolean(!lr->decoded));
	if (lr->info.has_counter) {
		json_object *c = json_object_new_object();

		json_object_object_add(c, "packets", json_object_new_uint64(lr->info.packets));
		json_object_object_add(c, "bytes", json_object_new_uint64(lr->info.bytes));
		json_object_object_add(o, "counter", c);
	}
	if (!lr->decoded)
		return o;
	nfts_rule_format_sb(&sb, &lr->rule);
	json_object_object_add(o, "rule", json_object_new_string(sb.p ? sb.p : ""));
	free(sb.p);
	if (lr->rule.inner_family)
		json_object_object_add(o, "inner_family",
				       json_object_new_string(lr->rule.inner_family == 4 ? "ipv4" :
							      "ipv6"));
	ms = json_object_new_array();
	for (i = 0; i < lr->rule.nmatch; i++) {
		const struct match *m = &lr->rule.m[i];
		json_object *mo = json_object_new_object();
		char field[32];

		memset(&sb, 0, sizeof(sb));
		nfts_match_format_value(&sb, m);
		if (m->field == FIELD_SID)
			snprintf(field, sizeof(field), "sid[%u]", m->index);
		else
			snprintf(field, sizeof(field), "%s", nfts_field_info(m->field)->name);
		json_object_object_add(mo, "field", json_object_new_string(field));
		json_object_object_add(mo, "op", json_object_new_string(m->neg ? "!=" : "=="));
		json_object_object_add(mo, "value", json_object_new_string(sb.p ? sb.p : ""));
		free(sb.p);
		json_object_array_add(ms, mo);
	}
	json_object_object_add(o, "matches", ms);
	ss = json_object_new_array();
	for (i = 0; i < lr->rule.nstmt; i++) {
		static const char *const kinds[] = { "counter", "log", "limit" };

		json_object_array_add(ss, json_object_new_string(kinds[lr->rule.s[i].kind]));
	}
	json_object_object_add(o, "statements", ss);
	json_object_object_add(o, "verdict", json_object_new_string(
		lr->rule.verdict == VERDICT_ACCEPT ? "accept" :
		lr->rule.verdict == VERDICT_DROP ? "drop" :
		lr->rule.verdict == VERDICT_JUMP ? "jump" : "none"));
	if (lr->rule.verdict == VERDICT_JUMP)
		json_object_object_add(o, "jump", json_object_new_string(lr->rule.jump));
	return o;
}

int nftsrv6_listing_json(char **json, const struct nftsrv6_listing *l)
{
	json_object *root = json_object_new_object(), *t = json_object_new_object();
	json_object *chains = json_object_new_array(), *rules = json_object_new_array();
	size_t i;

	*json = NULL;
	if (!root || !t || !chains || !rules)
		return -1;
	json_object_object_add(t, "family", json_object_new_string(
		l->family == NFTSRV6_FAMILY_NETDEV ? "netdev" : "inet"));
	json_object_object_add(t, "name", json_object_new_string(l->table));
	json_object_object_add(t, "exists", json_object_new_boolean(l->exists));
	json_object_object_add(root, "table", t);
	for (i = 0; i < l->nchains; i++) {
		const struct nftsrv6_chain_info *c = &l->chains[i].info;
		json_object *co = json_object_new_object();

		json_object_object_add(co, "name", json_object_new_string(c->name));
		json_object_object_add(co, "base", json_object_new_boolean(c->base));
		if (c->base) {
			json_object_object_add(co, "hook", json_object_new_string(c->hook ? c->hook :
										   "?"));
			json_object_object_add(co, "priority", json_object_new_int(c->priority));
			if (c->dev)
				json_object_object_add(co, "dev", json_object_new_string(c->dev));
		}
		json_object_array_add(chains, co);
	}
	json_object_object_add(root, "chains", chains);
	for (i = 0; i < l->nrules; i++)
		json_object_array_add(rules, rule_json(&l->rules[i]));
	json_object_object_add(root, "rules", rules);
	*json = strdup(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return *json ? 0 : -1;
}
