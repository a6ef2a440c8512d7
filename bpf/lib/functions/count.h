/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * functions/count.h: the count function: packets and bytes per invoking SID and per inner
 * flow (LRU: the busiest flows stay, idle ones are evicted).  Never drops.
 */
#ifndef SR6_LIB_FUNCTIONS_COUNT_H
#define SR6_LIB_FUNCTIONS_COUNT_H

#include "lib/functions/common.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, SR6_FN_MAX_SIDS);
	__type(key, union sr6_in6);
	__type(value, struct sr6_counter);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} SR6_MAP_FN_COUNT_SID SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, SR6_FN_MAX_FLOWS);
	__type(key, struct sr6_flow_key);
	__type(value, struct sr6_counter);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} SR6_MAP_FN_COUNT_FLOW SEC(".maps");

static __always_inline void fn_count(void *ctx, const enum sr6_hook hook, const struct fn_pkt *f)
{
	struct sr6_counter zero = {}, *c;
	struct sr6_flow_key k;

	c = fn_percpu_get(&SR6_MAP_FN_COUNT_SID, &f->sid, &zero);
	if (c) {
		c->packets += 1;
		c->bytes += f->pkt.ip_len;
	}
	if (fn_flow(ctx, hook, f, &k))
		return;
	c = fn_percpu_get(&SR6_MAP_FN_COUNT_FLOW, &k, &zero);
	if (c) {
		c->packets += 1;
		c->bytes += f->pkt.ip_len;
	}
}

#endif /* SR6_LIB_FUNCTIONS_COUNT_H */
