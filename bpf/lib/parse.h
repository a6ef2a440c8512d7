/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * parse.h: bounds-checked parsing of Ethernet, IPv6 (with its extension header chain), IPv4 and
 * the transport ports.  The result is a struct sr6_pkt of offsets and fields; the packet itself
 * is never modified here.  Every path that reads a byte checks it against data_end first.
 */
#ifndef SR6_LIB_PARSE_H
#define SR6_LIB_PARSE_H

#include "lib/ctx.h"
#include "sr6_abi.h"

#define IPPROTO_HOPOPTS		0
#define IPPROTO_ICMP		1
#define IPPROTO_IPIP		4
#define IPPROTO_TCP		6
#define IPPROTO_UDP		17
#define IPPROTO_IPV6		41
#define IPPROTO_ROUTING		43
#define IPPROTO_FRAGMENT	44
#define IPPROTO_AH		51
#define IPPROTO_ICMPV6		58
#define IPPROTO_NONE		59
#define IPPROTO_DSTOPTS		60
#define IPPROTO_SCTP		132

#define SR6_RH_TYPE_SRH		4
/* Extension headers walked before giving up on finding the upper layer. */
#define SR6_MAX_EXTHDRS		6

enum sr6_frag {
	SR6_FRAG_NONE,
	SR6_FRAG_FIRST,		/* offset 0, more fragments: ports are present */
	SR6_FRAG_LATER,		/* offset > 0: no transport header in this packet */
};

struct sr6_pkt {
	__u16	l3_off;		/* offset of the IPv6 / IPv4 header */
	__u16	l3_proto;	/* ETH_P_IPV6 or ETH_P_IP, host order */
	__u16	l4_off;		/* offset of the upper-layer header, 0 if not in this packet */
	__u16	srh_off;	/* offset of the first routing header of type 4, 0 if none */
	__u16	rh_off;		/* offset of the first routing header of any type, 0 if none */
	__u16	ip_len;		/* bytes of the IP packet per its header (IPv6: 40 + payload length) */
	__u16	srh_prev_off;	/* with srh_off: offset of the Next Header byte announcing the SRH */
	__u8	l4_proto;	/* upper-layer protocol (after IPv6 extension headers) */
	__u8	frag;		/* enum sr6_frag */
	__u8	exthdrs;	/* IPv6 extension headers seen */
	__u8	dscp;		/* 0 .. 63 */
	__u8	hop_limit;	/* IPv6 hop limit or IPv4 TTL */
	__u16	sport;		/* host order; 0 when there are no ports */
	__u16	dport;
};

struct ip6_exthdr {
	__u8	nexthdr;
	__u8	hdrlen;		/* 8-octet units after the first 8 (AH: 4-octet units after the first 8) */
};

struct ip6_fraghdr {
	__u8	nexthdr;
	__u8	reserved;
	__be16	frag_off;	/* offset (13 bits) | res (2) | M (1) */
	__be32	identification;
};

/* The IPv6 extension headers the walk steps over (anything else is the upper layer). */
static __always_inline int parse_is_exthdr(__u8 nh)
{
	return nh == IPPROTO_HOPOPTS || nh == IPPROTO_ROUTING || nh == IPPROTO_DSTOPTS ||
	       nh == IPPROTO_FRAGMENT || nh == IPPROTO_AH;
}

/* Ethernet; VLAN-tagged frames are not ours and pass untouched. Returns 0 or -1. */
static __always_inline int parse_eth(void *ctx, const enum sr6_hook hook, struct sr6_pkt *pkt)
{
	struct ethhdr *eth = ctx_ptr(ctx, hook, 0, ETH_HLEN);

	if (!eth)
		return -1;
	pkt->l3_off = ETH_HLEN;
	pkt->l3_proto = bpf_ntohs(eth->h_proto);
	return 0;
}

/* Ports of a TCP, UDP or SCTP header at pkt->l4_off (all three start with sport, dport). */
static __always_inline int parse_ports(void *ctx, const enum sr6_hook hook, struct sr6_pkt *pkt)
{
	__be16 *ports;

	pkt->sport = 0;
	pkt->dport = 0;
	if (!pkt->l4_off || (pkt->l4_proto != IPPROTO_TCP && pkt->l4_proto != IPPROTO_UDP &&
			     pkt->l4_proto != IPPROTO_SCTP))
		return 0;
	ports = ctx_ptr(ctx, hook, pkt->l4_off, 4);
	if (!ports)
		return -1;
	pkt->sport = bpf_ntohs(ports[0]);
	pkt->dport = bpf_ntohs(ports[1]);
	return 0;
}

