/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * functions/tag_acl.h: the tag-acl function: permit or deny on the SRH tag and flags, per
 * invoking SID, first matching rule wins (sr6_abi.h, struct sr6_fn_acl).
 */
#ifndef SR6_LIB_FUNCTIONS_TAG_ACL_H
#define SR6_LIB_FUNCTIONS_TAG_ACL_H

#include "lib/functions/common.h"
#include "lib/stats.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SR6_FN_MAX_SIDS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, union sr6_in6);
	__type(value, struct sr6_fn_acl);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} SR6_MAP_FN_ACL SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, SR6_FN_MAX_SIDS);
	__type(key, union sr6_in6);
	__type(value, struct sr6_fn_acl_stats);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} SR6_MAP_FN_ACL_STATS SEC(".maps");

/* The verdict of an ACL for a tag (host order) and flags; no ACL denies. */
static __always_inline __u8 fn_acl_decide(const struct sr6_fn_acl *acl, __u16 tag, __u8 flags)
{
	int i;

	if (!acl)
		return SR6_ACL_DENY;
	for (i = 0; i < SR6_ACL_MAX_RULES; i++) {
		const struct sr6_acl_rule *r = &acl->rules[i];

		if (i >= acl->rule_count)
			break;
		if ((tag & r->tag_mask) == r->tag && (flags & r->flags_mask) == r->flags)
			return r->verdict;
	}
	return acl->default_verdict;
}

/* Decide for the packet and count; returns enum sr6_acl_verdict. */
static __always_inline __u8 fn_tag_acl(const struct fn_pkt *f)
{
	struct sr6_fn_acl_stats zero = {}, *st;
	__u8 v;

	v = fn_acl_decide(fn_config(&SR6_MAP_FN_ACL, &f->sid), bpf_ntohs(f->srh.tag),
			  f->srh.flags);
	st = fn_percpu_get(&SR6_MAP_FN_ACL_STATS, &f->sid, &zero);
	if (st) {
		if (v == SR6_ACL_PERMIT)
			st->permitted += 1;
		else
			st->denied += 1;
	}
	if (v != SR6_ACL_PERMIT)
		stats_bump(&SR6_MAP_DROPS, SR6_DROP_TAG_DENIED);
	return v;
}

#endif /* SR6_LIB_FUNCTIONS_TAG_ACL_H */
