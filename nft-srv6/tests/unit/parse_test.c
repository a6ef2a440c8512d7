/* Parser: canonical forms, and every error with its exact line, column, token and
 * message. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nft-srv6/include/nftsrv6.h"

struct bad {
	const char *text;
	unsigned column;
	const char *token;
	const char *message;
};

static const struct bad bad_lines[] = {
	{ "add segleft ! 3", 13, "!",
	  "unexpected '!': expected '!=' or a word" },
	{ "add segleft 3; drop", 14, ";",
	  "unexpected ';': write one command per line" },
	{ "add log prefix \"abc", 16, "\"abc",
	  "unterminated string: expected a closing '\"'" },
	{ "add segleft é", 13, "é",
	  "unexpected character 'é': the rule language is ASCII" },
	{ "add frob 3", 5, "frob",
	  "unexpected 'frob': expected a match (saddr, daddr, segleft, last-entry, flags, tag, sid[N], contains, inner ...), a statement (counter, log, limit) or a verdict (accept, drop, jump)" },
	{ "add inner frob 3", 11, "frob",
	  "unexpected 'frob': expected saddr, daddr, proto, sport or dport after 'inner'" },
	{ "add segleft", 12, "",
	  "unexpected end of line: expected a value for 'segleft'" },
	{ "add segleft abc", 13, "abc",
	  "'abc' is not a number: 'segleft' takes a number 0-255" },
	{ "add segleft 256", 13, "256",
	  "256 is out of range: 'segleft' takes 0-255" },
	{ "add tag 0x10000", 9, "0x10000",
	  "0x10000 is out of range: 'tag' takes 0-65535" },
	{ "add saddr fc00::/129", 18, "129",
	  "bad prefix length '129': expected 1-128" },
	{ "add saddr fc00::/x", 18, "x",
	  "bad prefix length 'x': expected 1-128" },
	{ "add saddr fc00::1/16", 11, "fc00::1/16",
	  "'fc00::1/16' has bits set after the first 16: write the network address of the prefix" },
	{ "add saddr 10.0.0.1", 11, "10.0.0.1",
	  "'10.0.0.1' is not an IPv6 address: 'saddr' takes an IPv6 address, prefix or range" },
	{ "add daddr fc00::5-fc00::1", 11, "fc00::5-fc00::1",
	  "range 'fc00::5-fc00::1' starts above its end" },
	{ "add inner saddr 10.0.0.1-fc00::1", 17, "10.0.0.1-fc00::1",
	  "range '10.0.0.1-fc00::1' mixes IPv4 and IPv6" },
	{ "add segleft 3/8", 14, "/",
	  "unexpected '/': 'segleft' takes numbers and ranges, not prefixes" },
	{ "add segleft 1-x", 15, "x",
	  "'x' is not a number: 'segleft' takes a number 0-255" },
	{ "add inner proto tcpx", 17, "tcpx",
	  "unknown protocol 'tcpx': expected tcp, udp, icmp, icmpv6, sctp, dccp, udplite, gre, esp, ah, igmp, ipv4, ipv6 or a number 0-255" },
	{ "add segleft { 1 2 }", 17, "2",
	  "unexpected '2': expected ',' or '}' in the set" },
	{ "add segleft { }", 15, "}",
	  "unexpected '}': a set needs at least one value" },
	{ "add segleft { 1,", 17, "",
	  "unexpected end of line: expected a value for 'segleft'" },
	{ "add inner saddr { 10.0.0.1, fc00::1 }", 29, "fc00::1",
	  "'fc00::1' is IPv6 but the set's other values are not" },
	{ "add contains != fc00::1", 14, "!=",
	  "unexpected '!=': 'contains' cannot be negated" },
	{ "add sid 3 fc00::1", 9, "3",
	  "unexpected '3': expected '[' after 'sid' (sid[N], N the 0-based Segment List index)" },
	{ "add sid[127] fc00::1", 9, "127",
	  "unexpected '127': expected a 0-based Segment List index (0-126)" },
	{ "add sid[x] fc00::1", 9, "x",
	  "unexpected 'x': expected a 0-based Segment List index (0-126)" },
	{ "add sid[3 fc00::1", 11, "fc00::1",
	  "unexpected 'fc00::1': expected ']' after the SID index" },
	{ "add inner proto { ipv4, tcp }", 19, "ipv4",
	  "'ipv4' selects the inner packet's family: it cannot be negated or part of a set" },
	{ "add inner proto != ipv6", 20, "ipv6",
	  "'ipv6' selects the inner packet's family: it cannot be negated or part of a set" },
	{ "add inner saddr 10.0.0.1 inner daddr fc00::1", 38, "fc00::1",
	  "'fc00::1' is IPv6 but an earlier inner match made the inner packet IPv4" },
	{ "add inner proto ipv4 inner daddr fc00::1", 34, "fc00::1",
	  "'fc00::1' is IPv6 but an earlier inner match made the inner packet IPv4" },
	{ "add inner proto tcp drop", 5, "inner",
	  "the inner packet's family is unknown: add 'inner proto ipv6' or 'inner proto ipv4', or an inner address" },
	{ "add inner proto ipv6 inner dport 80", 22, "inner",
	  "'inner dport' needs an 'inner proto' match of protocols with ports (tcp, udp, sctp, dccp, udplite)" },
	{ "add inner proto ipv6 inner proto != tcp inner sport 80", 41, "inner",
	  "'inner sport' needs an 'inner proto' match of protocols with ports (tcp, udp, sctp, dccp, udplite)" },
	{ "add drop counter", 10, "counter",
	  "unexpected 'counter' after the verdict: the verdict ends the rule" },
	{ "add accept jump web", 12, "jump",
	  "unexpected 'jump' after the verdict: the verdict ends the rule" },
	{ "add counter packets 5", 22, "",
	  "unexpected end of line: expected 'bytes' after the packet count" },
	{ "add counter packets x bytes 1", 21, "x",
	  "unexpected 'x': expected a packet count (0-18446744073709551615)" },
	{ "add log prefix", 15, "",
	  "unexpected end of line: expected a quoted prefix after 'prefix'" },
	{ "add log prefix \"0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789\"", 16, "012345678901234567890123456789012345678901234567890123456789012",
	  "log prefix '0123456789012345678901234567890123456789012345678901234567890' is too long: at most 127 characters" },
	{ "add log level loud", 15, "loud",
	  "unknown log level 'loud': expected emerg, alert, crit, err, warn, notice, info or debug" },
	{ "add log group 2 level info", 17, "level",
	  "'level' does not go with 'group': nflog has no level, use one of 'group' and 'level'" },
	{ "add log group 70000", 15, "70000",
	  "unexpected '70000': expected a log group (0-65535)" },
	{ "add limit 10/second", 11, "10/second",
	  "unexpected '10/second': expected 'rate' after 'limit'" },
	{ "add limit rate 10", 16, "10",
	  "unexpected '10': expected a rate such as 10/second" },
	{ "add limit rate x/second", 16, "x",
	  "bad rate 'x': expected a number 1-4294967295" },
	{ "add limit rate 0/second", 16, "0",
	  "bad rate '0': expected a number 1-4294967295" },
	{ "add limit rate 10/fortnight", 19, "fortnight",
	  "unknown rate unit 'fortnight': expected second, minute, hour, day or week" },
	{ "add limit rate 10/second burst 0 packets", 32, "0",
	  "burst '0' must be at least 1" },
	{ "add limit rate 10/second burst 3", 33, "",
	  "unexpected end of line: expected 'packets' after the burst" },
	{ "add jump 9lives", 10, "9lives",
	  "bad chain name '9lives': expected a letter or '_' then letters, digits, '_', '-' or '.', at most 64, not starting with '_sr6'" },
	{ "add jump _sr6c1_1", 10, "_sr6c1_1",
	  "bad chain name '_sr6c1_1': expected a letter or '_' then letters, digits, '_', '-' or '.', at most 64, not starting with '_sr6'" },
	{ "add jump", 9, "",
	  "unexpected end of line: expected a chain name" },
	{ "frob", 1, "frob",
	  "unexpected 'frob': expected a command (add, insert, delete, flush)" },
	{ "add chain web hook forward drop", 15, "hook",
	  "'hook' places the rule in a base chain: it cannot be combined with 'chain'" },
	{ "add hook forward chain web drop", 18, "chain",
	  "'chain' names a regular chain: it cannot be combined with 'hook', 'priority' or 'dev'" },
	{ "add hook sideways drop", 10, "sideways",
	  "unknown hook 'sideways': expected prerouting, input, forward, output, postrouting or ingress" },
	{ "add priority high drop", 14, "high",
	  "bad priority 'high': expected an integer such as 0 or -10" },
	{ "add priority 3000000000 drop", 14, "3000000000",
	  "bad priority '3000000000': expected an integer such as 0 or -10" },
	{ "add dev eth0-with-a-long-name drop", 9, "eth0-with-a-long-name",
	  "bad device name 'eth0-with-a-long-name': expected an interface name of at most 15 characters" },
	{ "add position 0 drop", 14, "0",
	  "bad handle '0': handles start at 1" },
	{ "add position 3", 14, "",
	  "'position' needs a rule to place" },
	{ "delete", 7, "",
	  "unexpected end of line: expected 'handle N', 'chain NAME' or 'table' after 'delete'" },
	{ "delete handle x", 15, "x",
	  "unexpected 'x': expected a rule handle (0-18446744073709551615)" },
	{ "flush foo", 7, "foo",
	  "unexpected 'foo' at the end of the command" },
	{ "flush chain 1x", 13, "1x",
	  "bad chain name '1x': expected a letter or '_' then letters, digits, '_', '-' or '.', at most 64, not starting with '_sr6'" },
	{ "add segleft a\x01", 14, "", "unexpected control character 0x01" },
};

Test(parse, every_error_names_line_column_token)
{
	size_t i;

	for (i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++) {
		const struct bad *b = &bad_lines[i];
		struct nftsrv6_batch *batch;
		struct nftsrv6_error err;

		memset(&err, 0x55, sizeof(err));
		cr_assert_eq(nftsrv6_batch_new(&batch), 0);
		cr_assert_eq(nftsrv6_batch_parse(batch, b->text, 1, &err), -1, "'%s' parsed", b->text);
		cr_expect_eq(err.line, 1u, "'%s': line %u", b->text, err.line);
		cr_expect_eq(err.column, b->column, "'%s': column %u, want %u", b->text, err.column,
			     b->column);
		cr_expect_str_eq(err.token, b->token, "'%s': token '%s'", b->text, err.token);
		cr_expect_str_eq(err.message, b->message, "'%s': message '%s'", b->text,
				 err.message);
		cr_expect_eq(nftsrv6_batch_count(batch), 0u);
		nftsrv6_batch_free(batch);
	}
}

Test(parse, error_line_in_a_batch_and_nothing_kept)
{
	struct nftsrv6_batch *batch;
	struct nftsrv6_error err;

	cr_assert_eq(nftsrv6_batch_new(&batch), 0);
	cr_assert_eq(nftsrv6_batch_parse(batch, "add drop", 1, &err), 0);
	cr_assert_eq(nftsrv6_batch_parse(batch, "# a comment\n\nadd counter\n  add segleft x drop\n"
					 "add accept\n", 10, &err), -1);
	cr_assert_eq(err.line, 13u);
	cr_assert_eq(err.column, 15u);
	cr_assert_str_eq(err.token, "x");
	cr_assert_str_eq(err.message, "'x' is not a number: 'segleft' takes a number 0-255");
	/* the failed text adds nothing; what was parsed before stays */
	cr_assert_eq(nftsrv6_batch_count(batch), 1u);
	nftsrv6_batch_free(batch);
}

