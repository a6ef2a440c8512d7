/*
 * sr6-nodetool: the test and benchmark loader of the node program and the End.BPF
 * functions.  It loads BPF objects with their maps pinned by name under a per-run folder,
 * attaches them, fills the headend, endpoint and function maps through sr6_abi.h and prints
 * the counters, one command per call.  The agent does all of this from a policy file; this
 * tool writes single map entries, as the headend's and the endpoint's tests need.
 *
 *   load PIN [OBJ]                  load OBJ (default: the node program, sr6.bpf.o, built in)
 *                                   with its maps pinned under PIN; pin every program at
 *                                   PIN/<program name>
 *   load PIN OBJ PROG IFNAME [tc]   the same, then attach PROG to IFNAME: native XDP, or tc
 *                                   ingress with "tc"
 *   fnload PIN OBJ                  load PIN OBJ (an End.BPF function object)
 *   attach PIN IFNAME xdp|xdpgeneric|tc-ingress|tc-egress   a program pinned by load
 *   detach IFNAME xdp|tc-ingress|tc-egress
 *   config PIN [steer6] [steer4] [sids] [locators] [tc-after-xdp] [fib-cache]
 *                                   sr6_config flags: exactly these
 *   fib-cache PIN on|off            set or clear SR6_CFG_FIB_CACHE, the other flags kept
 *
 *   policy PIN KEY MODE [source=ADDR] [hop=N] [tag=N] [mtu=N] [tccopy] path=[W:]SID,... ...
 *   rule   PIN SLOT POLICY [src=PREFIX/LEN] [proto=N] [sport=A[-B]] [dport=A[-B]] [dscp=N]
 *                          [iif=IFNAME]
 *   steer  PIN PREFIX/LEN FIRST COUNT          (COUNT 0: never steered)
 *   sid     PIN SID BEHAVIOR [nh6 A] [nh4 A] [table N] [flavors F,..] [stats N]
 *   locator PIN PREFIX/LEN BEHAVIOR [...the same options]
 *   acl       PIN SID permit|deny [TAG/MASK=permit|deny ...]
 *   delay     PIN SID auto|write|read [pop]
 *   ratelimit PIN SID RATE BURST packets|bytes
 *
 *   stats PIN KEY                   a policy's packets and bytes, then each path's
 *   drops PIN                       non-zero drop reasons and hand-offs: "drop|event NAME N"
 *   show PIN                        every counter: drops, hand-offs, SIDs, functions, flows,
 *                                   delays, one "what key... values..." a line
 *
 * MODE: encap, encap.red, inline (the policy's stats id is its key).  BEHAVIOR: End End.X
 * End.T End.DX6 End.DX4 End.DT6 End.BPF; flavors psp usp usd next-csid.  Errors name the
 * argument at fault and exit 1; a wrong command line exits 2.
 */
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "selftests/bpf/headend_policy.h"
#include "sr6.skel.h"

#define STR_(x) #x
#define STR(x) STR_(x)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("sr6-nodetool: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static unsigned long number(const char *what, const char *text, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(text, &end, 0);
	if (errno || end == text || *end || v > max)
		die("%s: '%s' is not a number in 0..%lu", what, text, max);
	return v;
}

static void parse_in6(union sr6_in6 *out, const char *text)
{
	if (inet_pton(AF_INET6, text, out) != 1)
		die("'%s': not an IPv6 address", text);
}

static unsigned int ifindex_of(const char *name)
{
	unsigned int i = if_nametoindex(name);

	if (!i)
		die("interface '%s': %s", name, strerror(errno));
	return i;
}

/* A map or program pinned under pin (-1 when absent and optional). */
static int pinned(const char *pin, const char *name, int optional)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", pin, name);
	fd = bpf_obj_get(path);
	if (fd < 0 && !optional)
		die("%s: %s (run 'load' first)", path, strerror(errno));
	return fd;
}

static void map_update(const char *pin, const char *name, const void *key, const void *value)
{
	int fd = pinned(pin, name, 0);

	if (bpf_map_update_elem(fd, key, value, BPF_ANY))
		die("update %s: %s", name, strerror(errno));
	close(fd);
}

