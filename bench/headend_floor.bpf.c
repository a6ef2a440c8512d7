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
#include "bench/lib/push.h"

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
	/* The policy is read, as a headend would. */
	return rig_push_redirect(ctx, SR6_HOOK_TC_INGRESS, fwd_dmac, fwd_ifindex, pol->hop_limit);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
