/*
 * functions_test: the decision logic of the End.BPF functions (bpf/lib/functions/) run at XDP
 * on frames shaped as the End.BPF program sees them: Segments Left already decremented by the
 * kernel's End, the invoking SID at Segment List[SL + 1].  Checks verdicts and map contents.
 */
#include <criterion/criterion.h>
#include <bpf/bpf.h>
#include <endian.h>
#include <linux/if_ether.h>
#include <linux/bpf.h>

#include "selftests/bpf/endpoint_env.h"
#include "selftests/lib/bpf_run.h"
#include "selftests/lib/pktbuild.h"
#include "sr6_abi.h"
#include "test_functions.skel.h"

#define SID_FN	"fc00:5::f1"
#define FINAL	"fc00:5::d6"

static struct test_functions_bpf *skel;

static void setup(void)
{
	struct bpf_map *m;

	skel = test_functions_bpf__open();
	cr_assert_not_null(skel, "open test_functions.bpf.o");
	bpf_object__for_each_map(m, skel->obj)
		bpf_map__set_pin_path(m, NULL);
	cr_assert_eq(test_functions_bpf__load(skel), 0, "load test_functions.bpf.o");
}

static void teardown(void)
{
	test_functions_bpf__destroy(skel);
}

TestSuite(functions, .init = setup, .fini = teardown);

static void sid_key(union sr6_in6 *k, const char *text)
{
	pkt_addr6((struct in6_addr *)k, text);
}

/*
 * A frame as End.BPF at SID_FN sees it: DA = FINAL, SRH SL 0, LE 1 [FINAL, SID_FN], tag and
 * flags as given, encapsulating an IPv6 UDP packet from src.
 */
static void fn_frame(struct pkt *p, uint16_t tag, uint8_t flags, const char *src, uint16_t sport)
{
	static const char *const segs[] = { FINAL, SID_FN };

	pkt_init(p);
	pkt_eth(p, ENV_MAC_IN, ENV_MAC_PEER, ETH_P_IPV6);
	pkt_ipv6(p, "fc00:a::1", FINAL, 63);
	pkt_srh(p, 0, 1, flags, tag, segs, 2);
	pkt_ipv6(p, src, "2001:db8:b::1", 64);
	pkt_udp(p, sport, 53, "query", 5);
	pkt_finish(p);
}

static uint32_t run(struct bpf_program *prog, const struct pkt *p)
{
	static struct bpf_run_result r;

	cr_assert_eq(bpf_run_xdp(&r, bpf_program__fd(prog), p->data, p->len, 0), 0, "test_run");
	return r.retval;
}

static uint64_t drops(uint32_t reason)
{
	return env_percpu_u64(bpf_map__fd(skel->maps.sr6_drops), reason);
}

/* Sum over CPUs of a per-CPU hash value made of n __u64 fields; field i. */
static uint64_t percpu_field(struct bpf_map *map, const void *key, size_t n, size_t i)
{
	int cpus = libbpf_num_possible_cpus(), c;
	uint64_t v[256 * 40], sum = 0;

	cr_assert(cpus > 0 && (size_t)cpus * n <= sizeof(v) / sizeof(v[0]));
	if (bpf_map_lookup_elem(bpf_map__fd(map), key, v))
		return 0;
	for (c = 0; c < cpus; c++)
		sum += v[(size_t)c * n + i];
	return sum;
}

/* ---------------------------------------------------------------------------------------- */

Test(functions, count_per_sid_and_flow)
{
	struct sr6_flow_key fk = { .sport = 1000, .dport = 53, .proto = 17, .family = 6 };
	union sr6_in6 sid;
	struct pkt p;
	int i;

	for (i = 0; i < 3; i++) {
		fn_frame(&p, 0, 0, "2001:db8:a::1", i < 2 ? 1000 : 2000);
		cr_expect_eq(run(skel->progs.fn_count_xdp, &p), XDP_PASS);
	}
	sid_key(&sid, SID_FN);
	cr_expect_eq(percpu_field(skel->maps.sr6_fn_count_sid, &sid, 2, 0), 3, "SID packets");
	cr_expect_eq(percpu_field(skel->maps.sr6_fn_count_sid, &sid, 2, 1), 3 * (p.len - 14),
		     "SID bytes");
	sid_key(&fk.src, "2001:db8:a::1");
	sid_key(&fk.dst, "2001:db8:b::1");
	cr_expect_eq(percpu_field(skel->maps.sr6_fn_count_flow, &fk, 2, 0), 2, "flow 1000 packets");
	fk.sport = 2000;
	cr_expect_eq(percpu_field(skel->maps.sr6_fn_count_flow, &fk, 2, 0), 1, "flow 2000 packets");
}

