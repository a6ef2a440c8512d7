/* Compiler: the exact expression lists (as libnftnl prints them, the format of
 * "nft --debug=netlink") for each kind of match, statement and placement. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "nft-srv6/include/nftsrv6.h"

static char *compile(enum nftsrv6_family fam, const char *iface, const char *text)
{
	struct nftsrv6_config cfg = { .table = "sr6", .family = fam, .iface = iface };
	struct nftsrv6_batch *b;
	struct nftsrv6_error err;
	char *out = NULL;

	cr_assert_eq(nftsrv6_batch_new(&b), 0);
	cr_assert_eq(nftsrv6_batch_parse(b, text, 1, &err), 0, "'%s': %s", text, err.message);
	cr_assert_eq(nftsrv6_batch_check(&out, &cfg, b, &err), 0, "'%s': %s", text, err.message);
	nftsrv6_batch_free(b);
	return out;
}

static void expect(const char *text, const char *want)
{
	char *got = compile(NFTSRV6_FAMILY_INET, NULL, text);

	cr_expect_str_eq(got, want, "'%s' compiled to:\n%s", text, got);
	free(got);
}

#define GUARDS \
	"  [ meta load nfproto => reg 1 ]\n" \
	"  [ cmp eq reg 1 0x0000000a ]\n" \
	"  [ exthdr load ipv6 1b @ 43 + 2 => reg 1 ]\n" \
	"  [ cmp eq reg 1 0x00000004 ]\n"

Test(compile, guards_and_verdict)
{
	expect("add drop", "inet sr6 forward\n" GUARDS "  [ immediate reg 0 drop ]\n\n");
}

Test(compile, netdev_guard_and_chain_name)
{
	char *got = compile(NFTSRV6_FAMILY_NETDEV, "eth0", "add priority -10 accept");

	cr_expect_str_eq(got, "netdev sr6 ingress_eth0_m10\n"
			 "  [ meta load protocol => reg 1 ]\n"
			 "  [ cmp eq reg 1 0x0000dd86 ]\n"
			 "  [ exthdr load ipv6 1b @ 43 + 2 => reg 1 ]\n"
			 "  [ cmp eq reg 1 0x00000004 ]\n"
			 "  [ immediate reg 0 accept ]\n\n", "%s", got);
	free(got);
}

Test(compile, hooks_priorities_chains)
{
	expect("add hook prerouting priority 5 accept",
	       "inet sr6 prerouting_p5\n" GUARDS "  [ immediate reg 0 accept ]\n\n");
	expect("add chain web accept", "inet sr6 web\n" GUARDS "  [ immediate reg 0 accept ]\n\n");
}

Test(compile, outer_prefixes_and_ranges)
{
	/* like nft: /16 loads only the prefix's bytes, /20 masks the whole address; a
	 * range that is no prefix: range neq */
	expect("add saddr fc00::/16 saddr fc00::/20 daddr != fc00::1-fc00::5",
	       "inet sr6 forward\n" GUARDS
	       "  [ payload load 2b @ network header + 8 => reg 1 ]\n"
	       "  [ cmp eq reg 1 0x000000fc ]\n"
	       "  [ payload load 16b @ network header + 8 => reg 1 ]\n"
	       "  [ bitwise reg 1 = ( reg 1 & 0x00f0ffff 0x00000000 0x00000000 0x00000000 ) ^ "
	       "0x00000000 0x00000000 0x00000000 0x00000000 ]\n"
	       "  [ cmp eq reg 1 0x000000fc 0x00000000 0x00000000 0x00000000 ]\n"
	       "  [ payload load 16b @ network header + 24 => reg 1 ]\n"
	       "  [ range neq reg 1 0x000000fc 0x00000000 0x00000000 0x01000000 "
	       "0x000000fc 0x00000000 0x00000000 0x05000000 ]\n\n");
}

