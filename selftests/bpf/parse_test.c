/*
 * parse_test: bpf/lib/parse.h on real packets at XDP and at tc: offsets, protocols, ports,
 * fragments, SRH position and every malformed case, the same answer at both hooks.
 */
#include <criterion/criterion.h>
#include <linux/if_ether.h>

#include "selftests/lib/bpf_run.h"
#include "selftests/lib/pktbuild.h"
#include "sr6_abi.h"
#include "test_parse.skel.h"

#define MAC_A "02:00:00:00:00:0a"
#define MAC_B "02:00:00:00:00:0b"

static struct test_parse_bpf *skel;

static void setup(void)
{
	skel = test_parse_bpf__open_and_load();
	cr_assert_not_null(skel, "load test_parse.bpf.o");
}

static void teardown(void)
{
	test_parse_bpf__destroy(skel);
}

struct want {
	int ret;
	uint16_t l3_proto, l4_off, srh_off, rh_off, sport, dport;
	uint8_t l4_proto, frag, dscp, hop_limit;
};

/* Parse p at both hooks; both must give want. */
static void expect_parse(struct pkt *p, const struct want *w)
{
	struct bpf_run_result r;
	int hook;

	/* test_run refuses frames shorter than an Ethernet header (so that case cannot be run),
	 * and tc's refuses packets shorter than their Ethernet + IP header. */
	int hooks = p->len >= 14 + 40 || (p->len >= 14 + 20 && p->data[12] == 0x08) ? 2 : 1;

	for (hook = 0; hook < hooks; hook++) {
		const char *name = hook ? "tc" : "xdp";
		int fd = bpf_program__fd(hook ? skel->progs.parse_tc : skel->progs.parse_xdp);
		int err = hook ? bpf_run_tc(&r, fd, p->data, p->len, 0)
			       : bpf_run_xdp(&r, fd, p->data, p->len, 0);

		cr_assert_eq(err, 0, "%s: test_run: %s", name, strerror(-err));
		cr_expect_eq(skel->bss->parse_ret, w->ret, "%s: return %d, want %d", name,
			     skel->bss->parse_ret, w->ret);
		if (w->ret != 0)
			continue;
		cr_expect_eq(skel->bss->l3_proto, w->l3_proto, "%s: l3_proto", name);
		cr_expect_eq(skel->bss->l4_proto, w->l4_proto, "%s: l4_proto %u want %u", name,
			     skel->bss->l4_proto, w->l4_proto);
		cr_expect_eq(skel->bss->l4_off, w->l4_off, "%s: l4_off %u want %u", name,
			     skel->bss->l4_off, w->l4_off);
		cr_expect_eq(skel->bss->srh_off, w->srh_off, "%s: srh_off %u want %u", name,
			     skel->bss->srh_off, w->srh_off);
		cr_expect_eq(skel->bss->rh_off, w->rh_off, "%s: rh_off", name);
		cr_expect_eq(skel->bss->sport, w->sport, "%s: sport", name);
		cr_expect_eq(skel->bss->dport, w->dport, "%s: dport", name);
		cr_expect_eq(skel->bss->frag, w->frag, "%s: frag %u want %u", name,
			     skel->bss->frag, w->frag);
		cr_expect_eq(skel->bss->dscp, w->dscp, "%s: dscp %u want %u", name,
			     skel->bss->dscp, w->dscp);
		cr_expect_eq(skel->bss->hop_limit, w->hop_limit, "%s: hop_limit", name);
	}
}

static const char *const segs2[] = { "fc00:3::d6", "fc00:2::10" };

TestSuite(parse, .init = setup, .fini = teardown);

Test(parse, ipv6_udp)
{
	struct pkt p;

	pkt_init(&p);
	pkt_eth(&p, MAC_A, MAC_B, ETH_P_IPV6);
	pkt_ipv6(&p, "2001:db8::1", "2001:db8::2", 64);
	pkt_ipv6_tc_fl(&p, 0xb8, 0x12345); /* DSCP 46 (EF) */
	pkt_udp(&p, 1000, 2000, "x", 1);
	pkt_finish(&p);
	expect_parse(&p, &(struct want){ .l3_proto = ETH_P_IPV6, .l4_proto = 17, .l4_off = 54,
					 .sport = 1000, .dport = 2000, .dscp = 46,
					 .hop_limit = 64 });
}

