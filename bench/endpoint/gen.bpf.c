/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * gen.bpf.c: the endpoint benchmark's packet generator and sinks.
 *
 *   ep_gen    run by BPF_PROG_TEST_RUN in live-frames mode: rewrites the whole frame from
 *             the template on every run (frame pages are recycled as the receiver left
 *             them) and redirects it out of out_ifindex
 *   ep_pass   XDP_PASS: the router's XDP program when the kernel does the work (veth needs
 *             an XDP program on a peer to receive redirected frames)
 *   ep_sink   counts and drops: the next hop, and the "drop at the first hop" canary
 *   ep_nop    an End.BPF program that does nothing (BPF_OK): the fixed cost of End.BPF
 *   ep_fwd    rewrites the destination MAC and redirects to fwd_ifindex, nothing else: the
 *             least any XDP forwarding costs on the router (the floor under sr6_xdp)
 */
#include "lib/ctx.h"

#define GEN_FRAME_LEN	160

__u64 tmpl[GEN_FRAME_LEN / 8];
__u32 out_ifindex;
__u32 fwd_ifindex;
__u8 fwd_dmac[6];

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} ep_sink_count SEC(".maps");

SEC("xdp")
int ep_gen(struct xdp_md *ctx)
{
	__u64 *p = ctx_ptr(ctx, SR6_HOOK_XDP, 0, GEN_FRAME_LEN);
	int i;

	if (!p)
		return XDP_DROP;
	for (i = 0; i < GEN_FRAME_LEN / 8; i++)
		p[i] = tmpl[i];
	return bpf_redirect(out_ifindex, 0);
}

SEC("xdp")
int ep_fwd(struct xdp_md *ctx)
{
	__u8 *eth = ctx_ptr(ctx, SR6_HOOK_XDP, 0, ETH_HLEN);

	if (!eth)
		return XDP_DROP;
	__builtin_memcpy(eth, fwd_dmac, 6);
	return bpf_redirect(fwd_ifindex, 0);
}

SEC("xdp")
int ep_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp")
int ep_sink(struct xdp_md *ctx)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&ep_sink_count, &zero);

	if (n)
		*n += 1;
	return XDP_DROP;
}

SEC("lwt_seg6local")
int ep_nop(struct __sk_buff *skb)
{
	return BPF_OK;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
