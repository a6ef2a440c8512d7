/* nft-srv6: nftables filtering on SRv6 traffic (SRH fields and the encapsulated packet).
 * A thin front end over libnftsrv6; see nft-srv6(8). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "nft-srv6/include/nftsrv6.h"

#define VERSION "1.0"

static const char usage[] =
"Usage: nft-srv6 [OPTIONS] COMMAND\n"
"\n"
"Filter SRv6 traffic with nftables: SRH fields and the packet the SRv6 encapsulation\n"
"carries.  Rules live in one table nft-srv6 owns; a command line or a file is applied\n"
"as one transaction (all or nothing).\n"
"\n"
"Options:\n"
"  -t, --table NAME    table (default sr6)\n"
"  -i, --iface IFACE   netdev table, rules on ingress of IFACE (default: inet table)\n"
"      --family F      inet or netdev (list/flush/delete a netdev table without -i)\n"
"  -f, --file FILE     read commands from FILE, one per line ('-': stdin)\n"
"  -c, --check         check and compile against the current table, change nothing\n"
"  -d, --debug         print the compiled nftables expressions (no kernel needed)\n"
"  -e, --echo          print the handle of every rule added\n"
"  -j, --json          JSON output (list, handles, errors)\n"
"  -h, --help          this text;  -V, --version  the version\n"
"\n"
"Commands:\n"
"  add [PLACE] RULE          append a rule (PLACE: hook H [priority N] [dev IF] |\n"
"                            chain NAME; position HANDLE; default: hook forward)\n"
"  insert [PLACE] RULE       prepend a rule (or before 'position HANDLE')\n"
"  add chain NAME            create a regular chain (a target for 'jump')\n"
"  delete handle N | delete chain NAME | delete table\n"
"  flush [chain NAME]        remove rules (and auxiliary chains) of the table or a chain\n"
"  list                      the table's rules, decoded from the kernel, with handles\n"
"  edge --domain PREFIX [--domain PREFIX...] [--sids PREFIX...] --iface IF\n"
"                            RFC 8754 7.1 edge: count and drop SRv6 packets from outside\n"
"                            the domain addressed into the SID space, on ingress of IF\n"
"\n"
"RULE: matches, statements, then an optional verdict.\n"
"  outer     saddr V, daddr V                       (IPv6 addresses, prefixes, ranges)\n"
"  SRH       segleft V, last-entry V, flags V, tag V, sid[N] V (N 0-based: Segment\n"
"            List[N]; nft's 'srh sid[N+1]'), contains ADDR (any Segment List position)\n"
"  inner     inner saddr V, inner daddr V, inner proto V (tcp udp icmp icmpv6 sctp ...;\n"
"            ipv4/ipv6 select the inner family), inner sport V, inner dport V\n"
"  V         a value, a range A-B, a prefix A/N, or a set { V, V, ... }; '!= V' negates\n"
"  statement counter | log [prefix \"TEXT\"] [group N | level L] |\n"
"            limit rate [over] N/second|minute|hour|day|week [burst N packets]\n"
"  verdict   accept | drop | jump CHAIN\n"
"\n"
"Examples:\n"
"  nft-srv6 add segleft 0 tag 0x10 counter\n"
"  nft-srv6 add hook prerouting contains fc00:5:2::100 inner proto tcp inner dport { 22, 23 } drop\n"
"  nft-srv6 -i eth0 add inner saddr 10.0.0.0/8 inner proto udp inner dport 53 counter accept\n"
"  nft-srv6 edge --domain fc00::/16 --iface eth0\n";

struct opts {
	struct nftsrv6_config cfg;
	const char *file;
	int check, debug, echo, json;
};

static void print_error(const struct opts *o, const char *src, const char *text,
			const struct nftsrv6_error *e)
{
	if (o->json) {
		json_object *root = json_object_new_object(), *er = json_object_new_object();

		json_object_object_add(er, "message", json_object_new_string(e->message));
		if (src)
			json_object_object_add(er, "source", json_object_new_string(src));
		if (e->line)
			json_object_object_add(er, "line", json_object_new_int((int)e->line));
		if (e->column)
			json_object_object_add(er, "column", json_object_new_int((int)e->column));
		if (e->token[0])
			json_object_object_add(er, "token", json_object_new_string(e->token));
		json_object_object_add(root, "error", er);
		printf("%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(root);
		return;
	}
	fprintf(stderr, "nft-srv6: ");
	if (src && e->line)
		fprintf(stderr, "%s:%u:", src, e->line);
	if (e->column)
		fprintf(stderr, "%s%u:", src && e->line ? "" : "column ", e->column);
	fprintf(stderr, "%s%s\n", (src && e->line) || e->column ? " " : "", e->message);
	if (text && e->line && e->column) {
		/* the offending line with the token underlined */
		const char *p = text;
		unsigned l, n = (unsigned)strlen(e->token);

		for (l = 1; l < e->line && p; l++) {
			p = strchr(p, '\n');
			if (p)
				p++;
		}
		if (p) {
			int len = (int)strcspn(p, "\n");
			unsigned i;

			fprintf(stderr, "  %.*s\n  ", len, p);
			for (i = 1; i < e->column; i++)
				fputc(p[i - 1] == '\t' ? '\t' : ' ', stderr);
			for (i = 0; i < (n ? n : 1); i++)
				fputc('^', stderr);
			fputc('\n', stderr);
		}
	}
}

