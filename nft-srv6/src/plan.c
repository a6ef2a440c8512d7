/* Planner: turns a batch of commands into one nf_tables transaction, checked against the
 * table as the kernel holds it (chains, handles, jump targets, ownership).  Nothing is
 * sent until every command has been checked and compiled. */
#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libnftnl/common.h>
#include <libnftnl/udata.h>

#include "nft-srv6/src/plan.h"

#define RULE_MSG_ROOM (16 * 1024)

uint32_t nfts_family_nfproto(enum nftsrv6_family fam)
{
	return fam == NFTSRV6_FAMILY_NETDEV ? NFPROTO_NETDEV : NFPROTO_INET;
}

void nfts_base_chain_name(char *out, size_t size, enum hook h, int priority, const char *dev)
{
	char suffix[16] = "";

	if (priority > 0)
		snprintf(suffix, sizeof(suffix), "_p%d", priority);
	else if (priority < 0)
		snprintf(suffix, sizeof(suffix), "_m%u", 0u - (unsigned)priority);
	if (h == HOOK_INGRESS)
		snprintf(out, size, "ingress_%s%s", dev, suffix);
	else
		snprintf(out, size, "%s%s", nfts_hook_name(h), suffix);
}

int nfts_place_resolve(struct resolved *out, const struct command *cmd, enum nftsrv6_family fam,
		  const char *default_iface, struct nftsrv6_error *err)
{
	const struct place *pl = &cmd->place;

	memset(out, 0, sizeof(*out));
	if (pl->chain[0]) {
		snprintf(out->chain, sizeof(out->chain), "%s", pl->chain);
		out->hook = HOOK_NONE;
		return 0;
	}
	out->base = true;
	out->priority = pl->priority;
	if (fam == NFTSRV6_FAMILY_INET) {
		if (pl->dev[0]) {
			nfts_error_set(err, cmd->line, pl->dev_column, pl->dev, strlen(pl->dev),
				  "'dev' belongs to netdev tables: run nft-srv6 with -i IFACE");
			return -1;
		}
		if (pl->hook == HOOK_INGRESS) {
			nfts_error_set(err, cmd->line, pl->hook_column, "ingress", 7,
				  "hook 'ingress' needs a netdev table: run nft-srv6 with -i IFACE");
			return -1;
		}
		out->hook = pl->hook == HOOK_NONE ? HOOK_FORWARD : pl->hook;
	} else {
		if (pl->hook != HOOK_NONE && pl->hook != HOOK_INGRESS) {
			nfts_error_set(err, cmd->line, pl->hook_column, nfts_hook_name(pl->hook),
				  strlen(nfts_hook_name(pl->hook)),
				  "a netdev table has only the 'ingress' hook");
			return -1;
		}
		out->hook = HOOK_INGRESS;
		snprintf(out->dev, sizeof(out->dev), "%s",
			 pl->dev[0] ? pl->dev : default_iface ? default_iface : "");
		if (!out->dev[0]) {
			nfts_error_set(err, cmd->line, 1, NULL, 0,
				  "a netdev rule needs a device: write 'dev IFACE' or run with -i IFACE");
			return -1;
		}
	}
	nfts_base_chain_name(out->chain, sizeof(out->chain), out->hook, out->priority, out->dev);
	return 0;
}

/* ------------------------------------------------------------ table view */

struct vchain {
	char name[CHAIN_NAME_MAX + 1];
	bool base, alive;
	enum hook hook;
	int priority;
	char dev[IFACE_NAME_MAX];
};

struct vrule {
	uint64_t handle;
	char chain[CHAIN_NAME_MAX + 1];
	unsigned aux_id;
	bool alive;
};

struct vset {
	char name[CHAIN_NAME_MAX + 1];
	bool alive;
};

struct plan {
	struct nftsrv6 *h;
	uint32_t nfproto;
	struct nlbatch b;
	bool table_exists;
	struct vchain *chains;
	size_t nchains;
	struct vrule *rules;
	size_t nrules;
	struct vset *sets;
	size_t nsets;
	unsigned next_aux;
	uint32_t next_set_id;
};

