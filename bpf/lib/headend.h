/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * headend.h: the SRv6 headend step of the node program.
 *
 *   classify   destination LPM (sr6_steer6 / sr6_steer4) -> rule set -> first rule whose
 *              conditions hold (source prefix, protocol, ports, DSCP, ingress interface)
 *   choose     the rule's policy; one of its paths by flow hash, in proportion to the weights
 *   route      bpf_fib_lookup on the outer destination before touching the packet, so an
 *              oversized packet can still be answered with ICMP
 *   encap      H.Encaps / H.Encaps.Red / H.Insert (encap.h)
 *   forward    MAC rewrite + redirect; without a neighbour at XDP the encapsulated packet goes
 *              to the kernel, which resolves it
 *
 * Packets that match no rule leave untouched; when a table is empty (sr6_config flags) the
 * lookup is skipped.
 */
#ifndef SR6_LIB_HEADEND_H
#define SR6_LIB_HEADEND_H

#include "lib/ctx.h"
#include "lib/encap.h"
#include "lib/fib.h"
#include "lib/fib_cache.h"
#include "lib/hash.h"
#include "lib/icmp.h"
#include "lib/maps.h"
#include "lib/parse.h"
#include "lib/stats.h"
#include "sr6_abi.h"

/* The fields a steering rule can look at, gathered once per packet. */
struct headend_flow {
	union sr6_in6 src;	/* IPv4: w[0] */
	union sr6_in6 dst;
	__u32	iif;
	__u16	sport;
	__u16	dport;
	__u8	proto;
	__u8	dscp;
	__u8	has_ports;
	__u8	is6;
	__u8	first_nh;	/* IPv6: the Next Header of the fixed header */
	__u8	_pad[3];
	__u32	cfg_flags;	/* sr6_config flags at the time of the packet */
	__u32	hash_seed;	/* sr6_config.hash_seed, the same */
};

/* Does a rule's source prefix contain the packet's source?  Word by word, masked. */
static __always_inline int rule_src_matches(const struct sr6_steer_rule *r, const struct headend_flow *f)
{
	__u32 len = r->src_len, i;

	if (!f->is6)
		len = len > 32 ? 32 : len;
	for (i = 0; i < 4; i++) {
		__u32 bits = len > 32 ? 32 : len;
		__u32 mask = bits ? bpf_htonl(0xffffffffu << (32 - bits)) : 0;

		if ((f->src.w[i] ^ r->src.w[i]) & mask)
			return 0;
		len -= bits;
	}
	return 1;
}

static __always_inline int rule_matches(const struct sr6_steer_rule *r, const struct headend_flow *f)
{
	__u16 m = r->match;

	if ((m & SR6_MATCH_SRC) && !rule_src_matches(r, f))
		return 0;
	if ((m & SR6_MATCH_PROTO) && f->proto != r->proto)
		return 0;
	if (m & (SR6_MATCH_SPORT | SR6_MATCH_DPORT)) {
		if (!f->has_ports)
			return 0;
		if ((m & SR6_MATCH_SPORT) && (f->sport < r->sport_min || f->sport > r->sport_max))
			return 0;
		if ((m & SR6_MATCH_DPORT) && (f->dport < r->dport_min || f->dport > r->dport_max))
			return 0;
	}
	if ((m & SR6_MATCH_DSCP) && f->dscp != r->dscp)
		return 0;
	if ((m & SR6_MATCH_IIF) && f->iif != r->ifindex)
		return 0;
	return 1;
}

/*
 * Steering: the policy key of the first matching rule, or -1.  The scan is a plain bounded
 * loop: a bpf_loop callback would cost a call per rule.
 */
