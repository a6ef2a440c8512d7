/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * maps.h: the node maps of sr6_abi.h, declared once for every program that includes it.
 * All are pinned by name (LIBBPF_PIN_BY_NAME) under the loader's pin root, so the node
 * program at every hook and the agent share one instance of each.
 */
#ifndef SR6_LIB_MAPS_H
#define SR6_LIB_MAPS_H

#include "lib/ctx.h"
#include "lib/stats.h"
#include "sr6_abi.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sr6_config);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} SR6_MAP_CONFIG SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, SR6_MAX_STEER_PREFIXES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct sr6_steer6_key);
	__type(value, struct sr6_steer_set);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} SR6_MAP_STEER6 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, SR6_MAX_STEER_PREFIXES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct sr6_steer4_key);
	__type(value, struct sr6_steer_set);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} SR6_MAP_STEER4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SR6_MAX_STEER_RULES);
	__type(key, __u32);
	__type(value, struct sr6_steer_rule);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} SR6_MAP_STEER_RULES SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SR6_MAX_POLICIES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct sr6_policy);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} SR6_MAP_POLICIES SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SR6_MAX_POLICIES * SR6_POLICY_STATS_SLOTS);
	__type(key, __u32);
	__type(value, struct sr6_counter);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} SR6_MAP_POLICY_STATS SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SR6_MAX_LOCAL_SIDS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, union sr6_in6);
	__type(value, struct sr6_sid);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} SR6_MAP_SIDS SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, SR6_MAX_LOCAL_SIDS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct sr6_locator_key);
	__type(value, struct sr6_sid);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} SR6_MAP_LOCATORS SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SR6_MAX_LOCAL_SIDS);
	__type(key, __u32);
	__type(value, struct sr6_counter);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} SR6_MAP_SID_STATS SEC(".maps");

/* Never read by a program: userspace updates it to wait for running programs (sr6_abi.h). */
struct sr6_barrier_inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
	__array(values, struct sr6_barrier_inner);
} SR6_MAP_BARRIER SEC(".maps");

static __always_inline struct sr6_config *config_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&SR6_MAP_CONFIG, &zero);
}

#endif /* SR6_LIB_MAPS_H */