Test(parse, ipv6_srh_then_inner_ipv6)
{
	struct pkt p;

	pkt_init(&p);
	pkt_eth(&p, MAC_A, MAC_B, ETH_P_IPV6);
	pkt_ipv6(&p, "fc00:a::1", "fc00:2::10", 63);
	pkt_srh(&p, 1, 1, 0, 0, segs2, 2);
	pkt_ipv6(&p, "2001:db8::1", "2001:db8::2", 64);
	pkt_tcp(&p, 40000, 443, 0x02, NULL, 0);
	pkt_finish(&p);
	/* The chain stops at the SRH's next header (IPv6-in-IPv6 is the upper layer). */
	expect_parse(&p, &(struct want){ .l3_proto = ETH_P_IPV6, .l4_proto = 41,
					 .l4_off = 54 + 40, .srh_off = 54, .rh_off = 54,
					 .hop_limit = 63 });
}

Test(parse, ipv6_hbh_dstopts_srh_udp)
{
	struct pkt p;

	pkt_init(&p);
	pkt_eth(&p, MAC_A, MAC_B, ETH_P_IPV6);
	pkt_ipv6(&p, "fc00:a::1", "fc00:2::10", 64);
	pkt_exthdr(&p, 0, 8);
	pkt_exthdr(&p, 60, 16);
	pkt_srh(&p, 1, 1, 0, 7, segs2, 2);
	pkt_udp(&p, 5, 6, NULL, 0);
	pkt_finish(&p);
	expect_parse(&p, &(struct want){ .l3_proto = ETH_P_IPV6, .l4_proto = 17,
					 .l4_off = 54 + 8 + 16 + 40, .srh_off = 54 + 24,
					 .rh_off = 54 + 24, .sport = 5, .dport = 6,
					 .hop_limit = 64 });
}

Test(parse, routing_header_of_another_type_is_not_an_srh)
{
	struct pkt p;

	pkt_init(&p);
	pkt_eth(&p, MAC_A, MAC_B, ETH_P_IPV6);
	pkt_ipv6(&p, "fc00:a::1", "fc00:2::10", 64);
	pkt_rh(&p, 3, 1, 24);
	pkt_udp(&p, 5, 6, NULL, 0);
	pkt_finish(&p);
	expect_parse(&p, &(struct want){ .l3_proto = ETH_P_IPV6, .l4_proto = 17, .l4_off = 78,
					 .rh_off = 54, .sport = 5, .dport = 6, .hop_limit = 64 });
}

Test(parse, ipv6_fragments)
{
	struct pkt p;

	pkt_init(&p);
	pkt_eth(&p, MAC_A, MAC_B, ETH_P_IPV6);
	pkt_ipv6(&p, "2001:db8::1", "2001:db8::2", 64);
	pkt_frag(&p, 0, 1, 7);
	pkt_udp(&p, 1, 2, "abcdefgh", 8);
	pkt_finish(&p);
	expect_parse(&p, &(struct want){ .l3_proto = ETH_P_IPV6, .l4_proto = 17, .l4_off = 62,
					 .sport = 1, .dport = 2, .frag = 1, .hop_limit = 64 });

	pkt_init(&p);
	pkt_eth(&p, MAC_A, MAC_B, ETH_P_IPV6);
	pkt_ipv6(&p, "2001:db8::1", "2001:db8::2", 64);
	pkt_frag(&p, 100, 0, 7);
	pkt_udp(&p, 1, 2, "abcdefgh", 8);
	pkt_finish(&p);
	/* A later fragment has no transport header: no ports, l4_off 0. */
	expect_parse(&p, &(struct want){ .l3_proto = ETH_P_IPV6, .l4_proto = 17, .frag = 2,
					 .hop_limit = 64 });
}