static __always_inline __s64 headend_classify(const struct headend_flow *f)
{
	const struct sr6_steer_set *set;
	__u32 first, count, i;

	if (f->is6) {
		struct sr6_steer6_key k = { .prefixlen = 128 };

		__builtin_memcpy(&k.dst, &f->dst, 16);
		set = bpf_map_lookup_elem(&SR6_MAP_STEER6, &k);
	} else {
		struct sr6_steer4_key k = { .prefixlen = 32, .dst = f->dst.w[0] };

		set = bpf_map_lookup_elem(&SR6_MAP_STEER4, &k);
	}
	if (!set)
		return -1;
	first = set->first;
	count = set->count;
	for (i = 0; i < SR6_MAX_RULES_PER_SET && i < count; i++) {
		__u32 slot = first + i;
		const struct sr6_steer_rule *r = bpf_map_lookup_elem(&SR6_MAP_STEER_RULES, &slot);

		if (!r)
			break;
		if (rule_matches(r, f))
			return r->policy;
	}
	return -1;
}

/* The interface a rule's "iif" condition means: where the packet entered this node. */
static __always_inline __u32 headend_iif(void *ctx, const enum sr6_hook hook)
{
	if (ctx_is_xdp(hook))
		return ((struct xdp_md *)ctx)->ingress_ifindex;
	return ((struct __sk_buff *)ctx)->ingress_ifindex;
}

/* Fill the flow from the packet's IP header; 0 or a drop reason. */
static __always_inline int headend_flow_init(void *ctx, const enum sr6_hook hook,
					     const struct sr6_pkt *pkt, struct headend_flow *f)
{
	f->is6 = pkt->l3_proto == ETH_P_IPV6;
	if (f->is6) {
		struct ipv6hdr *ip6 = ctx_ptr(ctx, hook, pkt->l3_off, IP6_HLEN);

		if (!ip6)
			return SR6_DROP_MALFORMED_IP6;
		__builtin_memcpy(&f->src, &ip6->saddr, 16);
		__builtin_memcpy(&f->dst, &ip6->daddr, 16);
		f->first_nh = ip6->nexthdr;
	} else {
		struct iphdr *ip4 = ctx_ptr(ctx, hook, pkt->l3_off, 20);

		if (!ip4)
			return SR6_DROP_MALFORMED_IP4;
		__builtin_memset(&f->src, 0, 16);
		__builtin_memset(&f->dst, 0, 16);
		f->src.w[0] = ip4->saddr;
		f->dst.w[0] = ip4->daddr;
		f->first_nh = 0;
	}
	f->proto = pkt->l4_proto;
	f->dscp = pkt->dscp;
	f->iif = headend_iif(ctx, hook);
	/*
	 * Fragments are classified and hashed by their IP header only, the first one too:
	 * every fragment of a datagram then takes the same decision and the same path.
	 */
	f->has_ports = pkt->frag == SR6_FRAG_NONE &&
		       (pkt->l4_proto == IPPROTO_TCP || pkt->l4_proto == IPPROTO_UDP ||
			pkt->l4_proto == IPPROTO_SCTP);
	f->sport = f->has_ports ? pkt->sport : 0;
	f->dport = f->has_ports ? pkt->dport : 0;
	return 0;
}

/*
 * Destinations that never leave the link (IPv6 multicast and link-local, IPv4 multicast and
 * broadcast: neighbour discovery, DHCP, routing protocols) are never steered, whatever
 * prefix would cover them.
 */
static __always_inline int headend_link_scoped(const struct headend_flow *f)
{
	if (f->is6)
		return f->dst.b[0] == 0xff || (f->dst.b[0] == 0xfe && (f->dst.b[1] & 0xc0) == 0x80);
	return f->dst.b[0] >= 224;	/* 224/4 multicast, 240/4 reserved, 255.255.255.255 */
}

/* The path of the policy that serves flow hash h (weights as cumulative bounds). */
static __always_inline __u32 headend_pick_path(const struct sr6_policy *pol, __u32 h)
{
	__u32 v = (__u32)(((__u64)h * pol->total_weight) >> 32), i;

	for (i = 0; i < SR6_MAX_PATHS - 1; i++) {
		if (i + 1 >= pol->path_count || v < pol->cum_weight[i])
			return i;
	}
	return SR6_MAX_PATHS - 1;
}

