/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * endpoint.h: the SRv6 endpoint step of the node program (XDP and tc ingress): a packet whose
 * destination is a local SID (sr6_sids exact, then sr6_locators longest prefix) is processed
 * by the SID's behaviour (RFC 8754 section 4.3.1, RFC 8986 section 4, RFC 9800 NEXT-C-SID)
 * and forwarded with bpf_fib_lookup + redirect.  Every other packet is left to the next step.
 *
 * Hand-off model: the fast path either finishes a packet (redirect), drops it with a counted
 * reason, or passes it to the kernel with a counted event.  A packet passed after its
 * behaviour ran is passed processed (SL and DA updated, or decapsulated) and with its hop
 * limit NOT decremented: the kernel's forwarding decrements it, sends Time Exceeded when it is
 * 1, resolves neighbours, sends Packet Too Big, delivers local destinations.  A packet passed
 * before anything ran (HMAC, a layout the fast path does not rewrite) is left to the kernel's
 * own seg6local route for the SID.
 */
#ifndef SR6_LIB_ENDPOINT_H
#define SR6_LIB_ENDPOINT_H

#include "lib/ctx.h"
#include "lib/parse.h"
#include "lib/maps.h"
#include "lib/stats.h"
#include "lib/fib.h"
#include "lib/fib_cache.h"
#include "lib/srh.h"
#include "lib/csid.h"

/* Flavors each behaviour accepts (RFC 8986 section 4.16, RFC 9800 section 4). */
#define EP_END_FLAVORS	(SR6_FLV_PSP | SR6_FLV_USP | SR6_FLV_USD | SR6_FLV_NEXT_CSID)

static __always_inline struct sr6_sid *endpoint_lookup(const struct sr6_config *cfg,
						       union sr6_in6 *da)
{
	struct sr6_sid *sid = NULL;

	if (cfg->flags & SR6_CFG_SIDS)
		sid = bpf_map_lookup_elem(&SR6_MAP_SIDS, da);
	if (!sid && (cfg->flags & SR6_CFG_LOCATORS)) {
		struct sr6_locator_key k = { .prefixlen = 128 };

		__builtin_memcpy(&k.prefix, da, 16);
		sid = bpf_map_lookup_elem(&SR6_MAP_LOCATORS, &k);
	}
	return sid;
}

/* Returned by End processing instead of a verdict: decapsulate (the USD flavor).  The one
 * inlined copy of ep_decap lives in endpoint_run, which keeps the stack frame small. */
#define EP_DECAP	(-1)

/* What every behaviour passes down to ep_forward. */
struct ep_env {
	__u64	bytes;		/* the packet as received, for the SID's counter */
	__u32	*oif;		/* where a FIB lookup reports the egress interface (cache) */
	__u32	stats_id;
	__u32	cfg_flags;	/* sr6_config.flags */
};

/*
 * Overwrite len (4 or 16) bytes at off.  At tc the change is also folded into skb->csum, which
 * matters when the driver delivered CHECKSUM_COMPLETE and the kernel later reads the packet.
 */
static __always_inline int ep_write(void *ctx, const enum sr6_hook hook, __u32 off,
				    void *src, const __u32 len)
{
	__u32 *p = ctx_ptr(ctx, hook, off, len), *w = src;
	int i;

	if (!p)
		return -1;
	/* Word by word: a memcpy to a pointer of unknown alignment becomes byte moves whose
	 * temporaries take the stack the verifier allows (512 bytes for the call chain). */
	if (!ctx_is_xdp(hook)) {
		__u32 old[4];
		__s64 diff;

		for (i = 0; i < (int)len / 4; i++)
			old[i] = p[i];
		diff = bpf_csum_diff(old, len, src, len, 0);
		if (diff >= 0)
			bpf_csum_update(ctx, (__wsum)diff);
		p = ctx_ptr(ctx, hook, off, len);
		if (!p)
			return -1;
	}
	for (i = 0; i < (int)len / 4; i++)
		p[i] = w[i];
	return 0;
}

