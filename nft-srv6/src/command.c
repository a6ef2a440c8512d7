/* Commands of the rule language: add and insert with their placement, delete, flush.
 * One line is one command. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nft-srv6/src/parse.h"

static const char *const hook_names[] = { "prerouting", "input", "forward", "output",
					  "postrouting", "ingress" };

const char *nfts_hook_name(enum hook h)
{
	return h == HOOK_NONE ? NULL : hook_names[h];
}

static int parse_priority(int *out, const struct pstate *ps, const struct token *t)
{
	long v = 0;
	size_t i = 0;
	bool neg = false;

	if (t->kind != TOK_WORD || t->len == 0 || t->len > 11)
		goto bad;
	if (t->text[0] == '-') {
		neg = true;
		i = 1;
		if (t->len == 1)
			goto bad;
	}
	for (; i < t->len; i++) {
		if (t->text[i] < '0' || t->text[i] > '9')
			goto bad;
		v = v * 10 + (t->text[i] - '0');
	}
	if (neg)
		v = -v;
	if (v < -2147483647L - 1 || v > 2147483647L)
		goto bad;
	*out = (int)v;
	return 0;
bad:
	return nfts_ps_fail(ps, t, "bad priority %s: expected an integer such as 0 or -10", TS(t));
}

static int parse_place(struct place *pl, bool allow_position, struct pstate *ps)
{
	pl->hook = HOOK_NONE;
	for (;;) {
		const struct token *t = nfts_tk_peek(ps);

		if (nfts_tk_is(t, "chain")) {
			nfts_tk_next(ps);
			if (pl->hook != HOOK_NONE || pl->dev[0])
				return nfts_ps_fail(ps, t, "%s names a regular chain: it cannot be combined "
					    "with 'hook', 'priority' or 'dev'", TS(t));
			if (nfts_parse_chain_name(pl->chain, &pl->chain_column, ps, nfts_tk_next(ps)))
				return -1;
		} else if (nfts_tk_is(t, "hook")) {
			const struct token *h;
			size_t i;

			nfts_tk_next(ps);
			if (pl->chain[0])
				return nfts_ps_fail(ps, t, "%s places the rule in a base chain: it cannot be "
					    "combined with 'chain'", TS(t));
			h = nfts_tk_next(ps);
			for (i = 0; i < sizeof(hook_names) / sizeof(hook_names[0]); i++)
				if (nfts_tk_is(h, hook_names[i]))
					break;
			if (i == sizeof(hook_names) / sizeof(hook_names[0]))
				return nfts_ps_fail(ps, h, "unknown hook %s: expected prerouting, input, "
					    "forward, output, postrouting or ingress", TS(h));
			pl->hook = (enum hook)i;
			pl->hook_column = h->column;
		} else if (nfts_tk_is(t, "priority")) {
			nfts_tk_next(ps);
			if (pl->chain[0])
				return nfts_ps_fail(ps, t, "%s belongs to base chains: it cannot be combined "
					    "with 'chain'", TS(t));
			if (parse_priority(&pl->priority, ps, nfts_tk_next(ps)))
				return -1;
		} else if (nfts_tk_is(t, "dev")) {
			const struct token *d;

			nfts_tk_next(ps);
			if (pl->chain[0])
				return nfts_ps_fail(ps, t, "%s belongs to netdev base chains: it cannot be "
					    "combined with 'chain'", TS(t));
			d = nfts_tk_next(ps);
			if (d->kind != TOK_WORD || d->len >= IFACE_NAME_MAX)
				return nfts_ps_fail(ps, d, "bad device name %s: expected an interface name "
					    "of at most 15 characters", TS(d));
			memcpy(pl->dev, d->text, d->len);
			pl->dev[d->len] = '\0';
			pl->dev_column = d->column;
		} else if (nfts_tk_is(t, "position") && allow_position) {
			unsigned long h;

			nfts_tk_next(ps);
			pl->position_column = nfts_tk_peek(ps)->column;
			if (nfts_parse_uint_token(&h, ps, nfts_tk_next(ps), ~0UL, "a rule handle") )
				return -1;
			if (h == 0)
				return nfts_ps_fail(ps, &ps->tk->t[ps->pos - 1], "bad handle %s: handles start "
					    "at 1", TS(&ps->tk->t[ps->pos - 1]));
			pl->position = h;
		} else {
			return 0;
		}
	}
}

int nfts_command_parse(struct command *cmd, const char *line, size_t len, unsigned lineno,
		  struct nftsrv6_error *err)
{
	struct tokens tk = { 0 };
	struct pstate ps = { .tk = &tk, .line = lineno, .err = err };
	const struct token *t;
	int rc = -1;

	memset(cmd, 0, sizeof(*cmd));
	cmd->line = lineno;
	if (nfts_lex_line(&tk, line, len, lineno, err)) {
		nfts_tokens_free(&tk);
		return -1;
	}
	t = nfts_tk_next(&ps);
	if (nfts_tk_is(t, "add") || nfts_tk_is(t, "insert")) {
		cmd->kind = t->text[0] == 'a' ? CMD_ADD : CMD_INSERT;
		if (parse_place(&cmd->place, true, &ps))
			goto out;
		if (nfts_tk_peek(&ps)->kind == TOK_END) {
			/* no rule: make sure the chain exists */
			cmd->kind = CMD_CREATE_CHAIN;
			if (cmd->place.position) {
				nfts_error_set(err, lineno, cmd->place.position_column, NULL, 0,
					  "'position' needs a rule to place");
				goto out;
			}
			rc = 0;
			goto out;
		}
		cmd->rule = calloc(1, sizeof(*cmd->rule));
		if (!cmd->rule) {
			nfts_error_set(err, lineno, 0, NULL, 0, "out of memory");
			goto out;
		}
		if (nfts_rule_parse_tokens(cmd->rule, &tk, &ps.pos, lineno, err) ||
		    nfts_rule_finish(cmd->rule, lineno, err))
			goto out;
		rc = 0;
	} else if (nfts_tk_is(t, "delete")) {
		t = nfts_tk_next(&ps);
		if (nfts_tk_is(t, "handle")) {
			unsigned long h;

			cmd->kind = CMD_DELETE_RULE;
			cmd->handle_column = nfts_tk_peek(&ps)->column;
			if (nfts_parse_uint_token(&h, &ps, nfts_tk_next(&ps), ~0UL, "a rule handle"))
				goto out;
			cmd->handle = h;
		} else if (nfts_tk_is(t, "chain")) {
			cmd->kind = CMD_DELETE_CHAIN;
			if (nfts_parse_chain_name(cmd->place.chain, &cmd->place.chain_column, &ps,
					     nfts_tk_next(&ps)))
				goto out;
		} else if (nfts_tk_is(t, "table")) {
			cmd->kind = CMD_DELETE_TABLE;
		} else {
			nfts_ps_fail(&ps, t, "unexpected %s: expected 'handle N', 'chain NAME' or 'table' "
			     "after 'delete'", TS(t));
			goto out;
		}
		rc = 0;
	} else if (nfts_tk_is(t, "flush")) {
		cmd->kind = CMD_FLUSH;
		if (nfts_tk_is(nfts_tk_peek(&ps), "chain")) {
			nfts_tk_next(&ps);
			cmd->kind = CMD_FLUSH_CHAIN;
			if (nfts_parse_chain_name(cmd->place.chain, &cmd->place.chain_column, &ps,
					     nfts_tk_next(&ps)))
				goto out;
		}
		rc = 0;
	} else if (t->kind == TOK_END) {
		rc = 1;    /* blank line or comment */
		goto out;
	} else {
		nfts_ps_fail(&ps, t, "unexpected %s: expected a command (add, insert, delete, flush)", TS(t));
		goto out;
	}
	if (rc == 0 && nfts_tk_peek(&ps)->kind != TOK_END) {
		nfts_ps_fail(&ps, nfts_tk_peek(&ps), "unexpected %s at the end of the command", TS(nfts_tk_peek(&ps)));
		rc = -1;
	}
out:
	nfts_tokens_free(&tk);
	if (rc < 0)
		nfts_command_release(cmd);
	return rc;
}

void nfts_command_release(struct command *cmd)
{
	nftsrv6_rule_free(cmd->rule);
	cmd->rule = NULL;
}
