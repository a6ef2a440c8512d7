/*
 * policy_errors_test: one test per kind of mistake in a policy file.  Each asserts the exact
 * report: file:line:col, the field, the message, and that nothing else is reported.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "agent/tests/testenv.h"

/* Lines 1-5 of every document below. */
#define HEAD	"apiVersion: sr6/v1\n"		\
		"node:\n"			\
		"  name: n1\n"			\
		"  locator: fc00:1::/48\n"	\
		"  source: fc00:1::1\n"
/* The same 5 lines for documents with SIDs: their routes need an interface. */
#define SIDHEAD	"apiVersion: sr6/v1\n"		\
		"node:\n"			\
		"  name: n1\n"			\
		"  locator: fc00:1::/48\n"	\
		"  interfaces: [{ name: eth0, attach: none }]\n"
/* A policy "p" on lines 6-9 for the steering tests. */
#define POLICY	"policies:\n"			\
		"  - name: p\n"			\
		"    paths:\n"			\
		"      - { segments: [\"fc00:2::1\"] }\n"

static void expect(const char *yaml, const char *want)
{
	size_t n, lines = 0;
	char *got = test_errors(yaml, &n);
	const char *c;

	for (c = want; *c; c++)
		lines += *c == '\n';
	cr_expect_str_eq(got, want, "got:\n%s", got);
	cr_expect_eq(n, lines, "%zu errors reported, %zu expected", n, lines);
	free(got);
}

Test(errors, valid_file_has_none)
{
	expect(HEAD POLICY "steering:\n  - { match: { dst: \"2001:db8::/32\" }, policy: p }\n", "");
}

Test(errors, empty_file)
{
	expect("", "t.yaml:1:1: the file is empty: a policy starts with \"apiVersion: sr6/v1\"\n");
}

Test(errors, yaml_syntax)
{
	expect(SIDHEAD "sids: [ { sid: \"fc00:1::1\", behavior: End }\n",
	       "t.yaml:7:1: YAML syntax error: did not find expected ',' or ']' while parsing a "
	       "flow sequence\n");
}

Test(errors, api_version)
{
	expect("apiVersion: sr6/v2\nnode: { name: n }\n",
	       "t.yaml:1:13: apiVersion: \"sr6/v2\" is not supported (this agent reads \"sr6/v1\")\n");
}

Test(errors, missing_key)
{
	expect("apiVersion: sr6/v1\n",
	       "t.yaml:1:1: missing key \"node\"\n");
}

Test(errors, unknown_key)
{
	expect(HEAD "  colour: red\n",
	       "t.yaml:6:3: node.colour: unknown key (expected one of: name, locator, source, "
	       "interfaces, hop_limit, fib_cache)\n");
}

Test(errors, duplicate_key)
{
	expect(HEAD "  name: n2\n", "t.yaml:6:3: node.name: duplicate key\n");
}

Test(errors, wrong_type_mapping)
{
	expect(SIDHEAD "sids: { sid: \"fc00:1::1\" }\n",
	       "t.yaml:6:7: sids: expected a sequence, got a mapping\n");
}

Test(errors, wrong_type_integer)
{
	expect(HEAD "  hop_limit: \"64\"\n",
	       "t.yaml:6:14: node.hop_limit: expected an integer, got the string \"64\"\n");
}

Test(errors, integer_out_of_range)
{
	expect(HEAD "  hop_limit: 300\n", "t.yaml:6:14: node.hop_limit: must be 1..255, got 300\n");
}

Test(errors, bad_address)
{
	expect(SIDHEAD "sids:\n  - { sid: \"fc00:1::g\", behavior: End }\n",
	       "t.yaml:7:12: sids[0].sid: \"fc00:1::g\": not a valid IPv6 address\n");
}

Test(errors, bad_prefix_host_bits)
{
	expect("apiVersion: sr6/v1\nnode: { name: n, locator: \"fc00:1::1/48\" }\n",
	       "t.yaml:2:27: node.locator: \"fc00:1::1/48\": host bits are set after the prefix "
	       "length (did you mean fc00:1::/48?)\n");
}