/* Overwrite the byte at off (through its aligned 4-byte word relative to base). */
static __always_inline int ep_write_byte(void *ctx, const enum sr6_hook hook, __u32 base,
					 __u32 rel, __u8 v)
{
	__u32 woff = base + (rel & ~3U);
	__u8 w[4], *p = ctx_ptr(ctx, hook, woff, 4);

	if (!p)
		return -1;
	__builtin_memcpy(w, p, 4);
	w[rel & 3] = v;
	return ep_write(ctx, hook, woff, w, 4);
}

/* Decrement the hop limit / TTL of the IP header at l3_off (IPv4: checksum updated). */
static __always_inline void ep_dec_hop_limit(void *ctx, const enum sr6_hook hook, __u32 l3_off,
					     __u16 l3_proto)
{
	if (l3_proto == ETH_P_IPV6) {
		__u8 *hl = ctx_ptr(ctx, hook, l3_off + IP6_OFF_HOPLIMIT, 1);

		if (hl)
			ep_write_byte(ctx, hook, l3_off, IP6_OFF_HOPLIMIT, *hl - 1);
	} else {
		struct iphdr *ip4 = ctx_ptr(ctx, hook, l3_off, 20);
		__u32 check;

		if (!ip4)
			return;
		/* RFC 1624 incremental update, as the kernel's ip_decrease_ttl(). */
		check = ip4->check;
		check += bpf_htons(0x0100);
		ip4->check = (__sum16)(check + (check >= 0xffff));
		ip4->ttl--;
	}
}

/*
 * The last step of every behaviour: hop limit check, FIB lookup, redirect.  The SID counts
 * the packet (RFC 8986 section 6) once its behaviour has run, whether the fast path or the
 * kernel forwards it; a drop here is not counted as processed.
 */
static __always_inline int ep_forward(void *ctx, const enum sr6_hook hook,
				      const struct sr6_fib_req *req, const struct ep_env *env)
{
	__u32 stats_id = env->stats_id;
	__u64 bytes = env->bytes;
	enum sr6_fib_result res;
	__u32 hl_off = req->l3_off + (req->l3_proto == ETH_P_IPV6 ? IP6_OFF_HOPLIMIT : 8);
	__u8 *hl = ctx_ptr(ctx, hook, hl_off, 1);
	int verdict = 0;
	__u32 mtu = 0;

	if (!hl)
		return stats_drop(hook, req->l3_proto == ETH_P_IPV6 ? SR6_DROP_MALFORMED_IP6 :
								      SR6_DROP_MALFORMED_IP4);
	if (*hl <= 1) {
		/* The kernel delivers it if local, else sends Time Exceeded (RFC 8754 4.3.1). */
		stats_count(&SR6_MAP_SID_STATS, stats_id, bytes);
		return stats_punt(hook, SR6_EVENT_HOP_LIMIT);
	}
	if (env->cfg_flags & SR6_CFG_FIB_CACHE)
		res = fib_forward_cached(ctx, hook, req, &verdict, &mtu);
	else
		res = fib_forward(ctx, hook, req, &verdict, &mtu);
	switch (res) {
	case SR6_FIB_REDIRECTED:
		ep_dec_hop_limit(ctx, hook, req->l3_off, req->l3_proto);
		stats_count(&SR6_MAP_SID_STATS, stats_id, bytes);
		return verdict;
	case SR6_FIB_PUNTED:
		stats_count(&SR6_MAP_SID_STATS, stats_id, bytes);
		return verdict;
	case SR6_FIB_DROPPED:
		return verdict;
	default:
		stats_count(&SR6_MAP_SID_STATS, stats_id, bytes);
		return stats_punt(hook, SR6_EVENT_FRAG_NEEDED);
	}
}

/*
 * XDP: remove len bytes after the first 14 (keep_ip6 0: decapsulation) or after the first 54
 * (keep_ip6 1: an SRH right after the IPv6 header).  A subprogram of its own, verified once
 * for both callers, with the saved header on its own stack frame.
 */
