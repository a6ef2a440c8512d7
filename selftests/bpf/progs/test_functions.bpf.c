/*
 * test_functions: the End.BPF functions' decision logic (lib/functions/) at XDP, on frames
 * shaped as an End.BPF program sees them (after the kernel's End).  The real programs cannot
 * run through test_run (the kernel has no test_run for lwt_seg6local).  fake_now, when set,
 * replaces the clock so time-dependent decisions are exact.
 */
#include "lib/functions/count.h"
#include "lib/functions/tag_acl.h"
#include "lib/functions/delay.h"
#include "lib/functions/ratelimit.h"

__u64 fake_now;
/* delay: what the program decided, and the TLV it would write. */
int delay_action;
__u32 delay_tlv_off;
struct sr6_tlv_delay delay_tlv;

static __always_inline __u64 now_ns(void)
{
	return fake_now ? fake_now : bpf_ktime_get_ns();
}

SEC("xdp")
int fn_count_xdp(struct xdp_md *ctx)
{
	struct fn_pkt f;

	if (fn_parse(ctx, SR6_HOOK_XDP, ETH_HLEN, &f))
		return XDP_ABORTED;
	fn_count(ctx, SR6_HOOK_XDP, &f);
	return XDP_PASS;
}

SEC("xdp")
int fn_tag_acl_xdp(struct xdp_md *ctx)
{
	struct fn_pkt f;

	if (fn_parse(ctx, SR6_HOOK_XDP, ETH_HLEN, &f))
		return XDP_ABORTED;
	return fn_tag_acl(&f) == SR6_ACL_PERMIT ? XDP_PASS : XDP_DROP;
}

SEC("xdp")
int fn_delay_xdp(struct xdp_md *ctx)
{
	struct fn_pkt f;
	__u8 flags;

	if (fn_parse(ctx, SR6_HOOK_XDP, ETH_HLEN, &f))
		return XDP_ABORTED;
	delay_action = fn_delay_action(ctx, SR6_HOOK_XDP, &f, &delay_tlv_off, &flags);
	if (delay_action == FN_DELAY_READ)
		fn_delay_record(ctx, SR6_HOOK_XDP, &f, delay_tlv_off, now_ns());
	else if (delay_action != FN_DELAY_NONE)
		fn_delay_tlv(&delay_tlv, &f.sid, now_ns());
	return XDP_PASS;
}

SEC("xdp")
int fn_ratelimit_xdp(struct xdp_md *ctx)
{
	struct fn_pkt f;

	if (fn_parse(ctx, SR6_HOOK_XDP, ETH_HLEN, &f))
		return XDP_ABORTED;
	return fn_ratelimit(ctx, SR6_HOOK_XDP, &f, now_ns()) ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