static enum hook hook_from_kernel(uint32_t nfproto, uint32_t hooknum)
{
	if (nfproto == NFPROTO_NETDEV)
		return hooknum == NF_NETDEV_INGRESS ? HOOK_INGRESS : HOOK_NONE;
	return hooknum <= NF_INET_POST_ROUTING ? (enum hook)hooknum : HOOK_NONE;
}

static unsigned rule_aux_id(const struct nftnl_rule *r)
{
	struct nftnl_expr_iter *it = nftnl_expr_iter_create(r);
	struct nftnl_expr *x;
	unsigned id = 0;

	if (!it)
		return 0;
	for (x = nftnl_expr_iter_next(it); x; x = nftnl_expr_iter_next(it)) {
		const char *c;

		if (strcmp(nftnl_expr_get_str(x, NFTNL_EXPR_NAME), "immediate") ||
		    !nftnl_expr_is_set(x, NFTNL_EXPR_IMM_CHAIN))
			continue;
		c = nftnl_expr_get_str(x, NFTNL_EXPR_IMM_CHAIN);
		if (!strncmp(c, "_sr6c", 5))
			id = nfts_aux_id_of(c);
	}
	nftnl_expr_iter_destroy(it);
	return id;
}

static int view_load(struct plan *p, const struct snapshot *s)
{
	size_t i;

	p->table_exists = s->table_exists;
	p->next_aux = 1;
	p->chains = calloc(s->nchains + 1, sizeof(*p->chains));
	p->rules = calloc(s->nrules + 1, sizeof(*p->rules));
	p->sets = calloc(s->nsets + 1, sizeof(*p->sets));
	if (!p->chains || !p->rules || !p->sets)
		return -1;
	for (i = 0; i < s->nchains; i++) {
		const struct nftnl_chain *c = s->chains[i];
		struct vchain *v = &p->chains[p->nchains++];

		snprintf(v->name, sizeof(v->name), "%s", nftnl_chain_get_str(c, NFTNL_CHAIN_NAME));
		v->alive = true;
		v->base = nftnl_chain_is_set(c, NFTNL_CHAIN_HOOKNUM);
		if (v->base) {
			v->hook = hook_from_kernel(p->nfproto,
						   nftnl_chain_get_u32(c, NFTNL_CHAIN_HOOKNUM));
			v->priority = (int)nftnl_chain_get_s32(c, NFTNL_CHAIN_PRIO);
			if (nftnl_chain_is_set(c, NFTNL_CHAIN_DEV))
				snprintf(v->dev, sizeof(v->dev), "%s",
					 nftnl_chain_get_str(c, NFTNL_CHAIN_DEV));
		}
		if (nfts_aux_id_of(v->name) >= p->next_aux)
			p->next_aux = nfts_aux_id_of(v->name) + 1;
	}
	for (i = 0; i < s->nrules; i++) {
		struct vrule *v = &p->rules[p->nrules++];

		v->handle = nftnl_rule_get_u64(s->rules[i], NFTNL_RULE_HANDLE);
		snprintf(v->chain, sizeof(v->chain), "%s",
			 nftnl_rule_get_str(s->rules[i], NFTNL_RULE_CHAIN));
		v->aux_id = rule_aux_id(s->rules[i]);
		v->alive = true;
	}
	for (i = 0; i < s->nsets; i++) {
		const char *n = nftnl_set_get_str(s->sets[i], NFTNL_SET_NAME);

		if (strncmp(n, AUX_PREFIX, strlen(AUX_PREFIX)))
			continue;
		snprintf(p->sets[p->nsets].name, sizeof(p->sets[0].name), "%s", n);
		p->sets[p->nsets++].alive = true;
		if (nfts_aux_id_of(n) >= p->next_aux)
			p->next_aux = nfts_aux_id_of(n) + 1;
	}
	return 0;
}

static struct vchain *view_chain(struct plan *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nchains; i++)
		if (p->chains[i].alive && !strcmp(p->chains[i].name, name))
			return &p->chains[i];
	return NULL;
}

