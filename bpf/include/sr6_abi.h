/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * sr6_abi.h: the one contract between the BPF programs and userspace.
 *
 * Map names, keys, values, limits, drop reasons and counters are defined here once; both the
 * BPF programs (bpf/) and the agent (agent/) include this file, and the documentation tables
 * in bpf/README.md are checked against it by a test.
 *
 * All addresses are in network byte order.  Ports, tags and counters are in host order unless a
 * field says otherwise.  Every struct has a fixed layout (explicit padding, static asserts at
 * the end) so that the same bytes mean the same thing on both sides.
 *
 * Update model (how a packet sees either the whole old or the whole new configuration):
 *   - Values that a packet reads together live in one map value (a policy carries its paths and
 *     their prebuilt SRHs), and are replaced by one map update of a hash or LPM map; those maps
 *     are BPF_F_NO_PREALLOC, so the kernel swaps elements under RCU and a reader sees either the
 *     old or the new element, never a mix.
 *   - Slots of array maps (steering rules) are written while nothing references them, then
 *     published by one update of the referencing element; a slot is reused only after a
 *     grace period (see SR6_MAP_BARRIER).
 *   - Counters are keyed by stable ids that survive updates.
 */
#ifndef SR6_ABI_H
#define SR6_ABI_H

#ifdef __BPF__
/* vmlinux.h provides the __u8 .. __u64 and __be16/__be32 types. */
#else
#include <linux/types.h>
#endif

/* ---------------------------------------------------------------------------------------- */
/* Limits                                                                                    */

#define SR6_MAX_SIDS		16	/* SIDs in one segment list */
#define SR6_MAX_PATHS		8	/* weighted paths (segment lists) in one policy */
#define SR6_MAX_POLICIES	16384	/* policies; stats ids are 0 .. SR6_MAX_POLICIES-1 */
#define SR6_MAX_STEER_PREFIXES	262144	/* entries in each steering LPM trie */
#define SR6_MAX_STEER_RULES	262144	/* slots in sr6_steer_rules */
#define SR6_MAX_RULES_PER_SET	32	/* rules scanned for one destination prefix */
#define SR6_MAX_LOCAL_SIDS	65536	/* local SIDs (exact and locator entries) */
#define SR6_MAX_WEIGHT		65535	/* sum of a policy's path weights */

/* Bytes of an SRH with n segment list entries and no TLVs. */
#define SR6_SRH_LEN(n)		(8 + 16 * (n))
/* The largest SRH: inline (H.Insert) carries the original destination as one more entry. */
#define SR6_SRH_MAX_LEN		SR6_SRH_LEN(SR6_MAX_SIDS + 1)

#define SR6_DEFAULT_HOP_LIMIT	64

/* ---------------------------------------------------------------------------------------- */
/* Pinning: every map is pinned by name under the pin root (default /sys/fs/bpf/sr6).         */

#define SR6_PIN_ROOT_DEFAULT	"/sys/fs/bpf/sr6"

#define SR6_MAP_CONFIG		sr6_config
#define SR6_MAP_STEER6		sr6_steer6
#define SR6_MAP_STEER4		sr6_steer4
#define SR6_MAP_STEER_RULES	sr6_steer_rules
#define SR6_MAP_POLICIES	sr6_policies
#define SR6_MAP_POLICY_STATS	sr6_policy_stats
#define SR6_MAP_SIDS		sr6_sids
#define SR6_MAP_LOCATORS	sr6_locators
#define SR6_MAP_SID_STATS	sr6_sid_stats
#define SR6_MAP_DROPS		sr6_drops
#define SR6_MAP_EVENTS		sr6_events
/*
 * SR6_MAP_BARRIER is an ARRAY_OF_MAPS no program reads.  Updating it makes the kernel wait
 * until every running BPF program has finished (the syscall does a synchronize_rcu for
 * map-in-map updates), which is how userspace knows no packet still uses a slot it unlinked.
 */
#define SR6_MAP_BARRIER		sr6_barrier

/* ---------------------------------------------------------------------------------------- */
/* Addresses                                                                                 */

/* 4-byte aligned: LPM trie keys need the address right after the 4-byte prefix length. */
union sr6_in6 {
	__u8	b[16];
	__be32	w[4];
};

/* ---------------------------------------------------------------------------------------- */
/* Node configuration: sr6_config, ARRAY, 1 entry, key __u32 0.                              */

enum sr6_config_flags {
	SR6_CFG_STEER6		= 1 << 0,	/* sr6_steer6 has entries: look IPv6 packets up */
	SR6_CFG_STEER4		= 1 << 1,	/* sr6_steer4 has entries: look IPv4 packets up */
	SR6_CFG_SIDS		= 1 << 2,	/* sr6_sids has entries */
	SR6_CFG_LOCATORS	= 1 << 3,	/* sr6_locators has entries (compressed SIDs) */
};

