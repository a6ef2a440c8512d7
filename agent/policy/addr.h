/*
 * addr.h: IPv6/IPv4 addresses and prefixes as the policy and the maps use them
 * (union sr6_in6, network byte order; an IPv4 address sits in w[0]).
 */
#ifndef SR6_AGENT_ADDR_H
#define SR6_AGENT_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sr6_abi.h"

#define ADDR_STRLEN 64		/* enough for any "address/len" */

struct prefix {
	uint8_t family;		/* AF_INET6 or AF_INET */
	uint8_t len;		/* 0..128 or 0..32 */
	union sr6_in6 addr;	/* masked */
};

/* 0, or -1 with a reason in why (static text). */
int addr6_parse(union sr6_in6 *out, const char *s, const char **why);
int addr4_parse(uint32_t *out_be, const char *s, const char **why);
/*
 * "addr/len" (or a bare address = /128, /32).  family 0 accepts both.  Host bits set are an
 * error; *suggest then holds the masked prefix the user probably meant.
 */
int prefix_parse(struct prefix *out, const char *s, int family, const char **why,
		 char suggest[ADDR_STRLEN]);

void addr6_format(char out[ADDR_STRLEN], const union sr6_in6 *a);
void addr4_format(char out[ADDR_STRLEN], uint32_t a_be);
void prefix_format(char out[ADDR_STRLEN], const struct prefix *p);

/* Zero the bits after len (len in bits, over 16 bytes). */
void addr_mask(union sr6_in6 *a, unsigned len);
/* Does prefix p contain the IPv6 address a? */
bool prefix_contains6(const struct prefix *p, const union sr6_in6 *a);
/* Does p cover q (same family, p.len <= q.len, q inside p)? */
bool prefix_covers(const struct prefix *p, const struct prefix *q);
bool addr6_equal(const union sr6_in6 *a, const union sr6_in6 *b);
bool addr6_is_zero(const union sr6_in6 *a);

#endif
