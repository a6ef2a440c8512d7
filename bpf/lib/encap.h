/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * encap.h: write an SRv6 encapsulation into the packet, at XDP or tc.
 *
 *   encap_push()    H.Encaps / H.Encaps.Red: outer IPv6 header + the path's prebuilt SRH (none
 *                   for a reduced single SID) in front of the IPv6 or IPv4 packet.
 *   encap_insert()  H.Insert: the path's SRH after the IPv6 header; the original destination
 *                   becomes Segment List[0], the first SID the destination.
 *
 * The decision (policy, path, flow label, route) is made before; these functions only move
 * bytes.  They return 0, or a drop reason with the packet possibly half-written (the caller
 * drops it).
 */
#ifndef SR6_LIB_ENCAP_H
#define SR6_LIB_ENCAP_H

#include "lib/ctx.h"
#include "lib/parse.h"
#include "sr6_abi.h"

/* What the outer IPv6 header of H.Encaps carries besides the path's addresses. */
struct encap_outer {
	union sr6_in6 src;
	__u32	flow_label;	/* 20 bits */
	__u8	tclass;
	__u8	hop_limit;
	__u8	inner_proto;	/* IPPROTO_IPV6 or IPPROTO_IPIP */
	__u8	_pad;
};

/*
 * XDP has no helper to grow a packet in the middle, and the room in front of the frame is
 * what the driver left (256 bytes minus the frame metadata on most drivers): enough for an
 * SRH of about 10 SIDs.  A longer encapsulation also grows the frame at the tail and moves
 * the bytes behind the gap back, ENCAP_MOVE_CHUNK bytes at a time through a per-CPU buffer.
 * When the tail has no room either (a frame in a buffer of its own size), the caller leaves
 * the packet to sr6_tc_ingress, which can reallocate.
 */
#define ENCAP_MOVE_CHUNK	256
#define ENCAP_MOVE_MAX_CHUNKS	40	/* 10 KiB frames */

struct encap_scratch {
	__u8	b[ENCAP_MOVE_CHUNK];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct encap_scratch);
} sr6_scratch SEC(".maps");

struct encap_move {
	struct xdp_md *ctx;
	struct encap_scratch *buf;
	__u32	at;		/* first byte that moves */
	__u32	end;		/* end of what is left to move */
	__u32	need;		/* distance */
	int	err;
};

/* One chunk of the move, from the end backwards (the regions overlap). */
static long encap_move_chunk(__u32 i, void *data)
{
	struct encap_move *m = data;
	__u32 n;

	if (m->end <= m->at)
		return 1;
	n = m->end - m->at;
	if (n > ENCAP_MOVE_CHUNK)
		n = ENCAP_MOVE_CHUNK;
	if (n < 1 || m->end > 0x3fff || m->need > 0x3fff) {
		m->err = -1;
		return 1;
	}
	m->end -= n;
	if (bpf_xdp_load_bytes(m->ctx, m->end, m->buf->b, n) ||
	    bpf_xdp_store_bytes(m->ctx, m->end + m->need, m->buf->b, n)) {
		m->err = -1;
		return 1;
	}
	return 0;
}

/* xdp_open_gap results besides 0: the packet is unchanged, or unusable. */
#define XDP_GAP_NO_ROOM		1
#define XDP_GAP_BROKEN		(-1)

/*
 * Open len bytes at offset at (ETH_HLEN, or ETH_HLEN + IP6_HLEN) by growing the front: the
 * headers before at move to the new front.  0, or XDP_GAP_NO_ROOM with the packet unchanged.
 */
