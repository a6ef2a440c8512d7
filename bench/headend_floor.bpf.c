/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * headend_floor.bpf.c: the headend benchmark's "lookups floor" at tc: what every headend at tc
 * must do on this rig and nothing more.  It finds the packet's rule set in sr6_steer6 (LPM on
 * the destination), the set's first rule and that rule's policy in sr6_policies (the node
 * program's maps, shared through their pins), then grows the packet by 64 bytes with
 * bpf_skb_adjust_room, rewrites the destination MAC and redirects it to fwd_ifindex, like
 * the rig's tc floor (bench/lib).  No hash, path, route, header or counter: the distance from
 * this program to sr6_tc_ingress is all the rest of the headend.
 */
#include "lib/ctx.h"
#include "lib/maps.h"

#define HF_PUSH		64

__u32 fwd_ifindex;
__u8 fwd_dmac[6];

SEC("tc")
int hf_lookups(struct __sk_buff *ctx)
{
	struct sr6_steer6_key k = { .prefixlen = 128 };
	const struct sr6_steer_set *set;
	const struct sr6_steer_rule *r;
	const struct sr6_policy *pol;
	__u8 *p = ctx_ptr(ctx, SR6_HOOK_TC_INGRESS, 0, ETH_HLEN + IP6_HLEN);
	__u32 key;

	if (!p)
		return TC_ACT_SHOT;
	__builtin_memcpy(&k.dst, p + ETH_HLEN + 24, 16);
	set = bpf_map_lookup_elem(&SR6_MAP_STEER6, &k);
	if (!set)
		return TC_ACT_SHOT;
	key = set->first;
	r = bpf_map_lookup_elem(&SR6_MAP_STEER_RULES, &key);
	if (!r)
		return TC_ACT_SHOT;
	key = r->policy;
	pol = bpf_map_lookup_elem(&SR6_MAP_POLICIES, &key);
	if (!pol)
		return TC_ACT_SHOT;
	if (ctx_insert_after_l2(ctx, SR6_HOOK_TC_INGRESS, HF_PUSH, BPF_F_ADJ_ROOM_ENCAP_L3_IPV6))
		return TC_ACT_SHOT;
	p = ctx_ptr(ctx, SR6_HOOK_TC_INGRESS, 0, ETH_HLEN + HF_PUSH);
	if (!p)
		return TC_ACT_SHOT;
	__builtin_memcpy(p, fwd_dmac, 6);
	__builtin_memset(p + ETH_HLEN, 0x60, HF_PUSH);
	p[ETH_HLEN + 7] = pol->hop_limit;	/* the policy is read, as a headend would */
	return bpf_redirect(fwd_ifindex, 0);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