/* ---------------------------------------------------------------------------------------- */
/* Loading and attaching                                                                     */

static int attach(const char *pin, const char *ifname, const char *hook, int detach)
{
	unsigned int ifindex = ifindex_of(ifname);
	int fd = -1, err;

	if (!strcmp(hook, "xdp") || !strcmp(hook, "xdpgeneric")) {
		__u32 flags = !strcmp(hook, "xdp") ? XDP_FLAGS_DRV_MODE : XDP_FLAGS_SKB_MODE;

		if (detach) {
			/* Whichever mode it was attached in. */
			err = bpf_xdp_attach((int)ifindex, -1, XDP_FLAGS_DRV_MODE, NULL);
			if (!err)
				err = bpf_xdp_attach((int)ifindex, -1, XDP_FLAGS_SKB_MODE, NULL);
		} else {
			fd = pinned(pin, "sr6_xdp", 0);
			err = bpf_xdp_attach((int)ifindex, fd, flags, NULL);
		}
	} else if (!strcmp(hook, "tc-ingress") || !strcmp(hook, "tc-egress")) {
		int egress = !strcmp(hook, "tc-egress");
		LIBBPF_OPTS(bpf_tc_hook, h, .ifindex = (int)ifindex,
			    .attach_point = egress ? BPF_TC_EGRESS : BPF_TC_INGRESS);
		LIBBPF_OPTS(bpf_tc_opts, o, .handle = 1, .priority = 1);

		if (detach) {
			err = bpf_tc_detach(&h, &o);
		} else {
			fd = pinned(pin, egress ? "sr6_tc_egress" : "sr6_tc_ingress", 0);
			err = bpf_tc_hook_create(&h);
			if (err && err != -EEXIST)
				die("clsact on %s: %s", ifname, strerror(-err));
			o.prog_fd = fd;
			o.flags = BPF_TC_F_REPLACE;
			err = bpf_tc_attach(&h, &o);
		}
	} else {
		die("hook '%s': xdp, xdpgeneric, tc-ingress or tc-egress", hook);
	}
	if (err)
		die("%s %s on %s: %s", detach ? "detach" : "attach", hook, ifname, strerror(-err));
	if (fd >= 0)
		close(fd);
	return 0;
}

/* Load an object (a file, or the node program built in) with its maps pinned by name under
 * pin, and pin every program at pin/<name> (replacing an older pin). */
static struct bpf_object *load(const char *pin, const char *file)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = pin);
	struct bpf_program *prog;
	struct bpf_object *obj;
	char path[512];
	size_t size;

	if (file) {
		obj = bpf_object__open_file(file, &opts);
	} else {
		const void *bytes = sr6_bpf__elf_bytes(&size);

		file = "sr6.bpf.o";
		obj = bpf_object__open_mem(bytes, size, &opts);
	}
	if (!obj)
		die("open %s: %s", file, strerror(errno));
	if (bpf_object__load(obj))
		die("load %s: %s", file, strerror(errno));
	bpf_object__for_each_program(prog, obj) {
		snprintf(path, sizeof(path), "%s/%s", pin, bpf_program__name(prog));
		unlink(path);
		if (bpf_program__pin(prog, path))
			die("pin %s: %s", path, strerror(errno));
	}
	return obj;
}

static int cmd_load(int argc, char **argv)
{
	struct bpf_object *obj;

	if (argc != 1 && argc != 2 && argc != 4 && !(argc == 5 && !strcmp(argv[4], "tc")))
		die("usage: load PIN [OBJ [PROG IFNAME [tc]]]");
	obj = load(argv[0], argc > 1 ? argv[1] : NULL);
	if (argc >= 4) {
		/* The program by its pin, attached where "attach" would attach it. */
		const char *hook = argc == 5 ? "tc-ingress" : "xdp";
		char want[64];

		snprintf(want, sizeof(want), "%s", !strcmp(hook, "xdp") ? "sr6_xdp" : "sr6_tc_ingress");
		if (!bpf_object__find_program_by_name(obj, argv[2]))
			die("%s: no program '%s'", argv[1], argv[2]);
		if (strcmp(argv[2], want))
			die("%s: attach %s as %s (the node program's)", argv[2], hook, want);
		attach(argv[0], argv[3], hook, 0);
	}
	bpf_object__close(obj);
	return 0;
}

