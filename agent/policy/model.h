/*
 * model.h: the policy file as typed data.  parse.c builds it from YAML (syntax, types,
 * addresses, enumerations), validate.c checks what spans several fields or objects, and
 * compile.c turns it into a plan.  Every object keeps the position of each of its fields so a
 * later stage can still point at the exact place.
 */
#ifndef SR6_AGENT_MODEL_H
#define SR6_AGENT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "agent/policy/addr.h"
#include "agent/policy/arena.h"
#include "agent/policy/diag.h"
#include "agent/policy/yaml.h"
#include "sr6_abi.h"

#define POLICY_API_VERSION	"sr6/v1"
#define POLICY_NAME_MAX		63	/* policy, segment list and node names */
#define POLICY_FILE_MAX		(64u << 20)	/* bytes of a policy file */
#define POLICY_DEFAULT_PRIORITY	100
#define POLICY_MAX_LOCATORS	16

enum attach_mode {
	ATTACH_XDP = 1,		/* native XDP (driver mode); no silent fallback */
	ATTACH_XDP_GENERIC,	/* generic (skb) XDP */
	ATTACH_TC,		/* tcx ingress */
	ATTACH_NONE,		/* not attached: the kernel processes what arrives there */
};

/* Keys of each object, in the order the schema lists them; kpos[] is indexed by them. */
enum node_key {
	NK_NAME, NK_LOCATOR, NK_SOURCE, NK_INTERFACES, NK_HOP_LIMIT, NK_FIB_CACHE, NK_HASH_SEED,
	NK_COUNT
};
enum iface_key { IK_NAME, IK_ATTACH, IK_EGRESS, IK_COUNT };
enum sid_key {
	SK_SID, SK_BEHAVIOR, SK_NEXTHOP, SK_INTERFACE, SK_TABLE, SK_FUNCTION, SK_PARAMS,
	SK_FLAVORS, SK_BLOCK_BITS, SK_NODE_FUNCTION_BITS, SK_COUNT
};
enum policy_key {
	PK_NAME, PK_MODE, PK_PATHS, PK_SOURCE, PK_HOP_LIMIT, PK_MTU, PK_TRAFFIC_CLASS, PK_COUNT
};
enum path_key { HK_SEGMENTS, HK_WEIGHT, HK_COUNT };
enum rule_key { RK_MATCH, RK_POLICY, RK_PRIORITY, RK_COUNT };
enum match_key { MK_DST, MK_SRC, MK_PROTO, MK_SPORT, MK_DPORT, MK_DSCP, MK_IIF, MK_COUNT };

struct m_iface {
	const char *name;
	uint8_t attach;		/* enum attach_mode */
	bool egress;		/* also steer traffic leaving by this interface (tcx egress) */
	uint32_t seen, bad;	/* keys present; keys whose value was rejected */
	struct pos pos, kpos[IK_COUNT];
};

struct m_locator {
	struct prefix prefix;
	struct pos pos;
};

struct m_node {
	bool present;
	const char *name;
	struct m_locator *locators;
	size_t n_locators;
	union sr6_in6 source;
	struct m_iface *ifaces;
	size_t n_ifaces;
	uint8_t hop_limit;	/* default outer hop limit of policies */
	bool fib_cache;		/* the endpoint reuses recent FIB lookups (SR6_CFG_FIB_CACHE) */
	uint32_t hash_seed;	/* seed of the headend's flow hash (sr6_config.hash_seed) */
	uint32_t seen, bad;	/* bit per enum node_key: present; value rejected */
	struct pos pos, kpos[NK_COUNT];
};

/* An End.BPF parameter: a scalar or a list of scalars, checked by functions.c. */
struct m_param {
	const char *key;
	bool is_list;
	struct yscalar *items;
	size_t n;
	struct pos key_pos, pos;
};

