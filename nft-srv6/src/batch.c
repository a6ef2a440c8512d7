/* Batches of commands, the SR-domain edge preset, the offline check, and the handle that
 * commits batches to the kernel. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nft-srv6/src/plan.h"

int nfts_batch_append(struct nftsrv6_batch *b, const struct command *cmd)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;
		struct command *c = realloc(b->cmd, cap * sizeof(*c));

		if (!c)
			return -1;
		b->cmd = c;
		b->cap = cap;
	}
	b->cmd[b->n++] = *cmd;
	return 0;
}

int nftsrv6_batch_new(struct nftsrv6_batch **batch)
{
	*batch = calloc(1, sizeof(**batch));
	return *batch ? 0 : -1;
}

static void batch_truncate(struct nftsrv6_batch *b, size_t n)
{
	while (b->n > n)
		nfts_command_release(&b->cmd[--b->n]);
}

int nftsrv6_batch_parse(struct nftsrv6_batch *batch, const char *text, unsigned first_line,
			struct nftsrv6_error *err)
{
	size_t start = batch->n;
	unsigned line = first_line ? first_line : 1;
	const char *p = text;

	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		struct command cmd;
		int rc = nfts_command_parse(&cmd, p, len, line, err);

		if (rc < 0)
			goto fail;
		if (rc == 0 && nfts_batch_append(batch, &cmd)) {
			nfts_command_release(&cmd);
			nfts_error_set(err, line, 0, NULL, 0, "out of memory");
			goto fail;
		}
		if (!nl)
			break;
		p = nl + 1;
		line++;
	}
	return 0;
fail:
	batch_truncate(batch, start);
	return -1;
}

size_t nftsrv6_batch_count(const struct nftsrv6_batch *batch)
{
	return batch->n;
}

uint64_t nftsrv6_batch_handle(const struct nftsrv6_batch *batch, size_t i)
{
	return i < batch->n ? batch->cmd[i].result_handle : 0;
}

void nftsrv6_batch_free(struct nftsrv6_batch *batch)
{
	if (!batch)
		return;
	batch_truncate(batch, 0);
	free(batch->cmd);
	free(batch);
}

static bool valid_name(const char *s, size_t max)
{
	size_t i, len = strlen(s);

	if (len == 0 || len > max)
		return false;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f || s[i] == '"')
			return false;
	return true;
}

int nftsrv6_batch_add(struct nftsrv6_batch *batch, const struct nftsrv6_place *place,
		      const struct nftsrv6_rule *rule, struct nftsrv6_error *err)
{
	struct command cmd = { .kind = CMD_ADD };
	unsigned i;

	cmd.place.hook = HOOK_NONE;
	if (place && place->chain) {
		if (!valid_name(place->chain, CHAIN_NAME_MAX) ||
		    !strncmp(place->chain, AUX_PREFIX, strlen(AUX_PREFIX))) {
			nfts_error_set(err, 0, 0, place->chain, strlen(place->chain),
				  "bad chain name '%s'", place->chain);
			return -1;
		}
		if (place->hook || place->dev || place->priority) {
			nfts_error_set(err, 0, 0, place->chain, strlen(place->chain),
				  "a regular chain has no hook, priority or device");
			return -1;
		}
		snprintf(cmd.place.chain, sizeof(cmd.place.chain), "%s", place->chain);
	} else if (place) {
		if (place->hook) {
			int h;

			for (h = HOOK_PREROUTING; h <= HOOK_INGRESS; h++)
				if (!strcmp(place->hook, nfts_hook_name((enum hook)h)))
					break;
			if (h > HOOK_INGRESS) {
				nfts_error_set(err, 0, 0, place->hook, strlen(place->hook),
					  "unknown hook '%s': expected prerouting, input, forward, "
					  "output, postrouting or ingress", place->hook);
				return -1;
			}
			cmd.place.hook = (enum hook)h;
		}
		cmd.place.priority = place->priority;
		if (place->dev) {
			if (!valid_name(place->dev, IFACE_NAME_MAX - 1)) {
				nfts_error_set(err, 0, 0, place->dev, strlen(place->dev),
					  "bad device name '%s'", place->dev);
				return -1;
			}
			snprintf(cmd.place.dev, sizeof(cmd.place.dev), "%s", place->dev);
		}
	}
	cmd.rule = calloc(1, sizeof(*cmd.rule));
	if (!cmd.rule)
		goto nomem;
	*cmd.rule = *rule;
	for (i = 0; i < rule->nmatch; i++)
		if (nfts_match_clone(&cmd.rule->m[i], &rule->m[i])) {
			cmd.rule->nmatch = i;
			goto nomem;
		}
	if (nfts_batch_append(batch, &cmd))
		goto nomem;
	return 0;
nomem:
	nftsrv6_rule_free(cmd.rule);
	nfts_error_set(err, 0, 0, NULL, 0, "out of memory");
	return -1;
}

/* Values of the edge preset: each argument is one element (address or prefix). */
static int edge_values(struct match *m, enum field f, const char *const *vals, size_t n,
		       const char *option, struct nftsrv6_error *err)
{
	size_t i;

	memset(m, 0, sizeof(*m));
	m->field = f;
	m->width = 16;
	if (n == 0 || n > VALUE_MAX_RANGES) {
		nfts_error_set(err, 0, 0, option, strlen(option), "%s needs 1 to 4096 prefixes", option);
		return -1;
	}
	m->v = calloc(n, sizeof(*m->v));
	if (!m->v) {
		nfts_error_set(err, 0, 0, NULL, 0, "out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		struct token t = { .kind = TOK_WORD, .text = vals[i], .len = strlen(vals[i]),
				   .column = 1 };
		uint8_t w;

		if (nfts_value_parse_element(&m->v[i], &w, f, &t, 0, err)) {
			if (err) {
				char msg[NFTSRV6_MESSAGE_MAX + 128];
				size_t mlen;

				snprintf(msg, sizeof(msg), "%s %s: %s", option, vals[i], err->message);
				mlen = strnlen(msg, sizeof(err->message) - 1);
				memcpy(err->message, msg, mlen);
				err->message[mlen] = '\0';
			}
			free(m->v);
			m->v = NULL;
			return -1;
		}
		m->n++;
	}
	return nfts_value_canonical(m);
}

