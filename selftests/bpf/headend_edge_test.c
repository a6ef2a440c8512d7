/*
 * headend_edge_test: what happens off the straight path.  Packets too big once encapsulated
 * (ICMPv6 Packet Too Big, ICMPv4 Fragmentation Needed, the cases the RFCs leave unanswered,
 * the rate limit), malformed packets, packets that already carry an SRH or are sr6's own
 * output, routes without a neighbour or without a way out, the outer header's knobs.
 */
#include <arpa/inet.h>
#include <bpf/libbpf.h>
#include <criterion/criterion.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "selftests/bpf/headend_harness.h"
#include "sr6.skel.h"

#define SRC6	"fc00:100::1"

TestSuite(headend_edge, .init = harness_setup, .fini = harness_teardown, .timeout = 120);

static void policy(uint32_t key, uint8_t mode, const char *sids, const char *source, uint32_t mtu,
		   uint8_t hop_limit)
{
	struct headend_policy_spec spec = { .mode = mode, .stats_id = key, .source = source,
					    .mtu = mtu, .hop_limit = hop_limit, .npaths = 1,
					    .paths = { { sids, 1 } } };

	h_policy(key, &spec);
}

static void steer_all(uint32_t key)
{
	h_rule_policy(0, key);
	h_steer6("::", 0, 0, 1);
	h_steer4("0.0.0.0", 0, 0, 1);
	h_config(SR6_CFG_STEER6 | SR6_CFG_STEER4);
}

/* An IPv6 UDP packet of ip_len bytes from 2001:db8:a::1 to 2001:db8:b::1. */
static void big6(struct pkt *p, size_t ip_len)
{
	static uint8_t payload[9000];
	size_t i;

	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 7);
	pkt_init(p);
	pkt_eth(p, H.mac, HARNESS_PEER_MAC, ETH_P_IPV6);
	pkt_ipv6(p, "2001:db8:a::1", "2001:db8:b::1", 64);
	pkt_udp(p, 1111, 2222, payload, ip_len - 48);
	pkt_finish(p);
}

static void big4(struct pkt *p, size_t ip_len, int df)
{
	static uint8_t payload[9000];

	memset(payload, 0x5a, sizeof(payload));
	pkt_init(p);
	pkt_eth(p, H.mac, HARNESS_PEER_MAC, ETH_P_IP);
	pkt_ipv4(p, "10.1.0.1", "10.2.0.1", 64, 0);
	pkt_udp(p, 1111, 2222, payload, ip_len - 28);
	if (!df)
		pkt_ipv4_frag(p, 0);
	pkt_finish(p);
}

static void expect_bytes(const char *what, const struct bpf_run_result *r, const struct pkt *want)
{
	cr_expect(r->len == want->len && !memcmp(r->data, want->data, want->len), "%s: %s", what,
		  pkt_diff(r->data, r->len, want->data, want->len));
}

