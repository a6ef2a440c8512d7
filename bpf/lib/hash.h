/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * hash.h: the flow hash of the headend.  Every packet of a flow gets the same 32-bit value, so
 * a flow stays on one path of a policy and keeps one outer flow label (RFC 6437).
 *
 * The hash is MurmurHash3 (x86, 32-bit) over 32-bit words, fed in this order:
 *   IPv6: source address (4 words), destination address (4 words), ports, protocol
 *   IPv4: source address, destination address, ports, protocol
 * where an address word is the 4 address bytes loaded as a native-endian 32-bit integer,
 * "ports" is (source port << 16) | destination port in host order (0 for fragments and for
 * protocols without ports), "protocol" is the upper-layer protocol number, the seed is the
 * node's (sr6_config.hash_seed) and the length mixed in at the end is the number of words
 * times 4.
 * selftests/bpf/headend_policy.c implements the same definition independently.
 */
#ifndef SR6_LIB_HASH_H
#define SR6_LIB_HASH_H

#include "lib/ctx.h"

static __always_inline __u32 hash_rotl(__u32 x, int r)
{
	return (x << r) | (x >> (32 - r));
}

static __always_inline __u32 hash_word(__u32 h, __u32 k)
{
	k *= 0xcc9e2d51;
	k = hash_rotl(k, 15);
	k *= 0x1b873593;
	h ^= k;
	h = hash_rotl(h, 13);
	return h * 5 + 0xe6546b64;
}

static __always_inline __u32 hash_final(__u32 h, __u32 len)
{
	h ^= len;
	h ^= h >> 16;
	h *= 0x85ebca6b;
	h ^= h >> 13;
	h *= 0xc2b2ae35;
	h ^= h >> 16;
	return h;
}

static __always_inline __u32 hash_flow6(__u32 seed, const __u32 *src, const __u32 *dst,
					__u16 sport, __u16 dport, __u8 proto)
{
	__u32 h = seed;

	h = hash_word(h, src[0]);
	h = hash_word(h, src[1]);
	h = hash_word(h, src[2]);
	h = hash_word(h, src[3]);
	h = hash_word(h, dst[0]);
	h = hash_word(h, dst[1]);
	h = hash_word(h, dst[2]);
	h = hash_word(h, dst[3]);
	h = hash_word(h, ((__u32)sport << 16) | dport);
	h = hash_word(h, proto);
	return hash_final(h, 40);
}

static __always_inline __u32 hash_flow4(__u32 seed, __u32 src, __u32 dst, __u16 sport, __u16 dport,
					__u8 proto)
{
	__u32 h = seed;

	h = hash_word(h, src);
	h = hash_word(h, dst);
	h = hash_word(h, ((__u32)sport << 16) | dport);
	h = hash_word(h, proto);
	return hash_final(h, 16);
}

/*
 * The outer flow label: 20 bits of a second mix of the flow hash, so that it does not follow
 * the high bits that chose the path (downstream ECMP on the label stays balanced).  Never 0,
 * which would mean "no label".
 */
static __always_inline __u32 hash_flow_label(__u32 h)
{
	__u32 l = hash_final(h, 0x5236) & 0xfffff;

	return l ? l : 1;
}

#endif /* SR6_LIB_HASH_H */