Test(functions, count_inline_srh_and_reduced_srh)
{
	static const char *const inline_segs[] = { "fc00:3::9", SID_FN };
	static const char *const reduced[] = { FINAL };
	struct sr6_flow_key fk = { .sport = 7, .dport = 8, .proto = 17, .family = 6 };
	union sr6_in6 sid, any = { 0 };
	struct pkt p;

	/* SRH inserted in the packet itself: the flow is source -> Segment List[0]. */
	pkt_init(&p);
	pkt_eth(&p, ENV_MAC_IN, ENV_MAC_PEER, ETH_P_IPV6);
	pkt_ipv6(&p, "fc00:a::1", "fc00:3::9", 63);
	pkt_srh(&p, 0, 1, 0, 0, inline_segs, 2);
	pkt_udp(&p, 7, 8, "x", 1);
	pkt_finish(&p);
	cr_expect_eq(run(skel->progs.fn_count_xdp, &p), XDP_PASS);
	sid_key(&sid, SID_FN);
	sid_key(&fk.src, "fc00:a::1");
	sid_key(&fk.dst, "fc00:3::9");
	cr_expect_eq(percpu_field(skel->maps.sr6_fn_count_flow, &fk, 2, 0), 1, "inline flow");
	cr_expect_eq(percpu_field(skel->maps.sr6_fn_count_sid, &sid, 2, 0), 1);

	/* Reduced SRH, function at the first SID: Segment List[SL + 1] does not exist. */
	pkt_init(&p);
	pkt_eth(&p, ENV_MAC_IN, ENV_MAC_PEER, ETH_P_IPV6);
	pkt_ipv6(&p, "fc00:a::1", FINAL, 63);
	pkt_srh(&p, 0, 0, 0, 0, reduced, 1);
	pkt_ipv6(&p, "2001:db8:a::1", "2001:db8:b::1", 64);
	pkt_udp(&p, 1, 2, NULL, 0);
	pkt_finish(&p);
	cr_expect_eq(run(skel->progs.fn_count_xdp, &p), XDP_PASS);
	cr_expect_eq(percpu_field(skel->maps.sr6_fn_count_sid, &any, 2, 0), 1, ":: counts it");
}

Test(functions, count_inner_ipv4_flow)
{
	static const char *const segs[] = { FINAL, SID_FN };
	struct sr6_flow_key fk = { .sport = 5, .dport = 6, .proto = 6, .family = 4 };
	struct pkt p;

	pkt_init(&p);
	pkt_eth(&p, ENV_MAC_IN, ENV_MAC_PEER, ETH_P_IPV6);
	pkt_ipv6(&p, "fc00:a::1", FINAL, 63);
	pkt_srh(&p, 0, 1, 0, 0, segs, 2);
	pkt_ipv4(&p, "192.0.2.1", "198.51.100.7", 64, 0);
	pkt_tcp(&p, 5, 6, 0x02, NULL, 0);
	pkt_finish(&p);
	cr_expect_eq(run(skel->progs.fn_count_xdp, &p), XDP_PASS);
	fk.src.w[0] = pkt_addr4("192.0.2.1");
	fk.dst.w[0] = pkt_addr4("198.51.100.7");
	cr_expect_eq(percpu_field(skel->maps.sr6_fn_count_flow, &fk, 2, 0), 1, "IPv4 flow");
}

/* ---------------------------------------------------------------------------------------- */

static void set_acl(const char *sid_text, const struct sr6_fn_acl *acl)
{
	union sr6_in6 sid;

	sid_key(&sid, sid_text);
	cr_assert_eq(bpf_map_update_elem(bpf_map__fd(skel->maps.sr6_fn_acl), &sid, acl, 0), 0);
}

