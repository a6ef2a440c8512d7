/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * functions/delay.h: the delay function's decisions: whether a SID writes or reads the
 * timestamp TLV (sr6_abi.h, SR6_TLV_DELAY), building the TLV, and recording a reading in the
 * log2 histogram of its (ingress SID, egress SID) pair.  Writing the TLV into the SRH needs
 * the lwt_seg6local helpers and is done by bpf/functions/delay.bpf.c.
 */
#ifndef SR6_LIB_FUNCTIONS_DELAY_H
#define SR6_LIB_FUNCTIONS_DELAY_H

#include "lib/functions/common.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SR6_FN_MAX_SIDS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, union sr6_in6);
	__type(value, struct sr6_fn_delay);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} SR6_MAP_FN_DELAY SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, SR6_FN_MAX_SIDS);
	__type(key, struct sr6_delay_key);
	__type(value, struct sr6_delay_hist);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} SR6_MAP_FN_DELAY_HIST SEC(".maps");

enum fn_delay_action {
	FN_DELAY_NONE,		/* READ mode, no TLV: nothing to do */
	FN_DELAY_ADD,		/* append a new TLV at the end of the SRH */
	FN_DELAY_REWRITE,	/* overwrite the TLV at tlv_off */
	FN_DELAY_READ,		/* record the TLV at tlv_off */
};

/* floor(log2(v)) for v > 0, 0 for v = 0. */
static __always_inline __u32 fn_log2(__u64 v)
{
	__u32 r = 0;

	if (v >> 32) { v >>= 32; r += 32; }
	if (v >> 16) { v >>= 16; r += 16; }
	if (v >> 8) { v >>= 8; r += 8; }
	if (v >> 4) { v >>= 4; r += 4; }
	if (v >> 2) { v >>= 2; r += 2; }
	if (v >> 1) r += 1;
	return r;
}

static __always_inline __u32 fn_delay_bucket(__u64 delay_ns)
{
	__u32 b = fn_log2(delay_ns);

	return b < SR6_DELAY_BUCKETS ? b : SR6_DELAY_BUCKETS - 1;
}

/* What this SID does with this packet; *tlv_off gets the TLV's offset when there is one. */
static __always_inline enum fn_delay_action fn_delay_action(void *ctx, const enum sr6_hook hook,
							    const struct fn_pkt *f, __u32 *tlv_off,
							    __u8 *flags)
{
	struct sr6_fn_delay *cfg = fn_config(&SR6_MAP_FN_DELAY, &f->sid);
	__u8 mode = cfg ? cfg->mode : SR6_DELAY_AUTO;

	*flags = cfg ? cfg->flags : 0;
	*tlv_off = srh_tlv_find(ctx, hook, f->pkt.srh_off, &f->srh, SR6_TLV_DELAY);
	if (*tlv_off && !ctx_ptr(ctx, hook, *tlv_off, SR6_TLV_DELAY_LEN))
		*tlv_off = 0;	/* a TLV cut short by the packet's end is not ours */
	if (mode == SR6_DELAY_WRITE)
		return *tlv_off ? FN_DELAY_REWRITE : FN_DELAY_ADD;
	if (*tlv_off)
		return FN_DELAY_READ;
	return mode == SR6_DELAY_READ ? FN_DELAY_NONE : FN_DELAY_ADD;
}

static __always_inline void fn_delay_tlv(struct sr6_tlv_delay *t, const union sr6_in6 *sid,
					 __u64 now_ns)
{
	__builtin_memset(t, 0, sizeof(*t));
	t->type = SR6_TLV_DELAY;
	t->len = SR6_TLV_DELAY_LEN - 2;
	t->timestamp_ns = bpf_cpu_to_be64(now_ns);
	__builtin_memcpy(&t->sid, sid, 16);
}

/* Record the TLV at tlv_off against the invoking SID at time now_ns.  Returns 0 or -1. */
static __always_inline int fn_delay_record(void *ctx, const enum sr6_hook hook,
					   const struct fn_pkt *f, __u32 tlv_off, __u64 now_ns)
{
	struct sr6_tlv_delay *t = ctx_ptr(ctx, hook, tlv_off, SR6_TLV_DELAY_LEN);
	static const struct sr6_delay_hist zero;
	struct sr6_delay_hist *h;
	struct sr6_delay_key k;
	__u64 ts;

	if (!t || t->len != SR6_TLV_DELAY_LEN - 2)
		return -1;
	ts = bpf_be64_to_cpu(t->timestamp_ns);
	__builtin_memcpy(&k.ingress, &t->sid, 16);
	__builtin_memcpy(&k.egress, &f->sid, 16);
	h = fn_percpu_get(&SR6_MAP_FN_DELAY_HIST, &k, &zero);
	if (!h)
		return -1;
	if (now_ns < ts) {
		h->negative += 1;
		return 0;
	}
	h->count += 1;
	h->sum_ns += now_ns - ts;
	h->buckets[fn_delay_bucket(now_ns - ts) & (SR6_DELAY_BUCKETS - 1)] += 1;
	return 0;
}

#endif /* SR6_LIB_FUNCTIONS_DELAY_H */
