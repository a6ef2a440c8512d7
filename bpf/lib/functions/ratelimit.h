/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * functions/ratelimit.h: the ratelimit function: a token bucket per (invoking SID, inner
 * source /64), refilled at the configured rate up to the burst; a packet that finds fewer
 * tokens than it costs is dropped.  The state lives in an LRU hash so a flood of sources
 * evicts idle buckets instead of failing.  Updates are not atomic across CPUs: two CPUs
 * serving the same source at the same instant can each admit a packet from one token
 * (receive-side scaling keeps a source on one CPU in the common case).
 */
#ifndef SR6_LIB_FUNCTIONS_RATELIMIT_H
#define SR6_LIB_FUNCTIONS_RATELIMIT_H

#include "lib/functions/common.h"
#include "lib/stats.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SR6_FN_MAX_SIDS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, union sr6_in6);
	__type(value, struct sr6_fn_rl);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} SR6_MAP_FN_RL SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, SR6_FN_MAX_RL_SOURCES);
	__type(key, struct sr6_rl_key);
	__type(value, struct sr6_rl_state);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} SR6_MAP_FN_RL_STATE SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, SR6_FN_MAX_SIDS);
	__type(key, union sr6_in6);
	__type(value, struct sr6_fn_rl_stats);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} SR6_MAP_FN_RL_STATS SEC(".maps");

#define FN_NS_PER_SEC	1000000000ULL

/*
 * The token bucket step: refill st for the time since st->last_ns, then take cost units.
 * Returns 1 when the packet passes, 0 when it is over the rate.  Tokens are kept in units of
 * 10^-9 so the refill needs no division by the elapsed time.
 */
static __always_inline int fn_rl_take(struct sr6_rl_state *st, const struct sr6_fn_rl *cfg,
				      __u64 now_ns, __u64 cost)
{
	__u64 cap = cfg->burst * FN_NS_PER_SEC, need = cost * FN_NS_PER_SEC, elapsed = 0;

	if (now_ns > st->last_ns)
		elapsed = now_ns - st->last_ns;
	/* Long idle: the bucket is full anyway (and the product below cannot overflow). */
	if (elapsed >= cap / cfg->rate)
		st->tokens = cap;
	else if (cap - st->tokens <= elapsed * cfg->rate)
		st->tokens = cap;
	else
		st->tokens += elapsed * cfg->rate;
	st->last_ns = now_ns;
	if (st->tokens < need)
		return 0;
	st->tokens -= need;
	return 1;
}

/* The inner source prefix the bucket is kept for. */
static __always_inline int fn_rl_key(void *ctx, const enum sr6_hook hook, const struct fn_pkt *f,
				     struct sr6_rl_key *k)
{
	struct sr6_flow_key flow;

	if (fn_flow(ctx, hook, f, &flow))
		return -1;
	__builtin_memcpy(&k->sid, &f->sid, 16);
	__builtin_memcpy(k->src, flow.src.b, 8);
	if (flow.family == 4)
		__builtin_memset(k->src + 4, 0, 4);
	return 0;
}

/* Decide for the packet at time now_ns and count.  Returns 1 to pass, 0 to drop. */
static __always_inline int fn_ratelimit(void *ctx, const enum sr6_hook hook,
					const struct fn_pkt *f, __u64 now_ns)
{
	struct sr6_fn_rl_stats zero = {}, *st;
	struct sr6_fn_rl *cfg = fn_config(&SR6_MAP_FN_RL, &f->sid);
	struct sr6_rl_state *s;
	struct sr6_rl_key k;
	int pass = 1;

	if (cfg && cfg->rate && cfg->burst && !fn_rl_key(ctx, hook, f, &k)) {
		__u64 cost = cfg->unit == SR6_RL_BYTES ? f->pkt.ip_len : 1;

		s = bpf_map_lookup_elem(&SR6_MAP_FN_RL_STATE, &k);
		if (!s) {
			struct sr6_rl_state fresh = { .tokens = cfg->burst * FN_NS_PER_SEC,
						      .last_ns = now_ns };

			bpf_map_update_elem(&SR6_MAP_FN_RL_STATE, &k, &fresh, BPF_NOEXIST);
			s = bpf_map_lookup_elem(&SR6_MAP_FN_RL_STATE, &k);
		}
		if (s)
			pass = fn_rl_take(s, cfg, now_ns, cost);
	}
	st = fn_percpu_get(&SR6_MAP_FN_RL_STATS, &f->sid, &zero);
	if (st) {
		if (pass)
			st->passed += 1;
		else
			st->dropped += 1;
	}
	if (!pass)
		stats_bump(&SR6_MAP_DROPS, SR6_DROP_RATE_LIMITED);
	return pass;
}

#endif /* SR6_LIB_FUNCTIONS_RATELIMIT_H */