/* sr6_config: flags = (flags & ~clear) | set, generation + 1. */
static void config_update(const char *pin, uint32_t clear, uint32_t set)
{
	int fd = pinned(pin, STR(SR6_MAP_CONFIG), 0);
	struct sr6_config cfg = { 0 };
	uint32_t zero = 0;

	if (bpf_map_lookup_elem(fd, &zero, &cfg))
		die("sr6_config: %s", strerror(errno));
	cfg.flags = (cfg.flags & ~clear) | set;
	cfg.generation++;
	if (bpf_map_update_elem(fd, &zero, &cfg, BPF_ANY))
		die("sr6_config: %s", strerror(errno));
	close(fd);
}

static int cmd_config(int argc, char **argv)
{
	static const struct { const char *name; uint32_t flag; } flags[] = {
		{ "steer6", SR6_CFG_STEER6 }, { "steer4", SR6_CFG_STEER4 },
		{ "sids", SR6_CFG_SIDS }, { "locators", SR6_CFG_LOCATORS },
		{ "tc-after-xdp", SR6_CFG_TC_AFTER_XDP }, { "fib-cache", SR6_CFG_FIB_CACHE },
	};
	uint32_t set = 0;
	size_t k;
	int i;

	if (argc < 1)
		die("usage: config PIN [steer6] [steer4] [sids] [locators] [tc-after-xdp] [fib-cache]");
	for (i = 1; i < argc; i++) {
		for (k = 0; k < ARRAY_SIZE(flags) && strcmp(argv[i], flags[k].name); k++)
			;
		if (k == ARRAY_SIZE(flags))
			die("config flag '%s' unknown", argv[i]);
		set |= flags[k].flag;
	}
	config_update(argv[0], UINT32_MAX, set);
	return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Headend: policies, rules, steering                                                        */

static int cmd_policy(int argc, char **argv)
{
	struct headend_policy_spec spec = { 0 };
	struct sr6_policy pol;
	char err[256];
	uint32_t key;
	int i;

	if (argc < 4)
		die("usage: policy PIN KEY MODE [options] path=[W:]SIDS ...");
	key = (uint32_t)number("KEY", argv[1], SR6_MAX_POLICIES - 1);
	spec.stats_id = key;
	if (!strcmp(argv[2], "encap"))
		spec.mode = SR6_MODE_ENCAP;
	else if (!strcmp(argv[2], "encap.red"))
		spec.mode = SR6_MODE_ENCAP_RED;
	else if (!strcmp(argv[2], "inline"))
		spec.mode = SR6_MODE_INLINE;
	else
		die("MODE '%s': encap, encap.red or inline", argv[2]);
	for (i = 3; i < argc; i++) {
		char *a = argv[i];

		if (!strncmp(a, "source=", 7)) {
			spec.source = a + 7;
		} else if (!strncmp(a, "hop=", 4)) {
			spec.hop_limit = (uint8_t)number("hop", a + 4, 255);
		} else if (!strncmp(a, "tag=", 4)) {
			spec.tag = (uint16_t)number("tag", a + 4, 0xffff);
		} else if (!strncmp(a, "mtu=", 4)) {
			spec.mtu = (uint32_t)number("mtu", a + 4, 0xffff);
		} else if (!strcmp(a, "tccopy")) {
			spec.flags |= SR6_POLICY_F_TC_COPY;
		} else if (!strncmp(a, "path=", 5)) {
			char *sids = a + 5, *colon = strchr(sids, ':');

			if (spec.npaths == SR6_MAX_PATHS)
				die("%s: at most %d paths", a, SR6_MAX_PATHS);
			/* "W:SIDS" when what precedes the first ':' is a plain number. */
			if (colon && strspn(sids, "0123456789") == (size_t)(colon - sids) && colon > sids) {
				*colon = 0;
				spec.paths[spec.npaths].weight =
					(uint16_t)number("path weight", sids, SR6_MAX_WEIGHT);
				sids = colon + 1;
			}
			spec.paths[spec.npaths++].sids = sids;
		} else {
			die("policy option '%s' unknown", a);
		}
	}
	if (headend_policy_build(&pol, &spec, err, sizeof(err)))
		die("%s", err);
	map_update(argv[0], "sr6_policies", &key, &pol);
	return 0;
}

static void range(const char *what, const char *text, __u16 *lo, __u16 *hi)
{
	char buf[32], *dash;

	snprintf(buf, sizeof(buf), "%s", text);
	dash = strchr(buf, '-');
	if (dash)
		*dash = 0;
	*lo = (__u16)number(what, buf, 65535);
	*hi = dash ? (__u16)number(what, dash + 1, 65535) : *lo;
	if (*hi < *lo)
		die("%s: empty range '%s'", what, text);
}

static int cmd_rule(int argc, char **argv)
{
	struct sr6_steer_rule r;
	uint32_t slot;
	int i;

	if (argc < 3)
		die("usage: rule PIN SLOT POLICY [conditions]");
	memset(&r, 0, sizeof(r));
	slot = (uint32_t)number("SLOT", argv[1], SR6_MAX_STEER_RULES - 1);
	r.policy = (__u32)number("POLICY", argv[2], SR6_MAX_POLICIES - 1);
	r.rule_id = slot;
	for (i = 3; i < argc; i++) {
		char *a = argv[i];

		if (!strncmp(a, "src=", 4)) {
			char *slash = strchr(a + 4, '/');

			if (!slash)
				die("%s: PREFIX/LEN", a);
			*slash = 0;
			if (inet_pton(AF_INET6, a + 4, &r.src) == 1)
				r.src_len = (__u8)number("src length", slash + 1, 128);
			else if (inet_pton(AF_INET, a + 4, &r.src.w[0]) == 1)
				r.src_len = (__u8)number("src length", slash + 1, 32);
			else
				die("src: bad address '%s'", a + 4);
			r.match |= SR6_MATCH_SRC;
		} else if (!strncmp(a, "proto=", 6)) {
			r.proto = (__u8)number("proto", a + 6, 255);
			r.match |= SR6_MATCH_PROTO;
		} else if (!strncmp(a, "sport=", 6)) {
			range("sport", a + 6, &r.sport_min, &r.sport_max);
			r.match |= SR6_MATCH_SPORT;
		} else if (!strncmp(a, "dport=", 6)) {
			range("dport", a + 6, &r.dport_min, &r.dport_max);
			r.match |= SR6_MATCH_DPORT;
		} else if (!strncmp(a, "dscp=", 5)) {
			r.dscp = (__u8)number("dscp", a + 5, 63);
			r.match |= SR6_MATCH_DSCP;
		} else if (!strncmp(a, "iif=", 4)) {
			r.ifindex = ifindex_of(a + 4);
			r.match |= SR6_MATCH_IIF;
		} else {
			die("rule condition '%s' unknown", a);
		}
	}
	map_update(argv[0], "sr6_steer_rules", &slot, &r);
	return 0;
}

/* "PREFIX/LEN" into addr (16 bytes for IPv6, 4 for IPv4): the family, or dies. */
static int prefix(const char *text, void *addr, uint32_t *len)
{
	char buf[64], *slash;
	int v6;

	snprintf(buf, sizeof(buf), "%s", text);
	slash = strchr(buf, '/');
	if (!slash)
		die("'%s': want PREFIX/LEN", text);
	*slash = 0;
	v6 = strchr(buf, ':') != NULL;
	if (inet_pton(v6 ? AF_INET6 : AF_INET, buf, addr) != 1)
		die("prefix '%s'", buf);
	*len = (uint32_t)number("LEN", slash + 1, v6 ? 128 : 32);
	return v6 ? AF_INET6 : AF_INET;
}

static int cmd_steer(int argc, char **argv)
{
	struct sr6_steer6_key k6 = { 0 };
	struct sr6_steer4_key k4 = { 0 };
	struct sr6_steer_set set;
	union sr6_in6 a;
	uint32_t len;

	if (argc != 4)
		die("usage: steer PIN PREFIX/LEN FIRST COUNT");
	set.first = (__u32)number("FIRST", argv[2], SR6_MAX_STEER_RULES - 1);
	/* COUNT 0 is an exclusion: the prefix is never steered. */
	set.count = (__u32)number("COUNT", argv[3], SR6_MAX_RULES_PER_SET);
	if (prefix(argv[1], &a, &len) == AF_INET6) {
		k6.prefixlen = len;
		k6.dst = a;
		map_update(argv[0], "sr6_steer6", &k6, &set);
	} else {
		k4.prefixlen = len;
		k4.dst = a.w[0];
		map_update(argv[0], "sr6_steer4", &k4, &set);
	}
	return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Endpoint: SIDs, locators; End.BPF functions                                               */

static const struct { const char *name; uint8_t value; } behaviors[] = {
	{ "End", SR6_END }, { "End.X", SR6_END_X }, { "End.T", SR6_END_T },
	{ "End.DX6", SR6_END_DX6 }, { "End.DX4", SR6_END_DX4 }, { "End.DT6", SR6_END_DT6 },
	{ "End.BPF", SR6_END_BPF },
};

static const struct { const char *name; uint16_t bit; } flavors[] = {
	{ "psp", SR6_FLV_PSP }, { "usp", SR6_FLV_USP }, { "usd", SR6_FLV_USD },
	{ "next-csid", SR6_FLV_NEXT_CSID },
};

static void parse_sid_value(struct sr6_sid *sid, char **argv, int argc)
{
	size_t i;
	int a;

	memset(sid, 0, sizeof(*sid));
	for (i = 0; i < ARRAY_SIZE(behaviors); i++)
		if (!strcmp(argv[0], behaviors[i].name))
			sid->behavior = behaviors[i].value;
	if (!sid->behavior)
		die("'%s': unknown behaviour", argv[0]);
	for (a = 1; a + 1 < argc; a += 2) {
		const char *k = argv[a], *v = argv[a + 1];

		if (!strcmp(k, "nh6")) {
			parse_in6(&sid->nh6, v);
		} else if (!strcmp(k, "nh4")) {
			if (inet_pton(AF_INET, v, &sid->nh4) != 1)
				die("'%s': not an IPv4 address", v);
		} else if (!strcmp(k, "table")) {
			sid->table = (uint32_t)number("table", v, UINT32_MAX);
		} else if (!strcmp(k, "stats")) {
			sid->stats_id = (uint32_t)number("stats", v, SR6_MAX_LOCAL_SIDS - 1);
		} else if (!strcmp(k, "flavors")) {
			char buf[128], *tok, *save = NULL;

			snprintf(buf, sizeof(buf), "%s", v);
			for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
				uint16_t bit = 0;

				for (i = 0; i < ARRAY_SIZE(flavors); i++)
					if (!strcmp(tok, flavors[i].name))
						bit = flavors[i].bit;
				if (!bit)
					die("'%s': unknown flavor", tok);
				sid->flavors |= bit;
			}
		} else {
			die("'%s': unknown option", k);
		}
	}
	if (a < argc)
		die("'%s': option without a value", argv[a]);
}

static int cmd_sid(int argc, char **argv, int locator)
{
	struct sr6_locator_key lk = { 0 };
	struct sr6_sid sid;
	union sr6_in6 key;

	if (argc < 3)
		die("usage: %s PIN %s BEHAVIOR [options]", locator ? "locator" : "sid",
		    locator ? "PREFIX/LEN" : "SID");
	parse_sid_value(&sid, argv + 2, argc - 2);
	if (locator) {
		if (prefix(argv[1], &lk.prefix, &lk.prefixlen) != AF_INET6)
			die("'%s': an IPv6 locator", argv[1]);
		map_update(argv[0], STR(SR6_MAP_LOCATORS), &lk, &sid);
		config_update(argv[0], 0, SR6_CFG_LOCATORS);
	} else {
		parse_in6(&key, argv[1]);
		map_update(argv[0], STR(SR6_MAP_SIDS), &key, &sid);
		config_update(argv[0], 0, SR6_CFG_SIDS);
	}
	return 0;
}

static uint8_t parse_verdict(const char *v)
{
	if (!strcmp(v, "permit"))
		return SR6_ACL_PERMIT;
	if (!strcmp(v, "deny"))
		return SR6_ACL_DENY;
	die("'%s': want permit or deny", v);
}

static int cmd_acl(int argc, char **argv)
{
	struct sr6_fn_acl acl = { 0 };
	union sr6_in6 key;
	int a;

	if (argc < 3)
		die("usage: acl PIN SID permit|deny [TAG/MASK=permit|deny ...]");
	parse_in6(&key, argv[1]);
	acl.default_verdict = parse_verdict(argv[2]);
	for (a = 3; a < argc; a++) {
		struct sr6_acl_rule *r;
		int tag, mask;
		char verdict[16];

		if (acl.rule_count == SR6_ACL_MAX_RULES)
			die("'%s': more than %d rules", argv[a], SR6_ACL_MAX_RULES);
		if (sscanf(argv[a], "%i/%i=%15s", &tag, &mask, verdict) != 3 || tag > 0xffff ||
		    mask > 0xffff || tag < 0 || mask < 0)
			die("'%s': want TAG/MASK=permit|deny", argv[a]);
		r = &acl.rules[acl.rule_count++];
		r->tag = (uint16_t)(tag & mask);
		r->tag_mask = (uint16_t)mask;
		r->verdict = parse_verdict(verdict);
	}
	map_update(argv[0], STR(SR6_MAP_FN_ACL), &key, &acl);
	return 0;
}

static int cmd_delay(int argc, char **argv)
{
	struct sr6_fn_delay cfg = { 0 };
	union sr6_in6 key;

	if (argc != 3 && !(argc == 4 && !strcmp(argv[3], "pop")))
		die("usage: delay PIN SID auto|write|read [pop]");
	parse_in6(&key, argv[1]);
	if (!strcmp(argv[2], "auto"))
		cfg.mode = SR6_DELAY_AUTO;
	else if (!strcmp(argv[2], "write"))
		cfg.mode = SR6_DELAY_WRITE;
	else if (!strcmp(argv[2], "read"))
		cfg.mode = SR6_DELAY_READ;
	else
		die("'%s': want auto, write or read", argv[2]);
	if (argc == 4)
		cfg.flags |= SR6_DELAY_F_POP;
	map_update(argv[0], STR(SR6_MAP_FN_DELAY), &key, &cfg);
	return 0;
}

static int cmd_ratelimit(int argc, char **argv)
{
	struct sr6_fn_rl cfg = { 0 };
	union sr6_in6 key;

	if (argc != 5)
		die("usage: ratelimit PIN SID RATE BURST packets|bytes");
	parse_in6(&key, argv[1]);
	cfg.rate = number("RATE", argv[2], 1000000000000UL);
	cfg.burst = number("BURST", argv[3], 10000000000UL);
	if (!cfg.rate || !cfg.burst)
		die("rate and burst must be > 0");
	if (!strcmp(argv[4], "bytes"))
		cfg.unit = SR6_RL_BYTES;
	else if (strcmp(argv[4], "packets"))
		die("'%s': want packets or bytes", argv[4]);
	map_update(argv[0], STR(SR6_MAP_FN_RL), &key, &cfg);
	return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Counters                                                                                  */

#define MAX_WORDS 40	/* the largest per-CPU value read: struct sr6_delay_hist */

/* Sum a per-CPU value of n 64-bit words into sum[n]: 0, or -1 when the entry is absent. */
static int percpu_sum(int fd, const void *key, size_t n, uint64_t *sum)
{
	int cpus = libbpf_num_possible_cpus(), c;
	uint64_t *v;
	size_t i;

	if (cpus <= 0 || n > MAX_WORDS)
		die("per-CPU values: %d CPUs, %zu words", cpus, n);
	v = calloc((size_t)cpus, n * sizeof(*v));
	if (!v)
		die("out of memory");
	if (bpf_map_lookup_elem(fd, key, v)) {
		free(v);
		return -1;
	}
	memset(sum, 0, n * sizeof(*sum));
	for (c = 0; c < cpus; c++)
		for (i = 0; i < n; i++)
			sum[i] += v[(size_t)c * n + i];
	free(v);
	return 0;
}

static const char *in6_text(const union sr6_in6 *a)
{
	static char buf[4][INET6_ADDRSTRLEN];
	static int n;

	n = (n + 1) % 4;
	return inet_ntop(AF_INET6, a, buf[n], sizeof(buf[n]));
}

static int cmd_stats(int argc, char **argv)
{
	uint64_t sum[2];
	uint32_t key, k;
	int fd, slot;

	if (argc != 2)
		die("usage: stats PIN KEY");
	key = (uint32_t)number("KEY", argv[1], SR6_MAX_POLICIES - 1);
	fd = pinned(argv[0], "sr6_policy_stats", 0);
	for (slot = 0; slot < SR6_POLICY_STATS_SLOTS; slot++) {
		k = key * SR6_POLICY_STATS_SLOTS + (uint32_t)slot;
		if (percpu_sum(fd, &k, 2, sum))
			die("policy stats %u: %s", k, strerror(errno));
		if (slot == 0)
			printf("policy %llu %llu\n", (unsigned long long)sum[0],
			       (unsigned long long)sum[1]);
		else
			printf("path%d %llu %llu\n", slot - 1, (unsigned long long)sum[0],
			       (unsigned long long)sum[1]);
	}
	close(fd);
	return 0;
}

#define X_NAME(name, value, desc) [value] = #name,
static const char *const drop_names[SR6_DROP_MAX] = { SR6_DROP_REASONS(X_NAME) };
static const char *const event_names[SR6_EVENT_MAX] = { SR6_EVENTS(X_NAME) };

/* "drop NAME N" and "event NAME N" for every reason counted (End.BPF objects without these
 * maps have none to show when optional). */
static void print_drops(const char *pin, int optional)
{
	uint64_t sum[1];
	uint32_t i;
	int fd;

	fd = pinned(pin, STR(SR6_MAP_DROPS), optional);
	for (i = 0; fd >= 0 && i < SR6_DROP_MAX; i++)
		if (!percpu_sum(fd, &i, 1, sum) && sum[0])
			printf("drop %s %llu\n", drop_names[i] ? drop_names[i] : "?",
			       (unsigned long long)sum[0]);
	if (fd >= 0)
		close(fd);
	fd = pinned(pin, STR(SR6_MAP_EVENTS), optional);
	for (i = 0; fd >= 0 && i < SR6_EVENT_MAX; i++)
		if (!percpu_sum(fd, &i, 1, sum) && sum[0])
			printf("event %s %llu\n", event_names[i] ? event_names[i] : "?",
			       (unsigned long long)sum[0]);
	if (fd >= 0)
		close(fd);
}

static int cmd_drops(int argc, char **argv)
{
	if (argc != 1)
		die("usage: drops PIN");
	print_drops(argv[0], 0);
	return 0;
}

/* Every key of a per-CPU hash keyed by SID with n words: "label SID v1 v2 ...". */
static void show_by_sid(const char *pin, const char *map, const char *label, size_t n)
{
	union sr6_in6 key, next, *prev = NULL;
	uint64_t sum[MAX_WORDS];
	int fd = pinned(pin, map, 1);
	size_t i;

	if (fd < 0)
		return;
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (percpu_sum(fd, &key, n, sum))
			continue;
		printf("%s %s", label, in6_text(&key));
		for (i = 0; i < n; i++)
			printf(" %llu", (unsigned long long)sum[i]);
		printf("\n");
	}
	close(fd);
}

static int cmd_show(int argc, char **argv)
{
	const char *pin = argv[0];
	uint64_t sum[MAX_WORDS];
	uint32_t i;
	int fd;

	if (argc != 1)
		die("usage: show PIN");
	print_drops(pin, 1);
	fd = pinned(pin, STR(SR6_MAP_SID_STATS), 1);
	for (i = 0; fd >= 0 && i < 256; i++)
		if (!percpu_sum(fd, &i, 2, sum) && sum[0])
			printf("sid_stats %u %llu %llu\n", i, (unsigned long long)sum[0],
			       (unsigned long long)sum[1]);
	if (fd >= 0)
		close(fd);
	show_by_sid(pin, STR(SR6_MAP_FN_COUNT_SID), "count", 2);
	show_by_sid(pin, STR(SR6_MAP_FN_ACL_STATS), "acl", 2);
	show_by_sid(pin, STR(SR6_MAP_FN_RL_STATS), "ratelimit", 2);
	fd = pinned(pin, STR(SR6_MAP_FN_COUNT_FLOW), 1);
	if (fd >= 0) {
		struct sr6_flow_key key, next, *prev = NULL;
		unsigned int flows = 0;

		while (!bpf_map_get_next_key(fd, prev, &next)) {
			key = next;
			prev = &key;
			flows++;
			if (!percpu_sum(fd, &key, 2, sum))
				printf("flow %s %s %u %u %u %llu %llu\n", in6_text(&key.src),
				       in6_text(&key.dst), key.proto, key.sport, key.dport,
				       (unsigned long long)sum[0], (unsigned long long)sum[1]);
		}
		printf("flows %u\n", flows);
		close(fd);
	}
	fd = pinned(pin, STR(SR6_MAP_FN_DELAY_HIST), 1);
	if (fd >= 0) {
		struct sr6_delay_key key, next, *prev = NULL;
		size_t n = sizeof(struct sr6_delay_hist) / 8;

		while (!bpf_map_get_next_key(fd, prev, &next)) {
			key = next;
			prev = &key;
			if (percpu_sum(fd, &key, n, sum))
				continue;
			printf("delay %s %s count %llu sum_ns %llu negative %llu buckets",
			       in6_text(&key.ingress), in6_text(&key.egress),
			       (unsigned long long)sum[0], (unsigned long long)sum[1],
			       (unsigned long long)sum[2]);
			for (i = 0; i < SR6_DELAY_BUCKETS; i++)
				printf(" %llu", (unsigned long long)sum[4 + i]);
			printf("\n");
		}
		close(fd);
	}
	return 0;
}

/* ---------------------------------------------------------------------------------------- */

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{ "load", cmd_load }, { "fnload", cmd_load }, { "config", cmd_config },
	{ "policy", cmd_policy }, { "rule", cmd_rule }, { "steer", cmd_steer },
	{ "acl", cmd_acl }, { "delay", cmd_delay }, { "ratelimit", cmd_ratelimit },
	{ "stats", cmd_stats }, { "drops", cmd_drops }, { "show", cmd_show },
};

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	char **a = argv + 2;
	int n = argc - 2;
	size_t i;

	libbpf_set_print(NULL);
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(cmd, commands[i].name))
			return commands[i].run(n, a);
	if (!strcmp(cmd, "attach") && n == 3)
		return attach(a[0], a[1], a[2], 0);
	if (!strcmp(cmd, "detach") && n == 2)
		return attach(NULL, a[0], a[1], 1);
	if ((!strcmp(cmd, "sid") || !strcmp(cmd, "locator")) && n >= 0)
		return cmd_sid(n, a, !strcmp(cmd, "locator"));
	if (!strcmp(cmd, "fib-cache") && n == 2 && (!strcmp(a[1], "on") || !strcmp(a[1], "off"))) {
		config_update(a[0], SR6_CFG_FIB_CACHE, !strcmp(a[1], "on") ? SR6_CFG_FIB_CACHE : 0);
		return 0;
	}
	fprintf(stderr, "usage: sr6-nodetool load|fnload|attach|detach|config|fib-cache|policy|rule|"
		"steer|sid|locator|acl|delay|ratelimit|stats|drops|show ...\n"
		"       (see the comment at the top of selftests/tools/nodetool.c)\n");
	return 2;
}