static __always_inline int in6_equal(const void *a, const void *b)
{
	const __u64 *x = a, *y = b;

	return x[0] == y[0] && x[1] == y[1];
}

/*
 * A packet whose destination is already the first SID of one of the policy's paths is on
 * its way through this policy (typically sr6's own output meeting a second sr6 hook on the
 * same node, with a steering prefix wide enough to cover SIDs): it is not encapsulated again.
 */
static __always_inline int headend_already_steered(const struct sr6_policy *pol,
						   const struct headend_flow *f)
{
	__u32 i;

	if (!f->is6)
		return 0;
	for (i = 0; i < SR6_MAX_PATHS; i++) {
		if (i >= pol->path_count)
			break;
		if (in6_equal(&pol->paths[i].dst, &f->dst))
			return 1;
	}
	return 0;
}

static __always_inline int in6_is_zero(const union sr6_in6 *a)
{
	return !(a->w[0] | a->w[1] | a->w[2] | a->w[3]);
}

/* The traffic class / TOS byte of the packet (DSCP + ECN). */
static __always_inline int headend_tclass(void *ctx, const enum sr6_hook hook,
					  const struct sr6_pkt *pkt, __u8 *tclass)
{
	__u8 *b = ctx_ptr(ctx, hook, pkt->l3_off, 2);

	if (!b)
		return -1;
	if (pkt->l3_proto == ETH_P_IPV6)
		*tclass = (__u8)((b[0] << 4) | (b[1] >> 4));
	else
		*tclass = b[1];
	return 0;
}

/*
 * Per-segment length of a GSO packet once encapsulated: what the MTU applies to.  TCP GSO
 * keeps its wire size (the stack lowers the MSS by the added header), UDP GSO grows by it.
 */
static __always_inline __u32 headend_gso_seg_len(void *ctx, const enum sr6_hook hook,
						 const struct sr6_pkt *pkt, __u32 overhead)
{
	__u32 gso_size = ((struct __sk_buff *)ctx)->gso_size;
	__u32 l4_hdr = 0;

	if (pkt->l4_proto == IPPROTO_TCP && pkt->l4_off) {
		__u8 *doff = ctx_ptr(ctx, hook, pkt->l4_off + 12, 1);

		if (doff)
			l4_hdr = (*doff >> 4) * 4;
		return (pkt->l4_off - pkt->l3_off) + l4_hdr + gso_size;
	}
	if (pkt->l4_proto == IPPROTO_UDP && pkt->l4_off)
		return (pkt->l4_off - pkt->l3_off) + 8 + gso_size + overhead;
	return 0;
}

/*
 * bpf_fib_lookup for the outer packet, through the FIB cache (lib/fib_cache.h) when
 * SR6_CFG_FIB_CACHE is set.  The key is compared with the lookup's inputs where they are and
 * written straight into the slot (a copy would cost stack this call chain lacks).  Not
 * cached: lookups that ask the kernel for a source address, and tc egress (an output lookup).
 */