Test(compile, srh_fields_values_ranges_sets)
{
	expect("add segleft { 0, 2-4 } last-entry 3-9 flags != 0x08 tag 0x1234",
	       "set __set%d key 1 bytes anonymous constant interval\n"
	       "  element 0x00\n"
	       "  element 0x01 end\n"
	       "  element 0x02\n"
	       "  element 0x05 end\n"
	       "inet sr6 forward\n" GUARDS
	       "  [ exthdr load ipv6 1b @ 43 + 3 => reg 1 ]\n"
	       "  [ lookup reg 1 set __set%d ]\n"
	       "  [ exthdr load ipv6 1b @ 43 + 4 => reg 1 ]\n"
	       "  [ cmp gte reg 1 0x00000003 ]\n"
	       "  [ cmp lte reg 1 0x00000009 ]\n"
	       "  [ exthdr load ipv6 1b @ 43 + 5 => reg 1 ]\n"
	       "  [ cmp neq reg 1 0x00000008 ]\n"
	       "  [ exthdr load ipv6 2b @ 43 + 6 => reg 1 ]\n"
	       "  [ cmp eq reg 1 0x00003412 ]\n\n");
	/* an interval set that starts at 0 needs no leading end element; single values
	 * make a plain (hash) set; != inverts the lookup */
	expect("add tag != { 0x0000-0x0010, 0xffff }",
	       "set __set%d key 2 bytes anonymous constant interval\n"
	       "  element 0x0000\n"
	       "  element 0x0011 end\n"
	       "  element 0xffff\n"
	       "inet sr6 forward\n" GUARDS
	       "  [ exthdr load ipv6 2b @ 43 + 6 => reg 1 ]\n"
	       "  [ lookup reg 1 set __set%d 0x1 ]\n\n");
}

Test(compile, sid_positions)
{
	/* sid[0]: Hdr Ext Len covers one SID; sid[2]: Last Entry >= 2 too; sid[20]: past the
	 * exthdr reach, read at the network header behind ip6 nexthdr == routing */
	expect("add sid[0] fc00::1 sid[2] fc00::/64 sid[20] fc00::2",
	       "inet sr6 forward\n" GUARDS
	       "  [ exthdr load ipv6 1b @ 43 + 1 => reg 1 ]\n"
	       "  [ cmp gte reg 1 0x00000002 ]\n"
	       "  [ exthdr load ipv6 16b @ 43 + 8 => reg 1 ]\n"
	       "  [ cmp eq reg 1 0x000000fc 0x00000000 0x00000000 0x01000000 ]\n"
	       "  [ exthdr load ipv6 1b @ 43 + 4 => reg 1 ]\n"
	       "  [ cmp gte reg 1 0x00000002 ]\n"
	       "  [ exthdr load ipv6 1b @ 43 + 1 => reg 1 ]\n"
	       "  [ cmp gte reg 1 0x00000006 ]\n"
	       "  [ exthdr load ipv6 8b @ 43 + 40 => reg 1 ]\n"
	       "  [ cmp eq reg 1 0x000000fc 0x00000000 ]\n"
	       "  [ payload load 1b @ network header + 6 => reg 1 ]\n"
	       "  [ cmp eq reg 1 0x0000002b ]\n"
	       "  [ exthdr load ipv6 1b @ 43 + 4 => reg 1 ]\n"
	       "  [ cmp gte reg 1 0x00000014 ]\n"
	       "  [ exthdr load ipv6 1b @ 43 + 1 => reg 1 ]\n"
	       "  [ cmp gte reg 1 0x0000002a ]\n"
	       "  [ payload load 16b @ network header + 368 => reg 1 ]\n"
	       "  [ cmp eq reg 1 0x000000fc 0x00000000 0x00000000 0x02000000 ]\n\n");
}

Test(compile, inner_ipv6)
{
	expect("add inner saddr 2001:db8::/32 inner proto tcp inner dport 22",
	       "inet sr6 forward\n" GUARDS
	       "  [ payload load 4b @ transport header + 8 => reg 1 ]\n"
	       "  [ cmp eq reg 1 0xb80d0120 ]\n"
	       "  [ payload load 1b @ transport header + 6 => reg 1 ]\n"
	       "  [ cmp eq reg 1 0x00000006 ]\n"
	       "  [ payload load 2b @ transport header + 42 => reg 1 ]\n"
	       "  [ cmp eq reg 1 0x00001600 ]\n"
	       "  [ meta load l4proto => reg 1 ]\n"
	       "  [ cmp eq reg 1 0x00000029 ]\n\n");
}

