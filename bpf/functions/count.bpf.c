/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* End.BPF function "count": packets and bytes per SID and per inner flow (lib/functions/count.h). */
#include "lib/functions/count.h"

SEC("lwt_seg6local")
int sr6_count(struct __sk_buff *skb)
{
	struct fn_pkt f;

	if (!fn_parse(skb, SR6_HOOK_TC_INGRESS, 0, &f))
		fn_count(skb, SR6_HOOK_TC_INGRESS, &f);
	return BPF_OK;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