Test(headend_edge, packet_too_big_ipv6)
{
	struct bpf_run_result r;
	struct pkt in, want;
	int hook;

	harness_ip("link set v0 mtu 1400\n");
	policy(1, SR6_MODE_ENCAP, "fc00:5:1::1,fc00:5:2::2", SRC6, 0, 0);
	steer_all(1);
	for (hook = 0; hook < H_HOOKS; hook++) {
		const char *n = h_hook_name(hook);
		uint64_t icmp = h_drops(SR6_DROP_TOO_BIG_ICMP);

		/* 1320 + 40 + 40 = 1400 fits. */
		big6(&in, 1320);
		h_run(hook, &in, &r);
		cr_expect_eq(r.retval, h_verdict_sent(hook), "%s: 1320 bytes sent", n);
		cr_expect_eq(r.len, 14 + 1400, "%s: 1320 bytes encapsulated", n);

		/* 1321 does not: Packet Too Big with MTU 1320 and the first 1232 bytes. */
		big6(&in, 1321);
		h_run(hook, &in, &r);
		pkt_init(&want);
		if (hook == H_TC_EG) {
			/* A packet of this host: the answer goes up to its own stack, from the
			 * policy's source, addressed back to the MAC it was sent from. */
			pkt_eth(&want, HARNESS_PEER_MAC, H.mac, ETH_P_IPV6);
			pkt_ipv6(&want, SRC6, "2001:db8:a::1", 64);
			cr_expect_eq(r.retval, 7, "%s: redirected to ingress", n);
		} else {
			/* Routed back to the source, from the address the route gives. */
			pkt_eth(&want, HARNESS_NH_MAC, H.mac, ETH_P_IPV6);
			pkt_ipv6(&want, HARNESS_V0_ADDR6, "2001:db8:a::1", 64);
			cr_expect_eq(r.retval, h_verdict_sent(hook) ? h_verdict_sent(hook) : 7,
				     "%s: verdict %u", n, r.retval);
		}
		pkt_icmp6(&want, 2, 0, 1320, in.data + 14, 1232);
		pkt_finish(&want);
		expect_bytes(n, &r, &want);
		cr_expect_eq(h_drops(SR6_DROP_TOO_BIG_ICMP), icmp + 1, "%s: TOO_BIG_ICMP counted", n);
	}

	/* A reduced MTU under 1280 is not worth an answer (RFC 8201): dropped, counted. */
	policy(1, SR6_MODE_ENCAP, "fc00:5:1::1,fc00:5:1::2,fc00:5:1::3,fc00:5:1::4,fc00:5:1::5,"
		  "fc00:5:1::6,fc00:5:1::7,fc00:5:1::8", SRC6, 0, 0);
	for (hook = 0; hook < H_HOOKS; hook++) {
		uint64_t drops = h_drops(SR6_DROP_TOO_BIG);

		big6(&in, 1300);
		h_run(hook, &in, &r);
		cr_expect_eq(r.retval, h_verdict_drop(hook), "%s: MTU 1232 < 1280", h_hook_name(hook));
		cr_expect_eq(h_drops(SR6_DROP_TOO_BIG), drops + 1, "%s: TOO_BIG", h_hook_name(hook));
	}
}

Test(headend_edge, policy_mtu_and_icmp_errors_unanswered)
{
	struct bpf_run_result r;
	struct pkt in, want;
	uint8_t body[1400];

	policy(1, SR6_MODE_ENCAP_RED, "fc00:5:1::1", SRC6, 1400, 0);
	steer_all(1);
	big6(&in, 1360);
	h_run(H_XDP, &in, &r);
	cr_expect_eq(r.retval, XDP_REDIRECT, "1360 + 40 = 1400 fits the policy MTU");
	big6(&in, 1361);
	h_run(H_XDP, &in, &r);
	pkt_init(&want);
	pkt_eth(&want, HARNESS_NH_MAC, H.mac, ETH_P_IPV6);
	pkt_ipv6(&want, HARNESS_V0_ADDR6, "2001:db8:a::1", 64);
	pkt_icmp6(&want, 2, 0, 1360, in.data + 14, 1232);
	pkt_finish(&want);
	expect_bytes("policy MTU 1400", &r, &want);

	/* An ICMPv6 error never gets an error back. */
	memset(body, 0, sizeof(body));
	pkt_init(&in);
	pkt_eth(&in, H.mac, HARNESS_PEER_MAC, ETH_P_IPV6);
	pkt_ipv6(&in, "2001:db8:a::1", "2001:db8:b::1", 64);
	pkt_icmp6(&in, 1, 4, 0, body, 1360);
	pkt_finish(&in);
	h_run(H_XDP, &in, &r);
	cr_expect_eq(r.retval, XDP_DROP, "ICMPv6 error too big: dropped");
	/* An echo request does. */
	pkt_init(&in);
	pkt_eth(&in, H.mac, HARNESS_PEER_MAC, ETH_P_IPV6);
	pkt_ipv6(&in, "2001:db8:a::1", "2001:db8:b::1", 64);
	pkt_icmp6(&in, 128, 0, 0x00070001, body, 1360);
	pkt_finish(&in);
	h_run(H_XDP, &in, &r);
	cr_expect_eq(r.retval, XDP_REDIRECT, "echo request too big: answered");
	cr_expect_eq(r.data[14 + 40], 2, "Packet Too Big");
}

