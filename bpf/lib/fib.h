/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * fib.h: route a packet that sr6 has finished rewriting: bpf_fib_lookup on its (new)
 * destination, then redirect with the right MAC addresses.  When the fast path cannot
 * complete (no neighbour entry at XDP, a route the kernel must handle, too big for the MTU),
 * the packet goes to the kernel as it is, already rewritten, so it is never lost; the reason is
 * counted in sr6_events.
 */
#ifndef SR6_LIB_FIB_H
#define SR6_LIB_FIB_H

#include "lib/ctx.h"
#include "lib/stats.h"

#define AF_INET		2
#define AF_INET6	10

struct sr6_fib_req {
	__u32	l3_off;		/* the IP header to route */
	__u16	l3_proto;	/* ETH_P_IPV6 or ETH_P_IP */
	__u16	tot_len;	/* IP packet length, checked against the route MTU (0: no check) */
	__u32	table;		/* FIB table id; 0 = the main lookup (policy routing rules apply) */
	/*
	 * Next hop override (End.X, End.DX6, End.DX4): look up the next hop address instead of
	 * the packet's destination, so the packet leaves towards that neighbour.
	 */
	const union sr6_in6 *nh6;
	__be32	nh4;
	/* Optional: receives the egress ifindex when the lookup succeeded (not set when the
	 * neighbour is left to bpf_redirect_neigh). */
	__u32	*oif_out;
};

/* Result of fib_forward besides the verdict, for callers that answer some cases themselves. */
enum sr6_fib_result {
	SR6_FIB_REDIRECTED,	/* verdict redirects the packet */
	SR6_FIB_PUNTED,		/* verdict passes it to the kernel (event counted) */
	SR6_FIB_DROPPED,	/* verdict drops it (reason counted) */
	SR6_FIB_TOO_BIG,	/* nothing counted or decided: *mtu holds the route MTU */
};

/*
 * Look the packet up and redirect it.  *verdict receives the hook's verdict unless the result
 * is SR6_FIB_TOO_BIG (the caller sends Packet Too Big or punts with stats_punt).
 */
static __always_inline enum sr6_fib_result
fib_forward(void *ctx, const enum sr6_hook hook, const struct sr6_fib_req *req, int *verdict,
	    __u32 *mtu)
{
	struct bpf_fib_lookup p = {};
	struct ethhdr *eth;
	__u32 flags = 0;
	long rc;

	if (req->l3_proto == ETH_P_IPV6) {
		struct ipv6hdr *ip6 = ctx_ptr(ctx, hook, req->l3_off, IP6_HLEN);

		if (!ip6) {
			*verdict = stats_drop(hook, SR6_DROP_MALFORMED_IP6);
			return SR6_FIB_DROPPED;
		}
		p.family = AF_INET6;
		p.flowinfo = *(__be32 *)ip6 & bpf_htonl(0x0fffffff);
		__builtin_memcpy(p.ipv6_src, &ip6->saddr, 16);
		if (req->nh6)
			__builtin_memcpy(p.ipv6_dst, req->nh6, 16);
		else
			__builtin_memcpy(p.ipv6_dst, &ip6->daddr, 16);
		p.l4_protocol = ip6->nexthdr;
	} else {
		struct iphdr *ip4 = ctx_ptr(ctx, hook, req->l3_off, 20);

		if (!ip4) {
			*verdict = stats_drop(hook, SR6_DROP_MALFORMED_IP4);
			return SR6_FIB_DROPPED;
		}
		p.family = AF_INET;
		p.tos = ip4->tos;
		p.ipv4_src = ip4->saddr;
		p.ipv4_dst = req->nh4 ? req->nh4 : ip4->daddr;
		p.l4_protocol = ip4->protocol;
	}
	p.tot_len = req->tot_len;
	p.ifindex = ctx_ifindex(ctx, hook);
	if (req->table) {
		flags |= BPF_FIB_LOOKUP_TBID | BPF_FIB_LOOKUP_DIRECT;
		p.tbid = req->table;
	}

	rc = bpf_fib_lookup(ctx, &p, sizeof(p), flags);
	switch (rc) {
	case BPF_FIB_LKUP_RET_SUCCESS:
		eth = ctx_ptr(ctx, hook, 0, ETH_HLEN);
		if (!eth) {
			*verdict = stats_drop(hook, SR6_DROP_MALFORMED_ETH);
			return SR6_FIB_DROPPED;
		}
		__builtin_memcpy(eth->h_dest, p.dmac, 6);
		__builtin_memcpy(eth->h_source, p.smac, 6);
		if (req->oif_out)
			*req->oif_out = p.ifindex;
		*verdict = bpf_redirect(p.ifindex, 0);
		return SR6_FIB_REDIRECTED;
	case BPF_FIB_LKUP_RET_NO_NEIGH:
		if (!ctx_is_xdp(hook)) {
			/* tc can let the stack resolve the neighbour and queue the packet. */
			struct bpf_redir_neigh nh = {};

			nh.nh_family = p.family;
			if (p.family == AF_INET6)
				__builtin_memcpy(nh.ipv6_nh, p.ipv6_dst, 16);
			else
				nh.ipv4_nh = p.ipv4_dst;
			*verdict = bpf_redirect_neigh(p.ifindex, &nh, sizeof(nh), 0);
			return SR6_FIB_REDIRECTED;
		}
		*verdict = stats_punt(hook, SR6_EVENT_NO_NEIGH);
		return SR6_FIB_PUNTED;
	case BPF_FIB_LKUP_RET_FRAG_NEEDED:
		*mtu = p.mtu_result;
		return SR6_FIB_TOO_BIG;
	case BPF_FIB_LKUP_RET_BLACKHOLE:
		*verdict = stats_drop(hook, SR6_DROP_NO_ROUTE);
		return SR6_FIB_DROPPED;
	case BPF_FIB_LKUP_RET_UNSUPP_LWT:
		*verdict = stats_punt(hook, SR6_EVENT_LWT_ROUTE);
		return SR6_FIB_PUNTED;
	default:
		/* Unreachable or prohibited (the kernel sends the ICMP error), local destination,
		 * forwarding disabled, no source address: all the kernel's to decide. */
		*verdict = stats_punt(hook, SR6_EVENT_NOT_FWDED);
		return SR6_FIB_PUNTED;
	}
}

#endif /* SR6_LIB_FIB_H */
