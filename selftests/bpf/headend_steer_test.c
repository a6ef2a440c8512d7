/*
 * headend_steer_test: classification (LPM, rule order, every rule condition, IPv4 rules,
 * fragments by L3 only), packets that match nothing, and weighted ECMP over 10,000 flows.
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <stdio.h>
#include <string.h>

#include "selftests/bpf/headend_harness.h"

TestSuite(headend_steer, .init = harness_setup, .fini = harness_teardown, .timeout = 120);

/* Policy key k: encap to the single SID fc00:5:<k>::1, stats id k. */
static void simple_policy(uint32_t key)
{
	struct headend_policy_spec spec = { .mode = SR6_MODE_ENCAP, .stats_id = key,
					    .source = "fc00:100::1", .npaths = 1 };
	static char sids[16][40];

	snprintf(sids[key % 16], sizeof(sids[0]), "fc00:5:%x::1", key);
	spec.paths[0].sids = sids[key % 16];
	h_policy(key, &spec);
}

static void udp6(struct pkt *p, const char *src, const char *dst, uint8_t tclass, uint16_t sport,
		 uint16_t dport)
{
	pkt_init(p);
	pkt_eth(p, H.mac, HARNESS_PEER_MAC, ETH_P_IPV6);
	pkt_ipv6(p, src, dst, 64);
	pkt_ipv6_tc_fl(p, tclass, 0);
	pkt_udp(p, sport, dport, "data", 4);
	pkt_finish(p);
}

/* Which policy took the packet: the key in the outer destination fc00:5:<key>::1, 0 when
 * the packet passed untouched, -1 for anything else. */
static int policy_taken(enum harness_hook hook, const struct pkt *in)
{
	struct bpf_run_result r;

	h_run(hook, in, &r);
	if (r.retval == h_verdict_pass(hook) && r.len == in->len && !memcmp(r.data, in->data, in->len))
		return 0;
	if (r.retval != h_verdict_sent(hook) || r.len < 54 || r.data[38] != 0xfc || r.data[39] != 0 ||
	    r.data[40] != 0 || r.data[41] != 5)
		return -1;
	return r.data[42] << 8 | r.data[43];
}

Test(headend_steer, nothing_configured_or_nothing_matching_passes_untouched)
{
	struct pkt p;
	int hook;

	simple_policy(1);
	h_rule_policy(0, 1);
	h_steer6("2001:db8:b::", 48, 0, 1);
	h_steer4("10.2.0.0", 16, 0, 1);
	udp6(&p, "2001:db8:a::1", "2001:db8:b::1", 0, 1, 2);
	for (hook = 0; hook < H_HOOKS; hook++) {
		/* The tables have entries but sr6_config says they are empty: no lookup. */
		h_config(0);
		cr_expect_eq(policy_taken(hook, &p), 0, "%s: flags 0", h_hook_name(hook));
		h_config(SR6_CFG_STEER4);
		cr_expect_eq(policy_taken(hook, &p), 0, "%s: only IPv4 steering", h_hook_name(hook));
		h_config(SR6_CFG_STEER6 | SR6_CFG_STEER4);
		cr_expect_eq(policy_taken(hook, &p), 1, "%s: steered", h_hook_name(hook));
	}
	udp6(&p, "2001:db8:a::1", "2001:db8:c::1", 0, 1, 2);
	for (hook = 0; hook < H_HOOKS; hook++)
		cr_expect_eq(policy_taken(hook, &p), 0, "%s: no prefix", h_hook_name(hook));
	/* Not IP at all. */
	pkt_init(&p);
	pkt_eth(&p, H.mac, HARNESS_PEER_MAC, ETH_P_ARP);
	pkt_raw(&p, "\x00\x01\x08\x00\x06\x04\x00\x01 arp request pad", 28);
	pkt_finish(&p);
	for (hook = 0; hook < H_HOOKS; hook++)
		cr_expect_eq(policy_taken(hook, &p), 0, "%s: ARP", h_hook_name(hook));
}