static struct vchain *view_add_chain(struct plan *p, const struct resolved *r)
{
	struct vchain *c = realloc(p->chains, (p->nchains + 1) * sizeof(*c));

	if (!c)
		return NULL;
	p->chains = c;
	c = &c[p->nchains++];
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", r->chain);
	c->alive = true;
	c->base = r->base;
	c->hook = r->hook;
	c->priority = r->priority;
	snprintf(c->dev, sizeof(c->dev), "%s", r->dev);
	return c;
}

/* --------------------------------------------------------------- messages */

static struct nlmsghdr *msg_start(struct plan *p, uint16_t type, uint16_t flags, size_t room)
{
	char *buf = nfts_nlbatch_reserve(&p->b, room);

	if (!buf)
		return NULL;
	return nftnl_nlmsg_build_hdr(buf, type, (uint16_t)p->nfproto, flags,
				     nfts_nlbatch_next_seq(&p->b));
}

static void msg_end(struct plan *p, const struct command *cmd, size_t index, const char *what,
		    bool echo)
{
	struct msgtag tag = { .command = index, .line = cmd ? cmd->line : 0, .what = what,
			      .echo = echo };

	nfts_nlbatch_commit_msg(&p->b, &tag);
}

static void msg_table_new(struct plan *p, const struct command *cmd, size_t index)
{
	struct nftnl_table *t = nftnl_table_alloc();
	struct nftnl_udata_buf *ud = nftnl_udata_buf_alloc(NFTNL_UDATA_COMMENT_MAXLEN + 8);
	struct nlmsghdr *nlh;

	if (t && ud && (nlh = msg_start(p, NFT_MSG_NEWTABLE, NLM_F_CREATE, 4096))) {
		nftnl_table_set_str(t, NFTNL_TABLE_NAME, p->h->table);
		nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, p->nfproto);
		nftnl_udata_put_strz(ud, NFTNL_UDATA_TABLE_COMMENT, OWNER_COMMENT);
		nftnl_table_set_data(t, NFTNL_TABLE_USERDATA, nftnl_udata_buf_data(ud),
				     nftnl_udata_buf_len(ud));
		nftnl_table_nlmsg_build_payload(nlh, t);
		msg_end(p, cmd, index, "create the table", false);
	} else {
		p->b.failed = true;
	}
	if (t)
		nftnl_table_free(t);
	if (ud)
		nftnl_udata_buf_free(ud);
}

static void msg_chain(struct plan *p, uint16_t type, const struct vchain *vc,
		      const struct command *cmd, size_t index, const char *what)
{
	struct nftnl_chain *c = nftnl_chain_alloc();
	struct nlmsghdr *nlh;

	if (!c || !(nlh = msg_start(p, type, type == NFT_MSG_NEWCHAIN ? NLM_F_CREATE : 0, 4096))) {
		p->b.failed = true;
		if (c)
			nftnl_chain_free(c);
		return;
	}
	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, p->h->table);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, vc->name);
	nftnl_chain_set_u32(c, NFTNL_CHAIN_FAMILY, p->nfproto);
	if (type == NFT_MSG_NEWCHAIN && vc->base) {
		nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM,
				    vc->hook == HOOK_INGRESS ? NF_NETDEV_INGRESS : (uint32_t)vc->hook);
		nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, vc->priority);
		nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, "filter");
		nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, NF_ACCEPT);
		if (vc->dev[0])
			nftnl_chain_set_str(c, NFTNL_CHAIN_DEV, vc->dev);
	}
	nftnl_chain_nlmsg_build_payload(nlh, c);
	nftnl_chain_free(c);
	msg_end(p, cmd, index, what, false);
}

static void msg_rule(struct plan *p, struct nftnl_rule *r, uint16_t flags,
		     const struct command *cmd, size_t index, const char *what, bool echo)
{
	struct nlmsghdr *nlh = msg_start(p, NFT_MSG_NEWRULE, flags, RULE_MSG_ROOM);

	if (!nlh)
		return;
	nftnl_rule_nlmsg_build_payload(nlh, r);
	msg_end(p, cmd, index, what, echo);
}