static __always_inline long headend_fib_lookup(void *ctx, struct bpf_fib_lookup *p, __u32 flags,
					       __u32 cfg_flags)
{
	const union sr6_in6 *src = (const void *)p->ipv6_src, *dst = (const void *)p->ipv6_dst;
	struct sr6_fib_cache_slot *c;
	__u16 len = p->tot_len;
	__u32 slot;
	__u64 now;
	long rc;
	int same;

	if (!(cfg_flags & SR6_CFG_FIB_CACHE) || flags)
		return bpf_fib_lookup(ctx, p, sizeof(*p), flags);
	slot = sr6_fib_cache_slot_of(src, dst, p->flowinfo, p->ifindex, 0);
	c = bpf_map_lookup_elem(&SR6_MAP_FIB_CACHE, &slot);
	if (!c)
		return bpf_fib_lookup(ctx, p, sizeof(*p), flags);
	now = bpf_jiffies64();
	same = now < c->val.expires && in6_equal(&c->key.dst, dst) && in6_equal(&c->key.src, src) &&
	       c->key.flowinfo == p->flowinfo && c->key.ifindex == p->ifindex && !c->key.table &&
	       c->key.family == AF_INET6 && c->key.l4_protocol == p->l4_protocol;
	if (same && len <= c->val.ok_len) {
		p->ifindex = c->val.oif;
		__builtin_memcpy(p->dmac, c->val.dmac, 6);
		__builtin_memcpy(p->smac, c->val.smac, 6);
		return BPF_FIB_LKUP_RET_SUCCESS;
	}
	/* The key goes in first: the lookup overwrites the interface and, for a gateway, the
	 * destination.  An entry whose lookup fails is emptied. */
	c->key.src = *src;
	c->key.dst = *dst;
	c->key.flowinfo = p->flowinfo;
	c->key.ifindex = p->ifindex;
	c->key.table = 0;
	c->key.family = AF_INET6;
	c->key.l4_protocol = p->l4_protocol;
	c->key._pad = 0;
	rc = bpf_fib_lookup(ctx, p, sizeof(*p), flags);
	if (rc == BPF_FIB_LKUP_RET_SUCCESS)
		fib_cache_keep(&c->val, same, len, p->ifindex, p->dmac, p->smac, now);
	else
		c->val.expires = 0;
	return rc;
}

/* XDP: is the frame longer than its own interface's MTU allows (a GRO aggregate)? */
static __always_inline int xdp_over_ingress_mtu(void *ctx)
{
	__u32 mtu_len = 0;

	return bpf_check_mtu(ctx, 0, &mtu_len, 0, 0) == BPF_MTU_CHK_RET_FRAG_NEEDED;
}

/* After encapsulation: rewrite the MACs from the FIB result and send. */
static __always_inline int headend_send(void *ctx, const enum sr6_hook hook, const struct bpf_fib_lookup *p)
{
	struct ethhdr *eth = ctx_ptr(ctx, hook, 0, ETH_HLEN);

	if (!eth)
		return stats_drop(hook, SR6_DROP_MALFORMED_ETH);
	__builtin_memcpy(eth->h_dest, p->dmac, 6);
	__builtin_memcpy(eth->h_source, p->smac, 6);
	/* tc egress on the right device already: let the packet continue. */
	if (hook == SR6_HOOK_TC_EGRESS && p->ifindex == ((struct __sk_buff *)ctx)->ifindex)
		return TC_ACT_OK;
	return bpf_redirect(p->ifindex, 0);
}

/* No neighbour entry for the next hop yet: tc asks the stack to resolve it, XDP hands the
 * encapsulated packet to the kernel. */
static __always_inline int headend_send_no_neigh(void *ctx, const enum sr6_hook hook,
						 const struct bpf_fib_lookup *p)
{
	struct bpf_redir_neigh nh = { .nh_family = AF_INET6 };

	if (ctx_is_xdp(hook))
		return stats_punt(hook, SR6_EVENT_NO_NEIGH);
	__builtin_memcpy(nh.ipv6_nh, p->ipv6_dst, 16);
	return bpf_redirect_neigh(p->ifindex, &nh, sizeof(nh), 0);
}

static __always_inline void headend_count(const struct sr6_policy *pol, __u32 path, __u32 bytes)
{
	__u32 base = pol->stats_id * SR6_POLICY_STATS_SLOTS;

	stats_count(&SR6_MAP_POLICY_STATS, base, bytes);
	stats_count(&SR6_MAP_POLICY_STATS, base + 1 + path, bytes);
}

/* headend_apply's answer for a packet too big once encapsulated, with the MTU left for it:
 * the caller answers with ICMP outside the fast path's call chain (stack depth). */
#define HEADEND_TOO_BIG(mtu)		(-1 - (int)((mtu) & 0xffff))
#define HEADEND_TOO_BIG_MTU(ret)	(-1 - (ret))

