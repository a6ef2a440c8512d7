/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * stats.h: per-CPU counters shared by every program: drop reasons, kernel hand-offs, and the
 * packet/byte counters of policies and SIDs.  The maps are declared here once; a program that
 * includes this header owns them, and they are pinned by name so every program of a node
 * shares them.
 */
#ifndef SR6_LIB_STATS_H
#define SR6_LIB_STATS_H

#include "lib/ctx.h"
#include "sr6_abi.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SR6_DROP_MAX);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} SR6_MAP_DROPS SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SR6_EVENT_MAX);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} SR6_MAP_EVENTS SEC(".maps");

static __always_inline void stats_bump(void *map, __u32 index)
{
	__u64 *v = bpf_map_lookup_elem(map, &index);

	if (v)
		*v += 1;
}

/* Count a drop and return the hook's drop verdict. */
static __always_inline int stats_drop(const enum sr6_hook hook, enum sr6_drop_reason reason)
{
	stats_bump(&SR6_MAP_DROPS, reason);
	return ctx_drop(hook);
}

/* Count a deliberate hand-off to the kernel and return the hook's pass verdict. */
static __always_inline int stats_punt(const enum sr6_hook hook, enum sr6_event event)
{
	stats_bump(&SR6_MAP_EVENTS, event);
	return ctx_pass(hook);
}

static __always_inline void stats_count(void *map, __u32 index, __u64 bytes)
{
	struct sr6_counter *c = bpf_map_lookup_elem(map, &index);

	if (c) {
		c->packets += 1;
		c->bytes += bytes;
	}
}

#endif /* SR6_LIB_STATS_H */
