/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * sr6.bpf.c: the sr6 node program, one object for every hook of a node.
 *
 *   sr6_xdp          XDP (native or generic, chosen at attach time) on ingress interfaces
 *   sr6_tc_ingress   tc clsact ingress: the same pipeline where XDP is not wanted
 *   sr6_tc_egress    tc clsact egress: traffic this host sends itself
 *
 * Pipeline: parse -> endpoint (local SIDs) -> headend (steering + encapsulation) -> pass.
 * Maps are pinned by name (lib/maps.h) so every hook and the agent share one instance.
 */
#include "lib/ctx.h"
#include "lib/endpoint.h"
#include "lib/headend.h"
#include "lib/maps.h"
#include "lib/parse.h"
#include "lib/stats.h"

/* Bytes of headers tc wants in the linear part before parsing: Ethernet, IPv6, an SRH of a
 * few SIDs and the ports.  Longer chains are read only as far as they are linear. */
#define SR6_TC_PULL_LEN	192

static __always_inline int sr6_process(void *ctx, const enum sr6_hook hook)
{
	struct sr6_pkt pkt = {};
	int ret, verdict = 0;

	if (!ctx_is_xdp(hook)) {
		struct __sk_buff *skb = ctx;
		__u32 want = skb->len < SR6_TC_PULL_LEN ? skb->len : SR6_TC_PULL_LEN;

		if (ctx_data_end(ctx, hook) - ctx_data(ctx, hook) < want)
			bpf_skb_pull_data(skb, want);
	}
	ret = parse_packet(ctx, hook, &pkt);
	if (ret == 1)
		return ctx_pass(hook);
	/* A packet addressed to a local SID is the endpoint's, even with a broken chain (it
	 * decides between a counted drop and the kernel); traffic this host sends is not. */
	if (hook != SR6_HOOK_TC_EGRESS &&
	    endpoint_step(ctx, hook, &pkt, ret, config_get(), &verdict))
		return verdict;
	if (ret)
		return stats_drop(hook, ret);
	return headend_process(ctx, hook, &pkt);
}

SEC("xdp")
int sr6_xdp(struct xdp_md *ctx)
{
	return sr6_process(ctx, SR6_HOOK_XDP);
}

SEC("tc")
int sr6_tc_ingress(struct __sk_buff *ctx)
{
	return sr6_process(ctx, SR6_HOOK_TC_INGRESS);
}

SEC("tc")
int sr6_tc_egress(struct __sk_buff *ctx)
{
	return sr6_process(ctx, SR6_HOOK_TC_EGRESS);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