Test(headend_steer, longest_prefix_then_first_matching_rule)
{
	struct sr6_steer_rule r;
	struct pkt p;
	int hook, k;

	for (k = 1; k <= 8; k++)
		simple_policy((uint32_t)k);
	/* 2001:db8:b::/48 -> rules 10..15 in this order; 2001:db8::/32 -> rule 20. */
	memset(&r, 0, sizeof(r));
	r.match = SR6_MATCH_SRC | SR6_MATCH_PROTO | SR6_MATCH_DPORT;
	inet_pton(AF_INET6, "2001:db8:a::", &r.src);
	r.src_len = 48;
	r.proto = 17;
	r.dport_min = r.dport_max = 53;
	r.policy = 1;
	h_rule(10, &r);
	memset(&r, 0, sizeof(r));
	r.match = SR6_MATCH_DSCP;
	r.dscp = 46;
	r.policy = 2;
	h_rule(11, &r);
	memset(&r, 0, sizeof(r));
	r.match = SR6_MATCH_IIF;
	r.ifindex = 9999;	/* another interface: never here */
	r.policy = 3;
	h_rule(12, &r);
	memset(&r, 0, sizeof(r));
	r.match = SR6_MATCH_SPORT | SR6_MATCH_IIF;
	r.sport_min = 1000;
	r.sport_max = 1999;
	r.ifindex = (uint32_t)H.ifindex;
	r.policy = 4;
	h_rule(13, &r);
	memset(&r, 0, sizeof(r));
	r.match = SR6_MATCH_SRC;
	inet_pton(AF_INET6, "2001:db8:c:8000::", &r.src);
	r.src_len = 49;
	r.policy = 5;
	h_rule(14, &r);
	h_rule_policy(15, 6);
	h_steer6("2001:db8:b::", 48, 10, 6);
	h_rule_policy(20, 7);
	h_steer6("2001:db8::", 32, 20, 1);
	h_config(SR6_CFG_STEER6);

	for (hook = 0; hook < H_HOOKS; hook++) {
		const char *n = h_hook_name(hook);

		udp6(&p, "2001:db8:a::1", "2001:db8:b::1", 0, 5000, 53);
		cr_expect_eq(policy_taken(hook, &p), 1, "%s: src+proto+dport", n);
		udp6(&p, "2001:db8:a::1", "2001:db8:b::1", 0, 5000, 54);
		cr_expect_eq(policy_taken(hook, &p), 6, "%s: dport 54 falls through", n);
		udp6(&p, "2001:db8:f::1", "2001:db8:b::1", 0xb8, 5000, 53);
		cr_expect_eq(policy_taken(hook, &p), 2, "%s: other source, DSCP 46", n);
		udp6(&p, "2001:db8:f::1", "2001:db8:b::1", 0xb4, 5000, 53);
		cr_expect_eq(policy_taken(hook, &p), 6, "%s: DSCP 45", n);
		udp6(&p, "2001:db8:f::1", "2001:db8:b::1", 0, 1000, 53);
		cr_expect_eq(policy_taken(hook, &p), 4, "%s: sport 1000 + iif", n);
		udp6(&p, "2001:db8:f::1", "2001:db8:b::1", 0, 1999, 53);
		cr_expect_eq(policy_taken(hook, &p), 4, "%s: sport 1999 + iif", n);
		udp6(&p, "2001:db8:f::1", "2001:db8:b::1", 0, 2000, 53);
		cr_expect_eq(policy_taken(hook, &p), 6, "%s: sport 2000", n);
		udp6(&p, "2001:db8:c:8000::9", "2001:db8:b::1", 0, 2000, 53);
		cr_expect_eq(policy_taken(hook, &p), 5, "%s: /49 source", n);
		udp6(&p, "2001:db8:c:7fff::9", "2001:db8:b::1", 0, 2000, 53);
		cr_expect_eq(policy_taken(hook, &p), 6, "%s: outside the /49", n);
		udp6(&p, "2001:db8:a::1", "2001:db8:bb::1", 0, 5000, 53);
		cr_expect_eq(policy_taken(hook, &p), 7, "%s: the /32", n);
	}
}

