/*
 * policy_compile_test: model -> plan.  The examples against their golden plans, the SRH of
 * every mode byte by byte, weights, the order of rules in a set and the copying of covering
 * rules into longer prefixes.
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "agent/tests/testenv.h"

static void compile_text(struct plan *p, const char *yaml)
{
	struct diag d;
	char *errs = NULL;
	size_t size = 0;
	FILE *f;
	int rc;

	diag_init(&d, "t.yaml");
	rc = policy_load(p, yaml, strlen(yaml), &test_env, &d);
	f = open_memstream(&errs, &size);
	diag_print(f, &d);
	fclose(f);
	cr_assert_eq(rc, 0, "the policy does not compile:\n%s", errs);
	free(errs);
	diag_free(&d);
}

static char *plan_text(const struct plan *p)
{
	char *out = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&out, &size);

	plan_print(f, p);
	fclose(f);
	return out;
}

static void golden_example(const char *example, const char *golden)
{
	struct plan p;
	size_t len;
	char *yaml = test_read_file(example, &len), *text;
	struct diag d;

	diag_init(&d, example);
	cr_assert_eq(policy_load(&p, yaml, len, &test_env, &d), 0, "%s does not compile", example);
	text = plan_text(&p);
	test_golden(golden, text);
	free(text);
	free(yaml);
	plan_free(&p);
	diag_free(&d);
}

Test(golden, policy_example)
{
	golden_example("examples/policy.yaml", "policy.plan");
}

Test(golden, demo_headend)
{
	golden_example("examples/demo.yaml", "demo.plan");
}

Test(golden, demo_push)
{
	golden_example("examples/demo-push.yaml", "demo-push.plan");
}

Test(golden, demo_transit_and_egress)
{
	golden_example("examples/demo-t1.yaml", "demo-t1.plan");
	golden_example("examples/demo-t2.yaml", "demo-t2.plan");
	golden_example("examples/demo-egress.yaml", "demo-egress.plan");
}

#define HEAD	"apiVersion: sr6/v1\nnode: { name: n, locator: \"fc00:1::/48\", source: \"fc00:1::1\" }\n"

static void addr(union sr6_in6 *a, const char *s)
{
	cr_assert_eq(inet_pton(AF_INET6, s, a->b), 1);
}

/* The SRH a path carries, checked field by field against RFC 8754's layout. */
static void expect_srh(const struct sr6_path *w, unsigned len, unsigned sl, unsigned le,
		       const char *const *list, unsigned n)
{
	union sr6_in6 want;
	unsigned i;

	cr_assert_eq(w->srh_len, len, "srh_len %u want %u", w->srh_len, len);
	if (!len)
		return;
	cr_expect_eq(w->srh[1], (len - 8) / 8, "Hdr Ext Len");
	cr_expect_eq(w->srh[2], 4, "Routing Type");
	cr_expect_eq(w->srh[3], sl, "Segments Left %u want %u", w->srh[3], sl);
	cr_expect_eq(w->srh[4], le, "Last Entry %u want %u", w->srh[4], le);
	cr_expect_eq(w->srh[5] | w->srh[6] | w->srh[7], 0, "flags and tag");
	for (i = 0; i < n; i++) {
		if (!list[i]) {
			memset(&want, 0, sizeof(want));
		} else {
			addr(&want, list[i]);
		}
		cr_expect_arr_eq(w->srh + 8 + 16 * i, want.b, 16, "Segment List[%u]", i);
	}
}

Test(srh, encap_three_sids)
{
	static const char *const list[] = { "fc00:4::3", "fc00:3::2", "fc00:2::1" };
	struct sr6_policy v;
	struct plan p;
	union sr6_in6 dst;

	compile_text(&p, HEAD "policies:\n  - { name: a, paths: [{ segments: "
		     "[\"fc00:2::1\", \"fc00:3::2\", \"fc00:4::3\"] }] }\n");
	p.policies.v[0].key = 7;
	plan_policy_value(&v, &p.policies.v[0]);
	addr(&dst, "fc00:2::1");
	cr_expect_arr_eq(v.paths[0].dst.b, dst.b, 16, "outer destination = first SID");
	cr_expect_eq(v.paths[0].sid_count, 3);
	cr_expect_eq(v.mode, SR6_MODE_ENCAP);
	cr_expect_eq(v.stats_id, 7);
	cr_expect_eq(v.hop_limit, SR6_DEFAULT_HOP_LIMIT);
	cr_expect_eq(v.flags, SR6_POLICY_F_TC_COPY);
	expect_srh(&v.paths[0], 56, 2, 2, list, 3);
	plan_free(&p);
}