/*
 * Apply policy pol to the parsed packet.  Returns the hook's verdict, or HEADEND_TOO_BIG.
 */
static __always_inline int headend_apply(void *ctx, const enum sr6_hook hook, const struct sr6_pkt *pkt,
					 const struct headend_flow *f, const struct sr6_policy *pol)
{
	const struct sr6_path *path;
	struct bpf_fib_lookup p = {};
	struct encap_outer o = {};
	__u32 h, idx, overhead, tot_len, fib_flags = 0, mtu;
	__u8 mode = pol->mode;
	long rc;
	int err;

	if (pol->path_count < 1 || pol->path_count > SR6_MAX_PATHS || !pol->total_weight)
		return stats_drop(hook, SR6_DROP_NO_POLICY);
	if (mode == SR6_MODE_INLINE) {
		if (!f->is6)
			return stats_drop(hook, SR6_DROP_INLINE_IPV4);
		/* One routing header per packet (RFC 8200); the SRH must follow a Hop-by-Hop
		 * header, which this fast path does not move: both are refused. */
		if (pkt->rh_off || f->first_nh == IPPROTO_HOPOPTS)
			return stats_drop(hook, SR6_DROP_SRH_PRESENT);
	} else if (mode != SR6_MODE_ENCAP && mode != SR6_MODE_ENCAP_RED) {
		return stats_drop(hook, SR6_DROP_NO_POLICY);
	}
	if (headend_already_steered(pol, f))
		return ctx_pass(hook);

	if (f->is6)
		h = hash_flow6(f->hash_seed, f->src.w, f->dst.w, f->sport, f->dport, f->proto);
	else
		h = hash_flow4(f->hash_seed, f->src.w[0], f->dst.w[0], f->sport, f->dport, f->proto);
	idx = headend_pick_path(pol, h);
	if (idx >= SR6_MAX_PATHS)
		return stats_drop(hook, SR6_DROP_NO_POLICY);
	path = &pol->paths[idx];
	if (path->srh_len > SR6_SRH_MAX_LEN)
		return stats_drop(hook, SR6_DROP_NO_POLICY);

	if (mode == SR6_MODE_INLINE) {
		/* The packet keeps its header: hop limit, then the route to the first SID. */
		if (pkt->hop_limit <= 1)
			return stats_punt(hook, SR6_EVENT_HOP_LIMIT);
		overhead = path->srh_len;
		__builtin_memcpy(&o.src, &f->src, 16);
		if (headend_tclass(ctx, hook, pkt, &o.tclass))
			return stats_drop(hook, SR6_DROP_MALFORMED_IP6);
	} else {
		overhead = IP6_HLEN + path->srh_len;
		o.src = pol->source;
		o.flow_label = hash_flow_label(h);
		o.hop_limit = pol->hop_limit ? pol->hop_limit : SR6_DEFAULT_HOP_LIMIT;
		o.inner_proto = f->is6 ? IPPROTO_IPV6 : IPPROTO_IPIP;
		if ((pol->flags & SR6_POLICY_F_TC_COPY) && headend_tclass(ctx, hook, pkt, &o.tclass))
			return stats_drop(hook, SR6_DROP_MALFORMED_IP6);
		if (in6_is_zero(&o.src))
			fib_flags |= BPF_FIB_LOOKUP_SRC;
	}

	/* Route the outer packet before writing anything. */
	tot_len = pkt->ip_len + overhead;
	if (ctx_is_gso(ctx, hook))
		tot_len = headend_gso_seg_len(ctx, hook, pkt, overhead);
	p.family = AF_INET6;
	p.l4_protocol = path->srh_len ? IPPROTO_ROUTING : o.inner_proto;
	p.tot_len = tot_len > 0xffff ? 0xffff : tot_len;
	p.ifindex = ctx_ifindex(ctx, hook);
	p.flowinfo = bpf_htonl(((__u32)o.tclass << 20) | o.flow_label);
	__builtin_memcpy(p.ipv6_src, &o.src, 16);
	__builtin_memcpy(p.ipv6_dst, &path->dst, 16);
	if (hook == SR6_HOOK_TC_EGRESS)
		fib_flags |= BPF_FIB_LOOKUP_OUTPUT;
	rc = headend_fib_lookup(ctx, &p, fib_flags, f->cfg_flags);

	if (rc == BPF_FIB_LKUP_RET_FRAG_NEEDED || rc == BPF_FIB_LKUP_RET_SUCCESS ||
	    rc == BPF_FIB_LKUP_RET_NO_NEIGH) {
		mtu = rc == BPF_FIB_LKUP_RET_FRAG_NEEDED ? p.mtu_result : 0xffff;
		if (pol->mtu && pol->mtu < mtu)
			mtu = pol->mtu;
		if (tot_len > mtu) {
			/*
			 * Generic XDP runs after GRO: a packet longer than the ingress MTU is an
			 * aggregate that only tc can encapsulate with its GSO metadata right.
			 */
			if (ctx_is_xdp(hook) && xdp_over_ingress_mtu(ctx)) {
				if (f->cfg_flags & SR6_CFG_TC_AFTER_XDP)
					return stats_punt(hook, SR6_EVENT_GSO);
				return stats_drop(hook, SR6_DROP_GSO_AT_XDP);
			}
			if (mtu <= overhead)
				return stats_drop(hook, SR6_DROP_TOO_BIG);
			return HEADEND_TOO_BIG(mtu - overhead);
		}
	}
	switch (rc) {
	case BPF_FIB_LKUP_RET_SUCCESS:
	case BPF_FIB_LKUP_RET_NO_NEIGH:
		break;
	case BPF_FIB_LKUP_RET_NOT_FWDED:
	case BPF_FIB_LKUP_RET_FWD_DISABLED:
	case BPF_FIB_LKUP_RET_UNSUPP_LWT:
		/* The first SID is local or needs the kernel: it gets the encapsulated packet. */
		if (hook != SR6_HOOK_TC_EGRESS)
			break;
		/* fall through: at egress there is nobody to hand it to */
	default:
		return stats_drop(hook, SR6_DROP_NO_ROUTE);
	}
	if (fib_flags & BPF_FIB_LOOKUP_SRC)
		__builtin_memcpy(&o.src, p.ipv6_src, 16);

	if (mode == SR6_MODE_INLINE)
		err = ctx_is_xdp(hook) ? encap_insert_xdp(ctx, pkt, path) : encap_insert_tc(ctx, pkt, path);
	else
		err = encap_push(ctx, hook, pkt, path, &o);
	if (err == ENCAP_NO_ROOM) {
		/* XDP had no room for this encapsulation, the packet is unchanged: tc has. */
		if (f->cfg_flags & SR6_CFG_TC_AFTER_XDP)
			return stats_punt(hook, SR6_EVENT_XDP_NO_ROOM);
		return stats_drop(hook, SR6_DROP_NO_HEADROOM);
	}
	if (err)
		return stats_drop(hook, err);
	headend_count(pol, idx, pkt->ip_len);

	switch (rc) {
	case BPF_FIB_LKUP_RET_SUCCESS:
		return headend_send(ctx, hook, &p);
	case BPF_FIB_LKUP_RET_NO_NEIGH:
		return headend_send_no_neigh(ctx, hook, &p);
	case BPF_FIB_LKUP_RET_UNSUPP_LWT:
		return stats_punt(hook, SR6_EVENT_LWT_ROUTE);
	default:
		return stats_punt(hook, SR6_EVENT_NOT_FWDED);
	}
}