static char *read_file(const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *buf = NULL;
	size_t len = 0, cap = 0;

	if (!f)
		return NULL;
	for (;;) {
		size_t n;

		if (cap - len < 4096) {
			char *p = realloc(buf, cap + 65536);

			if (!p) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = p;
			cap += 65536;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
	}
	if (buf)
		buf[len] = '\0';
	if (f != stdin)
		fclose(f);
	return buf;
}

/* The command line as one line of the language; an argument holding spaces (a quoted
 * shell word such as a log prefix) becomes a quoted string unless it is a set. */
static char *join_args(int argc, char **argv)
{
	size_t len = 1, o = 0;
	char *s;
	int i;

	for (i = 0; i < argc; i++)
		len += 2 * strlen(argv[i]) + 4;
	s = calloc(1, len);
	if (!s)
		return NULL;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		int quote = strpbrk(a, " \t") && a[0] != '{' && a[0] != '"';

		if (i)
			s[o++] = ' ';
		if (quote)
			s[o++] = '"';
		for (; *a; a++) {
			if (quote && (*a == '"' || *a == '\\'))
				s[o++] = '\\';
			s[o++] = *a;
		}
		if (quote)
			s[o++] = '"';
	}
	s[o] = '\0';
	return s;
}

static int do_list(const struct opts *o)
{
	struct nftsrv6_error err = { 0 };
	struct nftsrv6 *h;
	struct nftsrv6_listing *l;
	char *out;
	int rc;

	if (nftsrv6_open(&h, &o->cfg, &err) || nftsrv6_list(&l, h, &err)) {
		print_error(o, NULL, NULL, &err);
		return 1;
	}
	rc = o->json ? nftsrv6_listing_json(&out, l) : nftsrv6_listing_text(&out, l);
	if (rc == 0) {
		fputs(out, stdout);
		if (o->json)
			fputc('\n', stdout);
		free(out);
	}
	nftsrv6_listing_free(l);
	nftsrv6_close(h);
	return rc ? 1 : 0;
}