Test(compile, inner_ipv4_ports_need_no_options_and_first_fragments)
{
	expect("add inner daddr 10.0.0.0/8 inner proto udp inner sport 1000-2000",
	       "inet sr6 forward\n" GUARDS
	       "  [ payload load 1b @ transport header + 16 => reg 1 ]\n"
	       "  [ cmp eq reg 1 0x0000000a ]\n"
	       "  [ payload load 1b @ transport header + 9 => reg 1 ]\n"
	       "  [ cmp eq reg 1 0x00000011 ]\n"
	       "  [ payload load 1b @ transport header + 0 => reg 1 ]\n"
	       "  [ cmp eq reg 1 0x00000045 ]\n"
	       "  [ payload load 2b @ transport header + 6 => reg 1 ]\n"
	       "  [ bitwise reg 1 = ( reg 1 & 0x0000ff1f ) ^ 0x00000000 ]\n"
	       "  [ cmp eq reg 1 0x00000000 ]\n"
	       "  [ payload load 2b @ transport header + 20 => reg 1 ]\n"
	       "  [ cmp gte reg 1 0x0000e803 ]\n"
	       "  [ cmp lte reg 1 0x0000d007 ]\n"
	       "  [ meta load l4proto => reg 1 ]\n"
	       "  [ cmp eq reg 1 0x00000004 ]\n\n");
}

Test(compile, statements)
{
	expect("add counter log prefix \"x \" group 3 limit rate over 10/minute burst 20 packets "
	       "log level debug limit rate 2/day jump web",
	       "inet sr6 forward\n" GUARDS
	       "  [ counter pkts 0 bytes 0 ]\n"
	       "  [ log prefix x  group 3 snaplen 0 qthreshold 0 ]\n"
	       "  [ limit rate 10/minute burst 20 type packets flags 0x1 ]\n"
	       "  [ log level 7 ]\n"
	       "  [ limit rate 2/day burst 5 type packets flags 0x0 ]\n"
	       "  [ immediate reg 0 jump -> web ]\n\n");
}

Test(compile, contains)
{
	char *got = compile(NFTSRV6_FAMILY_INET, NULL, "add contains fc00::1 contains { fc00::7, "
			    "fc00::9 } counter drop");
	char *p;
	size_t n = 0;

	/* the rule jumps to the first stage and holds nothing else */
	cr_expect(strstr(got, "inet sr6 forward\n" GUARDS
			 "  [ immediate reg 0 jump -> _sr6c1_1 ]\n\n") != NULL, "%s", got);
	/* stage 1, position 0, then 1: guards, the SID, goto the next stage */
	cr_expect(strstr(got, "inet sr6 _sr6c1_1\n"
			 "  [ exthdr load ipv6 1b @ 43 + 1 => reg 1 ]\n"
			 "  [ cmp gte reg 1 0x00000002 ]\n"
			 "  [ exthdr load ipv6 16b @ 43 + 8 => reg 1 ]\n"
			 "  [ cmp eq reg 1 0x000000fc 0x00000000 0x00000000 0x01000000 ]\n"
			 "  [ immediate reg 0 goto -> _sr6c1_2 ]\n\n"
			 "inet sr6 _sr6c1_1\n"
			 "  [ exthdr load ipv6 1b @ 43 + 4 => reg 1 ]\n"
			 "  [ cmp gte reg 1 0x00000001 ]\n"
			 "  [ exthdr load ipv6 1b @ 43 + 1 => reg 1 ]\n"
			 "  [ cmp gte reg 1 0x00000004 ]\n"
			 "  [ exthdr load ipv6 16b @ 43 + 24 => reg 1 ]\n") != NULL, "%s", got);
	/* a checkpoint: shorter lists leave the stage early */
	cr_expect(strstr(got, "inet sr6 _sr6c1_1\n"
			 "  [ exthdr load ipv6 1b @ 43 + 4 => reg 1 ]\n"
			 "  [ cmp lt reg 1 0x00000010 ]\n"
			 "  [ immediate reg 0 return ]\n\n") != NULL, "%s", got);
	/* the last position, read at the network header */
	cr_expect(strstr(got, "  [ payload load 16b @ network header + 2064 => reg 1 ]\n"
			 "  [ cmp eq reg 1 0x000000fc 0x00000000 0x00000000 0x01000000 ]\n"
			 "  [ immediate reg 0 goto -> _sr6c1_2 ]\n") != NULL, "%s", got);
	/* stage 2 looks up a named set shared by its 127 position rules */
	cr_expect(strstr(got, "set _sr6s1_2 key 16 bytes constant\n"
			 "  element 0xfc000000000000000000000000000007\n"
			 "  element 0xfc000000000000000000000000000009\n") != NULL, "%s", got);
	cr_expect(strstr(got, "  [ exthdr load ipv6 16b @ 43 + 8 => reg 1 ]\n"
			 "  [ lookup reg 1 set _sr6s1_2 ]\n"
			 "  [ immediate reg 0 goto -> _sr6b1 ]\n") != NULL, "%s", got);
	cr_expect(strstr(got, "inet sr6 _sr6b1\n"
			 "  [ counter pkts 0 bytes 0 ]\n"
			 "  [ immediate reg 0 drop ]\n") != NULL, "%s", got);
	for (p = got; (p = strstr(p, "inet sr6 _sr6c1_1\n")); p++)
		n++;
	cr_expect_eq(n, 127u + 5u, "stage 1 has %zu rules", n);
	free(got);
}

