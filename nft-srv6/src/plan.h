/* Planning a batch against the table's current content, and the handle type. */
#ifndef NFTSRV6_PLAN_H
#define NFTSRV6_PLAN_H

#include "nft-srv6/src/compile.h"
#include "nft-srv6/src/netlink.h"

struct nftsrv6 {
	struct nl nl;
	char table[CHAIN_NAME_MAX + 1];
	enum nftsrv6_family family;
	char iface[IFACE_NAME_MAX];
};

/* A placement resolved for a family: the chain's name and, for base chains, its hook. */
struct resolved {
	char chain[CHAIN_NAME_MAX + 1];
	bool base;
	enum hook hook;
	int priority;
	char dev[IFACE_NAME_MAX];
};

int nfts_place_resolve(struct resolved *out, const struct command *cmd, enum nftsrv6_family fam,
		  const char *default_iface, struct nftsrv6_error *err);
uint32_t nfts_family_nfproto(enum nftsrv6_family fam);
void nfts_base_chain_name(char *out, size_t size, enum hook h, int priority, const char *dev);

/* Read the table, plan the batch, and send it unless dry_run. */
int nfts_plan_apply(struct nftsrv6 *h, struct nftsrv6_batch *batch, bool dry_run,
	       struct nftsrv6_error *err);

#endif