Test(headend_steer, ipv4_rules_and_missing_policy)
{
	struct sr6_steer_rule r = { .match = SR6_MATCH_SRC | SR6_MATCH_PROTO, .src_len = 16,
				    .proto = 6, .policy = 1 };
	struct pkt p;
	int hook;

	simple_policy(1);
	simple_policy(2);
	r.src.w[0] = pkt_addr4("10.1.0.0");
	h_rule(0, &r);
	h_rule_policy(1, 2);
	h_steer4("10.2.0.0", 16, 0, 2);
	h_rule_policy(5, 77); /* a policy that does not exist */
	h_steer4("10.3.0.0", 16, 5, 1);
	h_config(SR6_CFG_STEER4);
	for (hook = 0; hook < H_HOOKS; hook++) {
		struct bpf_run_result res;
		uint64_t before = h_drops(SR6_DROP_NO_POLICY);

		pkt_init(&p);
		pkt_eth(&p, H.mac, HARNESS_PEER_MAC, ETH_P_IP);
		pkt_ipv4(&p, "10.1.2.3", "10.2.0.9", 64, 0);
		pkt_tcp(&p, 1, 2, 0x02, NULL, 0);
		pkt_finish(&p);
		cr_expect_eq(policy_taken(hook, &p), 1, "%s: tcp from 10.1/16", h_hook_name(hook));
		pkt_init(&p);
		pkt_eth(&p, H.mac, HARNESS_PEER_MAC, ETH_P_IP);
		pkt_ipv4(&p, "10.9.2.3", "10.2.0.9", 64, 0);
		pkt_tcp(&p, 1, 2, 0x02, NULL, 0);
		pkt_finish(&p);
		cr_expect_eq(policy_taken(hook, &p), 2, "%s: tcp from 10.9", h_hook_name(hook));
		pkt_init(&p);
		pkt_eth(&p, H.mac, HARNESS_PEER_MAC, ETH_P_IP);
		pkt_ipv4(&p, "10.9.2.3", "10.3.0.9", 64, 0);
		pkt_udp(&p, 1, 2, NULL, 0);
		pkt_finish(&p);
		h_run(hook, &p, &res);
		cr_expect_eq(res.retval, h_verdict_drop(hook), "%s: missing policy dropped",
			     h_hook_name(hook));
		cr_expect_eq(h_drops(SR6_DROP_NO_POLICY), before + 1, "%s: NO_POLICY counted",
			     h_hook_name(hook));
	}
}

/* Two paths: which one a packet took (0 or 1), by its outer destination. */
static int path_taken(const struct bpf_run_result *r)
{
	if (r->retval != XDP_REDIRECT || r->len < 54 || r->data[42] != 0 || r->data[43] != 1)
		return -1;
	return r->data[53] - 1;	/* fc00:5:1::1 or fc00:5:1::2 */
}

Test(headend_steer, fragments_classified_and_hashed_by_l3_only)
{
	struct headend_policy_spec spec = { .mode = SR6_MODE_ENCAP, .stats_id = 3,
					    .source = "fc00:100::1", .npaths = 2,
					    .paths = { { "fc00:5:1::1", 1 }, { "fc00:5:1::2", 1 } } };
	struct sr6_steer_rule r = { .match = SR6_MATCH_DPORT, .dport_min = 53, .dport_max = 53,
				    .policy = 9 };
	struct bpf_run_result res;
	struct in6_addr s, d;
	struct pkt p;
	int want_path, id;

	h_policy(3, &spec);
	simple_policy(9);
	h_rule(0, &r);
	h_rule_policy(1, 3);
	h_steer6("2001:db8:b::", 48, 0, 2);
	h_config(SR6_CFG_STEER6);
	pkt_addr6(&s, "2001:db8:a::1");
	pkt_addr6(&d, "2001:db8:b::1");
	want_path = headend_path_of(&(struct sr6_policy){ .path_count = 2, .total_weight = 2,
							  .cum_weight = { 1, 2 } },
				    headend_hash6(&s, &d, 0, 0, 17, 0));
	for (id = 0; id < 32; id++) {
		/* First fragment: has ports (dport 53), still not the port rule. */
		pkt_init(&p);
		pkt_eth(&p, H.mac, HARNESS_PEER_MAC, ETH_P_IPV6);
		pkt_ipv6(&p, "2001:db8:a::1", "2001:db8:b::1", 64);
		pkt_frag(&p, 0, 1, (uint32_t)id);
		pkt_udp(&p, (uint16_t)(1000 + id), 53, "0123456789abcdef", 16);
		pkt_finish(&p);
		h_run(H_XDP, &p, &res);
		int first_path = path_taken(&res);
		uint64_t frag_events;

		cr_expect_eq(first_path, want_path, "first fragment %d: path %d, want %d (L3 hash)", id,
			     first_path, want_path);
		/* A later fragment of the same datagram: same decision, same path. */
		frag_events = h_events(SR6_EVENT_FRAGMENT);
		pkt_init(&p);
		pkt_eth(&p, H.mac, HARNESS_PEER_MAC, ETH_P_IPV6);
		pkt_ipv6(&p, "2001:db8:a::1", "2001:db8:b::1", 64);
		pkt_frag(&p, 3, 0, (uint32_t)id);
		pkt_raw(&p, "later fragment..", 16);
		pkt_finish(&p);
		p.data[54] = 17; /* the fragment header announces UDP */
		h_run(H_XDP, &p, &res);
		cr_expect_eq(path_taken(&res), first_path, "later fragment %d: same path", id);
		cr_expect_eq(h_events(SR6_EVENT_FRAGMENT), frag_events + 1, "FRAGMENT event");
	}
}