Test(srh, encap_one_sid)
{
	static const char *const list[] = { "fc00:2::1" };
	struct sr6_policy v;
	struct plan p;

	compile_text(&p, HEAD "policies:\n  - { name: a, paths: [{ segments: [\"fc00:2::1\"] }] }\n");
	plan_policy_value(&v, &p.policies.v[0]);
	expect_srh(&v.paths[0], 24, 0, 0, list, 1);
	plan_free(&p);
}

Test(srh, encap_red_three_sids)
{
	static const char *const list[] = { "fc00:4::3", "fc00:3::2" };
	struct sr6_policy v;
	struct plan p;

	compile_text(&p, HEAD "policies:\n  - { name: a, mode: encap.red, paths: [{ segments: "
		     "[\"fc00:2::1\", \"fc00:3::2\", \"fc00:4::3\"] }] }\n");
	plan_policy_value(&v, &p.policies.v[0]);
	/* The first SID only in the destination: SL = 2 = Last Entry + 1. */
	expect_srh(&v.paths[0], 40, 2, 1, list, 2);
	cr_expect_eq(v.paths[0].sid_count, 3);
	plan_free(&p);
}

Test(srh, encap_red_one_sid_has_no_srh)
{
	struct sr6_policy v;
	struct plan p;
	union sr6_in6 dst;

	compile_text(&p, HEAD "policies:\n  - { name: a, mode: encap.red, paths: "
		     "[{ segments: [\"fc00:2::1\"] }] }\n");
	plan_policy_value(&v, &p.policies.v[0]);
	expect_srh(&v.paths[0], 0, 0, 0, NULL, 0);
	addr(&dst, "fc00:2::1");
	cr_expect_arr_eq(v.paths[0].dst.b, dst.b, 16);
	plan_free(&p);
}

Test(srh, inline_two_sids)
{
	static const char *const list[] = { NULL, "fc00:3::2", "fc00:2::1" };
	struct sr6_policy v;
	struct plan p;

	compile_text(&p, HEAD "policies:\n  - { name: a, mode: inline, paths: "
		     "[{ segments: [\"fc00:2::1\", \"fc00:3::2\"] }] }\n");
	plan_policy_value(&v, &p.policies.v[0]);
	/* Segment List[0] is the packet's destination, written per packet. */
	expect_srh(&v.paths[0], 56, 2, 2, list, 3);
	cr_expect_eq(v.hop_limit, 0, "no outer header");
	cr_expect_eq(v.flags, 0);
	plan_free(&p);
}

/* 16 SIDs, the most a list takes: encap fills 16 entries, inline 17 (SR6_SRH_MAX_LEN). */
static void sixteen(const char *mode, unsigned len, unsigned sl)
{
	struct sr6_policy v;
	struct plan p;
	char yaml[2048];
	size_t off;
	int i;

	off = (size_t)snprintf(yaml, sizeof(yaml), HEAD "policies:\n  - { name: a, mode: %s, "
			       "paths: [{ segments: [", mode);
	for (i = 1; i <= SR6_MAX_SIDS; i++)
		off += (size_t)snprintf(yaml + off, sizeof(yaml) - off, "%s\"fc00:%x::1\"",
					i > 1 ? ", " : "", i + 1);
	snprintf(yaml + off, sizeof(yaml) - off, "] }] }\n");
	compile_text(&p, yaml);
	plan_policy_value(&v, &p.policies.v[0]);
	cr_expect_eq(v.paths[0].srh_len, len, "%s: srh_len %u want %u", mode, v.paths[0].srh_len,
		     len);
	cr_expect_eq(v.paths[0].srh[3], sl, "%s: Segments Left", mode);
	cr_expect_eq(v.paths[0].srh[4], sl, "%s: Last Entry", mode);
	cr_expect_eq(v.paths[0].sid_count, SR6_MAX_SIDS);
	plan_free(&p);
}