int nftsrv6_batch_edge(struct nftsrv6_batch *batch, const char *const *domain, size_t ndomain,
		       const char *const *sids, size_t nsids, const char *iface,
		       struct nftsrv6_error *err)
{
	struct command flush = { .kind = CMD_FLUSH_CHAIN }, add = { .kind = CMD_ADD };
	struct nftsrv6_rule *rule;

	if (!iface || !iface[0] || strlen(iface) >= IFACE_NAME_MAX) {
		nfts_error_set(err, 0, 0, "--iface", 7, "the edge preset needs an interface name of at "
			  "most 15 characters");
		return -1;
	}
	rule = calloc(1, sizeof(*rule));
	if (!rule) {
		nfts_error_set(err, 0, 0, NULL, 0, "out of memory");
		return -1;
	}
	/* saddr != { domain } daddr { SID space } counter drop */
	if (edge_values(&rule->m[0], FIELD_SADDR, domain, ndomain, "--domain", err) ||
	    edge_values(&rule->m[1], FIELD_DADDR, nsids ? sids : domain, nsids ? nsids : ndomain,
			nsids ? "--sids" : "--domain", err)) {
		nftsrv6_rule_free(rule);
		return -1;
	}
	rule->m[0].neg = true;
	rule->nmatch = 2;
	rule->nstmt = 1;
	rule->s[0].kind = STMT_COUNTER;
	rule->verdict = VERDICT_DROP;
	/* its own base chain ahead of ordinary rules, replaced as a whole on every run */
	add.place.hook = HOOK_INGRESS;
	add.place.priority = -500;
	snprintf(add.place.dev, sizeof(add.place.dev), "%s", iface);
	add.rule = rule;
	flush.place = add.place;
	flush.if_exists = true;
	if (nfts_batch_append(batch, &flush) || nfts_batch_append(batch, &add)) {
		nftsrv6_rule_free(rule);
		nfts_error_set(err, 0, 0, NULL, 0, "out of memory");
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------- offline check */

int nftsrv6_batch_check(char **text, const struct nftsrv6_config *cfg,
			const struct nftsrv6_batch *batch, struct nftsrv6_error *err)
{
	struct strbuf sb = { 0 };
	uint32_t set_id = 0;
	unsigned aux = 1;
	size_t i;

	if (text)
		*text = NULL;
	for (i = 0; i < batch->n; i++) {
		const struct command *cmd = &batch->cmd[i];
		struct resolved r;
		struct compile_ctx cc;
		struct compiled out;

		if (cmd->kind != CMD_ADD && cmd->kind != CMD_INSERT && cmd->kind != CMD_CREATE_CHAIN)
			continue;
		if (nfts_place_resolve(&r, cmd, cfg->family, cfg->iface, err))
			goto fail;
		if (!cmd->rule)
			continue;
		cc = (struct compile_ctx){ .nfproto = nfts_family_nfproto(cfg->family),
					   .table = cfg->table ? cfg->table : NFTSRV6_DEFAULT_TABLE,
					   .chain = r.chain, .next_set_id = set_id, .aux_id = aux };
		if (nfts_rule_compile(&out, &cc, cmd->rule, cmd->line, err))
			goto fail;
		set_id = cc.next_set_id;
		if (out.naux)
			aux++;
		if (text)
			nfts_compiled_format(&sb, &out);
		nfts_compiled_release(&out);
	}
	if (text) {
		if (!sb.p)
			nfts_sb_puts(&sb, "");
		if (sb.failed) {
			nfts_error_set(err, 0, 0, NULL, 0, "out of memory");
			goto fail;
		}
		*text = sb.p;
	}
	return 0;
fail:
	free(sb.p);
	return -1;
}

/* ------------------------------------------------------------------ handle */

int nftsrv6_open(struct nftsrv6 **out, const struct nftsrv6_config *cfg, struct nftsrv6_error *err)
{
	struct nftsrv6 *h;
	const char *table = cfg->table ? cfg->table : NFTSRV6_DEFAULT_TABLE;
	size_t i, len = strlen(table);

	*out = NULL;
	if (len == 0 || len > CHAIN_NAME_MAX) {
		nfts_error_set(err, 0, 0, table, len, "bad table name '%s': 1 to 64 characters", table);
		return -1;
	}
	for (i = 0; i < len; i++) {
		char c = table[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
		      (i && ((c >= '0' && c <= '9') || c == '-' || c == '.')))) {
			nfts_error_set(err, 0, 0, table, len, "bad table name '%s': expected a letter or "
				  "'_' then letters, digits, '_', '-' or '.'", table);
			return -1;
		}
	}
	if (cfg->iface && strlen(cfg->iface) >= IFACE_NAME_MAX) {
		nfts_error_set(err, 0, 0, cfg->iface, strlen(cfg->iface),
			  "bad interface name '%s': at most 15 characters", cfg->iface);
		return -1;
	}
	h = calloc(1, sizeof(*h));
	if (!h) {
		nfts_error_set(err, 0, 0, NULL, 0, "out of memory");
		return -1;
	}
	snprintf(h->table, sizeof(h->table), "%s", table);
	h->family = cfg->family;
	if (cfg->iface)
		snprintf(h->iface, sizeof(h->iface), "%s", cfg->iface);
	if (nfts_nl_open(&h->nl, err)) {
		free(h);
		return -1;
	}
	*out = h;
	return 0;
}

void nftsrv6_close(struct nftsrv6 *h)
{
	if (!h)
		return;
	nfts_nl_close(&h->nl);
	free(h);
}

int nftsrv6_commit(struct nftsrv6 *h, struct nftsrv6_batch *batch, struct nftsrv6_error *err)
{
	return nfts_plan_apply(h, batch, false, err);
}

int nftsrv6_check(struct nftsrv6 *h, struct nftsrv6_batch *batch, struct nftsrv6_error *err)
{
	return nfts_plan_apply(h, batch, true, err);
}