static void msg_del_rules(struct plan *p, const char *chain, uint64_t handle,
			  const struct command *cmd, size_t index)
{
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct nlmsghdr *nlh;

	if (!r || !(nlh = msg_start(p, NFT_MSG_DELRULE, 0, 4096))) {
		p->b.failed = true;
		if (r)
			nftnl_rule_free(r);
		return;
	}
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, p->h->table);
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, p->nfproto);
	if (chain)
		nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain);
	if (handle)
		nftnl_rule_set_u64(r, NFTNL_RULE_HANDLE, handle);
	nftnl_rule_nlmsg_build_payload(nlh, r);
	nftnl_rule_free(r);
	msg_end(p, cmd, index, handle ? "delete the rule" : "flush rules", false);
}

static void msg_set(struct plan *p, struct nftnl_set *s, const struct command *cmd,
		    size_t index)
{
	uint32_t n = nftnl_set_get_u32(s, NFTNL_SET_DESC_SIZE);
	struct nlmsghdr *nlh = msg_start(p, NFT_MSG_NEWSET, NLM_F_CREATE, 4096);

	if (!nlh)
		return;
	nftnl_set_nlmsg_build_payload(nlh, s);
	msg_end(p, cmd, index, "create a set", false);
	nlh = msg_start(p, NFT_MSG_NEWSETELEM, NLM_F_CREATE | NLM_F_EXCL, 4096 + 96 * (size_t)n);
	if (!nlh)
		return;
	nftnl_set_elems_nlmsg_build_payload(nlh, s);
	msg_end(p, cmd, index, "add set elements", false);
}

static void msg_del_set(struct plan *p, const char *name, const struct command *cmd,
			size_t index)
{
	struct nftnl_set *s = nftnl_set_alloc();
	struct nlmsghdr *nlh;

	if (!s || !(nlh = msg_start(p, NFT_MSG_DELSET, 0, 4096))) {
		p->b.failed = true;
		if (s)
			nftnl_set_free(s);
		return;
	}
	nftnl_set_set_str(s, NFTNL_SET_TABLE, p->h->table);
	nftnl_set_set_str(s, NFTNL_SET_NAME, name);
	nftnl_set_set_u32(s, NFTNL_SET_FAMILY, p->nfproto);
	nftnl_set_nlmsg_build_payload(nlh, s);
	nftnl_set_free(s);
	msg_end(p, cmd, index, "delete a set", false);
}

/* Delete the auxiliary chains and sets of aux id "id" (0: all of them). */
static void drop_aux(struct plan *p, unsigned id, const struct command *cmd, size_t index)
{
	size_t i;

	/* stage chains first (they goto the body), then bodies, then sets */
	for (i = 0; i < p->nchains; i++) {
		struct vchain *c = &p->chains[i];

		if (c->alive && !strncmp(c->name, "_sr6c", 5) && (!id || nfts_aux_id_of(c->name) == id)) {
			msg_chain(p, NFT_MSG_DELCHAIN, c, cmd, index, "delete a auxiliary chain");
			c->alive = false;
		}
	}
	for (i = 0; i < p->nchains; i++) {
		struct vchain *c = &p->chains[i];

		if (c->alive && !strncmp(c->name, "_sr6b", 5) && (!id || nfts_aux_id_of(c->name) == id)) {
			msg_chain(p, NFT_MSG_DELCHAIN, c, cmd, index, "delete a auxiliary chain");
			c->alive = false;
		}
	}
	for (i = 0; i < p->nsets; i++) {
		struct vset *s = &p->sets[i];

		if (s->alive && (!id || nfts_aux_id_of(s->name) == id)) {
			msg_del_set(p, s->name, cmd, index);
			s->alive = false;
		}
	}
}

/* ---------------------------------------------------------------- commands */

static int ensure_table(struct plan *p, const struct command *cmd, size_t index)
{
	if (!p->table_exists) {
		msg_table_new(p, cmd, index);
		p->table_exists = true;
	}
	return 0;
}

static struct vchain *ensure_chain(struct plan *p, const struct command *cmd, size_t index,
				   struct nftsrv6_error *err)
{
	struct resolved r;
	struct vchain *c;