struct sr6_config {
	__u32	flags;		/* enum sr6_config_flags; a word, so updates are atomic */
	__u32	generation;	/* bumped by the agent on every applied change (diagnostics) */
};

/* ---------------------------------------------------------------------------------------- */
/* Steering (headend classification)                                                         */

/* sr6_steer6: LPM_TRIE (BPF_F_NO_PREALLOC), destination prefix -> rule set. */
struct sr6_steer6_key {
	__u32	prefixlen;	/* 0 .. 128 */
	union sr6_in6 dst;
};

/* sr6_steer4: LPM_TRIE (BPF_F_NO_PREALLOC), destination prefix -> rule set. */
struct sr6_steer4_key {
	__u32	prefixlen;	/* 0 .. 32 */
	__be32	dst;
};

/*
 * A rule set: the rules that can apply to a destination prefix, in evaluation order, in
 * sr6_steer_rules[first .. first+count-1].  The compiler copies into the set of a prefix every
 * rule of a covering (shorter) prefix too, so one LPM lookup and one scan decide; the first
 * rule whose conditions hold wins; no rule holding means the packet passes untouched.
 */
struct sr6_steer_set {
	__u32	first;
	__u32	count;		/* 1 .. SR6_MAX_RULES_PER_SET */
};

enum sr6_rule_match {
	SR6_MATCH_SRC		= 1 << 0,	/* src/src_len */
	SR6_MATCH_PROTO		= 1 << 1,	/* proto (IPv6: the upper-layer header after extension headers) */
	SR6_MATCH_SPORT		= 1 << 2,	/* sport_min .. sport_max (TCP, UDP, SCTP) */
	SR6_MATCH_DPORT		= 1 << 3,	/* dport_min .. dport_max */
	SR6_MATCH_DSCP		= 1 << 4,	/* dscp */
	SR6_MATCH_IIF		= 1 << 5,	/* ifindex: the ingress interface */
};

/* sr6_steer_rules: ARRAY of rules, SR6_MAX_STEER_RULES slots, key __u32 slot. */
struct sr6_steer_rule {
	union sr6_in6 src;	/* masked; IPv4 rules use src.w[0] */
	__u8	src_len;
	__u8	proto;
	__u8	dscp;		/* 0 .. 63 */
	__u8	_pad0;
	__u16	match;		/* enum sr6_rule_match: which conditions apply */
	__u16	_pad1;
	__u16	sport_min, sport_max;
	__u16	dport_min, dport_max;
	__u32	ifindex;
	__u32	policy;		/* key into sr6_policies */
	__u32	rule_id;	/* the rule's stable id in the policy file (diagnostics) */
};

/* ---------------------------------------------------------------------------------------- */
/* Policies (headend encapsulation)                                                          */

enum sr6_encap_mode {
	SR6_MODE_ENCAP		= 1,	/* H.Encaps: outer IPv6 + SRH (iproute2 "encap") */
	SR6_MODE_ENCAP_RED	= 2,	/* H.Encaps.Red: first SID only in the DA ("encap.red") */
	SR6_MODE_INLINE		= 3,	/* H.Insert: SRH after the IPv6 header ("inline") */
};

enum sr6_policy_flags {
	SR6_POLICY_F_TC_COPY	= 1 << 0,	/* copy the inner traffic class/TOS into the outer header */
};

/*
 * One path: a segment list ready to be written on the wire.
 *   srh      the SRH exactly as sent (type 4, Segments Left, Last Entry, flags 0, tag, segment
 *            list in wire order: srh[8..23] = Segment List[0] = the last segment), srh_len
 *            bytes of it; Next Header (srh[0]) is written per packet (41, 4 or the original
 *            next header for inline).  srh_len is 0 for encap.red with one SID (no SRH).
 *            For inline, Segment List[0] is the packet's original destination and is written
 *            per packet; the compiler leaves it zero.
 *   dst      the outer destination address (the first SID).
 */
struct sr6_path {
	union sr6_in6 dst;
	__u16	srh_len;	/* 0, or 8 + 16 * entries */
	__u8	sid_count;	/* SIDs in the policy's list (for counters and diagnostics) */
	__u8	_pad[5];
	__u8	srh[SR6_SRH_MAX_LEN];
};

