/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * icmp.h: answer a packet that would leave too big once encapsulated, in place of that packet:
 * ICMPv6 Packet Too Big (RFC 4443 3.2) or ICMPv4 Destination Unreachable / Fragmentation
 * Needed (RFC 792, RFC 1191) carrying the MTU left for the inner packet.
 *
 * Not answered (dropped and counted as SR6_DROP_TOO_BIG), as the RFCs ask:
 *   - IPv6 with a reduced MTU below 1280 (RFC 8201: a PMTU is never lowered below 1280, so
 *     the answer would not help; the tunnel would have to fragment, which sr6 does not do)
 *   - IPv4 without DF (it may be fragmented, which sr6 does not do) or a later fragment
 *   - ICMP error messages (no error about an error: RFC 4443 2.4(e), RFC 1122 3.2.2)
 *   - above the rate limit (RFC 4443 2.4(f)): SR6_ICMP_RATE per second per CPU, bursts of
 *     SR6_ICMP_BURST
 *
 * The answer quotes as much of the packet as fits in 1280 bytes (IPv6) or 576 bytes (IPv4),
 * cut to a multiple of 4 bytes.  It is routed back to the packet's source; without a usable
 * route it goes back where the packet came from (MACs swapped); at tc egress (a packet of this
 * host) it is delivered to the local stack.
 */
#ifndef SR6_LIB_ICMP_H
#define SR6_LIB_ICMP_H

#include "lib/ctx.h"
#include "lib/encap.h"
#include "lib/fib.h"
#include "lib/parse.h"
#include "lib/stats.h"
#include "sr6_abi.h"

#define SR6_ICMP_RATE		1000	/* messages per second per CPU */
#define SR6_ICMP_BURST		50
#define ICMP6_HLEN		8
#define ICMP4_HLEN		8
#define IP4_HLEN		20
#define IPV6_MIN_MTU		1280
#define IPV4_MIN_MTU		68
#define ICMP6_QUOTE_MAX		(IPV6_MIN_MTU - IP6_HLEN - ICMP6_HLEN)
#define ICMP4_QUOTE_MAX		(576 - IP4_HLEN - ICMP4_HLEN)

struct icmp_bucket {
	__u64	last_ns;
	__u64	tokens;		/* in 1/SR6_ICMP_RATE s units, at most SR6_ICMP_BURST */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct icmp_bucket);
} sr6_icmp_bucket SEC(".maps");

/* Token bucket: 1 if a message may be sent now. */
static __always_inline int icmp_rate_ok(void)
{
	const __u64 step = 1000000000ull / SR6_ICMP_RATE;
	struct icmp_bucket *b;
	__u32 zero = 0;
	__u64 now;

	b = bpf_map_lookup_elem(&sr6_icmp_bucket, &zero);
	if (!b)
		return 0;
	now = bpf_ktime_get_ns();
	if (!b->last_ns) {
		b->tokens = SR6_ICMP_BURST;
	} else if (now > b->last_ns) {
		__u64 add = (now - b->last_ns) / step;

		b->tokens = add >= SR6_ICMP_BURST ? SR6_ICMP_BURST : b->tokens + add;
		if (b->tokens > SR6_ICMP_BURST)
			b->tokens = SR6_ICMP_BURST;
	}
	b->last_ns = now;
	if (!b->tokens)
		return 0;
	b->tokens--;
	return 1;
}

static __always_inline __u16 csum_fold32(__u64 s)
{
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (__u16)~s;
}

/*
 * One's-complement sum of len bytes (a multiple of 4) of the packet from offset off, added
 * to seed, read through the per-CPU buffer ENCAP_MOVE_CHUNK bytes at a time.
 */