Test(functions, tag_acl_rules_default_and_counters)
{
	struct sr6_fn_acl acl = {
		.rule_count = 3, .default_verdict = SR6_ACL_PERMIT,
		.rules = {
			{ .tag = 0x0042, .tag_mask = 0xffff, .verdict = SR6_ACL_PERMIT },
			{ .tag = 0x0100, .tag_mask = 0xff00, .verdict = SR6_ACL_DENY },
			{ .flags = 0x80, .flags_mask = 0x80, .verdict = SR6_ACL_DENY },
		},
	};
	static const struct { uint16_t tag; uint8_t flags; uint32_t want; } cases[] = {
		{ 0x0042, 0x00, XDP_PASS },	/* rule 1 */
		{ 0x0042, 0x80, XDP_PASS },	/* rule 1 wins over rule 3 */
		{ 0x01ab, 0x00, XDP_DROP },	/* rule 2: 0x01xx */
		{ 0x0200, 0x80, XDP_DROP },	/* rule 3: flag 0x80 */
		{ 0x0200, 0x40, XDP_PASS },	/* default */
	};
	union sr6_in6 sid;
	uint64_t denied0 = drops(SR6_DROP_TAG_DENIED);
	struct pkt p;
	size_t i;

	set_acl(SID_FN, &acl);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fn_frame(&p, cases[i].tag, cases[i].flags, "2001:db8:a::1", 1);
		cr_expect_eq(run(skel->progs.fn_tag_acl_xdp, &p), cases[i].want,
			     "tag %#x flags %#x", cases[i].tag, cases[i].flags);
	}
	sid_key(&sid, SID_FN);
	cr_expect_eq(percpu_field(skel->maps.sr6_fn_acl_stats, &sid, 2, 0), 3, "permitted");
	cr_expect_eq(percpu_field(skel->maps.sr6_fn_acl_stats, &sid, 2, 1), 2, "denied");
	cr_expect_eq(drops(SR6_DROP_TAG_DENIED) - denied0, 2, "TAG_DENIED drops");
}

Test(functions, tag_acl_unconfigured_denies_and_any_entry_applies)
{
	struct sr6_fn_acl permit_all = { .default_verdict = SR6_ACL_PERMIT };
	struct pkt p;

	fn_frame(&p, 7, 0, "2001:db8:a::1", 1);
	cr_expect_eq(run(skel->progs.fn_tag_acl_xdp, &p), XDP_DROP, "no configuration: deny");
	set_acl("::", &permit_all);
	cr_expect_eq(run(skel->progs.fn_tag_acl_xdp, &p), XDP_PASS, ":: entry applies");
}

/* ---------------------------------------------------------------------------------------- */

static void delay_frame(struct pkt *p, const uint8_t *tlvs, size_t tlv_len)
{
	static const char *const segs[] = { FINAL, SID_FN };

	pkt_init(p);
	pkt_eth(p, ENV_MAC_IN, ENV_MAC_PEER, ETH_P_IPV6);
	pkt_ipv6(p, "fc00:a::1", FINAL, 63);
	pkt_srh(p, 0, 1, 0, 0, segs, 2);
	if (tlv_len)
		pkt_srh_tlv(p, tlvs, tlv_len);
	pkt_ipv6(p, "2001:db8:a::1", "2001:db8:b::1", 64);
	pkt_udp(p, 1, 2, NULL, 0);
	pkt_finish(p);
}

static void delay_tlv_bytes(uint8_t *out, uint64_t ts, const char *writer)
{
	struct sr6_tlv_delay t = { .type = SR6_TLV_DELAY, .len = SR6_TLV_DELAY_LEN - 2,
				   .timestamp_ns = htobe64(ts) };

	sid_key(&t.sid, writer);
	memcpy(out, &t, sizeof(t));
}

Test(functions, delay_writes_tlv_when_absent)
{
	uint8_t want[SR6_TLV_DELAY_LEN] = { SR6_TLV_DELAY, 30, 0, 0, 0, 0, 0, 0,
					    0, 0, 0, 0x12, 0x34, 0x56, 0x78, 0x9a };
	struct pkt p;

	pkt_addr6((struct in6_addr *)(want + 16), SID_FN);
	skel->bss->fake_now = 0x123456789aULL;
	delay_frame(&p, NULL, 0);
	cr_expect_eq(run(skel->progs.fn_delay_xdp, &p), XDP_PASS);
	cr_expect_eq(skel->bss->delay_action, 1 /* FN_DELAY_ADD */);
	cr_expect(!memcmp(&skel->bss->delay_tlv, want, sizeof(want)), "TLV bytes: %s",
		  pkt_diff(&skel->bss->delay_tlv, sizeof(want), want, sizeof(want)));
}