static __noinline int ep_xdp_strip(struct xdp_md *ctx, int keep_ip6, __u32 len)
{
	/* The 54 bytes to keep, in word loads (x86 reads packets unaligned at no cost). */
	__u64 w[6];
	__u32 w6;
	__u16 w7;
	void *p = ctx_ptr(ctx, SR6_HOOK_XDP, 0, ETH_HLEN + IP6_HLEN);
	int i;

	if (!p || len > SR6_MAX_HDR_OFF)
		return -1;
	for (i = 0; i < 6; i++)
		w[i] = *(__u64 *)(p + 8 * i);
	w6 = *(__u32 *)(p + 48);
	w7 = *(__u16 *)(p + 52);
	if (bpf_xdp_adjust_head(ctx, (int)len))
		return -1;
	if (keep_ip6) {
		p = ctx_ptr(ctx, SR6_HOOK_XDP, 0, ETH_HLEN + IP6_HLEN);
		if (!p)
			return -1;
		for (i = 0; i < 6; i++)
			*(__u64 *)(p + 8 * i) = w[i];
		*(__u32 *)(p + 48) = w6;
		*(__u16 *)(p + 52) = w7;
	} else {
		/* Only the Ethernet header: bytes 0..13. */
		p = ctx_ptr(ctx, SR6_HOOK_XDP, 0, ETH_HLEN);
		if (!p)
			return -1;
		*(__u64 *)p = w[0];
		*(__u32 *)(p + 8) = (__u32)w[1];
		*(__u16 *)(p + 12) = (__u16)(w[1] >> 32);
	}
	return 0;
}

/*
 * Remove the SRH at srh_off, which directly follows the IPv6 header (PSP, USP).  The IPv6
 * header takes the SRH's Next Header and loses its length.  Returns 0 or -1.
 */
static __always_inline int ep_pop_srh(void *ctx, const enum sr6_hook hook, __u32 l3_off,
				      const struct srh_fixed *srh)
{
	__u32 len = srh_len(srh);
	struct ipv6hdr *ip6;
	__u16 plen;
	__u8 w[4];

	if (ctx_is_xdp(hook)) {
		if (l3_off != ETH_HLEN || ep_xdp_strip(ctx, 1, len))
			return -1;
	} else if (bpf_skb_adjust_room(ctx, -(__s32)len, BPF_ADJ_ROOM_NET, 0)) {
		return -1;
	}
	ip6 = ctx_ptr(ctx, hook, l3_off, IP6_HLEN);
	if (!ip6)
		return -1;
	plen = bpf_ntohs(ip6->payload_len) - (__u16)len;
	w[0] = (__u8)(plen >> 8);
	w[1] = (__u8)plen;
	w[2] = srh->nexthdr;
	w[3] = ip6->hop_limit;
	return ep_write(ctx, hook, l3_off + IP6_OFF_PLEN, w, 4);
}

/*
 * Decapsulation (End.DX6, End.DX4, End.DT6, and the USD flavor): the outer IPv6 header and
 * all its extension headers go; the inner packet is forwarded by the SID's next hop or table.
 * inner is IPPROTO_IPV6, IPPROTO_IPIP, or 0 for either (USD).
 */
