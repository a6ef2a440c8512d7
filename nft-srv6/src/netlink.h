/* Netlink with nf_tables: reading one table, and committing one transaction. */
#ifndef NFTSRV6_NETLINK_H
#define NFTSRV6_NETLINK_H

#include <stdbool.h>
#include <stdint.h>

#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>

#include "nft-srv6/src/rule.h"

/* Marks a table nft-srv6 created (table comment, visible in "nft list"). */
#define OWNER_COMMENT "managed by nft-srv6"

struct nl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
};

int nfts_nl_open(struct nl *nl, struct nftsrv6_error *err);
void nfts_nl_close(struct nl *nl);

/* One table as the kernel holds it, read at one generation. */
struct snapshot {
	uint32_t genid;
	bool table_exists;
	bool owned;
	struct nftnl_chain **chains;
	size_t nchains;
	struct nftnl_rule **rules;     /* every rule of the table, chain by chain, in order */
	size_t nrules;
	struct nftnl_set **sets;       /* with their elements */
	size_t nsets;
};

int nfts_snapshot_load(struct snapshot *s, struct nl *nl, uint32_t family, const char *table,
		  struct nftsrv6_error *err);
void nfts_snapshot_release(struct snapshot *s);

/* A transaction under construction. */
struct msgtag {
	size_t command;               /* index of the command that produced the message */
	unsigned line;
	bool echo;                    /* a user rule: the kernel echoes it with its handle */
	const char *what;             /* "add the rule", "create chain", ... */
};

struct nlbatch {
	char *buf;
	size_t len, cap;
	uint32_t first_seq;
	size_t nmsg;
	struct msgtag *tags;
	bool failed;
};

void nfts_nlbatch_init(struct nlbatch *b, uint32_t first_seq, uint32_t genid);
/* Room for one message of at most "room" bytes; returns where to build it. */
char *nfts_nlbatch_reserve(struct nlbatch *b, size_t room);
/* Account the message just built at the reserved place. */
void nfts_nlbatch_commit_msg(struct nlbatch *b, const struct msgtag *tag);
uint32_t nfts_nlbatch_next_seq(const struct nlbatch *b);
void nfts_nlbatch_finish(struct nlbatch *b);
void nfts_nlbatch_release(struct nlbatch *b);

/* Send the batch; *handles (nmsg entries) receives the echoed handles of user rules.
 * Returns 0, -1 with err filled, or -2 when the ruleset changed since the snapshot
 * (the caller reads it again and retries). */
int nfts_nl_commit(struct nl *nl, struct nlbatch *b, uint64_t *handles, struct nftsrv6_error *err);

#endif