static __always_inline int xdp_gap_at_head(struct xdp_md *ctx, const __u32 at, __u32 len)
{
	struct encap_scratch *buf;
	__u32 zero = 0;

	if (at == ETH_HLEN)
		return ctx_insert_after_l2(ctx, SR6_HOOK_XDP, len, 0) ? XDP_GAP_NO_ROOM : 0;
	/* The Ethernet and IPv6 headers go through the per-CPU buffer (the stack is kept for
	 * the callers). */
	buf = bpf_map_lookup_elem(&sr6_scratch, &zero);
	if (!buf || bpf_xdp_load_bytes(ctx, 0, buf->b, ETH_HLEN + IP6_HLEN))
		return XDP_GAP_NO_ROOM;
	if (bpf_xdp_adjust_head(ctx, -(int)len))
		return XDP_GAP_NO_ROOM;
	return bpf_xdp_store_bytes(ctx, 0, buf->b, ETH_HLEN + IP6_HLEN) ? XDP_GAP_BROKEN : 0;
}

/*
 * Not enough room in front: take what the front has (probed in steps, the driver does not
 * say), grow the tail by the rest and move the bytes behind the gap back.  0,
 * XDP_GAP_NO_ROOM (unchanged) or XDP_GAP_BROKEN.  A global function: the slow path is
 * verified once, apart from the callers.
 */
__noinline int xdp_open_gap_split(struct xdp_md *ctx, __u32 at, __u32 need)
{
	static const __u32 steps[] = { 192, 128, 64, 0 };
	struct encap_move m = { .ctx = ctx };
	__u32 zero = 0, head = 0, len, i;

	m.buf = bpf_map_lookup_elem(&sr6_scratch, &zero);
	if (!ctx || !m.buf || need > 1024 || (at != ETH_HLEN && at != ETH_HLEN + IP6_HLEN))
		return XDP_GAP_NO_ROOM;
	len = ctx->data_end - ctx->data;
	/* A frame with fragments (multi-buffer XDP) is not moved piecewise here. */
	if (bpf_xdp_get_buff_len(ctx) != len)
		return XDP_GAP_NO_ROOM;
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		head = steps[i];
		if (head >= need)
			continue;
		if (!head || !bpf_xdp_adjust_head(ctx, -(int)head)) {
			if (head)
				bpf_xdp_adjust_head(ctx, (int)head);	/* only probed */
			break;
		}
	}
	if (head >= need || bpf_xdp_adjust_tail(ctx, (int)(need - head)))
		return XDP_GAP_NO_ROOM;
	if (head) {
		int err = at == ETH_HLEN ? xdp_gap_at_head(ctx, ETH_HLEN, head)
					 : xdp_gap_at_head(ctx, ETH_HLEN + IP6_HLEN, head);

		if (err) {
			bpf_xdp_adjust_tail(ctx, -(int)(need - head));
			return err;
		}
	}
	/* The gap of head bytes is at [at, at + head); the rest moves back by need - head. */
	m.at = at + head;
	m.end = len + head;
	m.need = need - head;
	bpf_loop(ENCAP_MOVE_MAX_CHUNKS, encap_move_chunk, &m, 0);
	return m.err || m.end > m.at ? XDP_GAP_BROKEN : 0;
}

/* XDP: open need bytes right after the Ethernet header (at == ETH_HLEN) or after the IPv6
 * header (at == ETH_HLEN + IP6_HLEN).  0, XDP_GAP_NO_ROOM (unchanged) or XDP_GAP_BROKEN. */
static __always_inline int xdp_open_gap(struct xdp_md *ctx, const __u32 at, __u32 need)
{
	if (!xdp_gap_at_head(ctx, at, need))
		return 0;
	return xdp_open_gap_split(ctx, at, need);
}

/* What encap_push and encap_insert return at XDP when there is no room (packet unchanged). */
#define ENCAP_NO_ROOM		0x100

/* Copy the path's SRH (srh_len bytes, 8 .. SR6_SRH_MAX_LEN) to offset off. */
#define ENCAP_SRH_COPY(n)								\
	case SR6_SRH_LEN(n): {								\
		void *to = ctx_ptr(ctx, hook, off, SR6_SRH_LEN(n));			\
										\
		if (!to)								\
			return -1;							\
		__builtin_memcpy(to, path->srh, SR6_SRH_LEN(n));			\
		return 0;								\
	}