static __always_inline int ep_decap(void *ctx, const enum sr6_hook hook, struct sr6_pkt *pkt,
				    const struct sr6_sid *sid, __u8 inner, const struct ep_env *env)
{
	struct sr6_fib_req req = { .l3_off = ETH_HLEN, .table = sid->table, .oif_out = env->oif };
	__u32 decap_len = pkt->l4_off - pkt->l3_off;
	__u64 tc_flags;

	if (pkt->srh_off) {
		struct srh_fixed srh;

		if (srh_read(ctx, hook, pkt->srh_off, &srh))
			return stats_drop(hook, SR6_DROP_MALFORMED_SRH);
		if (srh.sl != 0)	/* RFC 8986 4.4 S02 (the kernel drops too) */
			return stats_drop(hook, SR6_DROP_SL_NOT_ZERO);
	}
	if (pkt->frag != SR6_FRAG_NONE || (!ctx_is_xdp(hook) && ctx_is_gso(ctx, hook)))
		return stats_punt(hook, SR6_EVENT_SLOW_PATH);
	if (pkt->l4_proto == IPPROTO_IPV6 && (!inner || inner == IPPROTO_IPV6)) {
		struct ipv6hdr *ip6 = ctx_ptr(ctx, hook, pkt->l4_off, IP6_HLEN);

		if (!ip6 || ip6->version != 6)
			return stats_drop(hook, SR6_DROP_MALFORMED_IP6);
		req.l3_proto = ETH_P_IPV6;
		req.tot_len = IP6_HLEN + bpf_ntohs(ip6->payload_len);
		if (sid->behavior == SR6_END_DX6 || sid->behavior == SR6_END_X)
			req.nh6 = &sid->nh6;
		tc_flags = BPF_F_ADJ_ROOM_DECAP_L3_IPV6;
	} else if (pkt->l4_proto == IPPROTO_IPIP && (!inner || inner == IPPROTO_IPIP)) {
		struct iphdr *ip4 = ctx_ptr(ctx, hook, pkt->l4_off, 20);

		if (!ip4 || ip4->version != 4 || ip4->ihl < 5)
			return stats_drop(hook, SR6_DROP_MALFORMED_IP4);
		req.l3_proto = ETH_P_IP;
		req.tot_len = bpf_ntohs(ip4->tot_len);
		if (sid->behavior == SR6_END_DX4)
			req.nh4 = sid->nh4;
		tc_flags = BPF_F_ADJ_ROOM_DECAP_L3_IPV4;
	} else {
		return stats_drop(hook, SR6_DROP_INNER_MISMATCH);
	}
	if (ctx_is_gso(ctx, hook))
		req.tot_len = 0;
	if (ctx_is_xdp(hook) ? ep_xdp_strip(ctx, 0, decap_len) :
			       bpf_skb_adjust_room(ctx, -(__s32)decap_len, BPF_ADJ_ROOM_MAC, tc_flags))
		return stats_drop(hook, SR6_DROP_NO_HEADROOM);
	if (req.l3_proto == ETH_P_IP) {
		struct ethhdr *eth = ctx_ptr(ctx, hook, 0, ETH_HLEN);

		if (!eth)
			return stats_drop(hook, SR6_DROP_MALFORMED_ETH);
		eth->h_proto = bpf_htons(ETH_P_IP);
	}
	return ep_forward(ctx, hook, &req, env);
}

/*
 * End, End.X, End.T with Segments Left 0 or without an SRH: the upper layer is for this node.
 * USD decapsulates an inner IPv6/IPv4 packet; USP removes the SRH; either way the kernel
 * processes what is left (RFC 8986 4.16.2/4.16.3).
 */
static __always_inline int ep_end_final(void *ctx, const enum sr6_hook hook, struct sr6_pkt *pkt,
					const struct sr6_sid *sid, const struct ep_env *env)
{
	struct srh_fixed srh;

	if ((sid->flavors & SR6_FLV_USD) &&
	    (pkt->l4_proto == IPPROTO_IPV6 || pkt->l4_proto == IPPROTO_IPIP))
		return EP_DECAP;
	if ((sid->flavors & SR6_FLV_USP) && pkt->srh_off) {
		if (pkt->srh_off != pkt->l3_off + IP6_HLEN)
			return stats_punt(hook, SR6_EVENT_SLOW_PATH);
		if (srh_read(ctx, hook, pkt->srh_off, &srh))
			return stats_drop(hook, SR6_DROP_MALFORMED_SRH);
		if (ep_pop_srh(ctx, hook, pkt->l3_off, &srh))
			return stats_drop(hook, SR6_DROP_NO_HEADROOM);
		stats_count(&SR6_MAP_SID_STATS, env->stats_id, env->bytes);
	}
	return stats_punt(hook, SR6_EVENT_SL_ZERO);
}