Test(functions, delay_reads_into_log2_histogram)
{
	uint8_t tlvs[8 + SR6_TLV_DELAY_LEN] = { 4, 6 };	/* PadN first, then the TLV */
	struct sr6_delay_key k;
	size_t n = sizeof(struct sr6_delay_hist) / 8;
	struct pkt p;

	skel->bss->fake_now = 1000000000ULL;
	delay_tlv_bytes(tlvs + 8, 1000000000ULL - 5000, "fc00:4::de");
	delay_frame(&p, tlvs, sizeof(tlvs));
	cr_expect_eq(run(skel->progs.fn_delay_xdp, &p), XDP_PASS);
	cr_expect_eq(skel->bss->delay_action, 3 /* FN_DELAY_READ */);
	cr_expect_eq(skel->bss->delay_tlv_off, 14 + 40 + 8 + 32 + 8, "TLV found after PadN");

	/* A second reading of 1 ms, and one from the future (clock skew). */
	delay_tlv_bytes(tlvs + 8, 1000000000ULL - 1000000, "fc00:4::de");
	delay_frame(&p, tlvs, sizeof(tlvs));
	run(skel->progs.fn_delay_xdp, &p);
	delay_tlv_bytes(tlvs + 8, 1000000000ULL + 7, "fc00:4::de");
	delay_frame(&p, tlvs, sizeof(tlvs));
	run(skel->progs.fn_delay_xdp, &p);

	sid_key(&k.ingress, "fc00:4::de");
	sid_key(&k.egress, SID_FN);
	cr_expect_eq(percpu_field(skel->maps.sr6_fn_delay_hist, &k, n, 0), 2, "count");
	cr_expect_eq(percpu_field(skel->maps.sr6_fn_delay_hist, &k, n, 1), 1005000, "sum_ns");
	cr_expect_eq(percpu_field(skel->maps.sr6_fn_delay_hist, &k, n, 2), 1, "negative");
	cr_expect_eq(percpu_field(skel->maps.sr6_fn_delay_hist, &k, n, 4 + 12), 1,
		     "5000 ns in bucket 12 [4096, 8192)");
	cr_expect_eq(percpu_field(skel->maps.sr6_fn_delay_hist, &k, n, 4 + 19), 1,
		     "1 ms in bucket 19 [524288, 1048576)");
}

Test(functions, delay_modes)
{
	uint8_t tlvs[SR6_TLV_DELAY_LEN];
	struct sr6_fn_delay cfg = { .mode = SR6_DELAY_READ };
	union sr6_in6 sid;
	struct pkt p;

	sid_key(&sid, SID_FN);
	cr_assert_eq(bpf_map_update_elem(bpf_map__fd(skel->maps.sr6_fn_delay), &sid, &cfg, 0), 0);
	delay_frame(&p, NULL, 0);
	run(skel->progs.fn_delay_xdp, &p);
	cr_expect_eq(skel->bss->delay_action, 0, "READ without a TLV: nothing");

	cfg.mode = SR6_DELAY_WRITE;
	cr_assert_eq(bpf_map_update_elem(bpf_map__fd(skel->maps.sr6_fn_delay), &sid, &cfg, 0), 0);
	delay_tlv_bytes(tlvs, 1, "fc00:4::de");
	delay_frame(&p, tlvs, sizeof(tlvs));
	run(skel->progs.fn_delay_xdp, &p);
	cr_expect_eq(skel->bss->delay_action, 2, "WRITE with a TLV: rewrite it");
	cr_expect_eq(skel->bss->delay_tlv_off, 14 + 40 + 8 + 32);
}

/* ---------------------------------------------------------------------------------------- */

static void set_rl(const char *sid_text, uint64_t rate, uint64_t burst, uint8_t unit)
{
	struct sr6_fn_rl cfg = { .rate = rate, .burst = burst, .unit = unit };
	union sr6_in6 sid;

	sid_key(&sid, sid_text);
	cr_assert_eq(bpf_map_update_elem(bpf_map__fd(skel->maps.sr6_fn_rl), &sid, &cfg, 0), 0);
}