Test(headend_edge, fragmentation_needed_ipv4)
{
	struct bpf_run_result r;
	struct pkt in, want;
	int hook;

	harness_ip("link set v0 mtu 1400\n");
	policy(1, SR6_MODE_ENCAP, "fc00:5:1::1", SRC6, 0, 0);
	steer_all(1);
	for (hook = 0; hook < H_HOOKS; hook++) {
		const char *n = h_hook_name(hook);
		uint64_t drops;

		big4(&in, 1336, 1); /* + 40 + 24 = 1400 */
		h_run(hook, &in, &r);
		cr_expect_eq(r.retval, h_verdict_sent(hook), "%s: 1336 bytes sent", n);

		big4(&in, 1337, 1);
		h_run(hook, &in, &r);
		pkt_init(&want);
		if (hook == H_TC_EG) {
			pkt_eth(&want, HARNESS_PEER_MAC, H.mac, ETH_P_IP);
			pkt_ipv4(&want, "10.1.0.1", "10.1.0.1", 64, 0xc0);
		} else {
			pkt_eth(&want, HARNESS_NH_MAC, H.mac, ETH_P_IP);
			pkt_ipv4(&want, HARNESS_V0_ADDR4, "10.1.0.1", 64, 0xc0);
		}
		pkt_ipv4_frag(&want, 0);
		pkt_icmp4(&want, 3, 4, 1336, in.data + 14, 548);
		pkt_finish(&want);
		expect_bytes(n, &r, &want);

		/* Without DF the packet may be fragmented, which sr6 does not do: dropped. */
		drops = h_drops(SR6_DROP_TOO_BIG);
		big4(&in, 1337, 0);
		h_run(hook, &in, &r);
		cr_expect_eq(r.retval, h_verdict_drop(hook), "%s: no DF: dropped", n);
		cr_expect_eq(h_drops(SR6_DROP_TOO_BIG), drops + 1, "%s: TOO_BIG counted", n);
	}
}

Test(headend_edge, icmp_rate_limit)
{
	struct bpf_run_result r;
	struct timespec t0, t1;
	struct pkt in;
	int i, answered = 0, dropped = 0;
	long ms;

	harness_ip("link set v0 mtu 1400\n");
	policy(1, SR6_MODE_ENCAP, "fc00:5:1::1", SRC6, 0, 0);
	steer_all(1);
	big6(&in, 1380);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < 200; i++) {
		h_run(H_XDP, &in, &r);
		if (r.retval == XDP_REDIRECT)
			answered++;
		else if (r.retval == XDP_DROP)
			dropped++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	cr_expect_eq(answered + dropped, 200);
	/* A burst of 50, then 1 per millisecond. */
	cr_expect(answered >= 50 && answered <= 50 + ms + 1, "%d answered in %ld ms", answered, ms);
	cr_expect_eq(h_drops(SR6_DROP_TOO_BIG), (uint64_t)dropped, "over the limit: TOO_BIG");
}

