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
/*
 * SR6_MAP_FIB_CACHE: PERCPU_ARRAY of struct sr6_fib_cache_slot, SR6_FIB_CACHE_ENTRIES slots
 * per CPU, direct-mapped: the key of a lookup goes in slot sr6_fib_cache_slot(key) and
 * replaces whatever was there.  The endpoint's forwarding lookups and the headend's outer
 * route share it.  Results of bpf_fib_lookup are reused when SR6_CFG_FIB_CACHE is
 * set, until the kernel's tick counter (jiffies) has advanced SR6_FIB_CACHE_TTL_TICKS times:
 * at most 2 ticks, 20 ms at HZ=100, 8 ms at HZ=250, 2 ms at HZ=1000.  The key is every input
 * of the lookup, so a hit is the answer the lookup gave for the same question that recently;
 * a route or neighbour change takes effect within the TTL.  Zeroing the map makes a change
 * take effect at once.
 */
#define SR6_MAP_FIB_CACHE	sr6_fib_cache
#define SR6_FIB_CACHE_BITS	12
#define SR6_FIB_CACHE_ENTRIES	(1 << SR6_FIB_CACHE_BITS)	/* slots per CPU */
#define SR6_FIB_CACHE_TTL_TICKS	2

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
	SR6_CFG_FIB_CACHE	= 1 << 4,	/* reuse FIB results (sr6_fib_cache) */
	/*
	 * sr6_tc_ingress runs after sr6_xdp on every interface that has sr6_xdp: sr6_xdp leaves
	 * it what XDP cannot do instead of dropping it: GRO/GSO aggregates under generic XDP
	 * (only tc can encapsulate them so that they are segmented right; event GSO) and
	 * encapsulations longer than the frame's free room (event XDP_NO_ROOM).
	 */
	SR6_CFG_TC_AFTER_XDP	= 1 << 5,
};