	if (nfts_place_resolve(&r, cmd, p->h->family, p->h->iface[0] ? p->h->iface : NULL, err))
		return NULL;
	if (r.base && r.dev[0] && !if_nametoindex(r.dev)) {
		const struct place *pl = &cmd->place;

		nfts_error_set(err, cmd->line, pl->dev[0] ? pl->dev_column : 0, r.dev, strlen(r.dev),
			  "no device '%s' in this network namespace", r.dev);
		return NULL;
	}
	c = view_chain(p, r.chain);
	if (c) {
		if (c->base != r.base || (r.base && (c->hook != r.hook ||
						     c->priority != r.priority ||
						     strcmp(c->dev, r.dev)))) {
			nfts_error_set(err, cmd->line, cmd->place.chain_column, r.chain, strlen(r.chain),
				  "chain '%s' exists with another kind or hook", r.chain);
			return NULL;
		}
		return c;
	}
	ensure_table(p, cmd, index);
	c = view_add_chain(p, &r);
	if (!c) {
		nfts_error_set(err, cmd->line, 0, NULL, 0, "out of memory");
		return NULL;
	}
	msg_chain(p, NFT_MSG_NEWCHAIN, c, cmd, index, "create the chain");
	return c;
}

static struct vrule *view_rule(struct plan *p, uint64_t handle)
{
	size_t i;

	for (i = 0; i < p->nrules; i++)
		if (p->rules[i].alive && p->rules[i].handle == handle &&
		    strncmp(p->rules[i].chain, AUX_PREFIX, strlen(AUX_PREFIX)))
			return &p->rules[i];
	return NULL;
}

static int plan_add(struct plan *p, const struct command *cmd, size_t index,
		    struct nftsrv6_error *err)
{
	const struct nftsrv6_rule *rule = cmd->rule;
	struct vchain *c = ensure_chain(p, cmd, index, err);
	struct compile_ctx cc;
	struct compiled out;
	uint16_t flags = NLM_F_CREATE | NLM_F_ECHO;
	size_t i, j;

	if (!c)
		return -1;
	if (!rule)
		return 0;
	if (rule->verdict == VERDICT_JUMP) {
		const struct vchain *t = view_chain(p, rule->jump);

		if (!t || t->base) {
			nfts_error_set(err, cmd->line, rule->jump_column, rule->jump, strlen(rule->jump),
				  t ? "jump target '%s' is a base chain: jump to a regular chain" :
				      "jump target '%s' does not exist: create it first with "
				      "'add chain %s'", rule->jump, rule->jump);
			return -1;
		}
	}
	if (cmd->place.position) {
		const struct vrule *r = view_rule(p, cmd->place.position);

		if (!r || strcmp(r->chain, c->name)) {
			char h[24];

			snprintf(h, sizeof(h), "%llu", (unsigned long long)cmd->place.position);
			nfts_error_set(err, cmd->line, cmd->place.position_column, h, strlen(h),
				  "no rule with handle %s in chain '%s'", h, c->name);
			return -1;
		}
	}
	cc = (struct compile_ctx){ .nfproto = p->nfproto, .table = p->h->table, .chain = c->name,
				   .next_set_id = p->next_set_id, .aux_id = p->next_aux };
	if (nfts_rule_compile(&out, &cc, rule, cmd->line, err))
		return -1;
	p->next_set_id = cc.next_set_id;
	if (out.naux)
		p->next_aux++;
	for (i = 0; i < out.nsets; i++) {
		const char *n = nftnl_set_get_str(out.sets[i], NFTNL_SET_NAME);

		msg_set(p, out.sets[i], cmd, index);
		if (!strncmp(n, AUX_PREFIX, strlen(AUX_PREFIX))) {
			struct vset *s = realloc(p->sets, (p->nsets + 1) * sizeof(*s));

			if (!s) {
				p->b.failed = true;
				break;
			}
			p->sets = s;
			snprintf(s[p->nsets].name, sizeof(s[0].name), "%s", n);
			s[p->nsets++].alive = true;
		}
	}
	for (i = 0; i < out.naux; i++) {
		struct resolved r = { .base = false, .hook = HOOK_NONE };
		struct vchain *ac;

		snprintf(r.chain, sizeof(r.chain), "%s", out.aux[i].name);
		ac = view_add_chain(p, &r);
		if (!ac) {
			p->b.failed = true;
			break;
		}
		msg_chain(p, NFT_MSG_NEWCHAIN, ac, cmd, index, "create a auxiliary chain");
	}
	for (i = 0; i < out.naux; i++)
		for (j = 0; j < out.aux[i].nrules; j++)
			msg_rule(p, out.aux[i].rules[j], NLM_F_CREATE | NLM_F_APPEND, cmd, index,
				 "add a auxiliary rule", false);
	if (cmd->kind == CMD_ADD)
		flags |= NLM_F_APPEND;
	if (cmd->place.position)
		nftnl_rule_set_u64(out.rule, NFTNL_RULE_POSITION, cmd->place.position);
	msg_rule(p, out.rule, flags, cmd, index,
		 cmd->kind == CMD_ADD ? "add the rule" : "insert the rule", true);
	nfts_compiled_release(&out);
	return 0;
}