Test(headend_edge, malformed_packets_dropped_and_counted)
{
	struct bpf_run_result r;
	struct pkt in;
	int hook;

	policy(1, SR6_MODE_ENCAP, "fc00:5:1::1", SRC6, 0, 0);
	steer_all(1);
	for (hook = 0; hook < H_HOOKS; hook++) {
		uint64_t ip6 = h_drops(SR6_DROP_MALFORMED_IP6), l4 = h_drops(SR6_DROP_TRUNCATED_L4);
		uint64_t ip4 = h_drops(SR6_DROP_MALFORMED_IP4);

		big6(&in, 200);
		in.data[14 + 5] += 1; /* payload length beyond the frame */
		h_run(hook, &in, &r);
		cr_expect_eq(r.retval, h_verdict_drop(hook), "%s: bad payload length", h_hook_name(hook));
		cr_expect_eq(h_drops(SR6_DROP_MALFORMED_IP6), ip6 + 1, "%s: MALFORMED_IP6", h_hook_name(hook));

		pkt_init(&in);
		pkt_eth(&in, H.mac, HARNESS_PEER_MAC, ETH_P_IPV6);
		pkt_ipv6(&in, "2001:db8:a::1", "2001:db8:b::1", 64);
		pkt_raw(&in, "\x04\x57", 2);
		pkt_finish(&in);
		in.data[14 + 6] = 17; /* a UDP header of 2 bytes */
		h_run(hook, &in, &r);
		cr_expect_eq(r.retval, h_verdict_drop(hook), "%s: truncated UDP", h_hook_name(hook));
		cr_expect_eq(h_drops(SR6_DROP_TRUNCATED_L4), l4 + 1, "%s: TRUNCATED_L4", h_hook_name(hook));

		big4(&in, 100, 1);
		in.data[14] = 0x44; /* IHL 4 */
		h_run(hook, &in, &r);
		cr_expect_eq(r.retval, h_verdict_drop(hook), "%s: IHL 4", h_hook_name(hook));
		cr_expect_eq(h_drops(SR6_DROP_MALFORMED_IP4), ip4 + 1, "%s: MALFORMED_IP4", h_hook_name(hook));
	}
}

/* Input carrying an SRH already (transit SRv6 traffic). */
static void srv6_packet(struct pkt *p, const char *dst, int hbh)
{
	static const char *const segs[] = { "2001:db8:b::1", "fc00:9::1" };

	pkt_init(p);
	pkt_eth(p, H.mac, HARNESS_PEER_MAC, ETH_P_IPV6);
	pkt_ipv6(p, "2001:db8:a::1", dst, 64);
	if (hbh)
		pkt_exthdr(p, 0, 8);
	else
		pkt_srh(p, 1, 1, 0, 0, segs, 2);
	pkt_udp(p, 7, 8, "x", 1);
	pkt_finish(p);
}

Test(headend_edge, packets_with_an_srh_and_own_output)
{
	static const char *const outer[] = { "fc00:5:1::1" };
	struct bpf_run_result r;
	struct pkt in, want;
	int hook;

	policy(1, SR6_MODE_ENCAP, "fc00:5:1::1", SRC6, 0, 0);
	policy(2, SR6_MODE_INLINE, "fc00:5:2::1", SRC6, 0, 0);
	steer_all(1);
	for (hook = 0; hook < H_HOOKS; hook++) {
		const char *n = h_hook_name(hook);
		uint64_t refused = h_drops(SR6_DROP_SRH_PRESENT);

		/* encap: nested, the inner SRv6 packet untouched. */
		h_rule_policy(0, 1);
		srv6_packet(&in, "fc00:9::1", 0);
		h_run(hook, &in, &r);
		pkt_init(&want);
		pkt_eth(&want, HARNESS_NH_MAC, H.mac, ETH_P_IPV6);
		pkt_ipv6(&want, SRC6, "fc00:5:1::1", 64);
		pkt_srh(&want, 0, 0, 0, 0, outer, 1);
		pkt_raw(&want, in.data + 14, in.len - 14);
		pkt_finish(&want);
		want.data[14 + 6] = 43;
		want.data[14 + 40] = 41;
		memcpy(want.data + 14, r.data + 14, 4); /* flow label: from the hash */
		cr_expect_eq(r.retval, h_verdict_sent(hook), "%s: nested encap", n);
		expect_bytes(n, &r, &want);

		/* The policy's own output (destination = its first SID): not again. */
		srv6_packet(&in, "fc00:5:1::1", 0);
		h_run(hook, &in, &r);
		cr_expect(r.retval == h_verdict_pass(hook) && r.len == in.len &&
			  !memcmp(r.data, in.data, in.len), "%s: own output passes untouched", n);

		/* inline: one routing header per packet, and none after a Hop-by-Hop header. */
		h_rule_policy(0, 2);
		srv6_packet(&in, "fc00:9::1", 0);
		h_run(hook, &in, &r);
		cr_expect_eq(r.retval, h_verdict_drop(hook), "%s: inline over an SRH", n);
		srv6_packet(&in, "2001:db8:b::1", 1);
		h_run(hook, &in, &r);
		cr_expect_eq(r.retval, h_verdict_drop(hook), "%s: inline after Hop-by-Hop", n);
		cr_expect_eq(h_drops(SR6_DROP_SRH_PRESENT), refused + 2, "%s: SRH_PRESENT", n);
	}
}