static __always_inline int encap_write_srh(void *ctx, const enum sr6_hook hook, const __u32 off,
					   const struct sr6_path *path, __u32 srh_len)
{
	if (srh_len < 8 || srh_len > SR6_SRH_MAX_LEN)
		return -1;
	/* Short lists (the common case) as plain stores, longer ones through the helper. */
	switch (srh_len) {
	ENCAP_SRH_COPY(1)
	ENCAP_SRH_COPY(2)
	ENCAP_SRH_COPY(3)
	ENCAP_SRH_COPY(4)
	ENCAP_SRH_COPY(5)
	default:
		break;
	}
	if (ctx_is_xdp(hook))
		return bpf_xdp_store_bytes(ctx, off, (void *)path->srh, srh_len) ? -1 : 0;
	return bpf_skb_store_bytes(ctx, off, path->srh, srh_len, 0) ? -1 : 0;
}

/* Drop what follows the IP packet in the frame (Ethernet padding of a short IPv4 packet). */
static __always_inline int encap_trim(void *ctx, const enum sr6_hook hook, const struct sr6_pkt *pkt)
{
	__u32 want = pkt->l3_off + (__u32)pkt->ip_len, have = ctx_len(ctx, hook);

	if (have <= want)
		return 0;
	if (ctx_is_xdp(hook))
		return bpf_xdp_adjust_tail(ctx, -(int)(have - want)) ? -1 : 0;
	return bpf_skb_change_tail(ctx, want, 0) ? -1 : 0;
}

/*
 * tc: GSO packets keep their wire size (the stack lowers the MSS by the added bytes), except
 * UDP GSO whose segment size delimits datagrams and must stay fixed.
 */
static __always_inline __u64 encap_gso_flags(void *ctx, const enum sr6_hook hook,
					     const struct sr6_pkt *pkt)
{
	if (ctx_is_gso(ctx, hook) && pkt->l4_proto == IPPROTO_UDP)
		return BPF_F_ADJ_ROOM_FIXED_GSO;
	return 0;
}

/* H.Encaps and H.Encaps.Red. */
static __always_inline int encap_push(void *ctx, const enum sr6_hook hook, const struct sr6_pkt *pkt,
				      const struct sr6_path *path, const struct encap_outer *o)
{
	__u32 srh_len = path->srh_len, need;
	struct ipv6hdr *ip6;
	struct ethhdr *eth;

	if (srh_len > SR6_SRH_MAX_LEN)
		return SR6_DROP_NO_POLICY;
	need = IP6_HLEN + srh_len;
	if (encap_trim(ctx, hook, pkt))
		return SR6_DROP_NO_HEADROOM;
	if (ctx_is_xdp(hook)) {
		int gap = xdp_open_gap(ctx, ETH_HLEN, need);

		if (gap)
			return gap == XDP_GAP_NO_ROOM ? ENCAP_NO_ROOM : SR6_DROP_NO_HEADROOM;
	} else {
		__u64 flags = BPF_F_ADJ_ROOM_ENCAP_L3_IPV6 | encap_gso_flags(ctx, hook, pkt);
		long err = bpf_skb_adjust_room(ctx, (__s32)need, BPF_ADJ_ROOM_MAC, flags);

		/* An skb the stack already marked as encapsulated cannot take the tunnel
		 * GSO flags; without GSO they do not matter, except the protocol switch an
		 * IPv4 packet needs. */
		if (err == -114 /* EALREADY */ && !ctx_is_gso(ctx, hook) &&
		    o->inner_proto == IPPROTO_IPV6)
			err = bpf_skb_adjust_room(ctx, (__s32)need, BPF_ADJ_ROOM_MAC, 0);
		if (err)
			return SR6_DROP_NO_HEADROOM;
	}

	eth = ctx_ptr(ctx, hook, 0, ETH_HLEN + IP6_HLEN);
	if (!eth)
		return SR6_DROP_NO_HEADROOM;
	eth->h_proto = bpf_htons(ETH_P_IPV6);
	ip6 = (void *)(eth + 1);
	*(__be32 *)ip6 = bpf_htonl(0x60000000 | ((__u32)o->tclass << 20) | (o->flow_label & 0xfffff));
	ip6->payload_len = bpf_htons((__u16)(srh_len + pkt->ip_len));
	ip6->nexthdr = srh_len ? IPPROTO_ROUTING : o->inner_proto;
	ip6->hop_limit = o->hop_limit;
	__builtin_memcpy(&ip6->saddr, &o->src, 16);
	__builtin_memcpy(&ip6->daddr, &path->dst, 16);
	if (srh_len) {
		__u8 *nh;

		if (encap_write_srh(ctx, hook, ETH_HLEN + IP6_HLEN, path, srh_len))
			return SR6_DROP_NO_HEADROOM;
		nh = ctx_ptr(ctx, hook, ETH_HLEN + IP6_HLEN, 1);
		if (!nh)
			return SR6_DROP_NO_HEADROOM;
		*nh = o->inner_proto;
	}
	return 0;
}