struct placement {
	enum nftsrv6_family family;
	const char *iface;
	const char *text;
	unsigned column;
	const char *token;
	const char *message;
};

/* errors that depend on the table's family, found by the offline check */
static const struct placement bad_places[] = {
	{ NFTSRV6_FAMILY_INET, NULL, "add dev eth0 drop", 9, "eth0",
	  "'dev' belongs to netdev tables: run nft-srv6 with -i IFACE" },
	{ NFTSRV6_FAMILY_INET, NULL, "add hook ingress drop", 10, "ingress",
	  "hook 'ingress' needs a netdev table: run nft-srv6 with -i IFACE" },
	{ NFTSRV6_FAMILY_NETDEV, "eth0", "add hook forward drop", 10, "forward",
	  "a netdev table has only the 'ingress' hook" },
	{ NFTSRV6_FAMILY_NETDEV, NULL, "add drop", 1, "",
	  "a netdev rule needs a device: write 'dev IFACE' or run with -i IFACE" },
};

Test(parse, placement_errors)
{
	size_t i;

	for (i = 0; i < sizeof(bad_places) / sizeof(bad_places[0]); i++) {
		const struct placement *b = &bad_places[i];
		struct nftsrv6_config cfg = { .family = b->family, .iface = b->iface };
		struct nftsrv6_batch *batch;
		struct nftsrv6_error err;

		cr_assert_eq(nftsrv6_batch_new(&batch), 0);
		cr_assert_eq(nftsrv6_batch_parse(batch, b->text, 1, &err), 0);
		cr_assert_eq(nftsrv6_batch_check(NULL, &cfg, batch, &err), -1, "'%s'", b->text);
		cr_expect_eq(err.column, b->column, "'%s': column %u", b->text, err.column);
		cr_expect_str_eq(err.token, b->token, "'%s': token '%s'", b->text, err.token);
		cr_expect_str_eq(err.message, b->message, "'%s': '%s'", b->text, err.message);
		nftsrv6_batch_free(batch);
	}
}