/* End, End.X, End.T (RFC 8986 4.1-4.3) with their flavors. */
static __always_inline int ep_end(void *ctx, const enum sr6_hook hook, struct sr6_pkt *pkt,
				  const struct sr6_sid *sid, const struct ep_env *env)
{
	struct sr6_fib_req req = { .l3_off = pkt->l3_off, .l3_proto = ETH_P_IPV6,
				   .tot_len = pkt->ip_len, .oif_out = env->oif };
	__u32 da_off = pkt->l3_off + IP6_OFF_DADDR;
	struct srh_fixed srh;
	union sr6_in6 next;
	int err;
	__u8 sl;

	if (sid->behavior == SR6_END_X)
		req.nh6 = &sid->nh6;
	else if (sid->behavior == SR6_END_T)
		req.table = sid->table;
	if (ctx_is_gso(ctx, hook))
		req.tot_len = 0;

	if (sid->flavors & SR6_FLV_NEXT_CSID) {
		__u32 b = sid->lcblock_bits ? sid->lcblock_bits : CSID_DEFAULT_BLOCK_BITS;
		__u32 nf = sid->lcnode_fn_bits ? sid->lcnode_fn_bits : CSID_DEFAULT_NODE_FN_BITS;
		union sr6_in6 *da = ctx_ptr(ctx, hook, da_off, 16);

		if (!da)
			return stats_drop(hook, SR6_DROP_MALFORMED_IP6);
		__builtin_memcpy(&next, da, 16);
		if (csid_next(&next, b, nf)) {
			/* RFC 9800 4.1.1: shift, SL untouched, even without an SRH. */
			if (ep_write(ctx, hook, da_off, &next, 16))
				return stats_drop(hook, SR6_DROP_MALFORMED_IP6);
			return ep_forward(ctx, hook, &req, env);
		}
	}
	if (!pkt->srh_off)
		return ep_end_final(ctx, hook, pkt, sid, env);
	if (srh_read(ctx, hook, pkt->srh_off, &srh))
		return stats_drop(hook, SR6_DROP_MALFORMED_SRH);
	if (srh.sl == 0)
		return ep_end_final(ctx, hook, pkt, sid, env);
	err = srh_check(&srh);
	if (err)
		return stats_drop(hook, err);
	if (srh.flags & SRH_FLAG_HMAC)
		return stats_punt(hook, SR6_EVENT_HMAC);
	sl = srh.sl - 1;
	if (sl == 0 && (sid->flavors & SR6_FLV_PSP) && pkt->srh_off != pkt->l3_off + IP6_HLEN)
		return stats_punt(hook, SR6_EVENT_SLOW_PATH);
	if (srh_seg_read(ctx, hook, pkt->srh_off, sl, &next))
		return stats_drop(hook, SR6_DROP_MALFORMED_SRH);
	if (ep_write_byte(ctx, hook, pkt->srh_off, SRH_OFF_SL, sl) ||
	    ep_write(ctx, hook, da_off, &next, 16))
		return stats_drop(hook, SR6_DROP_MALFORMED_SRH);
	if (sl == 0 && (sid->flavors & SR6_FLV_PSP)) {
		/* RFC 8986 4.16.1: the penultimate SID pops the SRH. */
		if (ep_pop_srh(ctx, hook, pkt->l3_off, &srh))
			return stats_drop(hook, SR6_DROP_NO_HEADROOM);
		if (req.tot_len)
			req.tot_len -= (__u16)srh_len(&srh);
	}
	return ep_forward(ctx, hook, &req, env);
}

/* The SID's parameters make sense for its behaviour (the agent checks too). */
static __always_inline int ep_sid_valid(const struct sr6_sid *sid)
{
	if (sid->stats_id >= SR6_MAX_LOCAL_SIDS)
		return 0;
	switch (sid->behavior) {
	case SR6_END:
	case SR6_END_X:
	case SR6_END_T:
		if (sid->flavors & ~EP_END_FLAVORS)
			return 0;
		if ((sid->flavors & SR6_FLV_NEXT_CSID) && (sid->lcblock_bits || sid->lcnode_fn_bits))
			return csid_lengths_valid(sid->lcblock_bits, sid->lcnode_fn_bits);
		return 1;
	case SR6_END_DX6:
	case SR6_END_DX4:
	case SR6_END_DT6:
		return sid->flavors == 0;
	default:
		return 0;
	}
}

