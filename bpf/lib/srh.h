/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * srh.h: reading and checking a Segment Routing Header (RFC 8754) in a packet: the fixed
 * 8 bytes, the RFC 8754 section 4.3.1 consistency checks, segment access, the TLV walk.
 * Works on any context ctx.h knows (XDP, tc, and the __sk_buff of lwt_seg6local, whose data
 * starts at the IPv6 header: pass l3 offsets accordingly).
 */
#ifndef SR6_LIB_SRH_H
#define SR6_LIB_SRH_H

#include "lib/ctx.h"
#include "sr6_abi.h"

#define SRH_FIXED_LEN	8
#define SRH_OFF_NEXTHDR	0
#define SRH_OFF_HDRLEN	1
#define SRH_OFF_TYPE	2
#define SRH_OFF_SL	3
#define SRH_OFF_LE	4
#define SRH_OFF_FLAGS	5
#define SRH_OFF_TAG	6
#define SRH_OFF_SEGS	8

/* The pre-RFC "H" flag Linux still uses to mark an SRH carrying an HMAC TLV. */
#define SRH_FLAG_HMAC	(1 << 3)

#define SRH_TLV_PAD1	0
#define SRH_TLV_PADN	4
#define SRH_TLV_HMAC	5

/* IPv6 header field offsets. */
#define IP6_OFF_PLEN	4
#define IP6_OFF_NEXTHDR	6
#define IP6_OFF_HOPLIMIT 7
#define IP6_OFF_SADDR	8
#define IP6_OFF_DADDR	24

/* The fixed part of an SRH, read once. */
struct srh_fixed {
	__u8	nexthdr;
	__u8	hdrlen;
	__u8	type;
	__u8	sl;
	__u8	le;
	__u8	flags;
	__be16	tag;
};

/* Bytes of the whole SRH (segments and TLVs). */
static __always_inline __u32 srh_len(const struct srh_fixed *s)
{
	return ((__u32)s->hdrlen + 1) * 8;
}

/* Offset, relative to the SRH, of the TLV area (right after Segment List[LE]). */
static __always_inline __u32 srh_tlv_off(const struct srh_fixed *s)
{
	return SRH_OFF_SEGS + 16 * ((__u32)s->le + 1);
}

/* Copy the fixed 8 bytes at off.  Returns 0, or -1 when the packet is shorter. */
static __always_inline int srh_read(void *ctx, const enum sr6_hook hook, __u32 off,
				    struct srh_fixed *out)
{
	struct srh_fixed *s = ctx_ptr(ctx, hook, off, SRH_FIXED_LEN);

	if (!s)
		return -1;
	__builtin_memcpy(out, s, SRH_FIXED_LEN);
	return 0;
}

/*
 * RFC 8754 section 4.3.1 step 3, for an SRH whose Segments Left is not 0: Last Entry must
 * index a segment inside the header (max_LE = Hdr Ext Len / 2 - 1) and Segments Left must be
 * at most Last Entry + 1.  Returns 0 or the drop reason.  (The header's length against the
 * packet is checked by the extension header walk in parse.h.)
 */
static __always_inline int srh_check(const struct srh_fixed *s)
{
	if (s->hdrlen < 2 || s->le > s->hdrlen / 2 - 1)
		return SR6_DROP_MALFORMED_SRH;
	if (s->sl > s->le + 1)
		return SR6_DROP_SL_OUT_OF_RANGE;
	return 0;
}

/* Offset in the packet of Segment List[i] of the SRH at srh_off. */
static __always_inline __u32 srh_seg_off(__u32 srh_off, __u32 i)
{
	return srh_off + SRH_OFF_SEGS + 16 * (i & 0xff);
}

/* Copy Segment List[i].  Returns 0, or -1 when it is not in the packet. */
static __always_inline int srh_seg_read(void *ctx, const enum sr6_hook hook, __u32 srh_off,
					__u32 i, union sr6_in6 *out)
{
	union sr6_in6 *seg = ctx_ptr(ctx, hook, srh_seg_off(srh_off, i), 16);

	if (!seg)
		return -1;
	__builtin_memcpy(out, seg, 16);
	return 0;
}

/* TLVs examined in one SRH before giving up (bounded loop for the verifier). */
#define SRH_MAX_TLVS	8

/*
 * Find the first TLV of the given type in the SRH at srh_off.  Returns the TLV's offset in the
 * packet, or 0 when the SRH has none (or its TLV area is malformed).  Pad1 is one byte; every
 * other TLV is type, length, value.
 */
static __always_inline __u32 srh_tlv_find(void *ctx, const enum sr6_hook hook, __u32 srh_off,
					  const struct srh_fixed *s, __u8 type)
{
	__u32 off = srh_off + srh_tlv_off(s), end = srh_off + srh_len(s);
	int i;

	for (i = 0; i < SRH_MAX_TLVS; i++) {
		__u8 *t;

		if (off + 2 > end)
			return 0;
		t = ctx_ptr(ctx, hook, off, 2);
		if (!t)
			return 0;
		if (t[0] == type)
			return off;
		if (t[0] == SRH_TLV_PAD1)
			off += 1;
		else
			off += 2 + (__u32)t[1];
	}
	return 0;
}

#endif /* SR6_LIB_SRH_H */