static __always_inline __s64 icmp_csum_packet(void *ctx, const enum sr6_hook hook, __u32 off,
					       __u32 len, __s64 seed)
{
	struct encap_scratch *buf;
	__u32 zero = 0, i, n;

	buf = bpf_map_lookup_elem(&sr6_scratch, &zero);
	if (!buf)
		return -1;
	for (i = 0; i < ICMP6_QUOTE_MAX / ENCAP_MOVE_CHUNK + 1; i++) {
		if (!len)
			break;
		n = len > ENCAP_MOVE_CHUNK ? ENCAP_MOVE_CHUNK : len;
		if (n < 4 || off > 0x3fff)
			return -1;
		if (ctx_is_xdp(hook) ? bpf_xdp_load_bytes(ctx, off, buf->b, n)
				     : bpf_skb_load_bytes(ctx, off, buf->b, n))
			return -1;
		seed = bpf_csum_diff(NULL, 0, (__be32 *)buf->b, n & ~3u, (__wsum)seed);
		if (seed < 0)
			return -1;
		off += n;
		len -= n;
	}
	return len ? -1 : seed;
}

/*
 * Make room for hdr_len bytes of new headers after the Ethernet header and cut the frame to
 * quote bytes behind them.  0 or -1.
 */
static __always_inline int icmp_reshape(void *ctx, const enum sr6_hook hook, const struct sr6_pkt *pkt,
					__u32 hdr_len, __u32 quote)
{
	__u32 have = ctx_len(ctx, hook), want = pkt->l3_off + quote;

	if (ctx_is_xdp(hook)) {
		if (have > want && bpf_xdp_adjust_tail(ctx, -(int)(have - want)))
			return -1;
		return xdp_open_gap(ctx, ETH_HLEN, hdr_len);
	}
	/* Trimming also linearises the skb and turns GSO off: it becomes one small packet. */
	if (bpf_skb_change_tail(ctx, want, 0))
		return -1;
	return bpf_skb_adjust_room(ctx, (__s32)hdr_len, BPF_ADJ_ROOM_MAC, 0) ? -1 : 0;
}

/*
 * Send the answer now at offset 0: rewrite the MACs and choose where it goes.  fib is the
 * route back to the source (rc its result); orig_eth the Ethernet header of the packet.
 */
static __always_inline int icmp_send(void *ctx, const enum sr6_hook hook, long rc,
				     const struct bpf_fib_lookup *fib, const struct ethhdr *orig_eth,
				     __u16 proto)
{
	struct ethhdr *eth = ctx_ptr(ctx, hook, 0, ETH_HLEN);

	if (!eth)
		return stats_drop(hook, SR6_DROP_NO_HEADROOM);
	eth->h_proto = bpf_htons(proto);
	if (rc == BPF_FIB_LKUP_RET_SUCCESS && hook != SR6_HOOK_TC_EGRESS) {
		__builtin_memcpy(eth->h_dest, fib->dmac, 6);
		__builtin_memcpy(eth->h_source, fib->smac, 6);
		return bpf_redirect(fib->ifindex, 0);
	}
	/* Back to the neighbour it came from, or up to this host's stack at egress. */
	__builtin_memcpy(eth->h_dest, orig_eth->h_source, 6);
	__builtin_memcpy(eth->h_source, orig_eth->h_dest, 6);
	if (ctx_is_xdp(hook))
		return XDP_TX;
	if (hook == SR6_HOOK_TC_EGRESS)
		return bpf_redirect(((struct __sk_buff *)ctx)->ifindex, BPF_F_INGRESS);
	if (rc == BPF_FIB_LKUP_RET_NO_NEIGH) {
		struct bpf_redir_neigh nh = { .nh_family = fib->family };

		__builtin_memcpy(nh.ipv6_nh, fib->ipv6_dst, 16);
		return bpf_redirect_neigh(fib->ifindex, &nh, sizeof(nh), 0);
	}
	return bpf_redirect(((struct __sk_buff *)ctx)->ifindex, 0);
}

