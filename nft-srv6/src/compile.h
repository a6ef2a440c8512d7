/* Compiler (rule -> libnftnl objects) and decoder (libnftnl objects -> rule). */
#ifndef NFTSRV6_COMPILE_H
#define NFTSRV6_COMPILE_H

#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>

#include "nft-srv6/src/rule.h"

/* Names of the auxiliary objects a rule with "contains" needs: a stage chain per
 * "contains" match (one rule per Segment List position), a body chain holding the
 * statements and the verdict, and a named set when a "contains" has several values. */
#define AUX_STAGE_FMT "_sr6c%u_%u"
#define AUX_BODY_FMT  "_sr6b%u"
#define AUX_SET_FMT   "_sr6s%u_%u"
#define AUX_PREFIX    "_sr6"

/* exthdr offsets are 8 bits in the kernel: Segment List[15] (offset 248) is the deepest
 * SID an exthdr load reaches. */
#define SID_EXTHDR_MAX 15

struct aux_chain {
	char name[CHAIN_NAME_MAX + 1];
	size_t nrules;
	struct nftnl_rule **rules;
};

struct compiled {
	struct nftnl_rule *rule;      /* goes into the user's chain */
	size_t nsets;
	struct nftnl_set **sets;      /* created first (with their elements) */
	size_t naux;
	struct aux_chain *aux;        /* created next, before any rule */
};

struct compile_ctx {
	uint32_t nfproto;             /* NFPROTO_INET or NFPROTO_NETDEV */
	const char *table;
	const char *chain;
	uint32_t next_set_id;         /* batch-unique ids for sets */
	unsigned aux_id;              /* unique per table, for auxiliary object names */
};

int nfts_rule_compile(struct compiled *out, struct compile_ctx *cc, const struct nftsrv6_rule *rule,
		 unsigned line, struct nftsrv6_error *err);
void nfts_compiled_release(struct compiled *c);
/* Text of the compiled objects as "nft --debug=netlink" shows them. */
void nfts_compiled_format(struct strbuf *sb, const struct compiled *c);

/* Decoding needs the sets (with elements) and chains of the table. */
struct decode_env {
	uint32_t nfproto;
	struct nftnl_set **sets;
	size_t nsets;
	/* rules of a auxiliary chain by name; NULL when there is no such chain */
	const struct aux_chain *(*chain_rules)(void *ctx, const char *name);
	void *ctx;
};

/* 0 and *rule filled when r is a rule nft-srv6 wrote; -1 otherwise.  *aux_id is set to
 * the auxiliary id the rule uses (0: none). */
int nfts_rule_decode(struct nftsrv6_rule *rule, unsigned *aux_id, const struct nftnl_rule *r,
		const struct decode_env *env);
/* The aux id and stage of a auxiliary chain or set name, 0 if the name is not one. */
unsigned nfts_aux_id_of(const char *name);

#endif
