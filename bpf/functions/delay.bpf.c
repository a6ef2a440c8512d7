/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * End.BPF function "delay": one-way delay measurement between two SIDs with the timestamp TLV
 * of sr6_abi.h (lib/functions/delay.h decides and records; this program edits the SRH).
 * A packet the SRH cannot be edited on still goes on: measuring never drops traffic.
 */
#include "lib/functions/delay.h"

SEC("lwt_seg6local")
int sr6_delay(struct __sk_buff *skb)
{
	struct sr6_tlv_delay tlv;
	struct fn_pkt f;
	__u32 tlv_off, end;
	__u64 now = bpf_ktime_get_tai_ns();
	__u8 flags;

	if (fn_parse(skb, SR6_HOOK_TC_INGRESS, 0, &f))
		return BPF_OK;
	switch (fn_delay_action(skb, SR6_HOOK_TC_INGRESS, &f, &tlv_off, &flags)) {
	case FN_DELAY_ADD:
		end = f.pkt.srh_off + srh_len(&f.srh);
		fn_delay_tlv(&tlv, &f.sid, now);
		if (bpf_lwt_seg6_adjust_srh(skb, end, SR6_TLV_DELAY_LEN))
			return BPF_OK;
		/* An inserted TLV that cannot be filled would leave garbage: the kernel
		 * drops a packet whose SRH does not validate, which is the safe outcome. */
		bpf_lwt_seg6_store_bytes(skb, end, &tlv, SR6_TLV_DELAY_LEN);
		return BPF_OK;
	case FN_DELAY_REWRITE:
		fn_delay_tlv(&tlv, &f.sid, now);
		bpf_lwt_seg6_store_bytes(skb, tlv_off, &tlv, SR6_TLV_DELAY_LEN);
		return BPF_OK;
	case FN_DELAY_READ:
		fn_delay_record(skb, SR6_HOOK_TC_INGRESS, &f, tlv_off, now);
		if (flags & SR6_DELAY_F_POP)
			bpf_lwt_seg6_adjust_srh(skb, tlv_off, -SR6_TLV_DELAY_LEN);
		return BPF_OK;
	default:
		return BPF_OK;
	}
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
