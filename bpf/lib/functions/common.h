/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * functions/common.h: what every End.BPF function needs to know about its packet: the outer
 * IPv6 header and SRH (as the program sees them, after the kernel's End), the invoking SID,
 * and the inner flow.  The same code runs in the lwt_seg6local programs (the IPv6 header at
 * offset 0) and in the XDP/tc test wrappers (offset 14): l3_off says where it is.
 */
#ifndef SR6_LIB_FUNCTIONS_COMMON_H
#define SR6_LIB_FUNCTIONS_COMMON_H

#include "lib/ctx.h"
#include "lib/parse.h"
#include "lib/srh.h"
#include "sr6_abi.h"

struct fn_pkt {
	struct sr6_pkt pkt;	/* outer packet: srh_off, l4_proto, l4_off, ip_len */
	struct srh_fixed srh;
	union sr6_in6 sid;	/* invoking SID: Segment List[SL + 1], or :: (sr6_abi.h) */
};

/* Parse the outer IPv6 packet at l3_off and find the invoking SID.  Returns 0, or -1 when
 * the packet has no SRH (the kernel never runs End.BPF on such a packet) or is malformed. */
static __always_inline int fn_parse(void *ctx, const enum sr6_hook hook, __u32 l3_off,
				    struct fn_pkt *f)
{
	struct ipv6hdr *ip6 = ctx_ptr(ctx, hook, l3_off, IP6_HLEN);
	__u32 i;

	if (!ip6)
		return -1;
	f->pkt.l3_off = l3_off;
	f->pkt.l3_proto = ETH_P_IPV6;
	f->pkt.ip_len = IP6_HLEN + bpf_ntohs(ip6->payload_len);
	/* The common layout, SRH right after the IPv6 header and then the upper layer, is
	 * read directly; anything else takes the full extension header walk. */
	if (ip6->nexthdr == IPPROTO_ROUTING &&
	    !srh_read(ctx, hook, l3_off + IP6_HLEN, &f->srh) && f->srh.type == SR6_RH_TYPE_SRH &&
	    f->srh.nexthdr != IPPROTO_HOPOPTS && f->srh.nexthdr != IPPROTO_ROUTING &&
	    f->srh.nexthdr != IPPROTO_DSTOPTS && f->srh.nexthdr != IPPROTO_FRAGMENT &&
	    f->srh.nexthdr != IPPROTO_AH) {
		f->pkt.srh_off = l3_off + IP6_HLEN;
		f->pkt.l4_proto = f->srh.nexthdr;
		f->pkt.l4_off = f->pkt.srh_off + srh_len(&f->srh);
	} else {
		if (parse_ipv6(ctx, hook, &f->pkt) || !f->pkt.srh_off)
			return -1;
		if (srh_read(ctx, hook, f->pkt.srh_off, &f->srh))
			return -1;
	}
	__builtin_memset(&f->sid, 0, sizeof(f->sid));
	i = (__u32)f->srh.sl + 1;
	if (i <= f->srh.le && srh_seg_read(ctx, hook, f->pkt.srh_off, i, &f->sid))
		return -1;
	return 0;
}

/*
 * The flow a packet belongs to: the encapsulated packet's addresses, protocol and ports, or
 * for an SRH inserted in the packet itself (no inner header), the outer source, the final
 * segment and the upper layer after the SRH.  Returns 0 or -1.
 */
static __always_inline int fn_flow(void *ctx, const enum sr6_hook hook, const struct fn_pkt *f,
				   struct sr6_flow_key *k)
{
	__u32 l4 = 0;

	__builtin_memset(k, 0, sizeof(*k));
	if (f->pkt.l4_proto == IPPROTO_IPV6) {
		struct ipv6hdr *ip6 = ctx_ptr(ctx, hook, f->pkt.l4_off, IP6_HLEN);

		if (!ip6)
			return -1;
		__builtin_memcpy(&k->src, &ip6->saddr, 16);
		__builtin_memcpy(&k->dst, &ip6->daddr, 16);
		k->proto = ip6->nexthdr;
		k->family = 6;
		l4 = f->pkt.l4_off + IP6_HLEN;
	} else if (f->pkt.l4_proto == IPPROTO_IPIP) {
		struct iphdr *ip4 = ctx_ptr(ctx, hook, f->pkt.l4_off, 20);

		if (!ip4 || ip4->ihl < 5)
			return -1;
		k->src.w[0] = ip4->saddr;
		k->dst.w[0] = ip4->daddr;
		k->proto = ip4->protocol;
		k->family = 4;
		if (!(ip4->frag_off & bpf_htons(0x1fff)))
			l4 = f->pkt.l4_off + ip4->ihl * 4;
	} else {
		struct ipv6hdr *ip6 = ctx_ptr(ctx, hook, f->pkt.l3_off, IP6_HLEN);

		if (!ip6 || srh_seg_read(ctx, hook, f->pkt.srh_off, 0, &k->dst))
			return -1;
		__builtin_memcpy(&k->src, &ip6->saddr, 16);
		k->proto = f->pkt.l4_proto;
		k->family = 6;
		l4 = f->pkt.l4_off;
	}
	if (l4 && (k->proto == IPPROTO_TCP || k->proto == IPPROTO_UDP ||
		   k->proto == IPPROTO_SCTP)) {
		__be16 *ports = ctx_ptr(ctx, hook, l4, 4);

		if (ports) {
			k->sport = bpf_ntohs(ports[0]);
			k->dport = bpf_ntohs(ports[1]);
		}
	}
	return 0;
}

/* Look a per-SID configuration up: the SID's own entry, else the :: entry. */
static __always_inline void *fn_config(void *map, const union sr6_in6 *sid)
{
	union sr6_in6 any = {};
	void *v = bpf_map_lookup_elem(map, sid);

	if (!v)
		v = bpf_map_lookup_elem(map, &any);
	return v;
}

/* The per-CPU value of key in a per-CPU hash, created zeroed on first use. */
static __always_inline void *fn_percpu_get(void *map, const void *key, const void *zero)
{
	void *v = bpf_map_lookup_elem(map, key);

	if (v)
		return v;
	bpf_map_update_elem(map, key, zero, BPF_NOEXIST);
	return bpf_map_lookup_elem(map, key);
}

#endif /* SR6_LIB_FUNCTIONS_COMMON_H */
