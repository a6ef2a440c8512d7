/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * ctx.h: one API over struct xdp_md (XDP) and struct __sk_buff (tc), so the same code runs at
 * both hooks.  Every function takes the hook as a compile-time constant: after inlining only
 * one branch is left, so there is no run-time cost.
 */
#ifndef SR6_LIB_CTX_H
#define SR6_LIB_CTX_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

enum sr6_hook {
	SR6_HOOK_XDP,
	SR6_HOOK_TC_INGRESS,
	SR6_HOOK_TC_EGRESS,
};

#define ETH_HLEN	14
#define ETH_P_IP	0x0800
#define ETH_P_IPV6	0x86DD
#define IP6_HLEN	40

#define TC_ACT_OK	0
#define TC_ACT_SHOT	2
#define TC_ACT_REDIRECT	7

#define ctx_is_xdp(hook)	((hook) == SR6_HOOK_XDP)

/*
 * The packet pointers are read at their fixed UAPI offsets rather than through the CO-RE
 * (preserve_access_index) structs of vmlinux.h: clang may keep a relocated field offset in a
 * register and load from ctx + register, which the verifier refuses for the context.  The
 * load is one assembly instruction with the offset as its immediate: written as C, clang
 * still hoists ctx + off into a register when several paths read the same field.
 */
#define ctx_load_u32(ctx, off)								\
	({										\
		__u64 __v;								\
		asm volatile("%[v] = *(u32 *)(%[c] + %[o])"				\
			     : [v] "=r"(__v) : [c] "r"(ctx), [o] "i"(off));		\
		__v;	/* zero-extended by the load; no cast (it may be a pointer) */ \
	})

static __always_inline void *ctx_data(void *ctx, const enum sr6_hook hook)
{
	if (ctx_is_xdp(hook))
		return (void *)(long)ctx_load_u32(ctx, __builtin_offsetof(struct xdp_md, data));
	return (void *)(long)ctx_load_u32(ctx, __builtin_offsetof(struct __sk_buff, data));
}

static __always_inline void *ctx_data_end(void *ctx, const enum sr6_hook hook)
{
	if (ctx_is_xdp(hook))
		return (void *)(long)ctx_load_u32(ctx, __builtin_offsetof(struct xdp_md, data_end));
	return (void *)(long)ctx_load_u32(ctx, __builtin_offsetof(struct __sk_buff, data_end));
}

/* Bytes of the whole packet (tc: including the non-linear part). */
static __always_inline __u32 ctx_len(void *ctx, const enum sr6_hook hook)
{
	if (ctx_is_xdp(hook))
		return (__u32)(ctx_data_end(ctx, hook) - ctx_data(ctx, hook));
	return ((struct __sk_buff *)ctx)->len;
}

/* The interface the packet arrived on (ingress hooks) or leaves by (tc egress). */
static __always_inline __u32 ctx_ifindex(void *ctx, const enum sr6_hook hook)
{
	if (ctx_is_xdp(hook))
		return ((struct xdp_md *)ctx)->ingress_ifindex;
	if (hook == SR6_HOOK_TC_INGRESS)
		return ((struct __sk_buff *)ctx)->ingress_ifindex;
	return ((struct __sk_buff *)ctx)->ifindex;
}

/* tc only: a GSO packet is segmented later, so its length is not a wire length. */
static __always_inline int ctx_is_gso(void *ctx, const enum sr6_hook hook)
{
	if (ctx_is_xdp(hook))
		return 0;
	return ((struct __sk_buff *)ctx)->gso_segs > 1 || ((struct __sk_buff *)ctx)->gso_size;
}

static __always_inline int ctx_pass(const enum sr6_hook hook)
{
	return ctx_is_xdp(hook) ? XDP_PASS : TC_ACT_OK;
}

static __always_inline int ctx_drop(const enum sr6_hook hook)
{
	return ctx_is_xdp(hook) ? XDP_DROP : TC_ACT_SHOT;
}

/*
 * Headers are looked for in the first SR6_MAX_HDR_OFF bytes only.  The bound also tells the
 * verifier that offset + length cannot overflow its packet-range arithmetic.
 */
#define SR6_MAX_HDR_OFF	0x3fff

/*
 * Pointer to len bytes at offset off, or NULL when the packet is shorter.  The mask is done
 * in assembly so the compiler cannot fold it into the comparison: the verifier must see the
 * bound on the very register that is added to the packet pointer.
 */
#define ctx_ptr(ctx, hook, off, len)							\
	({										\
		__u64 __o = (off);							\
		void *__d = NULL;							\
		if (__o <= SR6_MAX_HDR_OFF) {						\
			asm volatile("%[o] &= %[m]" : [o] "+r"(__o) : [m] "i"(SR6_MAX_HDR_OFF)); \
			__d = ctx_data(ctx, hook) + __o;				\
			if (__d + (len) > ctx_data_end(ctx, hook))			\
				__d = NULL;						\
		}									\
		__d;									\
	})

/*
 * Insert len bytes right after the Ethernet header (the new bytes are uninitialised).
 * XDP moves the Ethernet header to the new front; tc asks the stack, passing tc_flags
 * (BPF_F_ADJ_ROOM_ENCAP_L3_* so GSO packets are segmented correctly after encapsulation).
 * len must be a bounded value the verifier can follow.  Returns 0 or a negative errno.
 */
static __always_inline int ctx_insert_after_l2(void *ctx, const enum sr6_hook hook, __u32 len,
					       __u64 tc_flags)
{
	if (ctx_is_xdp(hook)) {
		struct ethhdr eth;
		void *data, *data_end;

		data = ctx_data(ctx, hook);
		data_end = ctx_data_end(ctx, hook);
		if (data + ETH_HLEN > data_end)
			return -22;
		__builtin_memcpy(&eth, data, ETH_HLEN);
		if (bpf_xdp_adjust_head(ctx, -(int)len))
			return -12;
		data = ctx_data(ctx, hook);
		data_end = ctx_data_end(ctx, hook);
		if (data + ETH_HLEN > data_end)
			return -22;
		__builtin_memcpy(data, &eth, ETH_HLEN);
		return 0;
	}
	return bpf_skb_adjust_room(ctx, (__s32)len, BPF_ADJ_ROOM_MAC, tc_flags);
}

#endif /* SR6_LIB_CTX_H */