/*
 * H.Insert: the SRH goes right after the fixed IPv6 header (the caller has refused packets
 * with a Hop-by-Hop or routing header).  The hop limit is decremented: the packet is
 * forwarded, not tunnelled.
 */
static __always_inline int encap_insert(void *ctx, const enum sr6_hook hook, const struct sr6_pkt *pkt,
					const struct sr6_path *path)
{
	__u32 srh_len = path->srh_len;
	union sr6_in6 orig_dst;
	struct ipv6hdr *ip6;
	__u8 orig_nh, *srh;

	if (srh_len < SR6_SRH_LEN(2) || srh_len > SR6_SRH_MAX_LEN)
		return SR6_DROP_NO_POLICY;
	ip6 = ctx_ptr(ctx, hook, ETH_HLEN, IP6_HLEN);
	if (!ip6)
		return SR6_DROP_MALFORMED_IP6;
	__builtin_memcpy(&orig_dst, &ip6->daddr, 16);
	orig_nh = ip6->nexthdr;
	if (encap_trim(ctx, hook, pkt))
		return SR6_DROP_NO_HEADROOM;
	if (ctx_is_xdp(hook)) {
		int gap = xdp_open_gap(ctx, ETH_HLEN + IP6_HLEN, srh_len);

		if (gap)
			return gap == XDP_GAP_NO_ROOM ? ENCAP_NO_ROOM : SR6_DROP_NO_HEADROOM;
	} else {
		if (bpf_skb_adjust_room(ctx, (__s32)srh_len, BPF_ADJ_ROOM_NET,
					encap_gso_flags(ctx, hook, pkt)))
			return SR6_DROP_NO_HEADROOM;
	}
	if (encap_write_srh(ctx, hook, ETH_HLEN + IP6_HLEN, path, srh_len))
		return SR6_DROP_NO_HEADROOM;

	ip6 = ctx_ptr(ctx, hook, ETH_HLEN, IP6_HLEN + 8 + 16);
	if (!ip6)
		return SR6_DROP_NO_HEADROOM;
	ip6->payload_len = bpf_htons((__u16)(pkt->ip_len - IP6_HLEN + srh_len));
	ip6->nexthdr = IPPROTO_ROUTING;
	ip6->hop_limit -= 1;
	__builtin_memcpy(&ip6->daddr, &path->dst, 16);
	srh = (__u8 *)(ip6 + 1);
	srh[0] = orig_nh;
	__builtin_memcpy(srh + 8, &orig_dst, 16);
	return 0;
}

/* H.Insert as global functions per hook, verified once each (the less common mode pays a
 * call for it). */
__noinline int encap_insert_xdp(struct xdp_md *ctx, const struct sr6_pkt *pkt,
				const struct sr6_path *path)
{
	if (!pkt || !path)
		return SR6_DROP_NO_POLICY;
	return encap_insert(ctx, SR6_HOOK_XDP, pkt, path);
}

__noinline int encap_insert_tc(struct __sk_buff *ctx, const struct sr6_pkt *pkt,
			       const struct sr6_path *path)
{
	if (!pkt || !path)
		return SR6_DROP_NO_POLICY;
	return encap_insert(ctx, SR6_HOOK_TC_INGRESS, pkt, path);
}

#endif /* SR6_LIB_ENCAP_H */
