/* Compile a rule, decode the compiled expressions back, compare: the decoder must read
 * every shape the compiler writes (the listing depends on it). */
#include <criterion/criterion.h>
#include <linux/netfilter.h>
#include <stdlib.h>
#include <string.h>

#include "nft-srv6/src/compile.h"

struct aux_env {
	const struct compiled *c;
};

static const struct aux_chain *find_aux(void *ctx, const char *name)
{
	const struct aux_env *e = ctx;
	size_t i;

	for (i = 0; i < e->c->naux; i++)
		if (!strcmp(e->c->aux[i].name, name))
			return &e->c->aux[i];
	return NULL;
}

static void roundtrip(const char *text, uint32_t nfproto)
{
	struct nftsrv6_error err = { 0 };
	struct nftsrv6_rule *rule, back;
	struct compile_ctx cc = { .nfproto = nfproto, .table = "t", .chain = "c", .aux_id = 7 };
	struct compiled out;
	struct aux_env ae = { &out };
	struct decode_env env = { .nfproto = nfproto, .chain_rules = find_aux, .ctx = &ae };
	char a[4096], b[4096];
	unsigned aux_id;

	cr_assert_eq(nftsrv6_rule_parse(&rule, text, &err), 0, "parse '%s': %u: %s", text,
		     err.column, err.message);
	cr_assert_eq(nfts_rule_compile(&out, &cc, rule, 1, &err), 0, "compile '%s': %s", text,
		     err.message);
	env.sets = out.sets;
	env.nsets = out.nsets;
	cr_assert_eq(nfts_rule_decode(&back, &aux_id, out.rule, &env), 0, "decode '%s'", text);
	cr_assert_eq(nftsrv6_rule_format(a, sizeof(a), rule), 0);
	cr_assert_eq(nftsrv6_rule_format(b, sizeof(b), &back), 0);
	cr_assert_str_eq(b, a, "'%s' came back as '%s'", a, b);
	cr_assert(nftsrv6_rule_equal(rule, &back), "'%s' differs after decoding", text);
	cr_assert_eq(aux_id, out.naux ? 7u : 0u);
	nfts_rule_release(&back);
	nfts_compiled_release(&out);
	nftsrv6_rule_free(rule);
}

static const char *const rules[] = {
	"counter",
	"drop",
	"saddr fc00::1",
	"saddr fc00::/16 daddr != fc00:5::/48 accept",
	"saddr fc00::/20",
	"daddr fc00::1-fc00::5",
	"daddr != fc00::1-fc00::5",
	"saddr { fc00::1, fc01::/16, fc02::1-fc02::9 }",
	"saddr != { fc00::1, fc01::/16 }",
	"saddr { ::/32, fc00::1 } daddr { ::/2, fc00::9 } saddr ::/2",
	"segleft 0",
	"segleft 1-3",
	"segleft != 2",
	"segleft != 2-4",
	"segleft { 0, 2, 4-6 }",
	"last-entry 3",
	"last-entry { 1, 255 }",
	"last-entry 200-255",
	"flags 0x08",
	"flags != { 0x00, 0x80 }",
	"tag 0x1234",
	"tag 0x0000-0x00ff",
	"sid[0] fc00::1",
	"sid[1] fc00::/64",
	"sid[15] fc00::1",
	"sid[16] fc00::1",
	"sid[126] != fc00::/16",
	"sid[3] { fc00::1, fc00::2 }",
	"sid[0] fc00::1 sid[1] fc00::2 sid[20] fc00::3",
	"inner saddr 2001:db8::1",
	"inner daddr 2001:db8::/32",
	"inner saddr 10.0.0.1",
	"inner daddr 10.0.0.0/8",
	"inner daddr != 10.1.0.0/16",
	"inner daddr 10.128.0.0/9",
	"inner saddr != 2001:db8::/33",
	"sid[4] fc00::/127 sid[30] fc00:8000::/17",
	"inner saddr { 10.0.0.1, 10.2.0.0/16 }",
	"inner proto ipv6",
	"inner proto ipv4",
	"inner proto icmpv6",
	"inner proto icmp",
	"inner proto ipv6 inner proto tcp",
	"inner proto ipv4 inner proto != udp",
	"inner proto ipv6 inner proto { tcp, udp }",
	"inner proto ipv6 inner proto tcp inner dport 80",
	"inner proto ipv6 inner proto udp inner sport 1000-2000 inner dport { 53, 5353 }",
	"inner proto ipv4 inner proto tcp inner dport != 22",
	"inner proto ipv4 inner proto { tcp, udp } inner sport 1024-65535 inner dport 443",
	"inner saddr 10.0.0.0/8 inner proto sctp inner dport 9",
	"saddr fc00::/16 segleft 1 tag 7 sid[1] fc00::5 inner daddr 2001:db8::/48 "
	"inner proto tcp inner dport 22 counter log prefix \"ssh \" limit rate 10/second drop",
	"log",
	"log prefix \"a \\\"quoted\\\" one\" level debug",
	"log group 7",
	"log prefix x group 2",
	"limit rate 5/minute",
	"limit rate over 100/second burst 20 packets",
	"limit rate 1/week",
	"counter jump web",
	"contains fc00::1",
	"contains fc00::/16 counter",
	"contains { fc00::1, fc00::2 } drop",
	"contains fc00::1 contains fc00::2 counter accept",
	"segleft 1 contains fc00:5::1 inner proto ipv4 inner proto udp inner dport 53 counter "
	"log prefix dns limit rate 3/second jump web",
};

Test(roundtrip, inet)
{
	size_t i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		roundtrip(rules[i], NFPROTO_INET);
}

Test(roundtrip, netdev)
{
	size_t i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		roundtrip(rules[i], NFPROTO_NETDEV);
}