/*
 * 10,000 UDP flows over weights 1:3 and 1:2:5: each flow on the path and with the outer flow
 * label the reference hash (with the node's seed) gives it, the same path and flow label for
 * a second packet of the flow, per-path counters equal to the flows sent there, and every
 * share within 5 % of its weight.  Returns how many flows took another path than seed 0
 * would give them.
 */
static int ecmp_check(const uint16_t *weights, int npaths, uint32_t seed)
{
	struct headend_policy_spec spec = { .mode = SR6_MODE_ENCAP, .stats_id = 4,
					    .source = "fc00:100::1", .npaths = npaths };
	static const char *const sids[] = { "fc00:5:2::1", "fc00:5:2::2", "fc00:5:2::3" };
	struct sr6_policy pol;
	struct in6_addr s, d;
	struct bpf_run_result r, r2;
	uint32_t count[SR6_MAX_PATHS] = { 0 }, total_w = 0;
	char err[128];
	struct pkt p;
	int i, flow, moved = 0;

	for (i = 0; i < npaths; i++) {
		spec.paths[i].sids = sids[i];
		spec.paths[i].weight = weights[i];
		total_w += weights[i];
	}
	h_policy(4, &spec);
	cr_assert_eq(headend_policy_build(&pol, &spec, err, sizeof(err)), 0);
	h_rule_policy(0, 4);
	h_steer6("::", 0, 0, 1);
	h_config_seeded(SR6_CFG_STEER6, seed);
	pkt_addr6(&s, "2001:db8:a::1");
	pkt_addr6(&d, "2001:db8:b::1");
	for (flow = 0; flow < 10000; flow++) {
		uint16_t sport = (uint16_t)(10000 + flow);
		uint32_t h = headend_hash6(&s, &d, sport, 4000, 17, seed), label;
		int path, want = headend_path_of(&pol, h);

		udp6(&p, "2001:db8:a::1", "2001:db8:b::1", 0, sport, 4000);
		h_run(H_XDP, &p, &r);
		cr_assert_eq(r.retval, XDP_REDIRECT, "flow %d: verdict %u", flow, r.retval);
		path = r.data[53] - 1;
		cr_assert(path == want, "flow %d: path %d, reference %d", flow, path, want);
		label = (uint32_t)(r.data[15] & 0x0f) << 16 | (uint32_t)r.data[16] << 8 | r.data[17];
		cr_assert_eq(label, headend_flow_label(h), "flow %d: flow label", flow);
		moved += path != headend_path_of(&pol, headend_hash6(&s, &d, sport, 4000, 17, 0));
		if (flow % 100 == 0) {
			h_run(H_XDP, &p, &r2);
			cr_assert(!memcmp(r.data + 14, r2.data + 14, 4) && r.data[53] == r2.data[53],
				  "flow %d: second packet on another path or flow label", flow);
		}
		count[path]++;
	}
	for (i = 0; i < npaths; i++) {
		double want = 10000.0 * weights[i] / total_w;
		double got = count[i];
		uint64_t extra = (uint64_t)((10000 + 99) / 100);	/* the second packets */

		cr_expect(got >= want * 0.95 && got <= want * 1.05,
			  "weights %u/%u: path %d got %u flows, want %.0f +- 5 %%", weights[i],
			  total_w, i, count[i], want);
		cr_expect(h_policy_counter(4, (uint32_t)(1 + i)).packets >= count[i] &&
			  h_policy_counter(4, (uint32_t)(1 + i)).packets <= count[i] + extra,
			  "path %d counter", i);
	}
	cr_expect_eq(h_policy_counter(4, 0).packets, 10000 + 100, "policy counter");
	return moved;
}