Test(errors, bad_prefix_length)
{
	expect(HEAD POLICY "steering:\n  - { match: { dst: \"10.0.0.0/33\" }, policy: p }\n",
	       "t.yaml:11:21: steering[0].match.dst: \"10.0.0.0/33\": prefix length must be 0..32\n");
}

Test(errors, sid_outside_locator)
{
	expect(SIDHEAD "sids:\n  - { sid: \"fc00:2::10\", behavior: End }\n",
	       "t.yaml:7:12: sids[0].sid: fc00:2::10 is outside the node's locator fc00:1::/48\n");
}

Test(errors, duplicate_sid)
{
	expect(SIDHEAD "sids:\n"
	       "  - { sid: \"fc00:1::10\", behavior: End }\n"
	       "  - { sid: \"fc00:1::10\", behavior: End.DT6, table: main }\n",
	       "t.yaml:8:12: sids[1].sid: duplicate SID fc00:1::10 (first at sids[0], line 7)\n");
}

Test(errors, unknown_behavior)
{
	expect(SIDHEAD "sids:\n  - { sid: \"fc00:1::10\", behavior: End.B6 }\n",
	       "t.yaml:7:36: sids[0].behavior: unknown behavior \"End.B6\" (expected one of: End, "
	       "End.X, End.T, End.DX6, End.DX4, End.DT6, End.BPF)\n");
}

Test(errors, behavior_needs_field)
{
	expect(SIDHEAD "sids:\n  - { sid: \"fc00:1::11\", behavior: End.X }\n",
	       "t.yaml:7:36: sids[0]: End.X needs \"nexthop\" (the IPv6 next hop)\n");
}

Test(errors, field_not_used_by_behavior)
{
	expect(SIDHEAD "sids:\n  - { sid: \"fc00:1::10\", behavior: End, table: 10 }\n",
	       "t.yaml:7:48: sids[0].table: not used by End\n");
}

Test(errors, link_local_needs_interface)
{
	expect(SIDHEAD "sids:\n  - { sid: \"fc00:1::11\", behavior: End.X, nexthop: \"fe80::1\" }\n",
	       "t.yaml:7:52: sids[0].nexthop: a link-local next hop needs \"interface\"\n");
}

Test(errors, unknown_function)
{
	expect(SIDHEAD "sids:\n  - { sid: \"fc00:1::f1\", behavior: End.BPF, function: counter }\n",
	       "t.yaml:7:55: sids[0].function: unknown function \"counter\" (expected one of: "
	       "count, tag-acl, delay, ratelimit)\n");
}

Test(errors, too_many_sids_for_a_function)
{
	size_t size = 4200 * 80, off;
	char *yaml = malloc(size);
	int i;

	cr_assert_not_null(yaml);
	off = (size_t)snprintf(yaml, size, "%s", SIDHEAD "sids:\n");
	for (i = 0; i <= SR6_FN_MAX_SIDS; i++)
		off += (size_t)snprintf(yaml + off, size - off, "  - { sid: \"fc00:1::%x\", "
					"behavior: End.BPF, function: count }\n", 0x1000 + i);
	expect(yaml, "t.yaml:4103:57: sids[4096].function: more than 4096 SIDs use count (its "
	       "maps hold 4096)\n");
	free(yaml);
}

Test(errors, unknown_param)
{
	expect(SIDHEAD "sids:\n  - { sid: \"fc00:1::f2\", behavior: End.BPF, function: tag-acl,\n"
	       "      params: { allow: [7], colour: [9] } }\n",
	       "t.yaml:8:29: sids[0].params.colour: unknown parameter of tag-acl (expected: allow, "
	       "deny, default)\n");
}

Test(errors, param_out_of_range)
{
	expect(SIDHEAD "sids:\n  - { sid: \"fc00:1::f2\", behavior: End.BPF, function: tag-acl,\n"
	       "      params: { allow: [7, 70000] } }\n",
	       "t.yaml:8:28: sids[0].params.allow[1]: must be 0..65535, got 70000\n");
}

Test(errors, missing_param)
{
	expect(SIDHEAD "sids:\n  - { sid: \"fc00:1::f3\", behavior: End.BPF, function: ratelimit }\n",
	       "t.yaml:7:55: sids[0]: ratelimit needs the parameter \"rate\" (units per second)\n");
}