static __always_inline int endpoint_run(void *ctx, const enum sr6_hook hook, struct sr6_pkt *pkt,
					const struct sr6_sid *sid, __u32 cfg_flags)
{
	__u32 oif = 0;
	struct ep_env env = { .bytes = pkt->ip_len, .oif = &oif, .stats_id = sid->stats_id,
			      .cfg_flags = cfg_flags };
	__u8 inner = 0;	/* either family (USD) */
	int verdict;

	if (!ep_sid_valid(sid))
		return stats_drop(hook, SR6_DROP_BAD_BEHAVIOR);
	switch (sid->behavior) {
	case SR6_END_DX6:
	case SR6_END_DT6:
		inner = IPPROTO_IPV6;
		break;
	case SR6_END_DX4:
		inner = IPPROTO_IPIP;
		break;
	default:
		verdict = ep_end(ctx, hook, pkt, sid, &env);
		if (verdict != EP_DECAP)
			return verdict;
	}
	return ep_decap(ctx, hook, pkt, sid, inner, &env);
}

/*
 * One global function per hook: the verifier checks the behaviours once, not once per path
 * of the caller (see parse.h).  They return the hook's verdict.
 */
__noinline int endpoint_xdp(struct xdp_md *ctx, struct sr6_pkt *pkt, struct sr6_sid *sid,
			    __u32 cfg_flags)
{
	if (!pkt || !sid)
		return XDP_DROP;
	return endpoint_run(ctx, SR6_HOOK_XDP, pkt, sid, cfg_flags);
}

__noinline int endpoint_tc(struct __sk_buff *ctx, struct sr6_pkt *pkt, struct sr6_sid *sid,
			   __u32 cfg_flags)
{
	if (!pkt || !sid)
		return TC_ACT_SHOT;
	return endpoint_run(ctx, SR6_HOOK_TC_INGRESS, pkt, sid, cfg_flags);
}

/*
 * The endpoint step.  parse_ret is parse_packet()'s result.  Returns 1 when the packet was
 * addressed to a local SID and *verdict holds the verdict, 0 when it is not the endpoint's
 * (not IPv6, destination not a local SID): the caller goes on with its next step.
 */
static __always_inline int endpoint_step(void *ctx, const enum sr6_hook hook, struct sr6_pkt *pkt,
					 int parse_ret, const struct sr6_config *cfg, int *verdict)
{
	struct sr6_sid *v;
	union sr6_in6 *da;

	if (!cfg || !(cfg->flags & (SR6_CFG_SIDS | SR6_CFG_LOCATORS)))
		return 0;
	if (pkt->l3_proto != ETH_P_IPV6)
		return 0;
	/* A truncated transport header does not matter here; a broken chain does (below). */
	if (parse_ret != 0 && parse_ret != SR6_DROP_MALFORMED_EXTHDR &&
	    parse_ret != SR6_DROP_TRUNCATED_L4)
		return 0;
	/* The destination is looked up where it is: a key in the packet needs no copy. */
	da = ctx_ptr(ctx, hook, pkt->l3_off + IP6_OFF_DADDR, 16);
	if (!da)
		return 0;
	v = endpoint_lookup(cfg, da);
	if (!v)
		return 0;
	if (v->behavior == SR6_END_BPF) {
		/* Its seg6local End.BPF route runs the function. */
		*verdict = ctx_pass(hook);
		return 1;
	}
	if (parse_ret == SR6_DROP_MALFORMED_EXTHDR) {
		*verdict = stats_drop(hook, SR6_DROP_MALFORMED_EXTHDR);
		return 1;
	}
	if (pkt->rh_off && pkt->rh_off != pkt->srh_off) {
		/* RFC 8754 covers routing type 4 only: another type is the kernel's. */
		*verdict = stats_punt(hook, SR6_EVENT_RH_OTHER);
		return 1;
	}
	/* The SID's value is read in place: an update replaces the element (no prealloc, RCU),
	 * so the one a packet found stays whole while the packet uses it. */
	if (ctx_is_xdp(hook))
		*verdict = endpoint_xdp(ctx, pkt, v, cfg->flags);
	else
		*verdict = endpoint_tc(ctx, pkt, v, cfg->flags);
	return 1;
}

#endif /* SR6_LIB_ENDPOINT_H */