static uint32_t rl_at(uint64_t t_ns, const char *src)
{
	struct pkt p;

	skel->bss->fake_now = t_ns;
	fn_frame(&p, 0, 0, src, 1);
	return run(skel->progs.fn_ratelimit_xdp, &p);
}

Test(functions, ratelimit_token_bucket_per_source_64)
{
	const uint64_t t0 = 5000000000ULL;
	uint64_t dropped0 = drops(SR6_DROP_RATE_LIMITED);
	union sr6_in6 sid;

	set_rl(SID_FN, 10, 3, SR6_RL_PACKETS);	/* 10 packets/s, burst 3 */
	cr_expect_eq(rl_at(t0, "2001:db8:a::1"), XDP_PASS);
	cr_expect_eq(rl_at(t0, "2001:db8:a::2"), XDP_PASS, "same /64 shares the bucket");
	cr_expect_eq(rl_at(t0, "2001:db8:a::3"), XDP_PASS);
	cr_expect_eq(rl_at(t0, "2001:db8:a::1"), XDP_DROP, "burst used up");
	cr_expect_eq(rl_at(t0, "2001:db8:a:1::1"), XDP_PASS, "another /64 has its own bucket");
	cr_expect_eq(rl_at(t0 + 99999999, "2001:db8:a::1"), XDP_DROP, "0.99 token after 99.99 ms");
	cr_expect_eq(rl_at(t0 + 100000000, "2001:db8:a::1"), XDP_PASS, "1 token after 100 ms");
	cr_expect_eq(rl_at(t0 + 100000000, "2001:db8:a::1"), XDP_DROP);
	cr_expect_eq(rl_at(t0 + 3600000000000ULL, "2001:db8:a::1"), XDP_PASS, "refilled");
	cr_expect_eq(rl_at(t0 + 3600000000000ULL, "2001:db8:a::1"), XDP_PASS);
	cr_expect_eq(rl_at(t0 + 3600000000000ULL, "2001:db8:a::1"), XDP_PASS);
	cr_expect_eq(rl_at(t0 + 3600000000000ULL, "2001:db8:a::1"), XDP_DROP, "capped at burst");

	sid_key(&sid, SID_FN);
	cr_expect_eq(percpu_field(skel->maps.sr6_fn_rl_stats, &sid, 2, 0), 8, "passed");
	cr_expect_eq(percpu_field(skel->maps.sr6_fn_rl_stats, &sid, 2, 1), 4, "dropped");
	cr_expect_eq(drops(SR6_DROP_RATE_LIMITED) - dropped0, 4, "RATE_LIMITED drops");
}

Test(functions, ratelimit_bytes_and_unconfigured)
{
	struct pkt p;
	uint64_t len;

	cr_expect_eq(rl_at(1000, "2001:db8:a::1"), XDP_PASS, "no configuration: no limit");
	fn_frame(&p, 0, 0, "2001:db8:a::1", 1);
	len = p.len - 14;
	set_rl(SID_FN, 1000, 2 * len + len / 2, SR6_RL_BYTES);	/* burst: 2.5 packets */
	cr_expect_eq(rl_at(2000, "2001:db8:c::1"), XDP_PASS);
	cr_expect_eq(rl_at(2000, "2001:db8:c::1"), XDP_PASS);
	cr_expect_eq(rl_at(2000, "2001:db8:c::1"), XDP_DROP, "half a packet of tokens left");
}

Test(functions, count_srh_after_hop_by_hop)
{
	static const char *const segs[] = { FINAL, SID_FN };
	union sr6_in6 sid;
	struct pkt p;

	/* Not the common layout: the invoking SID is found through the extension header walk. */
	pkt_init(&p);
	pkt_eth(&p, ENV_MAC_IN, ENV_MAC_PEER, ETH_P_IPV6);
	pkt_ipv6(&p, "fc00:a::1", FINAL, 63);
	pkt_exthdr(&p, 0, 8);
	pkt_srh(&p, 0, 1, 0, 0, segs, 2);
	pkt_ipv6(&p, "2001:db8:a::1", "2001:db8:b::1", 64);
	pkt_udp(&p, 1, 2, NULL, 0);
	pkt_finish(&p);
	cr_expect_eq(run(skel->progs.fn_count_xdp, &p), XDP_PASS);
	sid_key(&sid, SID_FN);
	cr_expect_eq(percpu_field(skel->maps.sr6_fn_count_sid, &sid, 2, 0), 1, "SID packets");
}
