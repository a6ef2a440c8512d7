/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * gen.bpf.c: the benchmark rig's XDP programs.
 *
 *   rig_gen       the generator, run by BPF_PROG_TEST_RUN in live-frames mode: writes the
 *                 whole frame from the template on every run (the pages come back as the
 *                 receivers left them) and redirects it out of gen_ifindex
 *   rig_pass      XDP_PASS: a veth only takes redirected frames when its peer has NAPI
 *                 running, which an XDP program gives
 *   rig_drop      counts and drops (the sink, or the drop-at-first-hop canary)
 *   rig_tc_drop   the same at tc ingress: the sink that does not pay veth's XDP copy of a
 *                 packet with less than 256 bytes of headroom
 *   rig_xdp_push  the least any XDP encapsulation costs: 64 bytes in front, the destination
 *                 MAC, a redirect to fwd_ifindex (a floor for headend cases)
 *   rig_tc_push   the same at tc: bpf_skb_adjust_room(64, ENCAP_L3_IPV6), MAC, redirect
 */
#include "lib/ctx.h"
#include "bench/lib/push.h"

#define RIG_FRAME_MAX	512

__u64 tmpl[RIG_FRAME_MAX / 8];
__u32 tmpl_words;		/* frame length / 8 */
__u32 gen_ifindex;
__u32 fwd_ifindex;
__u8 fwd_dmac[6];

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} rig_count SEC(".maps");

SEC("xdp")
int rig_gen(struct xdp_md *ctx)
{
	__u64 *p = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	__u32 i;

	for (i = 0; i < RIG_FRAME_MAX / 8; i++) {
		if (i >= tmpl_words || p + i + 1 > end)
			break;
		p[i] = tmpl[i];
	}
	return bpf_redirect(gen_ifindex, 0);
}

SEC("xdp")
int rig_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

static __always_inline void count(void)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&rig_count, &zero);

	if (n)
		*n += 1;
}

SEC("xdp")
int rig_drop(struct xdp_md *ctx)
{
	count();
	return XDP_DROP;
}

SEC("tc")
int rig_tc_drop(struct __sk_buff *ctx)
{
	count();
	return TC_ACT_SHOT;
}

SEC("xdp")
int rig_xdp_push(struct xdp_md *ctx)
{
	return rig_push_redirect(ctx, SR6_HOOK_XDP, fwd_dmac, fwd_ifindex, 0x60);
}

SEC("tc")
int rig_tc_push(struct __sk_buff *ctx)
{
	return rig_push_redirect(ctx, SR6_HOOK_TC_INGRESS, fwd_dmac, fwd_ifindex, 0x60);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