/*
 * The IPv6 extension header chain after the fixed header: sets srh_off, rh_off,
 * srh_prev_off, frag, exthdrs, l4_proto and l4_off.  Returns 0 or a drop reason.
 *
 * The walk is a global function, one per hook: the verifier checks a global function once,
 * on its own, instead of once per path through every caller, which keeps the programs that
 * parse packets far from the verifier's instruction limit.
 */
static __always_inline int parse_exthdrs(void *ctx, const enum sr6_hook hook, struct sr6_pkt *pkt,
					 __u8 nh)
{
	__u32 off = pkt->l3_off + IP6_HLEN, end = pkt->l3_off + (__u32)pkt->ip_len;
	__u16 srh_off = 0, rh_off = 0, prev_off = pkt->l3_off + 6;
	__u8 frag = SR6_FRAG_NONE, n;

	for (n = 0; n < SR6_MAX_EXTHDRS; n++) {
		struct ip6_exthdr *eh;
		__u32 len;

		if (!parse_is_exthdr(nh))
			break;
		eh = ctx_ptr(ctx, hook, off, 8);
		if (!eh)
			return SR6_DROP_MALFORMED_EXTHDR;
		if (nh == IPPROTO_FRAGMENT) {
			__be16 fo = ((struct ip6_fraghdr *)eh)->frag_off;

			/* Offset 0 and M 0 is an atomic fragment: a whole packet. */
			if (fo & bpf_htons(0xfff8))
				frag = SR6_FRAG_LATER;
			else if (fo & bpf_htons(1))
				frag = SR6_FRAG_FIRST;
			len = 8;
		} else if (nh == IPPROTO_AH) {
			len = ((__u32)eh->hdrlen + 2) * 4;
		} else {
			len = ((__u32)eh->hdrlen + 1) * 8;
		}
		if (nh == IPPROTO_ROUTING) {
			/* Byte 2 of a routing header is its type; the 8 bytes are in the packet. */
			__u8 type = ((__u8 *)eh)[2];

			if (!rh_off)
				rh_off = off;
			if (type == SR6_RH_TYPE_SRH && !srh_off)
				srh_off = off;
		}
		if (!srh_off)
			prev_off = off;
		if (off + len > end)
			return SR6_DROP_MALFORMED_EXTHDR;
		nh = eh->nexthdr;
		off += len;
		if (frag == SR6_FRAG_LATER)
			break;
	}
	pkt->srh_off = srh_off;
	pkt->rh_off = rh_off;
	pkt->srh_prev_off = prev_off;
	pkt->frag = frag;
	pkt->exthdrs = n;
	pkt->l4_proto = nh;
	pkt->l4_off = (frag == SR6_FRAG_LATER) ? 0 : off;
	return 0;
}

__noinline int parse_exthdrs_xdp(struct xdp_md *ctx, struct sr6_pkt *pkt, __u8 nh)
{
	if (!pkt)
		return SR6_DROP_MALFORMED_EXTHDR;
	return parse_exthdrs(ctx, SR6_HOOK_XDP, pkt, nh);
}

__noinline int parse_exthdrs_tc(struct __sk_buff *ctx, struct sr6_pkt *pkt, __u8 nh)
{
	if (!pkt)
		return SR6_DROP_MALFORMED_EXTHDR;
	return parse_exthdrs(ctx, SR6_HOOK_TC_INGRESS, pkt, nh);
}

/*
 * IPv6 header and extension header chain.  Returns 0, or a drop reason when the packet is
 * malformed (truncated header, payload length beyond the packet, truncated chain).
 */