static int plan_delete_rule(struct plan *p, const struct command *cmd, size_t index,
			    struct nftsrv6_error *err)
{
	struct vrule *r = view_rule(p, cmd->handle);

	if (!r) {
		char h[24];

		snprintf(h, sizeof(h), "%llu", (unsigned long long)cmd->handle);
		nfts_error_set(err, cmd->line, cmd->handle_column, h, strlen(h),
			  "no rule with handle %s in table %s", h, p->h->table);
		return -1;
	}
	msg_del_rules(p, r->chain, r->handle, cmd, index);
	r->alive = false;
	if (r->aux_id)
		drop_aux(p, r->aux_id, cmd, index);
	return 0;
}

static int plan_flush(struct plan *p, const struct command *cmd, size_t index, const char *chain)
{
	size_t i;

	if (!p->table_exists)
		return 0;
	msg_del_rules(p, chain, 0, cmd, index);
	for (i = 0; i < p->nrules; i++) {
		struct vrule *r = &p->rules[i];

		if (!r->alive || (chain && strcmp(r->chain, chain)))
			continue;
		r->alive = false;
		if (chain && r->aux_id)
			drop_aux(p, r->aux_id, cmd, index);
	}
	if (!chain) {
		for (i = 0; i < p->nrules; i++)
			p->rules[i].alive = false;
		drop_aux(p, 0, cmd, index);
	}
	return 0;
}

static int plan_command(struct plan *p, const struct command *cmd, size_t index,
			struct nftsrv6_error *err)
{
	struct vchain *c;
	size_t i;

	switch (cmd->kind) {
	case CMD_ADD:
	case CMD_INSERT:
	case CMD_CREATE_CHAIN:
		return plan_add(p, cmd, index, err);
	case CMD_DELETE_RULE:
		return plan_delete_rule(p, cmd, index, err);
	case CMD_DELETE_CHAIN:
	case CMD_FLUSH_CHAIN: {
		struct resolved r;

		if (nfts_place_resolve(&r, cmd, p->h->family, p->h->iface[0] ? p->h->iface : NULL, err))
			return -1;
		c = view_chain(p, r.chain);
		if (!c && cmd->if_exists)
			return 0;
		if (!c) {
			nfts_error_set(err, cmd->line, cmd->place.chain_column, r.chain, strlen(r.chain),
				  "no chain '%s' in table %s", r.chain, p->h->table);
			return -1;
		}
	}
		plan_flush(p, cmd, index, c->name);
		if (cmd->kind == CMD_DELETE_CHAIN) {
			for (i = 0; i < p->nrules; i++)
				if (p->rules[i].alive && !strcmp(p->rules[i].chain, c->name))
					p->rules[i].alive = false;
			msg_chain(p, NFT_MSG_DELCHAIN, c, cmd, index, "delete the chain");
			c->alive = false;
		}
		return 0;
	case CMD_FLUSH:
		return plan_flush(p, cmd, index, NULL);
	case CMD_DELETE_TABLE:
		if (p->table_exists) {
			struct nftnl_table *t = nftnl_table_alloc();
			struct nlmsghdr *nlh = msg_start(p, NFT_MSG_DELTABLE, 0, 4096);

			if (!t || !nlh) {
				p->b.failed = true;
			} else {
				nftnl_table_set_str(t, NFTNL_TABLE_NAME, p->h->table);
				nftnl_table_nlmsg_build_payload(nlh, t);
				msg_end(p, cmd, index, "delete the table", false);
			}
			if (t)
				nftnl_table_free(t);
		}
		p->table_exists = false;
		for (i = 0; i < p->nchains; i++)
			p->chains[i].alive = false;
		for (i = 0; i < p->nrules; i++)
			p->rules[i].alive = false;
		for (i = 0; i < p->nsets; i++)
			p->sets[i].alive = false;
		return 0;
	}
	return -1;
}