Test(headend_edge, routes_neighbours_and_outer_header)
{
	struct bpf_run_result r;
	struct pkt in;
	uint64_t ev;

	harness_ip("route add fc00:6::/32 via fc00:e::3 dev v0\n"
		   "route add unreachable fc00:7::/32\n");
	steer_all(1);

	/* No neighbour yet: XDP hands the encapsulated packet to the kernel, tc asks the
	 * stack to resolve the neighbour. */
	policy(1, SR6_MODE_ENCAP, "fc00:6::1", SRC6, 0, 0);
	big6(&in, 100);
	ev = h_events(SR6_EVENT_NO_NEIGH);
	h_run(H_XDP, &in, &r);
	cr_expect_eq(r.retval, XDP_PASS, "xdp without neighbour: to the kernel");
	cr_expect_eq(r.len, in.len + 40 + 24, "xdp: passed encapsulated");
	cr_expect(!memcmp(r.data, in.data, 12), "xdp: MACs untouched");
	cr_expect_eq(h_events(SR6_EVENT_NO_NEIGH), ev + 1, "NO_NEIGH event");
	h_run(H_TC_IN, &in, &r);
	cr_expect_eq(r.retval, 7, "tc: redirect_neigh");
	cr_expect_eq(r.len, in.len + 40 + 24, "tc: encapsulated");

	/* No route at all: dropped, never sent unencapsulated. */
	policy(1, SR6_MODE_ENCAP, "fc00:7::1", SRC6, 0, 0);
	ev = h_drops(SR6_DROP_NO_ROUTE);
	h_run(H_XDP, &in, &r);
	cr_expect_eq(r.retval, XDP_DROP, "unreachable SID");
	cr_expect_eq(h_drops(SR6_DROP_NO_ROUTE), ev + 1, "NO_ROUTE counted");

	/* The first SID is this node's own address: the kernel gets the encapsulated packet. */
	policy(1, SR6_MODE_ENCAP, HARNESS_V0_ADDR6, SRC6, 0, 0);
	ev = h_events(SR6_EVENT_NOT_FWDED);
	h_run(H_XDP, &in, &r);
	cr_expect_eq(r.retval, XDP_PASS, "local first SID");
	cr_expect_eq(r.len, in.len + 40 + 24, "local first SID: encapsulated");
	cr_expect_eq(h_events(SR6_EVENT_NOT_FWDED), ev + 1, "NOT_FWDED event");

	/* No source configured: the one the route gives; hop limit from the policy. */
	policy(1, SR6_MODE_ENCAP, "fc00:5:1::1", NULL, 0, 17);
	h_run(H_XDP, &in, &r);
	cr_expect_eq(r.retval, XDP_REDIRECT);
	cr_expect_eq(r.data[14 + 7], 17, "outer hop limit 17");
	{
		struct in6_addr want;

		pkt_addr6(&want, HARNESS_V0_ADDR6);
		cr_expect(!memcmp(r.data + 14 + 8, &want, 16), "source from the route");
	}
	/* Traffic class copied only with SR6_POLICY_F_TC_COPY. */
	in.data[14] = 0x6b;
	in.data[15] = 0x80; /* tclass 0xb8 */
	h_run(H_XDP, &in, &r);
	cr_expect_eq(r.data[14] & 0x0f, 0, "no TC_COPY: traffic class 0");
	cr_expect_eq(r.data[15] & 0xf0, 0, "no TC_COPY: traffic class 0");

	/* inline with hop limit 1: the kernel sends Time Exceeded; nothing changed. */
	policy(1, SR6_MODE_INLINE, "fc00:5:1::1", SRC6, 0, 0);
	big6(&in, 100);
	in.data[14 + 7] = 1;
	ev = h_events(SR6_EVENT_HOP_LIMIT);
	h_run(H_XDP, &in, &r);
	cr_expect(r.retval == XDP_PASS && r.len == in.len && !memcmp(r.data, in.data, in.len),
		  "inline, hop limit 1: passed untouched");
	cr_expect_eq(h_events(SR6_EVENT_HOP_LIMIT), ev + 1, "HOP_LIMIT event");
}

