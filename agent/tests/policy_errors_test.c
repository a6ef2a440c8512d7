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
	       "interfaces, hop_limit, fib_cache, hash_seed)\n");
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
	expect(HEAD "  hop_limit: 300\n",
	       "t.yaml:6:14: node.hop_limit: must be 1..255, got 300\n");
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

/* ---------------------------------------------------------------------------------------- */
/* Every other check of the schema, one test each.                                          */

Test(errors, too_many_locators)
{
	char yaml[2048];
	size_t off;
	int i;

	off = (size_t)snprintf(yaml, sizeof(yaml), "apiVersion: sr6/v1\nnode:\n  name: n1\n"
			       "  locator:\n");
	for (i = 0; i <= POLICY_MAX_LOCATORS; i++)
		off += (size_t)snprintf(yaml + off, sizeof(yaml) - off, "    - \"fc00:%x::/48\"\n",
					i + 1);
	expect(yaml, "t.yaml:5:5: node.locator: at most 16 locators\n");
}

Test(errors, node_source_not_unicast)
{
	expect("apiVersion: sr6/v1\nnode: { name: n1, source: \"ff02::1\" }\n",
	       "t.yaml:2:27: node.source: the outer source must be a unicast address\n");
}

Test(errors, interface_listed_twice)
{
	expect(HEAD "  interfaces: [{ name: eth0 }, { name: eth0, attach: tc }]\n",
	       "t.yaml:6:40: node.interfaces[1].name: interface eth0 is listed twice (first "
	       "at line 6)\n");
}

Test(errors, interface_name_invalid)
{
	expect(HEAD "  interfaces: [{ name: a-very-long-interface-name }]\n",
	       "t.yaml:6:24: node.interfaces[0].name: \"a-very-long-interface-name\" is not a "
	       "valid interface name\n");
}

Test(errors, interface_without_name)
{
	expect(HEAD "  interfaces: [{ attach: tc }]\n",
	       "t.yaml:6:16: node.interfaces[0]: missing key \"name\"\n");
}

Test(errors, node_without_name)
{
	expect("apiVersion: sr6/v1\nnode: { locator: \"fc00:1::/48\" }\n",
	       "t.yaml:2:7: node: missing key \"name\"\n");
}

Test(errors, missing_api_version)
{
	expect("node: { name: n1 }\n",
	       "t.yaml:1:1: missing key \"apiVersion\" (write \"apiVersion: sr6/v1\")\n");
}

Test(errors, name_too_long)
{
	expect("apiVersion: sr6/v1\nnode: { name: "
	       "n123456789012345678901234567890123456789012345678901234567890123 }\n",
	       "t.yaml:2:15: node.name: a name must have 1..63 characters\n");
}

Test(errors, name_bad_character)
{
	expect("apiVersion: sr6/v1\nnode: { name: \"n 1\" }\n",
	       "t.yaml:2:15: node.name: \"n 1\": a name may use only letters, digits, '-', '_' "
	       "and '.'\n");
}

Test(errors, hash_seed_range)
{
	expect(HEAD "  hash_seed: 4294967296\n",
	       "t.yaml:6:14: node.hash_seed: must be 0..4294967295, got 4294967296\n");
	expect(HEAD "  hash_seed: -1\n",
	       "t.yaml:6:14: node.hash_seed: expected an integer, got \"-1\"\n");
}

Test(errors, boolean_expected)
{
	expect(HEAD "  fib_cache: yes\n",
	       "t.yaml:6:14: node.fib_cache: expected true or false, got \"yes\"\n");
}

Test(errors, missing_value)
{
	expect(HEAD "  hop_limit:\n", "t.yaml:6:13: node.hop_limit: missing value\n");
}

Test(errors, value_with_nul)
{
	expect("apiVersion: sr6/v1\nnode: { name: \"n\\0\" }\n",
	       "t.yaml:2:15: node.name: the value contains a NUL character\n");
}

Test(errors, key_not_a_name)
{
	expect(HEAD "  [a]: 1\n", "t.yaml:6:3: node: mapping keys must be plain names\n");
}