Test(headend_steer, weighted_ecmp_1_3)
{
	static const uint16_t w[] = { 1, 3 };

	ecmp_check(w, 2, 0);
}

Test(headend_steer, weighted_ecmp_1_2_5)
{
	static const uint16_t w[] = { 1, 2, 5 };

	ecmp_check(w, 3, 0);
}

/* The node's hash seed gives every flow another hash: about half of them change path on two
 * equal paths, and the shares still follow the weights. */
Test(headend_steer, weighted_ecmp_with_a_hash_seed)
{
	static const uint16_t w[] = { 1, 1 };
	int moved = ecmp_check(w, 2, 0x9e3779b9);

	cr_expect(moved > 4000 && moved < 6000, "%d of 10,000 flows on another path than seed 0",
		  moved);
}

Test(headend_steer, link_scoped_destinations_and_exclusions_are_never_steered)
{
	struct pkt p;
	int hook;

	simple_policy(1);
	h_rule_policy(0, 1);
	h_steer6("::", 0, 0, 1);
	h_steer4("0.0.0.0", 0, 0, 1);
	h_steer6("2001:db8:e::", 48, 0, 0); /* an exclusion: an empty set */
	h_config(SR6_CFG_STEER6 | SR6_CFG_STEER4);
	for (hook = 0; hook < H_HOOKS; hook++) {
		const char *n = h_hook_name(hook);

		pkt_init(&p);
		pkt_eth(&p, "33:33:ff:00:00:01", HARNESS_PEER_MAC, ETH_P_IPV6);
		pkt_ipv6(&p, "fe80::1", "ff02::1:ff00:1", 255);
		pkt_icmp6(&p, 135, 0, 0, "\xfe\x80\0\0\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
		pkt_finish(&p);
		cr_expect_eq(policy_taken(hook, &p), 0, "%s: neighbour solicitation", n);
		udp6(&p, "fe80::1", "fe80::2", 0, 546, 547);
		cr_expect_eq(policy_taken(hook, &p), 0, "%s: link-local", n);
		pkt_init(&p);
		pkt_eth(&p, "ff:ff:ff:ff:ff:ff", HARNESS_PEER_MAC, ETH_P_IP);
		pkt_ipv4(&p, "0.0.0.0", "255.255.255.255", 64, 0);
		pkt_udp(&p, 68, 67, "dhcp", 4);
		pkt_finish(&p);
		cr_expect_eq(policy_taken(hook, &p), 0, "%s: IPv4 broadcast", n);
		pkt_init(&p);
		pkt_eth(&p, "01:00:5e:00:00:05", HARNESS_PEER_MAC, ETH_P_IP);
		pkt_ipv4(&p, "10.1.0.1", "224.0.0.5", 1, 0);
		pkt_raw(&p, "ospf hello......", 16);
		pkt_finish(&p);
		cr_expect_eq(policy_taken(hook, &p), 0, "%s: IPv4 multicast", n);
		udp6(&p, "2001:db8:a::1", "2001:db8:e::1", 0, 1, 2);
		cr_expect_eq(policy_taken(hook, &p), 0, "%s: excluded prefix", n);
		udp6(&p, "2001:db8:a::1", "2001:db8:f::1", 0, 1, 2);
		cr_expect_eq(policy_taken(hook, &p), 1, "%s: the rest is steered", n);
	}
}