struct canon {
	const char *in;
	const char *out;
};

static const struct canon canon[] = {
	{ "drop", "drop" },
	{ "segleft == 3", "segleft 3" },
	{ "segleft { 4, 1, 2, 3, 9 }", "segleft { 1-4, 9 }" },
	{ "segleft { 7 }", "segleft 7" },
	{ "segleft { 1-5, 3-9, 20 }", "segleft { 1-9, 20 }" },
	{ "tag 4660", "tag 0x1234" },
	{ "flags 8", "flags 0x08" },
	{ "last-entry 0x0f", "last-entry 15" },
	{ "saddr fc00:0::0/16", "saddr fc00::/16" },
	{ "saddr fc00::-fc00::ffff", "saddr fc00::/112" },
	{ "saddr fc00::1-fc00::1", "saddr fc00::1" },
	{ "inner daddr 10.0.0.0-10.0.255.255", "inner daddr 10.0.0.0/16" },
	{ "inner proto 6 inner saddr 10.0.0.1", "inner saddr 10.0.0.1 inner proto tcp" },
	{ "inner proto ipv6 inner proto icmpv6", "inner proto icmpv6" },
	{ "inner proto ipv4 inner proto icmpv6", "inner proto ipv4 inner proto icmpv6" },
	{ "inner proto icmp", "inner proto icmp" },
	{ "inner dport 80 inner proto ipv6 inner proto tcp",
	  "inner proto ipv6 inner proto tcp inner dport 80" },
	{ "inner proto ipv6", "inner proto ipv6" },
	{ "counter counter packets 0 bytes 0", "counter counter" },
	{ "counter packets 3 bytes 552", "counter packets 3 bytes 552" },
	{ "log level warn", "log" },
	{ "log level info prefix \"a\\\\b \\\"c\\\"\"", "log prefix \"a\\\\b \\\"c\\\"\" level info" },
	{ "log prefix word", "log prefix \"word\"" },
	{ "limit rate 10/second burst 5 packets", "limit rate 10/second" },
	{ "limit rate over 7/hour burst 6 packets", "limit rate over 7/hour burst 6 packets" },
	{ "sid[3] fc00::1 segleft 1 contains fc00::2 saddr fc00::9 jump web",
	  "saddr fc00::9 segleft 1 sid[3] fc00::1 contains fc00::2 jump web" },
	{ "sid[20] fc00::1 sid[2] fc00::2", "sid[2] fc00::2 sid[20] fc00::1" },
	{ "# only a comment after\tdrop", "" },
	{ "accept # handle 4", "accept" },
};