Test(srh, sixteen_sids)
{
	sixteen("encap", SR6_SRH_LEN(SR6_MAX_SIDS), SR6_MAX_SIDS - 1);
	sixteen("inline", SR6_SRH_MAX_LEN, SR6_MAX_SIDS);
}

Test(policy, weights_become_cumulative)
{
	struct sr6_policy v;
	struct plan p;

	compile_text(&p, HEAD "policies:\n  - name: a\n    source: \"fc00:1::99\"\n"
		     "    hop_limit: 9\n    mtu: 1400\n    traffic_class: zero\n    paths:\n"
		     "      - { segments: [\"fc00:2::1\"], weight: 5 }\n"
		     "      - { segments: [\"fc00:3::1\"] }\n"
		     "      - { segments: [\"fc00:4::1\"], weight: 10 }\n");
	plan_policy_value(&v, &p.policies.v[0]);
	cr_expect_eq(v.path_count, 3);
	cr_expect_eq(v.total_weight, 16);
	cr_expect_eq(v.cum_weight[0], 5);
	cr_expect_eq(v.cum_weight[1], 6);
	cr_expect_eq(v.cum_weight[2], 16);
	cr_expect_eq(v.hop_limit, 9);
	cr_expect_eq(v.mtu, 1400);
	cr_expect_eq(v.flags, 0, "traffic_class zero: no copy");
	cr_expect_eq(v.source.b[15], 0x99, "policy source overrides node source");
	plan_free(&p);
}

#define POLICIES "policies:\n"						\
	"  - { name: a, paths: [{ segments: [\"fc00:2::1\"] }] }\n"	\
	"  - { name: b, paths: [{ segments: [\"fc00:3::1\"] }] }\n"	\
	"  - { name: c, paths: [{ segments: [\"fc00:4::1\"] }] }\n"

Test(steering, covering_rules_are_copied_in_order)
{
	struct plan p;
	long s;
	union sr6_in6 pfx;
	const struct sr6_steer_rule *r;

	compile_text(&p, HEAD POLICIES "steering:\n"
		     "  - { match: { dst: \"2001:db8::/32\" }, policy: a, priority: 50 }\n"
		     "  - { match: { dst: \"2001:db8:1::/48\", proto: udp }, policy: b, priority: 50 }\n"
		     "  - { match: { dst: \"2001:db8:1::/48\" }, policy: c, priority: 10 }\n"
		     "  - { match: { dst: \"::/0\", proto: tcp }, policy: a, priority: 1 }\n");
	cr_assert_eq(p.sets.n, 3);
	addr(&pfx, "2001:db8:1::");
	s = plan_find_set(&p, AF_INET6, 48, &pfx);
	cr_assert_geq(s, 0);
	cr_assert_eq(p.sets.v[s].count, 4);
	r = &p.rules.v[p.sets.v[s].first];
	/* priority 1 (::/0 tcp), 10 (/48 c), then priority 50: the /48 before the /32. */
	cr_expect_eq(r[0].policy, 0);
	cr_expect_eq(r[0].proto, 6);
	cr_expect_eq(r[1].policy, 2);
	cr_expect_eq(r[2].policy, 1);
	cr_expect_eq(r[2].match, SR6_MATCH_PROTO);
	cr_expect_eq(r[3].policy, 0);
	cr_expect_eq(r[3].match, 0);
	addr(&pfx, "2001:db8::");
	s = plan_find_set(&p, AF_INET6, 32, &pfx);
	cr_assert_geq(s, 0);
	cr_expect_eq(p.sets.v[s].count, 2, "the /32 gets ::/0's rule, not the /48's");
	cr_expect_eq(p.config_flags, SR6_CFG_STEER6);
	plan_free(&p);
}