struct sr6_config {
	__u32	flags;		/* enum sr6_config_flags; a word, so updates are atomic */
	__u32	generation;	/* bumped by the agent on every applied change (diagnostics) */
	__u32	hash_seed;	/* seed of the headend's flow hash (bpf/lib/hash.h) */
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
 * rule whose conditions hold wins; no rule holding means the packet passes untouched.  A set
 * with count 0 is an exclusion: its prefix (the node's own addresses, say) is never steered.
 * Multicast and link-local destinations are never steered, whatever the tables say.
 */
struct sr6_steer_set {
	__u32	first;
	__u32	count;		/* 0 .. SR6_MAX_RULES_PER_SET */
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

/* sr6_fib_cache (see SR6_MAP_FIB_CACHE). */
struct sr6_fib_cache_key {
	union sr6_in6 src;	/* IPv4: w[0] */
	union sr6_in6 dst;	/* the address looked up (the next hop override if any) */
	__be32	flowinfo;	/* IPv6 flow information, IPv4 TOS in the low byte */
	__u32	ifindex;	/* ingress interface */
	__u32	table;		/* 0: main lookup with policy rules */
	__u8	family;		/* AF_INET6 / AF_INET */
	__u8	l4_protocol;
	__u16	_pad;
};

struct sr6_fib_cache_val {
	__u64	expires;	/* jiffies deadline (bpf_jiffies64); 0: empty */
	__u32	oif;
	__u16	ok_len;		/* largest IP length the route's MTU was checked for */
	__u8	dmac[6];
	__u8	smac[6];
	__u16	_pad;
};

struct sr6_fib_cache_slot {
	struct sr6_fib_cache_key key;
	struct sr6_fib_cache_val val;
};

/*
 * The slot of a key in sr6_fib_cache: the words that vary between lookups folded together,
 * then Fibonacci hashing to SR6_FIB_CACHE_BITS bits.  Address words are used as loaded
 * (network byte order read natively), so both sides of the ABI must run on the same host.
 */
static inline __u32 sr6_fib_cache_slot_of(const union sr6_in6 *src, const union sr6_in6 *dst,
					  __be32 flowinfo, __u32 ifindex, __u32 table)
{
	__u32 h = dst->w[0] ^ dst->w[1] ^ dst->w[2] ^ dst->w[3] ^ src->w[3] ^ flowinfo ^ ifindex ^
		  table;

	return (h * 0x9e3779b1u) >> (32 - SR6_FIB_CACHE_BITS);
}

static inline __u32 sr6_fib_cache_slot(const struct sr6_fib_cache_key *k)
{
	return sr6_fib_cache_slot_of(&k->src, &k->dst, k->flowinfo, k->ifindex, k->table);
}


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
	X(TOO_BIG_ICMP,		21, "packet too big after encapsulation, ICMP error sent in its place") \
	X(GSO_AT_XDP,		22, "GRO/GSO aggregate at XDP without sr6_tc_ingress after it")

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
	X(GSO,			8,  "GRO/GSO aggregate at XDP: left to sr6_tc_ingress")	\
	X(SL_ZERO,		9,  "Segments Left 0 at End: kernel delivers the upper layer")	\
	X(HMAC,			10, "SRH with an HMAC TLV at a local SID: kernel verifies and processes it") \
	X(RH_OTHER,		11, "routing header of another type at a local SID: kernel decides") \
	X(SLOW_PATH,		12, "layout the fast path does not rewrite: kernel processes the SID") \
	X(XDP_NO_ROOM,		13, "no room at XDP for the encapsulation: left to sr6_tc_ingress")

enum sr6_event {
#define SR6_X_ENUM(name, value, desc) SR6_EVENT_##name = value,
	SR6_EVENTS(SR6_X_ENUM)
#undef SR6_X_ENUM
	SR6_EVENT_MAX = 32,
};

/* ---------------------------------------------------------------------------------------- */
/* End.BPF network functions (bpf/functions/<name>.bpf.c)                                    */
/*
 * Each function is one lwt_seg6local program in an object of its own, installed as the
 * seg6local End.BPF route of a SID; chaining functions is listing their SIDs in a segment
 * list.  The kernel performs End before the program runs, so the program sees the packet
 * with Segments Left already decremented and the invoking SID is Segment List[SL + 1].
 * Per-SID configuration and counters are keyed by that SID (union sr6_in6).  When SL + 1 is
 * beyond Last Entry (the first SID of a reduced SRH, carried only in the destination address)
 * the entry under the all-zero key (::) applies.  Maps are pinned by name like the node maps.
 */
#define SR6_MAP_FN_COUNT_SID	sr6_fn_count_sid	/* count */
#define SR6_MAP_FN_COUNT_FLOW	sr6_fn_count_flow
#define SR6_MAP_FN_ACL		sr6_fn_acl		/* tag-acl */
#define SR6_MAP_FN_ACL_STATS	sr6_fn_acl_stats
#define SR6_MAP_FN_DELAY	sr6_fn_delay		/* delay */
#define SR6_MAP_FN_DELAY_HIST	sr6_fn_delay_hist
#define SR6_MAP_FN_RL		sr6_fn_rl		/* ratelimit */
#define SR6_MAP_FN_RL_STATE	sr6_fn_rl_state
#define SR6_MAP_FN_RL_STATS	sr6_fn_rl_stats

#define SR6_FN_MAX_SIDS		4096	/* SIDs with configuration or counters, per function */
#define SR6_FN_MAX_FLOWS	65536	/* count: flows tracked (LRU) */
#define SR6_FN_MAX_RL_SOURCES	65536	/* ratelimit: source /64s tracked (LRU) */

/*
 * count.  sr6_fn_count_sid: PERCPU_HASH, SID -> struct sr6_counter (created on first use).
 * sr6_fn_count_flow: LRU_PERCPU_HASH, struct sr6_flow_key -> struct sr6_counter.
 * Bytes are those of the IPv6 packet as the function received it.
 */
struct sr6_flow_key {
	union sr6_in6 src;	/* inner packet's source; IPv4: w[0], the rest zero */
	union sr6_in6 dst;	/* inner destination (no inner packet: Segment List[0]) */
	__u16	sport;		/* host order; 0 without ports */
	__u16	dport;
	__u8	proto;		/* upper-layer protocol of the inner packet */
	__u8	family;		/* 6 or 4 */
	__u16	_pad;
};

/*
 * tag-acl.  sr6_fn_acl: HASH (BPF_F_NO_PREALLOC), SID -> struct sr6_fn_acl.  The first rule
 * with (tag & tag_mask) == rule tag and (flags & flags_mask) == rule flags decides; none:
 * default_verdict.  A SID without an entry (and no :: entry) denies: a filter that is not
 * configured lets nothing through.  sr6_fn_acl_stats: PERCPU_HASH, SID -> sr6_fn_acl_stats.
 * Denied packets also count in sr6_drops[SR6_DROP_TAG_DENIED].
 */
#define SR6_ACL_MAX_RULES	8

enum sr6_acl_verdict {
	SR6_ACL_PERMIT	= 0,
	SR6_ACL_DENY	= 1,
};

struct sr6_acl_rule {
	__u16	tag;		/* host order, already masked */
	__u16	tag_mask;
	__u8	flags;		/* already masked */
	__u8	flags_mask;
	__u8	verdict;	/* enum sr6_acl_verdict */
	__u8	_pad;
};

struct sr6_fn_acl {
	__u8	rule_count;	/* 0 .. SR6_ACL_MAX_RULES */
	__u8	default_verdict;
	__u8	_pad[6];
	struct sr6_acl_rule rules[SR6_ACL_MAX_RULES];
};

struct sr6_fn_acl_stats {
	__u64	permitted;
	__u64	denied;
};

/*
 * delay: one-way delay between two SIDs.  The writer adds this TLV at the end of the SRH
 * (after any TLVs already there); a reader finds it, records now - timestamp, and optionally
 * removes it.  Timestamps are CLOCK_TAI nanoseconds (the PTP time base), so writer and reader
 * hosts need synchronised clocks.  32 bytes: the SRH stays a multiple of 8 with no padding.
 *
 *   0      1      2      3 .. 7     8 .. 15                 16 .. 31
 *   type   len    flags  reserved   timestamp (ns, BE u64)  writer's SID (ingress SID)
 *   124    30     0      0
 *
 * Type 124 is in the range RFC 8754's IANA registry reserves for experimentation.
 */
#define SR6_TLV_DELAY		124
#define SR6_TLV_DELAY_LEN	32

struct sr6_tlv_delay {
	__u8	type;
	__u8	len;		/* SR6_TLV_DELAY_LEN - 2 */
	__u8	flags;
	__u8	_reserved[5];
	__be64	timestamp_ns;
	union sr6_in6 sid;
};

enum sr6_delay_mode {
	SR6_DELAY_AUTO	= 0,	/* read when the packet carries the TLV, else write */
	SR6_DELAY_WRITE	= 1,	/* write (replace the timestamp if the TLV is there) */
	SR6_DELAY_READ	= 2,	/* read; packets without the TLV pass uncounted */
};

enum sr6_delay_flags {
	SR6_DELAY_F_POP	= 1 << 0,	/* the reader removes the TLV */
};

/* sr6_fn_delay: HASH (BPF_F_NO_PREALLOC), SID -> struct sr6_fn_delay (none: AUTO). */
struct sr6_fn_delay {
	__u8	mode;		/* enum sr6_delay_mode */
	__u8	flags;		/* enum sr6_delay_flags */
	__u8	_pad[6];
};

/*
 * sr6_fn_delay_hist: PERCPU_HASH, struct sr6_delay_key -> struct sr6_delay_hist.
 * buckets[i] counts delays d with 2^i <= d < 2^(i+1) ns (bucket 0 also d = 0, the last
 * bucket everything above); negative counts readings whose timestamp was in the future
 * (clock skew), which go in no bucket.
 */
#define SR6_DELAY_BUCKETS	32

struct sr6_delay_key {
	union sr6_in6 ingress;	/* the writer's SID, from the TLV */
	union sr6_in6 egress;	/* the reader's SID */
};

struct sr6_delay_hist {
	__u64	count;
	__u64	sum_ns;
	__u64	negative;
	__u64	_pad;
	__u64	buckets[SR6_DELAY_BUCKETS];
};

/*
 * ratelimit: a token bucket per (SID, inner source /64; IPv4 inner: source /32).
 * sr6_fn_rl: HASH (BPF_F_NO_PREALLOC), SID -> struct sr6_fn_rl (none: no limit).
 * sr6_fn_rl_state: LRU_HASH, struct sr6_rl_key -> struct sr6_rl_state (a new source starts
 * with a full bucket).  sr6_fn_rl_stats: PERCPU_HASH, SID -> struct sr6_fn_rl_stats.
 * Dropped packets also count in sr6_drops[SR6_DROP_RATE_LIMITED].
 */
enum sr6_rl_unit {
	SR6_RL_PACKETS	= 0,
	SR6_RL_BYTES	= 1,	/* bytes of the IPv6 packet as received */
};

struct sr6_fn_rl {
	__u64	rate;		/* units per second, > 0 */
	__u64	burst;		/* bucket size in units, > 0 */
	__u8	unit;		/* enum sr6_rl_unit */
	__u8	_pad[7];
};

struct sr6_rl_key {
	union sr6_in6 sid;
	__u8	src[8];		/* the source /64 (IPv4: the address, then 4 zero bytes) */
};

struct sr6_rl_state {
	__u64	tokens;		/* units * 10^9 */
	__u64	last_ns;	/* CLOCK_MONOTONIC of the last refill */
};

struct sr6_fn_rl_stats {
	__u64	passed;
	__u64	dropped;
};

/* ---------------------------------------------------------------------------------------- */
/* Layout checks: the same bytes on both sides.                                              */

_Static_assert(sizeof(union sr6_in6) == 16, "sr6_in6");
_Static_assert(sizeof(struct sr6_config) == 12, "sr6_config");
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
_Static_assert(sizeof(struct sr6_fib_cache_key) == 48, "sr6_fib_cache_key");
_Static_assert(sizeof(struct sr6_fib_cache_val) == 32, "sr6_fib_cache_val");
_Static_assert(sizeof(struct sr6_fib_cache_slot) == 80, "sr6_fib_cache_slot");
_Static_assert(sizeof(struct sr6_flow_key) == 40, "sr6_flow_key");
_Static_assert(sizeof(struct sr6_acl_rule) == 8, "sr6_acl_rule");
_Static_assert(sizeof(struct sr6_fn_acl) == 8 + 8 * SR6_ACL_MAX_RULES, "sr6_fn_acl");
_Static_assert(sizeof(struct sr6_fn_acl_stats) == 16, "sr6_fn_acl_stats");
_Static_assert(sizeof(struct sr6_tlv_delay) == SR6_TLV_DELAY_LEN, "sr6_tlv_delay");
_Static_assert(sizeof(struct sr6_fn_delay) == 8, "sr6_fn_delay");
_Static_assert(sizeof(struct sr6_delay_key) == 32, "sr6_delay_key");
_Static_assert(sizeof(struct sr6_delay_hist) == 32 + 8 * SR6_DELAY_BUCKETS, "sr6_delay_hist");
_Static_assert(sizeof(struct sr6_fn_rl) == 24, "sr6_fn_rl");
_Static_assert(sizeof(struct sr6_rl_key) == 24, "sr6_rl_key");
_Static_assert(sizeof(struct sr6_rl_state) == 16, "sr6_rl_state");
_Static_assert(sizeof(struct sr6_fn_rl_stats) == 16, "sr6_fn_rl_stats");
_Static_assert(SR6_DROP_GSO_AT_XDP < SR6_DROP_MAX, "drop reasons fit sr6_drops");
_Static_assert(SR6_EVENT_XDP_NO_ROOM < SR6_EVENT_MAX, "events fit sr6_events");

#endif /* SR6_ABI_H */