/* Route back towards addr (IPv6 or IPv4), asking the kernel for a source address too. */
static __always_inline long icmp_route_back(void *ctx, const enum sr6_hook hook,
					    struct bpf_fib_lookup *p, __u8 family, const void *addr)
{
	if (hook == SR6_HOOK_TC_EGRESS)
		return BPF_FIB_LKUP_RET_NOT_FWDED;	/* a local sender: delivered locally */
	p->family = family;
	p->ifindex = ctx_ifindex(ctx, hook);
	if (family == AF_INET6) {
		p->l4_protocol = IPPROTO_ICMPV6;
		__builtin_memcpy(p->ipv6_dst, addr, 16);
	} else {
		p->l4_protocol = IPPROTO_ICMP;
		__builtin_memcpy(&p->ipv4_dst, addr, 4);
	}
	return bpf_fib_lookup(ctx, p, sizeof(*p), BPF_FIB_LOOKUP_SRC);
}

static __always_inline int icmp6_too_big(void *ctx, const enum sr6_hook hook, const struct sr6_pkt *pkt,
					 const union sr6_in6 *fallback_src, __u32 mtu)
{
	struct bpf_fib_lookup p = {};
	struct {
		union sr6_in6 src, dst;
		__be32 len;
		__u8 zero[3];
		__u8 nh;
	} ph = {};
	struct ethhdr orig_eth;
	struct ipv6hdr *ip6;
	__u32 quote, *icmp;
	__s64 sum;
	long rc;
	void *hdr;

	if (mtu < IPV6_MIN_MTU)
		return stats_drop(hook, SR6_DROP_TOO_BIG);
	if (pkt->l4_proto == IPPROTO_ICMPV6 && pkt->l4_off) {
		__u8 *type = ctx_ptr(ctx, hook, pkt->l4_off, 1);

		if (!type || *type < 128)
			return stats_drop(hook, SR6_DROP_TOO_BIG);
	}
	hdr = ctx_ptr(ctx, hook, 0, ETH_HLEN + IP6_HLEN);
	if (!hdr)
		return stats_drop(hook, SR6_DROP_MALFORMED_IP6);
	ip6 = hdr + ETH_HLEN;
	/* No error to an unspecified or multicast source. */
	if (ip6->saddr.in6_u.u6_addr8[0] == 0xff ||
	    !(ip6->saddr.in6_u.u6_addr32[0] | ip6->saddr.in6_u.u6_addr32[1] |
	      ip6->saddr.in6_u.u6_addr32[2] | ip6->saddr.in6_u.u6_addr32[3]))
		return stats_drop(hook, SR6_DROP_TOO_BIG);
	if (!icmp_rate_ok())
		return stats_drop(hook, SR6_DROP_TOO_BIG);
	__builtin_memcpy(&orig_eth, hdr, ETH_HLEN);
	__builtin_memcpy(&ph.dst, &ip6->saddr, 16);

	rc = icmp_route_back(ctx, hook, &p, AF_INET6, &ph.dst);
	if (rc == BPF_FIB_LKUP_RET_SUCCESS || rc == BPF_FIB_LKUP_RET_NO_NEIGH)
		__builtin_memcpy(&ph.src, p.ipv6_src, 16);
	else
		ph.src = *fallback_src;

	quote = pkt->ip_len > ICMP6_QUOTE_MAX ? ICMP6_QUOTE_MAX : pkt->ip_len;
	quote &= ~3u;
	if (icmp_reshape(ctx, hook, pkt, IP6_HLEN + ICMP6_HLEN, quote))
		return stats_drop(hook, SR6_DROP_NO_HEADROOM);

	ip6 = ctx_ptr(ctx, hook, ETH_HLEN, IP6_HLEN + ICMP6_HLEN);
	if (!ip6)
		return stats_drop(hook, SR6_DROP_NO_HEADROOM);
	*(__be32 *)ip6 = bpf_htonl(0x60000000);
	ip6->payload_len = bpf_htons((__u16)(ICMP6_HLEN + quote));
	ip6->nexthdr = IPPROTO_ICMPV6;
	ip6->hop_limit = 64;
	__builtin_memcpy(&ip6->saddr, &ph.src, 16);
	__builtin_memcpy(&ip6->daddr, &ph.dst, 16);
	icmp = (__u32 *)(ip6 + 1);
	icmp[0] = bpf_htonl(2 << 24);	/* type 2 code 0, checksum 0 */
	icmp[1] = bpf_htonl(mtu);

	ph.len = bpf_htonl(ICMP6_HLEN + quote);
	ph.nh = IPPROTO_ICMPV6;
	sum = bpf_csum_diff(NULL, 0, (__be32 *)&ph, sizeof(ph), 0);
	if (sum >= 0)
		sum = bpf_csum_diff(NULL, 0, (__be32 *)icmp, ICMP6_HLEN, (__wsum)sum);
	if (sum >= 0)
		sum = icmp_csum_packet(ctx, hook, ETH_HLEN + IP6_HLEN + ICMP6_HLEN, quote, sum);
	if (sum < 0)
		return stats_drop(hook, SR6_DROP_NO_HEADROOM);
	icmp = ctx_ptr(ctx, hook, ETH_HLEN + IP6_HLEN, ICMP6_HLEN);
	if (!icmp)
		return stats_drop(hook, SR6_DROP_NO_HEADROOM);
	((__u16 *)icmp)[1] = csum_fold32((__u64)sum);
	stats_bump(&SR6_MAP_DROPS, SR6_DROP_TOO_BIG_ICMP);
	return icmp_send(ctx, hook, rc, &p, &orig_eth, ETH_P_IPV6);
}