Test(parse, canonical_text)
{
	size_t i;

	for (i = 0; i < sizeof(canon) / sizeof(canon[0]); i++) {
		struct nftsrv6_rule *r, *again;
		struct nftsrv6_error err;
		char buf[1024];

		cr_assert_eq(nftsrv6_rule_parse(&r, canon[i].in, &err), 0, "'%s': %s", canon[i].in,
			     err.message);
		cr_assert_eq(nftsrv6_rule_format(buf, sizeof(buf), r), 0);
		cr_expect_str_eq(buf, canon[i].out, "'%s' printed as '%s'", canon[i].in, buf);
		/* the canonical text reads back into an equal rule */
		cr_assert_eq(nftsrv6_rule_parse(&again, buf, &err), 0, "'%s': %s", buf, err.message);
		cr_expect(nftsrv6_rule_equal(r, again), "'%s' changed after a round trip", buf);
		nftsrv6_rule_free(again);
		nftsrv6_rule_free(r);
	}
}

Test(parse, rule_format_reports_a_short_buffer)
{
	struct nftsrv6_rule *r;
	struct nftsrv6_error err;
	char buf[8];

	cr_assert_eq(nftsrv6_rule_parse(&r, "saddr fc00::/16 drop", &err), 0);
	cr_assert_eq(nftsrv6_rule_format(buf, sizeof(buf), r), -1);
	nftsrv6_rule_free(r);
}

