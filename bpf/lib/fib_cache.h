/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * fib_cache.h: a short-lived per-CPU cache of successful bpf_fib_lookup answers, for the
 * endpoint (fib_forward_cached) and the headend's outer route (headend_fib_lookup).
 * bpf_fib_lookup for IPv6 is the largest single cost of both fast paths; a packet asking the
 * same question (every input of the lookup is in the key) within SR6_FIB_CACHE_TTL_TICKS
 * jiffies of the last real lookup reuses its answer, if it is no longer than a length the
 * route's MTU was checked for.  Used when sr6_config has SR6_CFG_FIB_CACHE; only successful
 * lookups are kept, so hand-offs and drops always come from a real lookup.
 *
 * The cache is direct-mapped (sr6_fib_cache_slot() picks the one slot a key may use) in a
 * per-CPU array: a hit is an inlined array access and a compare, with no call.  A hash map
 * would cost a helper call, a hash of the 48-byte key and the calls inside the map code, which
 * is more than the rest of the End fast path.
 */
#ifndef SR6_LIB_FIB_CACHE_H
#define SR6_LIB_FIB_CACHE_H

#include "lib/fib.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SR6_FIB_CACHE_ENTRIES);
	__type(key, __u32);
	__type(value, struct sr6_fib_cache_slot);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} SR6_MAP_FIB_CACHE SEC(".maps");

/* The cache key of req: the same fields fib_forward() gives bpf_fib_lookup.  0 or -1. */
static __always_inline int fib_cache_key(void *ctx, const enum sr6_hook hook,
					 const struct sr6_fib_req *req, struct sr6_fib_cache_key *k)
{
	__builtin_memset(k, 0, sizeof(*k));
	k->ifindex = ctx_ifindex(ctx, hook);
	k->table = req->table;
	if (req->l3_proto == ETH_P_IPV6) {
		struct ipv6hdr *ip6 = ctx_ptr(ctx, hook, req->l3_off, IP6_HLEN);

		if (!ip6)
			return -1;
		k->family = AF_INET6;
		k->flowinfo = *(__be32 *)ip6 & bpf_htonl(0x0fffffff);
		__builtin_memcpy(&k->src, &ip6->saddr, 16);
		__builtin_memcpy(&k->dst, req->nh6 ? (void *)req->nh6 : (void *)&ip6->daddr, 16);
		k->l4_protocol = ip6->nexthdr;
	} else {
		struct iphdr *ip4 = ctx_ptr(ctx, hook, req->l3_off, 20);

		if (!ip4)
			return -1;
		k->family = AF_INET;
		k->flowinfo = ip4->tos;
		k->src.w[0] = ip4->saddr;
		k->dst.w[0] = req->nh4 ? req->nh4 : ip4->daddr;
		k->l4_protocol = ip4->protocol;
	}
	return 0;
}

static __always_inline int fib_cache_key_equal(const struct sr6_fib_cache_key *a,
					       const struct sr6_fib_cache_key *b)
{
	const __u64 *x = (const __u64 *)a, *y = (const __u64 *)b;

	return !((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2]) | (x[3] ^ y[3]) |
		 (x[4] ^ y[4]) | (x[5] ^ y[5]));
}

/*
 * Keep a successful lookup's answer in v (the caller has written the key), for packets up to
 * len bytes (0: the MTU was not checked, the entry vouches for no length).  same: the slot
 * held a fresh answer for the same key, and a longer length it was checked for stays.
 */
static __always_inline void fib_cache_keep(struct sr6_fib_cache_val *v, int same, __u16 len,
					   __u32 oif, const __u8 *dmac, const __u8 *smac, __u64 now)
{
	if (same && v->ok_len > len)
		len = v->ok_len;
	v->oif = oif;
	__builtin_memcpy(v->dmac, dmac, 6);
	__builtin_memcpy(v->smac, smac, 6);
	v->ok_len = len;
	v->expires = now + SR6_FIB_CACHE_TTL_TICKS;
}

/* As fib_forward().  req->oif_out must be set: a miss learns the egress interface there. */
static __always_inline enum sr6_fib_result
fib_forward_cached(void *ctx, const enum sr6_hook hook, const struct sr6_fib_req *req,
		   int *verdict, __u32 *mtu)
{
	struct sr6_fib_cache_key k;
	struct sr6_fib_cache_slot *c;
	enum sr6_fib_result res;
	struct ethhdr *eth;
	__u32 slot;
	__u64 now;
	int same;

	if (!req->oif_out || fib_cache_key(ctx, hook, req, &k))
		return fib_forward(ctx, hook, req, verdict, mtu);
	slot = sr6_fib_cache_slot(&k);
	c = bpf_map_lookup_elem(&SR6_MAP_FIB_CACHE, &slot);
	if (!c)
		return fib_forward(ctx, hook, req, verdict, mtu);
	now = bpf_jiffies64();	/* inlined by the verifier: a clock read for free */
	same = now < c->val.expires && fib_cache_key_equal(&c->key, &k);
	if (same && req->tot_len <= c->val.ok_len) {
		eth = ctx_ptr(ctx, hook, 0, ETH_HLEN);
		if (eth) {
			__builtin_memcpy(eth->h_dest, c->val.dmac, 6);
			__builtin_memcpy(eth->h_source, c->val.smac, 6);
			*verdict = bpf_redirect(c->val.oif, 0);
			return SR6_FIB_REDIRECTED;
		}
	}
	*req->oif_out = 0;
	res = fib_forward(ctx, hook, req, verdict, mtu);
	if (res != SR6_FIB_REDIRECTED || !*req->oif_out)
		return res;
	eth = ctx_ptr(ctx, hook, 0, ETH_HLEN);
	if (!eth)
		return res;
	/* A GSO packet (tot_len 0) was not checked against the MTU: it vouches for nothing. */
	c->key = k;
	fib_cache_keep(&c->val, same, req->tot_len, *req->oif_out, eth->h_dest, eth->h_source, now);
	return res;
}

#endif /* SR6_LIB_FIB_CACHE_H */