static __always_inline int icmp4_frag_needed(void *ctx, const enum sr6_hook hook,
					     const struct sr6_pkt *pkt, __u32 mtu)
{
	struct bpf_fib_lookup p = {};
	struct ethhdr orig_eth;
	__be32 src, dst;
	struct iphdr *ip4;
	__u32 quote, *icmp;
	__s64 sum;
	long rc;
	void *hdr;

	if (mtu < IPV4_MIN_MTU || pkt->frag == SR6_FRAG_LATER)
		return stats_drop(hook, SR6_DROP_TOO_BIG);
	hdr = ctx_ptr(ctx, hook, 0, ETH_HLEN + IP4_HLEN);
	if (!hdr)
		return stats_drop(hook, SR6_DROP_MALFORMED_IP4);
	ip4 = hdr + ETH_HLEN;
	if (!(ip4->frag_off & bpf_htons(0x4000)))
		return stats_drop(hook, SR6_DROP_TOO_BIG);
	if (pkt->l4_proto == IPPROTO_ICMP && pkt->l4_off) {
		__u8 *type = ctx_ptr(ctx, hook, pkt->l4_off, 1);

		/* Only queries (echo, timestamp, ...) get an answer, never errors. */
		if (!type || (*type != 0 && *type != 8 && *type != 13 && *type != 14))
			return stats_drop(hook, SR6_DROP_TOO_BIG);
	}
	dst = ip4->saddr;
	if ((bpf_ntohl(dst) >> 28) >= 14 || !dst)	/* multicast, reserved, 0.0.0.0 */
		return stats_drop(hook, SR6_DROP_TOO_BIG);
	if (!icmp_rate_ok())
		return stats_drop(hook, SR6_DROP_TOO_BIG);
	__builtin_memcpy(&orig_eth, hdr, ETH_HLEN);
	rc = icmp_route_back(ctx, hook, &p, AF_INET, &dst);
	src = (rc == BPF_FIB_LKUP_RET_SUCCESS || rc == BPF_FIB_LKUP_RET_NO_NEIGH) && p.ipv4_src ?
		      p.ipv4_src : dst;	/* local sender: from and to itself */

	quote = pkt->ip_len > ICMP4_QUOTE_MAX ? ICMP4_QUOTE_MAX : pkt->ip_len;
	quote &= ~3u;
	if (icmp_reshape(ctx, hook, pkt, IP4_HLEN + ICMP4_HLEN, quote))
		return stats_drop(hook, SR6_DROP_NO_HEADROOM);

	ip4 = ctx_ptr(ctx, hook, ETH_HLEN, IP4_HLEN + ICMP4_HLEN);
	if (!ip4)
		return stats_drop(hook, SR6_DROP_NO_HEADROOM);
	*(__u32 *)ip4 = bpf_htonl(0x45c00000 | (IP4_HLEN + ICMP4_HLEN + quote));
	((__u32 *)ip4)[1] = 0;			/* id 0, no fragmentation flags */
	((__u32 *)ip4)[2] = bpf_htonl(64 << 24 | IPPROTO_ICMP << 16);	/* checksum 0 */
	ip4->saddr = src;
	ip4->daddr = dst;
	sum = bpf_csum_diff(NULL, 0, (__be32 *)ip4, IP4_HLEN, 0);
	if (sum < 0)
		return stats_drop(hook, SR6_DROP_NO_HEADROOM);
	ip4->check = csum_fold32((__u64)sum);
	icmp = (__u32 *)(ip4 + 1);
	icmp[0] = bpf_htonl(3 << 24 | 4 << 16);	/* type 3 code 4, checksum 0 */
	icmp[1] = bpf_htonl(mtu & 0xffff);
	sum = bpf_csum_diff(NULL, 0, (__be32 *)icmp, ICMP4_HLEN, 0);
	if (sum >= 0)
		sum = icmp_csum_packet(ctx, hook, ETH_HLEN + IP4_HLEN + ICMP4_HLEN, quote, sum);
	if (sum < 0)
		return stats_drop(hook, SR6_DROP_NO_HEADROOM);
	icmp = ctx_ptr(ctx, hook, ETH_HLEN + IP4_HLEN, ICMP4_HLEN);
	if (!icmp)
		return stats_drop(hook, SR6_DROP_NO_HEADROOM);
	((__u16 *)icmp)[1] = csum_fold32((__u64)sum);
	stats_bump(&SR6_MAP_DROPS, SR6_DROP_TOO_BIG_ICMP);
	return icmp_send(ctx, hook, rc, &p, &orig_eth, ETH_P_IP);
}