Test(parse, a_rule_is_one_line)
{
	struct nftsrv6_rule *r;
	struct nftsrv6_error err;

	cr_assert_eq(nftsrv6_rule_parse(&r, "drop\naccept", &err), -1);
	cr_assert_eq(err.column, 5u);
	cr_assert_str_eq(err.message, "a rule is one line");
	cr_assert_null(r);
}

Test(parse, equal_rules)
{
	struct nftsrv6_rule *a, *b, *c;
	struct nftsrv6_error err;

	cr_assert_eq(nftsrv6_rule_parse(&a, "segleft { 1, 2 } counter packets 4 bytes 9 drop", &err), 0);
	cr_assert_eq(nftsrv6_rule_parse(&b, "segleft 1-2 counter drop", &err), 0);
	cr_assert_eq(nftsrv6_rule_parse(&c, "segleft 1-2 counter accept", &err), 0);
	cr_assert(nftsrv6_rule_equal(a, b));
	cr_assert_not(nftsrv6_rule_equal(b, c));
	nftsrv6_rule_free(a);
	nftsrv6_rule_free(b);
	nftsrv6_rule_free(c);
}

Test(parse, too_many_matches_and_statements)
{
	char text[2048] = "";
	struct nftsrv6_rule *r;
	struct nftsrv6_error err;
	int i;

	for (i = 0; i < 33; i++)
		strcat(text, "segleft 1 ");
	cr_assert_eq(nftsrv6_rule_parse(&r, text, &err), -1);
	cr_assert_eq(err.column, 321u);
	cr_assert_str_eq(err.message, "too many matches at 'segleft': a rule holds at most 32");
	text[0] = '\0';
	for (i = 0; i < 9; i++)
		strcat(text, "counter ");
	cr_assert_eq(nftsrv6_rule_parse(&r, text, &err), -1);
	cr_assert_eq(err.column, 65u);
	cr_assert_str_eq(err.message, "too many statements at 'counter': a rule holds at most 8");
}

Test(parse, set_size_limit)
{
	size_t cap = 4097 * 8 + 64, i;
	char *text = malloc(cap);
	struct nftsrv6_rule *r;
	struct nftsrv6_error err;
	size_t len;

	cr_assert_not_null(text);
	len = (size_t)snprintf(text, cap, "tag {");
	for (i = 0; i < 4097; i++)
		len += (size_t)snprintf(text + len, cap - len, " %zu,", i * 2);
	text[len - 1] = '}';
	cr_assert_eq(nftsrv6_rule_parse(&r, text, &err), -1);
	cr_assert_str_eq(err.token, "8192");
	cr_assert_str_eq(err.message, "too many values at '8192': a set holds at most 4096");
	free(text);
}