Test(errors, two_documents)
{
	expect(HEAD "---\napiVersion: sr6/v1\n",
	       "t.yaml:6:1: only one YAML document is allowed in a policy file\n");
}

Test(errors, sid_without_sid_and_behavior)
{
	expect(SIDHEAD "sids:\n  - { table: 10 }\n",
	       "t.yaml:7:5: sids[0]: missing key \"sid\"\nt.yaml:7:5: sids[0]: missing key "
	       "\"behavior\"\n");
}

Test(errors, sids_need_a_locator)
{
	expect("apiVersion: sr6/v1\nnode:\n  name: n1\n  interfaces: [{ name: eth0, attach: none }]\n"
	       "sids:\n  - { sid: \"fc00:1::10\", behavior: End }\n",
	       "t.yaml:3:3: node: missing key \"locator\": SIDs must be inside the node's "
	       "locator\n");
}

Test(errors, nexthop_not_an_address)
{
	expect(SIDHEAD "sids:\n  - { sid: \"fc00:1::d6\", behavior: End.DX6, nexthop: gateway }\n",
	       "t.yaml:7:54: sids[0].nexthop: \"gateway\": not a valid IPv6 or IPv4 address\n");
}

Test(errors, dx6_needs_ipv6_nexthop)
{
	expect(SIDHEAD "sids:\n  - { sid: \"fc00:1::d6\", behavior: End.DX6, nexthop: \"10.0.0.1\" }\n",
	       "t.yaml:7:54: sids[0].nexthop: End.DX6 needs an IPv6 next hop\n");
}

Test(errors, dx4_needs_ipv4_nexthop)
{
	expect(SIDHEAD "sids:\n  - { sid: \"fc00:1::d4\", behavior: End.DX4, nexthop: \"2001:db8::1\" }\n",
	       "t.yaml:7:54: sids[0].nexthop: End.DX4 needs an IPv4 next hop\n");
}

Test(errors, bad_table)
{
	expect(SIDHEAD "sids:\n  - { sid: \"fc00:1::d6\", behavior: End.DT6, table: 0 }\n",
	       "t.yaml:7:52: sids[0].table: \"0\": expected a table number 1..4294967295, "
	       "\"main\" or \"local\"\n");
}

Test(errors, unknown_nexthop_interface)
{
	expect(SIDHEAD "sids:\n  - { sid: \"fc00:1::11\", behavior: End.X, nexthop: \"fe80::1\", "
	       "interface: wan7 }\n",
	       "t.yaml:7:74: sids[0].interface: no interface named \"wan7\" on this node\n");
}

Test(errors, unknown_flavor)
{
	expect(SIDHEAD "sids:\n  - { sid: \"fc00:1::10\", behavior: End, flavors: [fast] }\n",
	       "t.yaml:7:51: sids[0].flavors[0]: unknown flavor \"fast\" (expected one of: psp, "
	       "usp, usd, next-csid)\n");
}

Test(errors, flavor_usp_refused)
{
	expect(SIDHEAD "sids:\n  - { sid: \"fc00:1::10\", behavior: End, flavors: [usp] }\n",
	       "t.yaml:7:50: sids[0].flavors: usp and usd are not supported (the kernel "
	       "refuses them)\n");
}

Test(errors, psp_on_end_only)
{
	expect(SIDHEAD "sids:\n  - { sid: \"fc00:1::11\", behavior: End.X, nexthop: \"2001:db8::1\", "
	       "flavors: [psp] }\n",
	       "t.yaml:7:76: sids[0].flavors: psp is supported on End only\n");
}

Test(errors, psp_with_next_csid)
{
	expect(SIDHEAD "sids:\n  - { sid: \"fc00:1::10\", behavior: End, flavors: [psp, next-csid] }\n",
	       "t.yaml:7:50: sids[0].flavors: psp and next-csid cannot be combined\n");
}