/*
 * The packet (not yet modified) is too big for the path: mtu is what is left for it once
 * encapsulated.  src6 is the address to answer IPv6 from when no route gives one.  Global
 * functions, one per hook: the verifier checks them once, apart from the fast path.
 */
static __always_inline int icmp_too_big(void *ctx, const enum sr6_hook hook, const struct sr6_pkt *pkt,
					const union sr6_in6 *src6, __s32 mtu)
{
	if (!pkt || !src6)
		return ctx_drop(hook);
	if (mtu < 0)
		return stats_drop(hook, SR6_DROP_TOO_BIG);
	if (pkt->l3_proto == ETH_P_IPV6)
		return icmp6_too_big(ctx, hook, pkt, src6, (__u32)mtu);
	return icmp4_frag_needed(ctx, hook, pkt, (__u32)mtu);
}

__noinline int icmp_too_big_xdp(struct xdp_md *ctx, const struct sr6_pkt *pkt,
				const union sr6_in6 *src6, __s32 mtu)
{
	return icmp_too_big(ctx, SR6_HOOK_XDP, pkt, src6, mtu);
}

__noinline int icmp_too_big_tc_ingress(struct __sk_buff *ctx, const struct sr6_pkt *pkt,
				       const union sr6_in6 *src6, __s32 mtu)
{
	return icmp_too_big(ctx, SR6_HOOK_TC_INGRESS, pkt, src6, mtu);
}

__noinline int icmp_too_big_tc_egress(struct __sk_buff *ctx, const struct sr6_pkt *pkt,
				      const union sr6_in6 *src6, __s32 mtu)
{
	return icmp_too_big(ctx, SR6_HOOK_TC_EGRESS, pkt, src6, mtu);
}

static __always_inline int icmp_too_big_hook(void *ctx, const enum sr6_hook hook,
					     const struct sr6_pkt *pkt, const union sr6_in6 *src6,
					     __s32 mtu)
{
	if (hook == SR6_HOOK_XDP)
		return icmp_too_big_xdp(ctx, pkt, src6, mtu);
	if (hook == SR6_HOOK_TC_INGRESS)
		return icmp_too_big_tc_ingress(ctx, pkt, src6, mtu);
	return icmp_too_big_tc_egress(ctx, pkt, src6, mtu);
}

#endif /* SR6_LIB_ICMP_H */