static __always_inline int parse_ipv6(void *ctx, const enum sr6_hook hook, struct sr6_pkt *pkt)
{
	struct ipv6hdr *ip6 = ctx_ptr(ctx, hook, pkt->l3_off, IP6_HLEN);
	__u8 nh;

	if (!ip6 || ip6->version != 6)
		return SR6_DROP_MALFORMED_IP6;
	pkt->ip_len = IP6_HLEN + bpf_ntohs(ip6->payload_len);
	/* Payload length 0 is a jumbogram (RFC 2675), which sr6 does not carry. */
	if (ip6->payload_len == 0 || pkt->l3_off + (__u32)pkt->ip_len > ctx_len(ctx, hook))
		return SR6_DROP_MALFORMED_IP6;
	pkt->dscp = ((ip6->priority << 4) | (ip6->flow_lbl[0] >> 4)) >> 2;
	pkt->hop_limit = ip6->hop_limit;
	nh = ip6->nexthdr;
	if (!parse_is_exthdr(nh)) {
		/* No extension headers: the common case, decided without a call. */
		pkt->srh_off = 0;
		pkt->rh_off = 0;
		pkt->srh_prev_off = pkt->l3_off + 6;
		pkt->frag = SR6_FRAG_NONE;
		pkt->exthdrs = 0;
		pkt->l4_proto = nh;
		pkt->l4_off = pkt->l3_off + IP6_HLEN;
		return 0;
	}
	if (nh == IPPROTO_ROUTING) {
		/* One routing header and then the upper layer (every SRv6 packet from an
		 * H.Encaps headend): decided inline as well, as the walk would. */
		__u32 off = pkt->l3_off + IP6_HLEN, len;
		struct ip6_exthdr *eh = ctx_ptr(ctx, hook, off, 8);

		if (eh && !parse_is_exthdr(eh->nexthdr)) {
			len = ((__u32)eh->hdrlen + 1) * 8;
			if (off + len > pkt->l3_off + (__u32)pkt->ip_len)
				return SR6_DROP_MALFORMED_EXTHDR;
			pkt->rh_off = off;
			pkt->srh_off = ((__u8 *)eh)[2] == SR6_RH_TYPE_SRH ? off : 0;
			pkt->srh_prev_off = pkt->srh_off ? pkt->l3_off + 6 : off;
			pkt->frag = SR6_FRAG_NONE;
			pkt->exthdrs = 1;
			pkt->l4_proto = eh->nexthdr;
			pkt->l4_off = off + len;
			return 0;
		}
	}
	if (ctx_is_xdp(hook))
		return parse_exthdrs_xdp(ctx, pkt, nh);
	return parse_exthdrs_tc(ctx, pkt, nh);
}

/* IPv4 header.  Returns 0 or a drop reason. */
static __always_inline int parse_ipv4(void *ctx, const enum sr6_hook hook, struct sr6_pkt *pkt)
{
	struct iphdr *ip4 = ctx_ptr(ctx, hook, pkt->l3_off, 20);
	__u32 ihl;

	if (!ip4 || ip4->version != 4 || ip4->ihl < 5)
		return SR6_DROP_MALFORMED_IP4;
	ihl = ip4->ihl * 4;
	pkt->ip_len = bpf_ntohs(ip4->tot_len);
	if (pkt->ip_len < ihl || pkt->l3_off + (__u32)pkt->ip_len > ctx_len(ctx, hook))
		return SR6_DROP_MALFORMED_IP4;
	pkt->dscp = ip4->tos >> 2;
	pkt->hop_limit = ip4->ttl;
	pkt->l4_proto = ip4->protocol;
	pkt->srh_off = 0;
	pkt->rh_off = 0;
	pkt->exthdrs = 0;
	if (ip4->frag_off & bpf_htons(0x1fff))
		pkt->frag = SR6_FRAG_LATER;
	else if (ip4->frag_off & bpf_htons(0x2000))
		pkt->frag = SR6_FRAG_FIRST;
	else
		pkt->frag = SR6_FRAG_NONE;
	pkt->l4_off = (pkt->frag == SR6_FRAG_LATER) ? 0 : pkt->l3_off + ihl;
	return 0;
}

/*
 * Ethernet, then IPv6 or IPv4, then ports.  Returns 0 when the packet is IP and parsed,
 * 1 when it is not IP (not ours), or a drop reason.
 */
static __always_inline int parse_packet(void *ctx, const enum sr6_hook hook, struct sr6_pkt *pkt)
{
	int ret;

	if (parse_eth(ctx, hook, pkt))
		return SR6_DROP_MALFORMED_ETH;
	if (pkt->l3_proto == ETH_P_IPV6)
		ret = parse_ipv6(ctx, hook, pkt);
	else if (pkt->l3_proto == ETH_P_IP)
		ret = parse_ipv4(ctx, hook, pkt);
	else
		return 1;
	if (ret)
		return ret;
	if (parse_ports(ctx, hook, pkt))
		return SR6_DROP_TRUNCATED_L4;
	return 0;
}

#endif /* SR6_LIB_PARSE_H */
