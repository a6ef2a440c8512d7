/*
 * pktbuild_test: the test packet builder against packets scapy 2.5 built for the same fields
 * (lengths, next headers and checksums must match byte for byte).
 */
#include <criterion/criterion.h>
#include <linux/if_ether.h>
#include <stdio.h>
#include <string.h>

#include "selftests/lib/pktbuild.h"

#define MAC_A "02:00:00:00:00:0a"
#define MAC_B "02:00:00:00:00:0b"

static size_t unhex(uint8_t *out, const char *hex)
{
	size_t n = 0;
	unsigned int b;

	while (hex[0] && hex[1] && sscanf(hex, "%2x", &b) == 1) {
		out[n++] = (uint8_t)b;
		hex += 2;
	}
	return n;
}

static void expect_bytes(const struct pkt *p, const char *hex)
{
	uint8_t want[512];
	size_t n = unhex(want, hex);

	cr_assert(p->len == n && memcmp(p->data, want, n) == 0, "%s",
		  pkt_diff(p->data, p->len, want, n));
}

Test(pktbuild, srh_inner_ipv6_udp)
{
	static const char *const segs[] = { "fc00:3::d6", "fc00:2::10" };
	struct pkt p;

	pkt_init(&p);
	pkt_eth(&p, MAC_A, MAC_B, ETH_P_IPV6);
	pkt_ipv6(&p, "fc00:a::1", "fc00:2::10", 64);
	pkt_srh(&p, 1, 1, 0, 7, segs, 2);
	pkt_ipv6(&p, "2001:db8::1", "2001:db8::2", 63);
	pkt_udp(&p, 1000, 2000, "hello", 5);
	pkt_finish(&p);
	expect_bytes(&p, "02000000000a02000000000b86dd60000000005d2b40fc00000a000000000000000000000001"
			 "fc0000020000000000000000000000102904040101000007fc00000300000000000000000000"
			 "00d6fc00000200000000000000000000001060000000000d113f20010db80000000000000000"
			 "0000000120010db800000000000000000000000203e807d0000d54d568656c6c6f");
}

Test(pktbuild, srh_inner_ipv4_tcp)
{
	static const char *const segs[] = { "fc00:3::d6" };
	struct pkt p;

	pkt_init(&p);
	pkt_eth(&p, MAC_A, MAC_B, ETH_P_IPV6);
	pkt_ipv6(&p, "fc00:a::1", "fc00:2::10", 64);
	pkt_srh(&p, 0, 0, 0, 0, segs, 1);
	pkt_ipv4(&p, "10.0.0.1", "10.1.2.3", 33, 0);
	pkt_tcp(&p, 1234, 80, 0x10, "data", 4);
	pkt_finish(&p);
	expect_bytes(&p, "02000000000a02000000000b86dd6000000000442b40fc00000a000000000000000000000001"
			 "fc0000020000000000000000000000100402040000000000fc00000300000000000000000000"
			 "00d64500002c00004000210643c80a0000010a01020304d2005000000001000000005010ffff"
			 "bbe6000064617461");
}

Test(pktbuild, icmp_echo_v6_and_v4)
{
	struct pkt p;

	pkt_init(&p);
	pkt_eth(&p, MAC_A, MAC_B, ETH_P_IPV6);
	pkt_ipv6(&p, "2001:db8::1", "2001:db8::2", 64);
	pkt_icmp6_echo(&p, 5, 9, "ping", 4);
	pkt_finish(&p);
	expect_bytes(&p, "02000000000a02000000000b86dd60000000000c3a4020010db800000000000000000000000120"
			 "010db8000000000000000000000002800045650005000970696e67");

	pkt_init(&p);
	pkt_eth(&p, MAC_A, MAC_B, ETH_P_IP);
	pkt_ipv4(&p, "10.0.0.1", "10.1.2.3", 33, 0);
	pkt_icmp4_echo(&p, 5, 9, "ping", 4);
	pkt_finish(&p);
	expect_bytes(&p, "02000000000a02000000000b08004500002000004000210143d90a0000010a010203080019210005"
			 "000970696e67");
}

Test(pktbuild, diff_names_the_first_difference)
{
	static const uint8_t a[] = { 1, 2, 3, 4 }, b[] = { 1, 2, 9, 4 };

	cr_assert_str_eq(pkt_diff(a, 4, a, 4), "identical");
	cr_assert(strstr(pkt_diff(a, 4, b, 4), "first difference at byte 2") != NULL);
}
