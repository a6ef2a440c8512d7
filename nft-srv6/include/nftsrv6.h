/*
 * libnftsrv6: nftables filtering on SRv6 traffic.
 *
 * Rules are written in a small language (see nft-srv6(8)), compiled into nftables
 * expressions with libnftnl and committed in one netlink transaction: a batch applies
 * completely or not at all.  Everything lives in one table the library owns (default
 * "sr6", family inet, or netdev for ingress filtering on a device); other tables are
 * never read for writing nor changed.
 *
 * Conventions: out-parameters first; functions return 0 on success and -1 on failure,
 * filling the caller's struct nftsrv6_error (which may be NULL).
 */
#ifndef NFTSRV6_H
#define NFTSRV6_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NFTSRV6_TOKEN_MAX   64
#define NFTSRV6_MESSAGE_MAX 256
#define NFTSRV6_DEFAULT_TABLE "sr6"

/* Where an error comes from: line and column are 1-based, 0 when not known (kernel
 * errors about the whole batch); token is the offending word ("" at the end of input). */
struct nftsrv6_error {
	unsigned line;
	unsigned column;
	char token[NFTSRV6_TOKEN_MAX];
	char message[NFTSRV6_MESSAGE_MAX];
};

enum nftsrv6_family {
	NFTSRV6_FAMILY_INET = 0,   /* hooks prerouting, input, forward, output, postrouting */
	NFTSRV6_FAMILY_NETDEV = 1, /* hook ingress on a device */
};

struct nftsrv6_config {
	const char *table;          /* NULL means NFTSRV6_DEFAULT_TABLE */
	enum nftsrv6_family family;
	const char *iface;          /* netdev: device used when a command names none */
};

/* A rule without its placement: matches, statements and an optional verdict. */
struct nftsrv6_rule;

int nftsrv6_rule_parse(struct nftsrv6_rule **rule, const char *text, struct nftsrv6_error *err);
/* Canonical text of a rule; -1 if it does not fit in size bytes. */
int nftsrv6_rule_format(char *buf, size_t size, const struct nftsrv6_rule *rule);
/* 1 when both rules match the same packets and do the same things (counter values aside). */
int nftsrv6_rule_equal(const struct nftsrv6_rule *a, const struct nftsrv6_rule *b);
void nftsrv6_rule_free(struct nftsrv6_rule *rule);

/* A batch: commands (add, insert, delete, flush) applied in one transaction. */
struct nftsrv6_batch;

int nftsrv6_batch_new(struct nftsrv6_batch **batch);
/* Parse one or more lines of commands; errors name line (counted from first_line),
 * column and token.  On error the batch is left as it was. */
int nftsrv6_batch_parse(struct nftsrv6_batch *batch, const char *text, unsigned first_line,
			struct nftsrv6_error *err);
/* Where nftsrv6_batch_add puts a rule: a regular chain, or the base chain of a hook. */
struct nftsrv6_place {
	const char *chain;          /* regular chain; NULL for a base chain */
	const char *hook;           /* NULL: "forward" (inet) or "ingress" (netdev) */
	int priority;
	const char *dev;            /* netdev: NULL for the configured interface */
};

/* Append "add" of a parsed rule (copied) at place (NULL: the default base chain).  For
 * callers that keep rules and placement apart, e.g. a policy file: parse errors then
 * carry columns within the rule's own text. */
int nftsrv6_batch_add(struct nftsrv6_batch *batch, const struct nftsrv6_place *place,
		      const struct nftsrv6_rule *rule, struct nftsrv6_error *err);
/* RFC 8754 section 7.1 SR-domain edge: on ingress of iface, SRv6 packets whose source is
 * outside every domain prefix and whose destination is in the SID space (the sids
 * prefixes, or the domain prefixes when nsids is 0) are counted and dropped. */
int nftsrv6_batch_edge(struct nftsrv6_batch *batch, const char *const *domain, size_t ndomain,
		       const char *const *sids, size_t nsids, const char *iface,
		       struct nftsrv6_error *err);
size_t nftsrv6_batch_count(const struct nftsrv6_batch *batch);
/* After a successful commit: the kernel handle of the rule command i added, else 0. */
uint64_t nftsrv6_batch_handle(const struct nftsrv6_batch *batch, size_t i);
void nftsrv6_batch_free(struct nftsrv6_batch *batch);

/* Compile a batch without the kernel (no ruleset is read): every error the language
 * can have.  With text non-NULL, also render the compiled expressions the way
 * "nft --debug=netlink" prints them (free with free()). */
int nftsrv6_batch_check(char **text, const struct nftsrv6_config *cfg,
			const struct nftsrv6_batch *batch, struct nftsrv6_error *err);

/* A netlink connection bound to one table. */
struct nftsrv6;

int nftsrv6_open(struct nftsrv6 **h, const struct nftsrv6_config *cfg, struct nftsrv6_error *err);
/* Apply every command of the batch atomically. */
int nftsrv6_commit(struct nftsrv6 *h, struct nftsrv6_batch *batch, struct nftsrv6_error *err);
/* Everything nftsrv6_commit checks (against the table as it is now), without sending. */
int nftsrv6_check(struct nftsrv6 *h, struct nftsrv6_batch *batch, struct nftsrv6_error *err);
void nftsrv6_close(struct nftsrv6 *h);

/* The table as the kernel holds it, decoded back into rules. */
struct nftsrv6_listing;

struct nftsrv6_chain_info {
	const char *name;
	int base;                 /* 1 for a base chain (hook, priority, dev set) */
	const char *hook;         /* "forward", "ingress", ... or NULL */
	int priority;
	const char *dev;          /* netdev base chains, else NULL */
};

struct nftsrv6_rule_info {
	const char *chain;
	uint64_t handle;
	const struct nftsrv6_rule *rule; /* NULL: a rule nft-srv6 did not write */
	int has_counter;
	uint64_t packets, bytes;  /* the rule's first counter */
};

int nftsrv6_list(struct nftsrv6_listing **listing, struct nftsrv6 *h, struct nftsrv6_error *err);
int nftsrv6_listing_exists(const struct nftsrv6_listing *l);  /* 0 when there is no table */
size_t nftsrv6_listing_chain_count(const struct nftsrv6_listing *l);
const struct nftsrv6_chain_info *nftsrv6_listing_chain(const struct nftsrv6_listing *l, size_t i);
size_t nftsrv6_listing_rule_count(const struct nftsrv6_listing *l);
const struct nftsrv6_rule_info *nftsrv6_listing_rule(const struct nftsrv6_listing *l, size_t i);
/* The listing as commands nftsrv6_batch_parse reads back (free with free()). */
int nftsrv6_listing_text(char **text, const struct nftsrv6_listing *l);
/* The listing as a JSON document (free with free()). */
int nftsrv6_listing_json(char **json, const struct nftsrv6_listing *l);
void nftsrv6_listing_free(struct nftsrv6_listing *l);

#ifdef __cplusplus
}
#endif
#endif
