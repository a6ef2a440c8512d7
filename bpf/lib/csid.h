/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * csid.h: the NEXT-C-SID flavor (RFC 9800 section 4.1, "uN"): when the argument part of the
 * destination address is not zero, the next compressed SID is shifted into the node/function
 * position right after the locator block, and the vacated low bits are zeroed.
 *
 *   DA = | block (B bits) | active C-SID (NF bits) | argument: next C-SIDs (128-B-NF bits) |
 *   ->   | block (B bits) | argument shifted left by NF bits         | NF zero bits        |
 *
 * Plain integer code on two 64-bit halves (no helpers), so userspace can include it too.
 */
#ifndef SR6_LIB_CSID_H
#define SR6_LIB_CSID_H

#include "sr6_abi.h"

#define CSID_DEFAULT_BLOCK_BITS		32
#define CSID_DEFAULT_NODE_FN_BITS	16

struct csid_u128 {
	__u64	hi, lo;		/* host order: hi holds address bytes 0..7 */
};

static __always_inline __u64 csid_be64_load(const __u8 *b)
{
	__u64 v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = (v << 8) | b[i];
	return v;
}

static __always_inline void csid_be64_store(__u8 *b, __u64 v)
{
	int i;

	for (i = 7; i >= 0; i--) {
		b[i] = (__u8)v;
		v >>= 8;
	}
}

/* Mask of the top n bits, 0 <= n <= 128. */
static __always_inline struct csid_u128 csid_top_mask(__u32 n)
{
	struct csid_u128 m;

	if (n == 0) {
		m.hi = 0;
		m.lo = 0;
	} else if (n < 64) {
		m.hi = ~0ULL << (64 - n);
		m.lo = 0;
	} else if (n == 64) {
		m.hi = ~0ULL;
		m.lo = 0;
	} else if (n < 128) {
		m.hi = ~0ULL;
		m.lo = ~0ULL << (128 - n);
	} else {
		m.hi = ~0ULL;
		m.lo = ~0ULL;
	}
	return m;
}

/* v << n, 0 < n < 128. */
static __always_inline struct csid_u128 csid_shl(struct csid_u128 v, __u32 n)
{
	struct csid_u128 r;

	if (n < 64) {
		r.hi = (v.hi << n) | (v.lo >> (64 - n));
		r.lo = v.lo << n;
	} else if (n == 64) {
		r.hi = v.lo;
		r.lo = 0;
	} else {
		r.hi = v.lo << (n - 64);
		r.lo = 0;
	}
	return r;
}

/* The block and node/function lengths of a SID are valid for NEXT-C-SID (as the kernel). */
static __always_inline int csid_lengths_valid(__u32 block_bits, __u32 nf_bits)
{
	return block_bits && nf_bits && !(block_bits & 7) && !(nf_bits & 7) &&
	       block_bits + nf_bits <= 128;
}

/*
 * Apply NEXT-C-SID to the address da in place.  Returns 1 when the argument was not zero and
 * da now holds the next C-SID, 0 when the argument is zero (da untouched: the behaviour goes
 * on with its SRH processing).  The lengths must satisfy csid_lengths_valid().
 */
static __always_inline int csid_next(union sr6_in6 *da, __u32 block_bits, __u32 nf_bits)
{
	struct csid_u128 v, keep, arg, shifted;
	__u32 used = block_bits + nf_bits;

	if (used >= 128)
		return 0;	/* no argument bits */
	v.hi = csid_be64_load(da->b);
	v.lo = csid_be64_load(da->b + 8);
	arg = csid_top_mask(used);
	if (!(v.hi & ~arg.hi) && !(v.lo & ~arg.lo))
		return 0;
	keep = csid_top_mask(block_bits);
	shifted = csid_shl(v, nf_bits);
	v.hi = (v.hi & keep.hi) | (shifted.hi & ~keep.hi);
	v.lo = (v.lo & keep.lo) | (shifted.lo & ~keep.lo);
	csid_be64_store(da->b, v.hi);
	csid_be64_store(da->b + 8, v.lo);
	return 1;
}

#endif /* SR6_LIB_CSID_H */