Test(headend_edge, ethernet_padding_is_not_encapsulated)
{
	struct bpf_run_result r;
	struct pkt in;
	int hook;

	policy(1, SR6_MODE_ENCAP, "fc00:5:1::1", SRC6, 0, 0);
	steer_all(1);
	for (hook = 0; hook < H_HOOKS; hook++) {
		pkt_init(&in);
		pkt_eth(&in, H.mac, HARNESS_PEER_MAC, ETH_P_IP);
		pkt_ipv4(&in, "10.1.0.1", "10.2.0.1", 64, 0);
		pkt_icmp4_echo(&in, 1, 1, NULL, 0);
		pkt_raw(&in, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 18); /* padding to 60 */
		pkt_finish(&in);
		in.data[14 + 3] = 28; /* the IP packet ends before the padding */
		in.data[14 + 10] = in.data[14 + 11] = 0;
		{
			/* IPv4 header checksum over the fixed total length. */
			uint32_t s = 0;
			int i;

			for (i = 0; i < 20; i += 2)
				s += (uint32_t)(in.data[14 + i] << 8 | in.data[14 + i + 1]);
			while (s >> 16)
				s = (s & 0xffff) + (s >> 16);
			in.data[14 + 10] = (uint8_t)(~s >> 8);
			in.data[14 + 11] = (uint8_t)~s;
		}
		h_run(hook, &in, &r);
		cr_expect_eq(r.retval, h_verdict_sent(hook), "%s", h_hook_name(hook));
		cr_expect_eq(r.len, 14 + 40 + 24 + 28, "%s: padding dropped, length %zu",
			     h_hook_name(hook), r.len);
		cr_expect(!memcmp(r.data + 14 + 64, in.data + 14, 28), "%s: inner intact", h_hook_name(hook));
	}
}

Test(headend_edge, xdp_leaves_gro_aggregates_to_tc)
{
	struct bpf_run_result r;
	struct pkt in;
	uint64_t ev;

	/* A frame longer than its own interface allows only exists as a GRO aggregate
	 * (generic XDP); XDP cannot encapsulate it with the GSO metadata right. */
	harness_ip("link set v0 mtu 1400\n");
	policy(1, SR6_MODE_ENCAP, "fc00:5:1::1", SRC6, 0, 0);
	steer_all(1);
	big6(&in, 1450);
	ev = h_drops(SR6_DROP_GSO_AT_XDP);
	h_run(H_XDP, &in, &r);
	cr_expect_eq(r.retval, XDP_DROP, "no tc hook after XDP: dropped, never sent unencapsulated");
	cr_expect_eq(h_drops(SR6_DROP_GSO_AT_XDP), ev + 1, "GSO_AT_XDP counted");

	h_config(SR6_CFG_STEER6 | SR6_CFG_TC_AFTER_XDP);
	ev = h_events(SR6_EVENT_GSO);
	h_run(H_XDP, &in, &r);
	cr_expect(r.retval == XDP_PASS && r.len == in.len && !memcmp(r.data, in.data, in.len),
		  "with sr6_tc_ingress after XDP: passed untouched to it");
	cr_expect_eq(h_events(SR6_EVENT_GSO), ev + 1, "GSO event");
	/* tc itself encapsulates what fits per segment, here a plain oversized packet: PTB. */
	h_run(H_TC_IN, &in, &r);
	cr_expect_eq(r.retval, 7, "tc: answered");
	cr_expect_eq(r.data[14 + 40], 2, "tc: Packet Too Big");
}