/* "nft list ruleset" (1.0.6) asserts on a ranged, masked or set @th match after
 * "meta l4proto": every transport-header load must come before it. */
Test(compile, l4proto_after_every_transport_header_load)
{
	static const char *const rules[] = {
		"add inner proto ipv6 inner proto { tcp, udp } inner dport { 80, 1000-2000 }",
		"add inner saddr 10.0.0.0/9 inner proto tcp inner sport != 1-1023",
		"add inner daddr { 2001:db8::/33, 2001:db9::1 } inner proto != icmpv6",
	};
	size_t i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		char *got = compile(NFTSRV6_FAMILY_INET, NULL, rules[i]);
		const char *l4 = strstr(got, "meta load l4proto");
		const char *th = strstr(got, "transport header"), *last = NULL;

		cr_assert_not_null(l4, "%s", got);
		for (; th; th = strstr(th + 1, "transport header"))
			last = th;
		cr_expect(last && last < l4, "%s", got);
		free(got);
	}
}

/* The structured entry point for callers that keep placement apart from the rule. */
Test(compile, batch_add_with_a_place)
{
	struct nftsrv6_config cfg = { .table = "sr6", .family = NFTSRV6_FAMILY_INET };
	struct nftsrv6_place pre = { .hook = "prerouting", .priority = -10 };
	struct nftsrv6_place web = { .chain = "web" }, bad = { .hook = "sideways" };
	struct nftsrv6_batch *b;
	struct nftsrv6_rule *r;
	struct nftsrv6_error err;
	char *out = NULL;

	cr_assert_eq(nftsrv6_rule_parse(&r, "segleft 9 counter", &err), 0);
	cr_assert_eq(nftsrv6_batch_new(&b), 0);
	cr_assert_eq(nftsrv6_batch_add(b, &pre, r, &err), 0);
	cr_assert_eq(nftsrv6_batch_add(b, &web, r, &err), 0);
	cr_assert_eq(nftsrv6_batch_add(b, NULL, r, &err), 0);
	cr_assert_eq(nftsrv6_batch_add(b, &bad, r, &err), -1);
	cr_assert_str_eq(err.token, "sideways");
	nftsrv6_rule_free(r);   /* the batch keeps its own copies */
	cr_assert_eq(nftsrv6_batch_count(b), 3u);
	cr_assert_eq(nftsrv6_batch_check(&out, &cfg, b, &err), 0);
	cr_expect(strstr(out, "inet sr6 prerouting_m10\n") && strstr(out, "inet sr6 web\n") &&
		  strstr(out, "inet sr6 forward\n"), "%s", out);
	free(out);
	nftsrv6_batch_free(b);
}