Test(errors, csid_bits_without_next_csid)
{
	expect(SIDHEAD "sids:\n  - { sid: \"fc00:1::10\", behavior: End, block_bits: 32 }\n",
	       "t.yaml:7:53: sids[0].block_bits: only used with the next-csid flavor\n");
}

Test(errors, csid_bits_not_whole_bytes)
{
	expect(SIDHEAD "sids:\n  - { sid: \"fc00:1::10\", behavior: End, flavors: [next-csid], "
	       "block_bits: 30, node_function_bits: 12 }\n",
	       "t.yaml:7:75: sids[0].block_bits: must be a multiple of 8\nt.yaml:7:99: "
	       "sids[0].node_function_bits: must be a multiple of 8\n");
}

Test(errors, csid_bits_too_many)
{
	expect(SIDHEAD "sids:\n  - { sid: \"fc00:1::10\", behavior: End, flavors: [next-csid], "
	       "block_bits: 96, node_function_bits: 40 }\n",
	       "t.yaml:7:50: sids[0].flavors: block_bits + node_function_bits must be at most "
	       "128\n");
}

Test(errors, function_takes_no_params)
{
	expect(SIDHEAD "sids:\n  - { sid: \"fc00:1::f1\", behavior: End.BPF, function: count, "
	       "params: { rate: 1 } }\n",
	       "t.yaml:7:72: sids[0].params.rate: count takes no parameters\n");
}

Test(errors, param_duplicate_key)
{
	expect(SIDHEAD "sids:\n  - { sid: \"fc00:1::f4\", behavior: End.BPF, function: ratelimit, "
	       "params: { rate: 1, rate: 2 } }\n",
	       "t.yaml:7:85: sids[0].params.rate: duplicate key\n");
}

Test(errors, param_list_for_one_value)
{
	expect(SIDHEAD "sids:\n  - { sid: \"fc00:1::f4\", behavior: End.BPF, function: ratelimit, "
	       "params: { rate: [1, 2] } }\n",
	       "t.yaml:7:82: sids[0].params.rate: expected one value, got a list\n");
}

Test(errors, param_one_value_for_a_list)
{
	expect(SIDHEAD "sids:\n  - { sid: \"fc00:1::f2\", behavior: End.BPF, function: tag-acl, "
	       "params: { allow: 7 } }\n",
	       "t.yaml:7:81: sids[0].params.allow: expected a list of 1..8 integers\n");
}

Test(errors, param_not_an_integer)
{
	expect(SIDHEAD "sids:\n  - { sid: \"fc00:1::f4\", behavior: End.BPF, function: ratelimit, "
	       "params: { rate: fast } }\n",
	       "t.yaml:7:82: sids[0].params.rate: expected an integer, got \"fast\"\n");
}

Test(errors, param_not_a_boolean)
{
	expect(SIDHEAD "sids:\n  - { sid: \"fc00:1::f3\", behavior: End.BPF, function: delay, "
	       "params: { pop: 1 } }\n",
	       "t.yaml:7:77: sids[0].params.pop: expected true or false, got \"1\"\n");
}

Test(errors, tag_acl_too_many_tags)
{
	expect(SIDHEAD "sids:\n  - { sid: \"fc00:1::f2\", behavior: End.BPF, function: tag-acl, "
	       "params: { allow: [1, 2, 3, 4, 5], deny: [6, 7, 8, 9] } }\n",
	       "t.yaml:7:72: sids[0].params: 9 tags in allow and deny: at most 8\n");
}

Test(errors, duplicate_segment_list)
{
	expect(HEAD "segment_lists:\n  a: [\"fc00:2::1\"]\n  a: [\"fc00:2::2\"]\n",
	       "t.yaml:8:3: segment_lists.a: duplicate segment list name (first at line 7)\n");
}

Test(errors, policy_without_name_and_paths)
{
	expect(HEAD "policies:\n  - { mode: encap }\n",
	       "t.yaml:7:5: policies[0]: missing key \"name\"\nt.yaml:7:5: policies[0]: missing "
	       "key \"paths\"\n");
}

