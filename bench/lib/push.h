/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * push.h: the floor under any encapsulation on the rig: open len bytes after the Ethernet
 * header, fill them with a fake IPv6 header's first byte, set the destination MAC and redirect.
 * Returns the redirect verdict, or the hook's drop when the packet cannot grow.
 */
#ifndef SR6_BENCH_PUSH_H
#define SR6_BENCH_PUSH_H

#include "lib/ctx.h"

#define RIG_PUSH	64

static __always_inline int rig_push_redirect(void *ctx, const enum sr6_hook hook, const __u8 *dmac,
					     __u32 ifindex, __u8 fill7)
{
	const int drop = ctx_is_xdp(hook) ? XDP_DROP : TC_ACT_SHOT;
	__u8 *p;

	if (ctx_insert_after_l2(ctx, hook, RIG_PUSH, ctx_is_xdp(hook) ? 0 : BPF_F_ADJ_ROOM_ENCAP_L3_IPV6))
		return drop;
	p = ctx_ptr(ctx, hook, 0, ETH_HLEN + RIG_PUSH);
	if (!p)
		return drop;
	__builtin_memcpy(p, dmac, 6);
	__builtin_memset(p + ETH_HLEN, 0x60, RIG_PUSH);
	p[ETH_HLEN + 7] = fill7;
	return bpf_redirect(ifindex, 0);
}

#endif /* SR6_BENCH_PUSH_H */