/*
 * Classify the parsed packet and apply its policy.  Returns the hook's verdict, or
 * HEADEND_TOO_BIG with *icmp_src set to the policy's source for the answer.
 */
static __always_inline int headend_run(void *ctx, const enum sr6_hook hook, const struct sr6_pkt *pkt,
				       __u32 cfg_flags, __u32 hash_seed, union sr6_in6 *icmp_src)
{
	const struct sr6_policy *pol;
	struct headend_flow f;
	__u32 key;
	__s64 ret;
	int err;

	err = headend_flow_init(ctx, hook, pkt, &f);
	if (err)
		return stats_drop(hook, err);
	if (headend_link_scoped(&f))
		return ctx_pass(hook);
	f.cfg_flags = cfg_flags;
	f.hash_seed = hash_seed;
	ret = headend_classify(&f);
	if (ret < 0)
		return ctx_pass(hook);
	if (pkt->frag == SR6_FRAG_LATER)
		stats_bump(&SR6_MAP_EVENTS, SR6_EVENT_FRAGMENT);
	key = (__u32)ret;
	pol = bpf_map_lookup_elem(&SR6_MAP_POLICIES, &key);
	if (!pol)
		return stats_drop(hook, SR6_DROP_NO_POLICY);
	ret = headend_apply(ctx, hook, pkt, &f, pol);
	if (ret < 0)
		__builtin_memcpy(icmp_src, &pol->source, 16);
	return ret;
}