Test(parse, ipv4_tcp_and_fragments)
{
	struct pkt p;

	pkt_init(&p);
	pkt_eth(&p, MAC_A, MAC_B, ETH_P_IP);
	pkt_ipv4(&p, "10.0.0.1", "10.1.2.3", 33, 0x28);
	pkt_tcp(&p, 1234, 80, 0x10, "data", 4);
	pkt_finish(&p);
	expect_parse(&p, &(struct want){ .l3_proto = ETH_P_IP, .l4_proto = 6, .l4_off = 34,
					 .sport = 1234, .dport = 80, .dscp = 10,
					 .hop_limit = 33 });

	pkt_ipv4_frag(&p, 0x0010); /* offset 16 units */
	pkt_finish(&p);
	expect_parse(&p, &(struct want){ .l3_proto = ETH_P_IP, .l4_proto = 6, .frag = 2,
					 .dscp = 10, .hop_limit = 33 });
}

Test(parse, not_ip_is_not_ours)
{
	struct pkt p;
	static const uint8_t arp[28] = { 0, 1, 8, 0, 6, 4, 0, 1 };

	pkt_init(&p);
	pkt_eth(&p, MAC_A, MAC_B, ETH_P_ARP);
	pkt_raw(&p, arp, sizeof(arp));
	pkt_finish(&p);
	expect_parse(&p, &(struct want){ .ret = 1 });
}

Test(parse, malformed)
{
	struct pkt p;

	/* Truncated IPv6 header. */
	pkt_init(&p);
	pkt_eth(&p, MAC_A, MAC_B, ETH_P_IPV6);
	pkt_ipv6(&p, "2001:db8::1", "2001:db8::2", 64);
	pkt_udp(&p, 1, 2, NULL, 0);
	pkt_finish(&p);
	p.len = 14 + 30;
	expect_parse(&p, &(struct want){ .ret = SR6_DROP_MALFORMED_IP6 });

	/* Payload length beyond the packet. */
	pkt_init(&p);
	pkt_eth(&p, MAC_A, MAC_B, ETH_P_IPV6);
	pkt_ipv6(&p, "2001:db8::1", "2001:db8::2", 64);
	pkt_udp(&p, 1, 2, "abcdefgh", 8);
	pkt_finish(&p);
	p.data[14 + 5] += 8;
	expect_parse(&p, &(struct want){ .ret = SR6_DROP_MALFORMED_IP6 });

	/* SRH whose Hdr Ext Len runs past the payload. */
	pkt_init(&p);
	pkt_eth(&p, MAC_A, MAC_B, ETH_P_IPV6);
	pkt_ipv6(&p, "fc00:a::1", "fc00:2::10", 64);
	pkt_srh(&p, 1, 1, 0, 0, segs2, 2);
	pkt_finish(&p);
	p.data[54 + 1] = 6;
	expect_parse(&p, &(struct want){ .ret = SR6_DROP_MALFORMED_EXTHDR });

	/* IPv4 total length beyond the packet, and a truncated UDP header. */
	pkt_init(&p);
	pkt_eth(&p, MAC_A, MAC_B, ETH_P_IP);
	pkt_ipv4(&p, "10.0.0.1", "10.1.2.3", 33, 0);
	pkt_udp(&p, 1, 2, NULL, 0);
	pkt_finish(&p);
	p.data[14 + 3] += 1;
	expect_parse(&p, &(struct want){ .ret = SR6_DROP_MALFORMED_IP4 });

	pkt_init(&p);
	pkt_eth(&p, MAC_A, MAC_B, ETH_P_IPV6);
	pkt_ipv6(&p, "2001:db8::1", "2001:db8::2", 64);
	pkt_raw(&p, "\x01\x02", 2);
	pkt_finish(&p);
	p.data[14 + 6] = 17;
	expect_parse(&p, &(struct want){ .ret = SR6_DROP_TRUNCATED_L4 });
}
