/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* End.BPF function "ratelimit": token bucket per inner source /64 (lib/functions/ratelimit.h). */
#include "lib/functions/ratelimit.h"

SEC("lwt_seg6local")
int sr6_ratelimit(struct __sk_buff *skb)
{
	struct fn_pkt f;

	if (fn_parse(skb, SR6_HOOK_TC_INGRESS, 0, &f))
		return BPF_OK;
	return fn_ratelimit(skb, SR6_HOOK_TC_INGRESS, &f, bpf_ktime_get_ns()) ? BPF_OK : BPF_DROP;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