/*
 * The headend as one global function per hook: the verifier checks it once, apart from the
 * caller's paths, and a packet pays one call for the whole step (a call and its return cost
 * more than the work of most steps on CPUs with return-thunk mitigations).
 */
__noinline int headend_run_xdp(struct xdp_md *ctx, const struct sr6_pkt *pkt, __u32 cfg_flags,
			       __u32 hash_seed, union sr6_in6 *icmp_src)
{
	if (!pkt || !icmp_src)
		return XDP_DROP;
	return headend_run(ctx, SR6_HOOK_XDP, pkt, cfg_flags, hash_seed, icmp_src);
}

__noinline int headend_run_tc_ingress(struct __sk_buff *ctx, const struct sr6_pkt *pkt,
				      __u32 cfg_flags, __u32 hash_seed, union sr6_in6 *icmp_src)
{
	if (!pkt || !icmp_src)
		return TC_ACT_SHOT;
	return headend_run(ctx, SR6_HOOK_TC_INGRESS, pkt, cfg_flags, hash_seed, icmp_src);
}

__noinline int headend_run_tc_egress(struct __sk_buff *ctx, const struct sr6_pkt *pkt,
				     __u32 cfg_flags, __u32 hash_seed, union sr6_in6 *icmp_src)
{
	if (!pkt || !icmp_src)
		return TC_ACT_SHOT;
	return headend_run(ctx, SR6_HOOK_TC_EGRESS, pkt, cfg_flags, hash_seed, icmp_src);
}

/*
 * The headend step: classify the parsed packet and apply its policy, or let it pass.  An
 * oversized packet is answered here, outside headend_run's frame (stack depth).
 */
static __always_inline int headend_process(void *ctx, const enum sr6_hook hook, const struct sr6_pkt *pkt)
{
	const struct sr6_config *cfg = config_get();
	union sr6_in6 icmp_src;
	int ret;

	if (!cfg)
		return ctx_pass(hook);
	if (pkt->l3_proto == ETH_P_IPV6 ? !(cfg->flags & SR6_CFG_STEER6) : !(cfg->flags & SR6_CFG_STEER4))
		return ctx_pass(hook);
	if (hook == SR6_HOOK_XDP)
		ret = headend_run_xdp(ctx, pkt, cfg->flags, cfg->hash_seed, &icmp_src);
	else if (hook == SR6_HOOK_TC_INGRESS)
		ret = headend_run_tc_ingress(ctx, pkt, cfg->flags, cfg->hash_seed, &icmp_src);
	else
		ret = headend_run_tc_egress(ctx, pkt, cfg->flags, cfg->hash_seed, &icmp_src);
	if (ret >= 0)
		return ret;
	return icmp_too_big_hook(ctx, hook, pkt, &icmp_src, HEADEND_TOO_BIG_MTU(ret));
}

#endif /* SR6_LIB_HEADEND_H */