Test(errors, policy_without_a_path)
{
	expect(HEAD "policies:\n  - { name: p, paths: [] }\n",
	       "t.yaml:7:23: policies[0].paths: a policy needs at least one path\n");
}

Test(errors, path_without_segments)
{
	expect(HEAD "policies:\n  - { name: p, paths: [{ weight: 2 }] }\n",
	       "t.yaml:7:24: policies[0].paths[0]: missing key \"segments\"\n");
}

Test(errors, unknown_mode)
{
	expect(HEAD "policies:\n  - { name: p, mode: tunnel, paths: [{ segments: [\"fc00:2::1\"] }] }\n",
	       "t.yaml:7:22: policies[0].mode: unknown mode \"tunnel\" (expected one of: encap, "
	       "encap.red, inline)\n");
}

Test(errors, unknown_traffic_class)
{
	expect(HEAD "policies:\n  - { name: p, traffic_class: copy, paths: [{ segments: [\"fc00:2::1\"] }] }\n",
	       "t.yaml:7:31: policies[0].traffic_class: unknown traffic_class \"copy\" "
	       "(expected one of: inherit, zero)\n");
}

Test(errors, policy_source_not_unicast)
{
	expect(HEAD "policies:\n  - { name: p, source: \"::\", paths: [{ segments: [\"fc00:2::1\"] }] }\n",
	       "t.yaml:7:24: policies[0].source: the outer source must be a unicast address\n");
}

Test(errors, inline_has_no_outer_header)
{
	expect(HEAD "policies:\n  - { name: p, mode: inline, source: \"fc00:1::2\", hop_limit: 9,\n"
	       "      paths: [{ segments: [\"fc00:2::1\"] }] }\n",
	       "t.yaml:7:38: policies[0].source: not used by inline (the packet keeps its "
	       "source)\nt.yaml:7:62: policies[0].hop_limit: not used by inline (there is no "
	       "outer header)\n");
}

Test(errors, rule_without_match_and_policy)
{
	expect(HEAD POLICY "steering:\n  - { priority: 1 }\n",
	       "t.yaml:11:5: steering[0]: missing key \"match\"\nt.yaml:11:5: steering[0]: "
	       "missing key \"policy\"\n");
}

Test(errors, match_without_dst)
{
	expect(HEAD POLICY "steering:\n  - { match: { proto: tcp }, policy: p }\n",
	       "t.yaml:11:14: steering[0].match: missing key \"dst\"\n");
}

Test(errors, unknown_protocol)
{
	expect(HEAD POLICY "steering:\n  - { match: { dst: \"10.0.0.0/8\", proto: gre }, policy: p }\n",
	       "t.yaml:11:42: steering[0].match.proto: unknown protocol \"gre\" (expected tcp, "
	       "udp, sctp, icmp, icmpv6 or a number 0..255)\n");
}

Test(errors, bad_port)
{
	expect(HEAD POLICY "steering:\n  - { match: { dst: \"10.0.0.0/8\", dport: http }, policy: p }\n",
	       "t.yaml:11:42: steering[0].match.dport: \"http\": expected a port (443) or a "
	       "range (8000-8080)\n");
}

Test(errors, icmp_of_the_other_family)
{
	expect(HEAD POLICY "steering:\n"
	       "  - { match: { dst: \"10.0.0.0/8\", proto: icmpv6 }, policy: p }\n"
	       "  - { match: { dst: \"2001:db8::/32\", proto: icmp }, policy: p }\n",
	       "t.yaml:11:42: steering[0].match.proto: icmpv6 in an IPv4 rule never "
	       "matches\nt.yaml:12:45: steering[1].match.proto: icmp in an IPv6 rule never "
	       "matches (use icmpv6)\n");
}

Test(errors, unknown_ingress_interface)
{
	expect(HEAD POLICY "steering:\n  - { match: { dst: \"10.0.0.0/8\", iif: wan7 }, policy: p }\n",
	       "t.yaml:11:40: steering[0].match.iif: no interface named \"wan7\" on this node\n");
}
