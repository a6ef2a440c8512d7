/* Functions shared by the rule parser (parse.c) and the command parser (command.c). */
#ifndef NFTSRV6_PARSE_H
#define NFTSRV6_PARSE_H

#include "nft-srv6/src/rule.h"

struct pstate {
	const struct tokens *tk;
	size_t pos;
	unsigned line;
	struct nftsrv6_error *err;
};

const struct token *nfts_tk_peek(const struct pstate *ps);
const struct token *nfts_tk_next(struct pstate *ps);
bool nfts_tk_is(const struct token *t, const char *w);
/* The token quoted for messages ("end of line" at the end); buf holds 64 bytes. */
const char *nfts_tok_text(const struct token *t, char *buf);
#define TS(t) nfts_tok_text((t), (char[NFTSRV6_TOKEN_MAX]){ 0 })
/* Fill ps->err for token t; always returns -1. */
int nfts_ps_fail(const struct pstate *ps, const struct token *t, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int nfts_parse_uint_token(unsigned long *v, const struct pstate *ps, const struct token *t,
		     unsigned long max, const char *what);
int nfts_parse_chain_name(char *out, unsigned *column, const struct pstate *ps,
		     const struct token *t);

#endif