struct m_sid {
	union sr6_in6 sid;
	uint8_t behavior;	/* enum sr6_behavior */
	uint8_t nh_family;	/* AF_INET6 / AF_INET when nexthop is set */
	union sr6_in6 nh;	/* nh.w[0] for IPv4 */
	const char *iface;
	uint32_t table;
	const char *function;
	struct m_param *params;
	size_t n_params;
	uint16_t flavors;	/* enum sr6_flavor */
	uint8_t lcblock_bits, lcnode_fn_bits;
	uint32_t seen, bad;	/* bit per enum sid_key: present; value rejected */
	struct pos pos, kpos[SK_COUNT];
};

struct m_seglist {
	const char *name;
	bool bad;		/* not a list (reported): its length is not checked */
	union sr6_in6 *segs;
	struct pos *seg_pos;
	uint32_t n;
	struct pos pos;		/* of the list */
	struct pos name_pos;
};

struct m_path {
	const char *segname;	/* a segment_lists name, or NULL for an inline list */
	int32_t seglist;	/* index of segname in model.seglists (validate), -1 if none */
	union sr6_in6 *segs;	/* inline list */
	struct pos *seg_pos;
	uint32_t n;
	uint32_t weight;
	uint32_t seen, bad;	/* keys present; keys whose value was rejected */
	struct pos pos, kpos[HK_COUNT];
};

enum traffic_class { TC_INHERIT = 0, TC_ZERO = 1 };

struct m_policy {
	const char *name;
	uint8_t mode;		/* enum sr6_encap_mode */
	struct m_path *paths;
	size_t n_paths;
	union sr6_in6 source;
	uint8_t hop_limit;
	uint8_t traffic_class;	/* enum traffic_class */
	uint32_t mtu;
	uint32_t seen, bad;	/* keys present; keys whose value was rejected */
	struct pos pos, kpos[PK_COUNT];
};

struct m_rule {
	struct prefix dst, src;
	uint16_t match;		/* enum sr6_rule_match: which of the conditions below apply */
	uint8_t proto;
	uint8_t dscp;
	uint16_t sport_min, sport_max, dport_min, dport_max;
	const char *iif;
	const char *policy;
	int32_t policy_idx;	/* index into model.policies (validate), -1 if none */
	uint32_t priority;
	uint8_t seen, bad, match_seen, match_bad;	/* 3 and 7 keys: a byte each */
	/* Positions kept for later checks (100,000 rules: only the ones used). */
	struct pos pos, match_pos, policy_pos, dst_pos, src_pos, proto_pos, iif_pos;
};

struct model {
	struct arena arena;
	bool syntax_error;	/* the YAML could not be read to its end */
	struct m_node node;
	VEC(struct m_sid) sids;
	VEC(struct m_seglist) seglists;
	VEC(struct m_policy) policies;
	VEC(struct m_rule) rules;
};

/* The bytes that make two rules "the same match and priority" (the policy is not part of
 * it): duplicates are refused, and the rule id is a hash of them. */
struct rule_match_key {
	union sr6_in6 dst, src;
	uint32_t priority;
	uint16_t match, sport_min, sport_max, dport_min, dport_max;
	uint8_t dst_family, dst_len, src_family, src_len, proto, dscp;
	char iif[16];
};
_Static_assert(sizeof(struct rule_match_key) == 68, "no padding in rule_match_key");
void rule_match_key(struct rule_match_key *k, const struct m_rule *r);

/*
 * YAML text -> model.  Errors go to d (positions are in the text; d->file names it).
 * Returns 0 when nothing was reported, -1 otherwise; the model is filled as far as it could
 * be either way and must be freed with model_free.
 */
int model_parse(struct model *m, const void *text, size_t len, struct diag *d);
/* The same, reading the YAML from a stream (a large file is never held in memory). */
int model_parse_file(struct model *m, FILE *f, struct diag *d);
/* Cross-field checks (references, duplicates, locators, limits): 0 or -1 (reported). */
int model_validate(struct model *m, struct diag *d);
void model_free(struct model *m);

/* Names of the enumerations, for messages and output. */
const char *behavior_name(uint8_t behavior);
const char *mode_name(uint8_t mode);
const char *attach_name(uint8_t attach);
const char *proto_name(uint8_t proto, char buf[8]);

#endif