Test(headend_edge, fib_cache_answers_within_its_limits)
{
	struct sr6_fib_cache_slot v = {
		.key = { .family = AF_INET6, .l4_protocol = 43 },
		.val = { .expires = ~0ull, .ok_len = 300, .dmac = { 2, 0, 0, 0, 0xcc, 1 },
			 .smac = { 2, 0, 0, 0, 0xcc, 2 } },
	};
	struct sr6_fib_cache_slot vals[256];
	struct in6_addr s, d;
	struct bpf_run_result r;
	struct pkt in;
	uint32_t h, slot;
	int cpu, ncpu = libbpf_num_possible_cpus();

	policy(1, SR6_MODE_ENCAP, "fc00:5:1::1", SRC6, 0, 0);
	steer_all(1);
	big6(&in, 100);
	/* Plant an answer for exactly this lookup, in the slot of its key. */
	pkt_addr6(&s, "2001:db8:a::1");
	pkt_addr6(&d, "2001:db8:b::1");
	h = headend_hash6(&s, &d, 1111, 2222, 17, 0);
	pkt_addr6((struct in6_addr *)&v.key.src, SRC6);
	pkt_addr6((struct in6_addr *)&v.key.dst, "fc00:5:1::1");
	v.key.flowinfo = htonl(headend_flow_label(h));
	v.key.ifindex = (uint32_t)H.ifindex;
	v.val.oif = (uint32_t)H.ifindex;
	slot = sr6_fib_cache_slot(&v.key);
	cr_assert(ncpu <= 256);
	for (cpu = 0; cpu < ncpu; cpu++)
		vals[cpu] = v;
	cr_assert_eq(bpf_map__update_elem(H.skel->maps.sr6_fib_cache, &slot, sizeof(slot), vals,
					  sizeof(vals[0]) * (size_t)ncpu, BPF_ANY), 0);

	/* Cache off: the real route. */
	h_run(H_XDP, &in, &r);
	cr_expect_eq(r.retval, XDP_REDIRECT);
	cr_expect(!memcmp(r.data, "\x02\x00\x00\x00\x00\x02", 6), "cache off: the real next hop");

	h_config(SR6_CFG_STEER6 | SR6_CFG_FIB_CACHE);
	h_run(H_XDP, &in, &r);
	cr_expect_eq(r.retval, XDP_REDIRECT);
	cr_expect(!memcmp(r.data, v.val.dmac, 6) && !memcmp(r.data + 6, v.val.smac, 6),
		  "cache on: the planted answer");
	h_run(H_TC_IN, &in, &r);
	cr_expect(r.retval == 7 && !memcmp(r.data, v.val.dmac, 6), "tc ingress uses it too");
	h_run(H_TC_EG, &in, &r);
	cr_expect(r.retval == 0 && !memcmp(r.data, "\x02\x00\x00\x00\x00\x02", 6),
		  "tc egress (an output lookup) does not");

	/* Another source port: another flow, another flow label, not this entry. */
	pkt_init(&in);
	pkt_eth(&in, H.mac, HARNESS_PEER_MAC, ETH_P_IPV6);
	pkt_ipv6(&in, "2001:db8:a::1", "2001:db8:b::1", 64);
	pkt_udp(&in, 1112, 2222, "x", 1);
	pkt_finish(&in);
	h_run(H_XDP, &in, &r);
	cr_expect(!memcmp(r.data, "\x02\x00\x00\x00\x00\x02", 6), "another flow: its own lookup");

	/* Longer than the entry was checked for: a real lookup, which replaces the entry. */
	big6(&in, 400);
	h_run(H_XDP, &in, &r);
	cr_expect(!memcmp(r.data, "\x02\x00\x00\x00\x00\x02", 6), "longer packet: a real lookup");
	cr_assert_eq(bpf_map__lookup_elem(H.skel->maps.sr6_fib_cache, &slot, sizeof(slot), vals,
					  sizeof(vals[0]) * (size_t)ncpu, 0), 0);
	for (cpu = 0; cpu < ncpu; cpu++)
		if (vals[cpu].val.ok_len == 464)
			break;
	cr_expect(cpu < ncpu && !memcmp(vals[cpu].val.dmac, "\x02\x00\x00\x00\x00\x02", 6) &&
		  vals[cpu].val.expires != ~0ull, "entry replaced by the real answer, checked for 464 bytes (400 + 40 + 24)");
}