/* sr6_policies: HASH (BPF_F_NO_PREALLOC), key __u32 policy key -> struct sr6_policy. */
struct sr6_policy {
	__u8	mode;		/* enum sr6_encap_mode */
	__u8	path_count;	/* 1 .. SR6_MAX_PATHS */
	__u8	hop_limit;	/* outer hop limit */
	__u8	flags;		/* enum sr6_policy_flags */
	__u32	stats_id;	/* index base into sr6_policy_stats: stats_id * (SR6_MAX_PATHS+1) */
	__u32	mtu;		/* 0: use the route's MTU; else the largest outer packet allowed */
	__u32	total_weight;	/* sum of weights, 1 .. SR6_MAX_WEIGHT */
	union sr6_in6 source;	/* outer source address */
	/*
	 * Path i serves the flows whose hash h gives v = (h * total_weight) >> 32 (a value in
	 * 0 .. total_weight-1) with cum_weight[i-1] <= v < cum_weight[i] (cum_weight[-1] = 0),
	 * so cum_weight[path_count-1] == total_weight.  bpf/README.md defines h.
	 */
	__u16	cum_weight[SR6_MAX_PATHS];
	struct sr6_path paths[SR6_MAX_PATHS];
};

/*
 * sr6_policy_stats: PERCPU_ARRAY of struct sr6_counter, SR6_MAX_POLICIES * (SR6_MAX_PATHS + 1)
 * entries: slot stats_id * (SR6_MAX_PATHS + 1) counts the policy, the next SR6_MAX_PATHS slots
 * count its paths.  Packets and bytes are those of the packet as received (before encap).
 */
#define SR6_POLICY_STATS_SLOTS	(SR6_MAX_PATHS + 1)

struct sr6_counter {
	__u64	packets;
	__u64	bytes;
};

/* ---------------------------------------------------------------------------------------- */
/* Local SIDs (endpoint)                                                                     */

/* Behaviours, numbered as the kernel's SEG6_LOCAL_ACTION_* so routes and maps agree. */
enum sr6_behavior {
	SR6_END		= 1,
	SR6_END_X	= 2,
	SR6_END_T	= 3,
	SR6_END_DX6	= 5,
	SR6_END_DX4	= 6,
	SR6_END_DT6	= 7,
	SR6_END_BPF	= 15,	/* handled by a seg6local End.BPF route, never by the fast path */
};

/* Flavors, bit = 1 << the kernel's SEG6_LOCAL_FLV_OP_* value. */
enum sr6_flavor {
	SR6_FLV_PSP		= 1 << 1,
	SR6_FLV_USP		= 1 << 2,
	SR6_FLV_USD		= 1 << 3,
	SR6_FLV_NEXT_CSID	= 1 << 4,
};

/* sr6_sids: HASH (BPF_F_NO_PREALLOC), key union sr6_in6 (the exact SID) -> struct sr6_sid. */
struct sr6_sid {
	__u8	behavior;	/* enum sr6_behavior */
	__u8	lcblock_bits;	/* NEXT-C-SID: locator block length (default 32) */
	__u8	lcnode_fn_bits;	/* NEXT-C-SID: node + function length (default 16) */
	__u8	_pad0;
	__u16	flavors;	/* enum sr6_flavor */
	__u16	_pad1;
	__u32	stats_id;	/* index into sr6_sid_stats */
	__u32	table;		/* End.T, End.DT6: FIB table id */
	__u32	oif;		/* End.X, End.DX6, End.DX4: egress ifindex (0: by FIB) */
	__be32	nh4;		/* End.DX4: IPv4 next hop */
	union sr6_in6 nh6;	/* End.X, End.DX6: IPv6 next hop */
};

/*
 * sr6_locators: LPM_TRIE (BPF_F_NO_PREALLOC), locator-based compressed SIDs: the prefix
 * block + node (+ function) of a NEXT-C-SID SID -> the same struct sr6_sid.  Looked up only
 * when sr6_sids has no exact match and SR6_CFG_LOCATORS is set.
 */
struct sr6_locator_key {
	__u32	prefixlen;
	union sr6_in6 prefix;
};

/* sr6_sid_stats: PERCPU_ARRAY of struct sr6_counter, SR6_MAX_LOCAL_SIDS entries, indexed by
 * stats_id: successfully processed packets only (RFC 8986 section 6). */

/* ---------------------------------------------------------------------------------------- */
/* Drop reasons and kernel hand-offs                                                         */

/*
 * sr6_drops: PERCPU_ARRAY of __u64, SR6_DROP_MAX entries, indexed by reason.
 * X(name, value, description): the description is what `sr6 stats` prints.
 */