Test(errors, param_enum)
{
	expect(SIDHEAD "sids:\n  - { sid: \"fc00:1::f4\", behavior: End.BPF, function: delay,\n"
	       "      params: { mode: sometimes } }\n",
	       "t.yaml:8:23: sids[0].params.mode: \"sometimes\": expected one of: auto, write, read\n");
}

Test(errors, tag_acl_needs_tags)
{
	expect(SIDHEAD "sids:\n  - { sid: \"fc00:1::f2\", behavior: End.BPF, function: tag-acl }\n",
	       "t.yaml:7:55: sids[0]: tag-acl needs \"allow\" or \"deny\" (a list of SRH tags)\n");
}

Test(errors, empty_segment_list)
{
	expect(HEAD "segment_lists:\n  a: []\n",
	       "t.yaml:7:6: segment_lists.a: empty segment list: at least one SID is needed\n");
}

Test(errors, too_many_segments)
{
	expect(HEAD "segment_lists:\n  a: [\"fc00::1\", \"fc00::2\", \"fc00::3\", \"fc00::4\", "
	       "\"fc00::5\", \"fc00::6\", \"fc00::7\", \"fc00::8\", \"fc00::9\", \"fc00::a\", "
	       "\"fc00::b\", \"fc00::c\", \"fc00::d\", \"fc00::e\", \"fc00::f\", \"fc00::10\", "
	       "\"fc00::11\"]\n",
	       "t.yaml:7:6: segment_lists.a: 17 SIDs: at most 16\n");
}

Test(errors, segment_not_unicast)
{
	expect(HEAD "segment_lists:\n  a: [\"ff02::1\"]\n",
	       "t.yaml:7:7: segment_lists.a[0]: ff02::1 is not a unicast address: a SID must be "
	       "one\n");
}

Test(errors, weight_zero)
{
	expect(HEAD "policies:\n  - name: p\n    paths:\n"
	       "      - { segments: [\"fc00:2::1\"], weight: 0 }\n",
	       "t.yaml:9:44: policies[0].paths[0].weight: must be 1..65535, got 0\n");
}

Test(errors, weights_too_large)
{
	expect(HEAD "policies:\n  - name: p\n    paths:\n"
	       "      - { segments: [\"fc00:2::1\"], weight: 40000 }\n"
	       "      - { segments: [\"fc00:2::2\"], weight: 40000 }\n",
	       "t.yaml:9:7: policies[0].paths: the weights add up to 80000: at most 65535\n");
}

Test(errors, too_many_paths)
{
	expect(HEAD "segment_lists:\n  a: [\"fc00:2::1\"]\n"
	       "policies:\n  - name: p\n    paths: [{ segments: a }, { segments: a }, "
	       "{ segments: a }, { segments: a }, { segments: a }, { segments: a }, "
	       "{ segments: a }, { segments: a }, { segments: a }]\n",
	       "t.yaml:10:149: policies[0].paths: 9 paths: at most 8\n");
}

Test(errors, dangling_segment_list)
{
	expect(HEAD "policies:\n  - { name: p, paths: [{ segments: nowhere }] }\n",
	       "t.yaml:7:36: policies[0].paths[0].segments: no segment list named \"nowhere\" in "
	       "segment_lists\n");
}

Test(errors, duplicate_policy)
{
	expect(HEAD POLICY "  - { name: p, paths: [{ segments: [\"fc00:2::2\"] }] }\n",
	       "t.yaml:10:13: policies[1].name: duplicate policy name \"p\" (first at policies[0], "
	       "line 7)\n");
}

Test(errors, no_outer_source)
{
	expect("apiVersion: sr6/v1\nnode: { name: n }\n" POLICY,
	       "t.yaml:4:5: policies[0]: no outer source address: set node.source or this "
	       "policy's source\n");
}

Test(errors, dangling_policy)
{
	expect(HEAD POLICY "steering:\n  - { match: { dst: \"2001:db8::/32\" }, policy: q }\n",
	       "t.yaml:11:48: steering[0].policy: no policy named \"q\" in policies\n");
}

