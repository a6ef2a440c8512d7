/*
 * headend_policy_test: the test side's definitions the headend tests rely on: the flow hash is
 * MurmurHash3 x86_32 (published test vectors), and policies are laid out as sr6_abi.h says for
 * each mode (Segments Left, Last Entry, segment order, reduced and inline lists, weights).
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <string.h>

#include "selftests/bpf/headend_policy.h"

Test(headend_policy, flow_hash_is_murmur3_x86_32)
{
	uint32_t zero = 0, aaaa;

	memcpy(&aaaa, "aaaa", 4);
	cr_expect_eq(headend_murmur3_words(NULL, 0, 0), 0u);
	cr_expect_eq(headend_murmur3_words(NULL, 0, 1), 0x514e28b7u);
	cr_expect_eq(headend_murmur3_words(&zero, 1, 0), 0x2362f9deu);
	cr_expect_eq(headend_murmur3_words(&aaaa, 1, 0x9747b28c), 0x5a97808au);
}

static void build(struct sr6_policy *p, uint8_t mode, const char *sids)
{
	struct headend_policy_spec spec = { .mode = mode, .tag = 0x1234, .source = "fc00::1",
					    .npaths = 1, .paths = { { sids, 0 } } };
	char err[200];

	cr_assert_eq(headend_policy_build(p, &spec, err, sizeof(err)), 0, "%s", err);
}

static void expect_seg(const struct sr6_path *path, int k, const char *want)
{
	struct in6_addr a;

	inet_pton(AF_INET6, want, &a);
	cr_expect(!memcmp(path->srh + 8 + 16 * k, &a, 16), "Segment List[%d] is not %s", k, want);
}

Test(headend_policy, layouts_per_mode)
{
	static const uint8_t zero16[16];
	struct sr6_policy p;
	struct in6_addr a;

	build(&p, SR6_MODE_ENCAP, "fc00::a,fc00::b,fc00::c");
	inet_pton(AF_INET6, "fc00::a", &a);
	cr_expect(!memcmp(&p.paths[0].dst, &a, 16), "destination: the first SID");
	cr_expect_eq(p.paths[0].srh_len, 8 + 48);
	cr_expect(p.paths[0].srh[1] == 6 && p.paths[0].srh[2] == 4 && p.paths[0].srh[3] == 2 &&
		  p.paths[0].srh[4] == 2 && p.paths[0].srh[5] == 0 && p.paths[0].srh[6] == 0x12 &&
		  p.paths[0].srh[7] == 0x34, "encap: hdrlen 6, type 4, SL 2, LE 2, flags 0, tag");
	expect_seg(&p.paths[0], 0, "fc00::c");
	expect_seg(&p.paths[0], 2, "fc00::a");

	build(&p, SR6_MODE_ENCAP_RED, "fc00::a,fc00::b,fc00::c");
	cr_expect_eq(p.paths[0].srh_len, 8 + 32, "encap.red: the first SID left out");
	cr_expect(p.paths[0].srh[3] == 2 && p.paths[0].srh[4] == 1, "encap.red: SL 2, LE 1");
	expect_seg(&p.paths[0], 0, "fc00::c");
	expect_seg(&p.paths[0], 1, "fc00::b");
	build(&p, SR6_MODE_ENCAP_RED, "fc00::a");
	cr_expect_eq(p.paths[0].srh_len, 0, "encap.red, one SID: no SRH");

	build(&p, SR6_MODE_INLINE, "fc00::a,fc00::b");
	cr_expect_eq(p.paths[0].srh_len, 8 + 48, "inline: one more entry");
	cr_expect(p.paths[0].srh[3] == 2 && p.paths[0].srh[4] == 2, "inline: SL 2, LE 2");
	cr_expect(!memcmp(p.paths[0].srh + 8, zero16, 16), "inline: Segment List[0] left for the packet");
	expect_seg(&p.paths[0], 1, "fc00::b");
	expect_seg(&p.paths[0], 2, "fc00::a");

	build(&p, SR6_MODE_INLINE,
	      "fc00::1,fc00::2,fc00::3,fc00::4,fc00::5,fc00::6,fc00::7,fc00::8,fc00::9,fc00::a,"
	      "fc00::b,fc00::c,fc00::d,fc00::e,fc00::f,fc00::10");
	cr_expect_eq(p.paths[0].srh_len, SR6_SRH_MAX_LEN, "inline, 16 SIDs: the largest SRH");
}

Test(headend_policy, weights_and_errors)
{
	struct headend_policy_spec spec = { .mode = SR6_MODE_ENCAP, .npaths = 3,
					    .paths = { { "fc00::1", 1 }, { "fc00::2", 2 }, { "fc00::3", 5 } } };
	struct sr6_policy p;
	char err[200];

	cr_assert_eq(headend_policy_build(&p, &spec, err, sizeof(err)), 0, "%s", err);
	cr_expect(p.total_weight == 8 && p.cum_weight[0] == 1 && p.cum_weight[1] == 3 &&
		  p.cum_weight[2] == 8, "cumulative weights");
	cr_expect_eq(headend_path_of(&p, 0), 0);
	cr_expect_eq(headend_path_of(&p, 0x40000000), 1, "v = 2");
	cr_expect_eq(headend_path_of(&p, 0xffffffffu), 2, "v = 7");

	spec.paths[1].sids = "fc00::2,not-an-address";
	cr_expect_eq(headend_policy_build(&p, &spec, err, sizeof(err)), -1);
	cr_expect(strstr(err, "path 1") != NULL, "error names the path: %s", err);
	spec.paths[1].sids = "fc00::1,fc00::2,fc00::3,fc00::4,fc00::5,fc00::6,fc00::7,fc00::8,"
			     "fc00::9,fc00::a,fc00::b,fc00::c,fc00::d,fc00::e,fc00::f,fc00::10,fc00::11";
	cr_expect_eq(headend_policy_build(&p, &spec, err, sizeof(err)), -1, "17 SIDs refused");
	spec.paths[1].sids = "fc00::2";
	spec.paths[1].weight = 65535;
	cr_expect_eq(headend_policy_build(&p, &spec, err, sizeof(err)), -1, "weights over 65535");
	spec.npaths = 0;
	cr_expect_eq(headend_policy_build(&p, &spec, err, sizeof(err)), -1, "no path");
}