#define SR6_DROP_REASONS(X)							\
	X(MALFORMED_ETH,	1,  "truncated Ethernet header")			\
	X(MALFORMED_IP6,	2,  "truncated or inconsistent IPv6 header")		\
	X(MALFORMED_IP4,	3,  "truncated or inconsistent IPv4 header")		\
	X(MALFORMED_EXTHDR,	4,  "truncated IPv6 extension header chain")		\
	X(MALFORMED_SRH,	5,  "SRH length or Last Entry beyond the header")	\
	X(SL_OUT_OF_RANGE,	6,  "Segments Left greater than Last Entry + 1")	\
	X(SL_NOT_ZERO,		7,  "decapsulating behaviour with Segments Left not 0")	\
	X(NO_SRH,		8,  "behaviour needs an SRH and the packet has none")	\
	X(INNER_MISMATCH,	9,  "decapsulation: inner packet not of the expected family") \
	X(NO_HEADROOM,		10, "could not grow or shrink the packet")		\
	X(TOO_BIG,		11, "packet too big after encapsulation, no ICMP sent")	\
	X(NO_ROUTE,		12, "FIB lookup: blackhole, unreachable or prohibited")	\
	X(NO_POLICY,		13, "steering rule points to a missing or unusable policy") \
	X(INLINE_IPV4,		14, "inline (H.Insert) policy on an IPv4 packet")	\
	X(SRH_PRESENT,		15, "packet already carries a routing or Hop-by-Hop header (inline refused)") \
	X(BAD_BEHAVIOR,		16, "SID with an unknown behaviour or flavor")		\
	X(TAG_DENIED,		17, "End.BPF tag-acl: tag or flags denied")		\
	X(RATE_LIMITED,		18, "End.BPF ratelimit: above the rate")		\
	X(UPPER_LAYER,		19, "End: upper-layer header at the final segment not allowed") \
	X(TRUNCATED_L4,		20, "truncated transport header")				\
	X(TOO_BIG_ICMP,		21, "packet too big after encapsulation, ICMP error sent in its place")

enum sr6_drop_reason {
#define SR6_X_ENUM(name, value, desc) SR6_DROP_##name = value,
	SR6_DROP_REASONS(SR6_X_ENUM)
#undef SR6_X_ENUM
	SR6_DROP_MAX = 32,
};

/*
 * sr6_events: PERCPU_ARRAY of __u64, SR6_EVENT_MAX entries: packets handed to the kernel
 * (XDP_PASS / TC_ACT_OK) on purpose, by reason.  Such packets are not lost: the kernel
 * forwards them, resolves a neighbour, or answers with the ICMP error the RFC asks for.
 */
#define SR6_EVENTS(X)								\
	X(NO_NEIGH,		1,  "next hop without a neighbour entry: kernel forwards") \
	X(HOP_LIMIT,		2,  "hop limit <= 1: kernel sends Time Exceeded")	\
	X(FRAG_NEEDED,		3,  "too big for the egress MTU: kernel sends the ICMP error") \
	X(FRAGMENT,		4,  "non-first fragment: classified by L3 only")	\
	X(NOT_FWDED,		5,  "FIB: not forwarded (local or no forwarding)")	\
	X(PARAM_PROBLEM,	6,  "malformed SRH at a local SID: kernel sends Parameter Problem") \
	X(LWT_ROUTE,		7,  "FIB route with lightweight tunnel: kernel handles it") \
	X(GSO,			8,  "GSO packet over the MTU: kernel segments it")	\
	X(SL_ZERO,		9,  "Segments Left 0 at End: kernel delivers the upper layer")

enum sr6_event {
#define SR6_X_ENUM(name, value, desc) SR6_EVENT_##name = value,
	SR6_EVENTS(SR6_X_ENUM)
#undef SR6_X_ENUM
	SR6_EVENT_MAX = 32,
};

/* ---------------------------------------------------------------------------------------- */
/* Layout checks: the same bytes on both sides.                                              */

_Static_assert(sizeof(union sr6_in6) == 16, "sr6_in6");
_Static_assert(sizeof(struct sr6_config) == 8, "sr6_config");
_Static_assert(sizeof(struct sr6_steer6_key) == 20, "sr6_steer6_key");
_Static_assert(sizeof(struct sr6_steer4_key) == 8, "sr6_steer4_key");
_Static_assert(sizeof(struct sr6_steer_set) == 8, "sr6_steer_set");
_Static_assert(sizeof(struct sr6_steer_rule) == 44, "sr6_steer_rule");
_Static_assert(sizeof(struct sr6_path) == 16 + 8 + SR6_SRH_MAX_LEN, "sr6_path");
_Static_assert(sizeof(struct sr6_policy) == 32 + 16 + SR6_MAX_PATHS * sizeof(struct sr6_path),
	       "sr6_policy");
_Static_assert(sizeof(struct sr6_sid) == 40, "sr6_sid");
_Static_assert(sizeof(struct sr6_locator_key) == 20, "sr6_locator_key");
_Static_assert(sizeof(struct sr6_counter) == 16, "sr6_counter");
_Static_assert(SR6_DROP_TOO_BIG_ICMP < SR6_DROP_MAX, "drop reasons fit sr6_drops");
_Static_assert(SR6_EVENT_SL_ZERO < SR6_EVENT_MAX, "events fit sr6_events");

#endif /* SR6_ABI_H */