Test(errors, same_match_and_priority)
{
	expect(HEAD POLICY "steering:\n"
	       "  - { match: { dst: \"2001:db8::/32\", dport: 80 }, policy: p, priority: 5 }\n"
	       "  - { match: { dst: \"2001:db8::/32\", dport: 80 }, policy: p, priority: 5 }\n",
	       "t.yaml:12:14: steering[1].match: same match and priority as steering[0] (line 11): "
	       "the second rule could never apply\n");
}

Test(errors, family_mismatch)
{
	expect(HEAD POLICY "steering:\n"
	       "  - { match: { dst: \"10.0.0.0/8\", src: \"2001:db8::/32\" }, policy: p }\n",
	       "t.yaml:11:40: steering[0].match.src: src and dst must be of the same family\n");
}

Test(errors, ports_need_transport)
{
	expect(HEAD POLICY "steering:\n"
	       "  - { match: { dst: \"10.0.0.0/8\", proto: icmp, dport: 7 }, policy: p }\n",
	       "t.yaml:11:42: steering[0].match.proto: ports are matched for tcp, udp and sctp "
	       "only\n");
}

Test(errors, bad_port_range)
{
	expect(HEAD POLICY "steering:\n"
	       "  - { match: { dst: \"10.0.0.0/8\", dport: \"90-80\" }, policy: p }\n",
	       "t.yaml:11:42: steering[0].match.dport: \"90-80\": ports are 0..65535 and a range is "
	       "low-high\n");
}

Test(errors, too_many_rules_for_a_destination)
{
	char yaml[8192];
	size_t off;
	int i;

	off = (size_t)snprintf(yaml, sizeof(yaml), "%s", HEAD POLICY "steering:\n");
	for (i = 0; i < 33; i++)
		off += (size_t)snprintf(yaml + off, sizeof(yaml) - off,
					"  - { match: { dst: \"2001:db8::/%d\" }, policy: p }\n", 32 + i);
	expect(yaml, "t.yaml:43:21: steering[32].match.dst: 33 rules apply to destinations in "
	       "2001:db8::/64 (its own and those of covering prefixes): at most 32\n");
}

Test(errors, sids_need_an_interface)
{
	expect(HEAD "sids:\n  - { sid: \"fc00:1::10\", behavior: End }\n",
	       "t.yaml:3:3: node: missing key \"interfaces\": the seg6local routes of the SIDs need "
	       "a device (list one; attach: none keeps sr6 off it)\n");
}

Test(errors, unknown_interface)
{
	expect(HEAD "  interfaces: [{ name: wan7 }]\n",
	       "t.yaml:6:24: node.interfaces[0].name: no interface named \"wan7\" on this node\n");
}

Test(errors, alias_not_supported)
{
	expect(HEAD "segment_lists:\n  a: &x [\"fc00:2::1\"]\n  b: *x\n",
	       "t.yaml:8:6: segment_lists.b: YAML aliases (*name) are not supported: write the "
	       "value out\n");
}

Test(errors, every_error_is_reported)
{
	size_t n;
	char *got = test_errors(HEAD "  colour: red\n  interfaces: [{ name: eth0, attach: none }]\n"
				"sids:\n  - { sid: \"fc00:2::1\", behavior: End }\n"
				"policies:\n  - { name: p, paths: [{ segments: x, weight: 0 }] }\n"
				"steering:\n  - { match: { dst: \"10.0.0.1/8\" }, policy: q }\n", &n);

	cr_expect_eq(n, 6, "6 errors, got %zu:\n%s", n, got);
	cr_expect(strstr(got, "t.yaml:6:3: node.colour") != NULL, "%s", got);
	cr_expect(strstr(got, "t.yaml:9:12: sids[0].sid") != NULL, "%s", got);
	cr_expect(strstr(got, "t.yaml:11:36: policies[0].paths[0].segments") != NULL, "%s", got);
	cr_expect(strstr(got, "t.yaml:11:47: policies[0].paths[0].weight") != NULL, "%s", got);
	cr_expect(strstr(got, "t.yaml:13:21: steering[0].match.dst") != NULL, "%s", got);
	cr_expect(strstr(got, "t.yaml:13:45: steering[0].policy") != NULL, "%s", got);
	free(got);
}