static void plan_release(struct plan *p)
{
	nfts_nlbatch_release(&p->b);
	free(p->chains);
	free(p->rules);
	free(p->sets);
	memset(p, 0, sizeof(*p));
}

int nfts_plan_apply(struct nftsrv6 *h, struct nftsrv6_batch *batch, bool dry_run,
	       struct nftsrv6_error *err)
{
	int attempt;

	for (attempt = 0; attempt < 50; attempt++) {
		struct snapshot s;
		struct plan p = { .h = h, .nfproto = nfts_family_nfproto(h->family) };
		uint64_t *handles = NULL;
		uint32_t genid;
		size_t i;
		int rc;

		if (nfts_snapshot_load(&s, &h->nl, p.nfproto, h->table, err))
			return -1;
		if (s.table_exists && !s.owned) {
			nfts_error_set(err, 0, 0, h->table, strlen(h->table),
				  "table %s %s exists but nft-srv6 did not create it: refusing to "
				  "touch it (choose another table with -t)",
				  h->family == NFTSRV6_FAMILY_NETDEV ? "netdev" : "inet", h->table);
			nfts_snapshot_release(&s);
			return -1;
		}
		if (view_load(&p, &s)) {
			nfts_snapshot_release(&s);
			plan_release(&p);
			nfts_error_set(err, 0, 0, NULL, 0, "out of memory");
			return -1;
		}
		genid = s.genid;
		nfts_snapshot_release(&s);
		h->nl.seq += 2;
		nfts_nlbatch_init(&p.b, h->nl.seq, genid);
		for (i = 0; i < batch->n; i++) {
			if (plan_command(&p, &batch->cmd[i], i, err)) {
				plan_release(&p);
				return -1;
			}
		}
		nfts_nlbatch_finish(&p.b);
		h->nl.seq += (uint32_t)p.b.nmsg;
		if (dry_run || p.b.nmsg <= 2) {
			rc = p.b.failed ? -1 : 0;
			if (rc)
				nfts_error_set(err, 0, 0, NULL, 0, "out of memory");
			plan_release(&p);
			return rc;
		}
		handles = calloc(p.b.nmsg, sizeof(*handles));
		if (!handles) {
			plan_release(&p);
			nfts_error_set(err, 0, 0, NULL, 0, "out of memory");
			return -1;
		}
		rc = nfts_nl_commit(&h->nl, &p.b, handles, err);
		if (rc == 0) {
			for (i = 0; i < batch->n; i++)
				batch->cmd[i].result_handle = 0;
			for (i = 0; i < p.b.nmsg; i++)
				if (p.b.tags[i].echo)
					batch->cmd[p.b.tags[i].command].result_handle = handles[i];
		}
		free(handles);
		plan_release(&p);
		if (rc != -2)
			return rc;
		/* another writer committed first: read the table again, after a short pause
		 * that keeps two writers from colliding in lockstep */
		usleep((useconds_t)(1000 + ((unsigned)getpid() * 7919u + (unsigned)attempt * 104729u) %
				    4000u));
	}
	nfts_error_set(err, 0, 0, NULL, 0, "the ruleset kept changing during the transaction");
	return -1;
}