static int apply(const struct opts *o, struct nftsrv6_batch *b, const char *src, const char *text)
{
	struct nftsrv6_error err = { 0 };
	struct nftsrv6 *h = NULL;
	size_t i;

	if (o->debug) {
		char *out = NULL;

		if (nftsrv6_batch_check(&out, &o->cfg, b, &err)) {
			print_error(o, src, text, &err);
			return 1;
		}
		fputs(out, stdout);
		free(out);
		return 0;
	}
	if (nftsrv6_open(&h, &o->cfg, &err) ||
	    (o->check ? nftsrv6_check(h, b, &err) : nftsrv6_commit(h, b, &err))) {
		print_error(o, src, text, &err);
		nftsrv6_close(h);
		return 1;
	}
	nftsrv6_close(h);
	if (o->json && !o->check) {
		json_object *root = json_object_new_object(), *hs = json_object_new_array();

		for (i = 0; i < nftsrv6_batch_count(b); i++)
			if (nftsrv6_batch_handle(b, i))
				json_object_array_add(hs, json_object_new_uint64(nftsrv6_batch_handle(b, i)));
		json_object_object_add(root, "handles", hs);
		printf("%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(root);
	} else if (o->echo && !o->check) {
		for (i = 0; i < nftsrv6_batch_count(b); i++)
			if (nftsrv6_batch_handle(b, i))
				printf("handle %llu\n", (unsigned long long)nftsrv6_batch_handle(b, i));
	}
	return 0;
}

static int do_edge(struct opts *o, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "domain", required_argument, NULL, 'D' },
		{ "sids", required_argument, NULL, 'S' },
		{ "iface", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 },
	};
	const char **dom = calloc((size_t)argc + 1, sizeof(*dom));
	const char **sids = calloc((size_t)argc + 1, sizeof(*sids));
	struct nftsrv6_error err = { 0 };
	struct nftsrv6_batch *b = NULL;
	size_t nd = 0, ns = 0;
	int c, rc = 1;

	if (!dom || !sids)
		goto out;
	optind = 1;
	while ((c = getopt_long(argc, argv, "i:", lo, NULL)) != -1) {
		if (c == 'D')
			dom[nd++] = optarg;
		else if (c == 'S')
			sids[ns++] = optarg;
		else if (c == 'i')
			o->cfg.iface = optarg;
		else
			goto out;
	}
	if (optind != argc || !nd || !o->cfg.iface) {
		fprintf(stderr, "nft-srv6: edge needs --domain PREFIX and --iface IF\n");
		goto out;
	}
	o->cfg.family = NFTSRV6_FAMILY_NETDEV;
	if (nftsrv6_batch_new(&b) ||
	    nftsrv6_batch_edge(b, dom, nd, ns ? sids : NULL, ns, o->cfg.iface, &err)) {
		print_error(o, NULL, NULL, &err);
		goto out;
	}
	rc = apply(o, b, NULL, NULL);
out:
	nftsrv6_batch_free(b);
	free(dom);
	free(sids);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "table", required_argument, NULL, 't' },
		{ "iface", required_argument, NULL, 'i' },
		{ "family", required_argument, NULL, 'F' },
		{ "file", required_argument, NULL, 'f' },
		{ "check", no_argument, NULL, 'c' },
		{ "debug", no_argument, NULL, 'd' },
		{ "echo", no_argument, NULL, 'e' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { .cfg = { .table = NFTSRV6_DEFAULT_TABLE } };
	struct nftsrv6_error err = { 0 };
	struct nftsrv6_batch *b = NULL;
	char *text = NULL;
	const char *src;
	int c, rc = 1;

	while ((c = getopt_long(argc, argv, "+t:i:f:cdejhV", lo, NULL)) != -1) {
		switch (c) {
		case 't': o.cfg.table = optarg; break;
		case 'i':
			o.cfg.iface = optarg;
			o.cfg.family = NFTSRV6_FAMILY_NETDEV;
			break;
		case 'F':
			if (!strcmp(optarg, "inet"))
				o.cfg.family = NFTSRV6_FAMILY_INET;
			else if (!strcmp(optarg, "netdev"))
				o.cfg.family = NFTSRV6_FAMILY_NETDEV;
			else {
				fprintf(stderr, "nft-srv6: --family takes inet or netdev\n");
				return 2;
			}
			break;
		case 'f': o.file = optarg; break;
		case 'c': o.check = 1; break;
		case 'd': o.debug = 1; break;
		case 'e': o.echo = 1; break;
		case 'j': o.json = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		case 'V': printf("nft-srv6 %s\n", VERSION); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (!o.file && optind >= argc) {
		fputs(usage, stderr);
		return 2;
	}
	if (!o.file && !strcmp(argv[optind], "list") && optind + 1 == argc)
		return do_list(&o);
	if (!o.file && !strcmp(argv[optind], "edge"))
		return do_edge(&o, argc - optind, argv + optind);
	if (o.file) {
		if (optind != argc) {
			fprintf(stderr, "nft-srv6: with --file, give no command on the line\n");
			return 2;
		}
		text = read_file(o.file);
		if (!text) {
			fprintf(stderr, "nft-srv6: cannot read %s: %s\n", o.file, strerror(errno));
			return 1;
		}
		src = o.file;
	} else {
		text = join_args(argc - optind, argv + optind);
		src = "command line";
		if (!text)
			return 1;
	}
	if (nftsrv6_batch_new(&b) || nftsrv6_batch_parse(b, text, 1, &err)) {
		print_error(&o, src, text, &err);
		goto out;
	}
	rc = apply(&o, b, src, text);
out:
	nftsrv6_batch_free(b);
	free(text);
	return rc;
}