Test(steering, ports_src_dscp_iif)
{
	struct plan p;
	const struct sr6_steer_rule *r;

	compile_text(&p, HEAD POLICIES "steering:\n"
		     "  - { match: { dst: \"10.1.0.0/16\", src: \"192.168.0.0/24\", proto: tcp, "
		     "sport: \"1024-2047\", dport: 22, dscp: 46, iif: eth1 }, policy: b }\n");
	cr_assert_eq(p.sets.n, 1);
	cr_expect_eq(p.sets.v[0].family, AF_INET);
	cr_expect_eq(p.sets.v[0].len, 16);
	cr_expect_eq(p.sets.v[0].prefix.w[0], htonl(0x0a010000));
	r = &p.rules.v[0];
	cr_expect_eq(r->match, SR6_MATCH_SRC | SR6_MATCH_PROTO | SR6_MATCH_SPORT |
		     SR6_MATCH_DPORT | SR6_MATCH_DSCP | SR6_MATCH_IIF);
	cr_expect_eq(r->src.w[0], htonl(0xc0a80000));
	cr_expect_eq(r->src_len, 24);
	cr_expect_eq(r->sport_min, 1024);
	cr_expect_eq(r->sport_max, 2047);
	cr_expect_eq(r->dport_min, 22);
	cr_expect_eq(r->dport_max, 22);
	cr_expect_eq(r->dscp, 46);
	cr_expect_eq(r->ifindex, 3);
	cr_expect_eq(r->policy, 1);
	cr_expect_neq(r->rule_id, 0);
	cr_expect_eq(p.config_flags, SR6_CFG_STEER4);
	plan_free(&p);
}

Test(steering, rule_id_survives_reordering)
{
	struct plan a, b;

	compile_text(&a, HEAD POLICIES "steering:\n"
		     "  - { match: { dst: \"10.1.0.0/16\" }, policy: b }\n"
		     "  - { match: { dst: \"10.2.0.0/16\" }, policy: c }\n");
	compile_text(&b, HEAD POLICIES "steering:\n"
		     "  - { match: { dst: \"10.2.0.0/16\" }, policy: c }\n"
		     "  - { match: { dst: \"10.0.0.0/8\" }, policy: a, priority: 500 }\n"
		     "  - { match: { dst: \"10.1.0.0/16\" }, policy: b }\n");
	cr_assert_eq(b.sets.n, 3);
	/* 10.1/16 is set 1 in both (sorted by prefix after 10/8 in b). */
	cr_expect_eq(a.rules.v[a.sets.v[0].first].rule_id, b.rules.v[b.sets.v[1].first].rule_id);
	plan_free(&a);
	plan_free(&b);
}

Test(sids, values_and_routes)
{
	struct plan p;

	compile_text(&p, "apiVersion: sr6/v1\nnode: { name: n, locator: \"fc00::/16\",\n"
		     "  interfaces: [{ name: eth0, attach: none }] }\n"
		     "sids:\n"
		     "  - { sid: \"fc00:1::11\", behavior: End.X, nexthop: \"fe80::2\", interface: eth1 }\n"
		     "  - { sid: \"fc00:1::d6\", behavior: End.DT6, table: local }\n"
		     "  - { sid: \"fc00:1:2::\", behavior: End, flavors: [next-csid] }\n");
	cr_assert_eq(p.sids.n, 3);
	cr_expect_eq(p.sids.v[0].value.behavior, SR6_END_X);
	cr_expect_eq(p.sids.v[0].value.oif, 3);
	cr_expect_eq(p.sids.v[0].value.nh6.b[0], 0xfe);
	cr_expect_eq(p.routes.v[0].dev, 3, "End.X route on its interface");
	cr_expect_eq(p.sids.v[1].value.table, 255);
	cr_expect_eq(p.routes.v[1].dev, 2, "other routes on the node's first interface");
	cr_expect_eq(p.attach.n, 0, "attach: none attaches nothing");
	cr_expect_eq(p.sids.v[2].value.flavors, SR6_FLV_NEXT_CSID);
	cr_expect_eq(p.sids.v[2].value.lcblock_bits, 32, "default block");
	cr_expect_eq(p.sids.v[2].value.lcnode_fn_bits, 16, "default node + function");
	cr_assert_eq(p.locators.n, 1);
	cr_expect_eq(p.locators.v[0].key.prefixlen, 48);
	cr_expect_eq(p.config_flags, SR6_CFG_SIDS | SR6_CFG_LOCATORS);
	plan_free(&p);
}
