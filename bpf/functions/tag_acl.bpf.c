/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* End.BPF function "tag-acl": permit or deny on the SRH tag and flags (lib/functions/tag_acl.h). */
#include "lib/functions/tag_acl.h"

SEC("lwt_seg6local")
int sr6_tag_acl(struct __sk_buff *skb)
{
	struct fn_pkt f;

	/* The kernel validated the SRH before End: fn_parse cannot fail on a real packet. */
	if (fn_parse(skb, SR6_HOOK_TC_INGRESS, 0, &f))
		return BPF_DROP;
	return fn_tag_acl(&f) == SR6_ACL_PERMIT ? BPF_OK : BPF_DROP;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
