/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * endpoint_floor.bpf.c: the endpoint benchmark's own programs (the generator, sinks and XDP_PASS come
 * from the rig, bench/lib).
 *
 *   ep_nop    an End.BPF program that does nothing (BPF_OK): the fixed cost of End.BPF
 *   ep_fwd    rewrites the destination MAC and redirects to fwd_ifindex, nothing else: the
 *             least any XDP forwarding costs on the router (the floor under sr6_xdp)
 */
#include "lib/ctx.h"

__u32 fwd_ifindex;
__u8 fwd_dmac[6];

SEC("xdp")
int ep_fwd(struct xdp_md *ctx)
{
	__u8 *eth = ctx_ptr(ctx, SR6_HOOK_XDP, 0, ETH_HLEN);

	if (!eth)
		return XDP_DROP;
	__builtin_memcpy(eth, fwd_dmac, 6);
	return bpf_redirect(fwd_ifindex, 0);
}

SEC("lwt_seg6local")
int ep_nop(struct __sk_buff *skb)
{
	return BPF_OK;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
