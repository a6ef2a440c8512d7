/*
 * headend_load: a small loader for the headend's integration tests and benchmarks.  It loads
 * the node program with its maps pinned under a per-run folder, attaches it to interfaces,
 * and fills the steering and policy maps through the ABI of sr6_abi.h, one command per call:
 *
 *   headend_load load   PIN_DIR
 *   headend_load attach PIN_DIR IFNAME xdp|xdpgeneric|tc-ingress|tc-egress
 *   headend_load detach IFNAME xdp|tc-ingress|tc-egress
 *   headend_load policy PIN_DIR KEY MODE [source=ADDR] [hop=N] [tag=N] [mtu=N] [tccopy]
 *                       path=[WEIGHT:]SID,SID,... [path=...]
 *   headend_load rule   PIN_DIR SLOT POLICY [src=PREFIX/LEN] [proto=N] [sport=A[-B]]
 *                       [dport=A[-B]] [dscp=N] [iif=IFNAME]
 *   headend_load steer  PIN_DIR PREFIX/LEN FIRST COUNT     (COUNT 0: never steered)
 *   headend_load config PIN_DIR [steer6] [steer4] [tc-after-xdp] [fib-cache]
 *   headend_load stats  PIN_DIR KEY       per-policy and per-path packets and bytes
 *   headend_load drops  PIN_DIR           non-zero drop reasons and events
 *
 * MODE is encap, encap.red or inline.  The policy's stats id is its key.  Errors name the
 * argument at fault and exit 1.
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

#include "selftests/bpf/headend_policy.h"
#include "sr6.skel.h"

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("headend_load: ", stderr);
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

/* A pinned map or program. */
static int pinned_fd(const char *pin_dir, const char *name)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", pin_dir, name);
	fd = bpf_obj_get(path);
	if (fd < 0)
		die("%s: %s (run 'load' first)", path, strerror(errno));
	return fd;
}

static void map_update(const char *pin_dir, const char *name, const void *key, const void *value)
{
	int fd = pinned_fd(pin_dir, name);

	if (bpf_map_update_elem(fd, key, value, BPF_ANY))
		die("update %s: %s", name, strerror(errno));
}

static int cmd_load(int argc, char **argv)
{
	static const char *const progs[] = { "sr6_xdp", "sr6_tc_ingress", "sr6_tc_egress" };
	LIBBPF_OPTS(bpf_object_open_opts, opts);
	struct sr6_bpf *skel;
	char path[512];
	size_t i;

	if (argc != 1)
		die("usage: load PIN_DIR");
	opts.pin_root_path = argv[0];
	skel = sr6_bpf__open_opts(&opts);
	if (!skel)
		die("open sr6.bpf.o: %s", strerror(errno));
	if (sr6_bpf__load(skel))
		die("load sr6.bpf.o: %s", strerror(errno));
	for (i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
		struct bpf_program *p = bpf_object__find_program_by_name(skel->obj, progs[i]);

		snprintf(path, sizeof(path), "%s/%s", argv[0], progs[i]);
		if (!p || bpf_program__pin(p, path))
			die("pin %s: %s", path, strerror(errno));
	}
	sr6_bpf__destroy(skel);
	return 0;
}

static unsigned int ifindex_of(const char *name)
{
	unsigned int i = if_nametoindex(name);

	if (!i)
		die("interface '%s': %s", name, strerror(errno));
	return i;
}

static int cmd_attach(int argc, char **argv, int detach)
{
	const char *pin_dir, *ifname, *hook;
	unsigned int ifindex;
	int fd, err;

	if (argc != (detach ? 2 : 3))
		die(detach ? "usage: detach IFNAME HOOK" : "usage: attach PIN_DIR IFNAME HOOK");
	pin_dir = detach ? NULL : argv[0];
	ifname = argv[detach ? 0 : 1];
	hook = argv[detach ? 1 : 2];
	ifindex = ifindex_of(ifname);
	if (!strcmp(hook, "xdp") || !strcmp(hook, "xdpgeneric")) {
		__u32 flags = !strcmp(hook, "xdp") ? XDP_FLAGS_DRV_MODE : XDP_FLAGS_SKB_MODE;

		if (detach) {
			/* Whichever mode it was attached in. */
			err = bpf_xdp_attach((int)ifindex, -1, XDP_FLAGS_DRV_MODE, NULL);
			if (!err)
				err = bpf_xdp_attach((int)ifindex, -1, XDP_FLAGS_SKB_MODE, NULL);
		} else {
			fd = pinned_fd(pin_dir, "sr6_xdp");
			err = bpf_xdp_attach((int)ifindex, fd, flags, NULL);
		}
		if (err)
			die("%s XDP on %s: %s", detach ? "detach" : "attach", ifname, strerror(-err));
		return 0;
	}
	if (!strcmp(hook, "tc-ingress") || !strcmp(hook, "tc-egress")) {
		int egress = !strcmp(hook, "tc-egress");
		LIBBPF_OPTS(bpf_tc_hook, h, .ifindex = (int)ifindex,
			    .attach_point = egress ? BPF_TC_EGRESS : BPF_TC_INGRESS);
		LIBBPF_OPTS(bpf_tc_opts, o, .handle = 1, .priority = 1);

		if (detach) {
			err = bpf_tc_detach(&h, &o);
		} else {
			fd = pinned_fd(pin_dir, egress ? "sr6_tc_egress" : "sr6_tc_ingress");
			err = bpf_tc_hook_create(&h);
			if (err && err != -EEXIST)
				die("clsact on %s: %s", ifname, strerror(-err));
			o.prog_fd = fd;
			o.flags = BPF_TC_F_REPLACE;
			err = bpf_tc_attach(&h, &o);
		}
		if (err)
			die("%s %s on %s: %s", detach ? "detach" : "attach", hook, ifname, strerror(-err));
		return 0;
	}
	die("hook '%s': xdp, xdpgeneric, tc-ingress or tc-egress", hook);
	return 1;
}

static int cmd_policy(int argc, char **argv)
{
	struct headend_policy_spec spec = { 0 };
	struct sr6_policy pol;
	char err[256];
	uint32_t key;
	int i;

	if (argc < 4)
		die("usage: policy PIN_DIR KEY MODE [options] path=[W:]SIDS ...");
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
		die("usage: rule PIN_DIR SLOT POLICY [conditions]");
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

static int cmd_steer(int argc, char **argv)
{
	struct sr6_steer_set set;
	char buf[64], *slash;

	if (argc != 4)
		die("usage: steer PIN_DIR PREFIX/LEN FIRST COUNT");
	snprintf(buf, sizeof(buf), "%s", argv[1]);
	slash = strchr(buf, '/');
	if (!slash)
		die("%s: PREFIX/LEN", argv[1]);
	*slash = 0;
	set.first = (__u32)number("FIRST", argv[2], SR6_MAX_STEER_RULES - 1);
	/* COUNT 0 is an exclusion: the prefix is never steered. */
	set.count = (__u32)number("COUNT", argv[3], SR6_MAX_RULES_PER_SET);
	if (strchr(buf, ':')) {
		struct sr6_steer6_key k = { .prefixlen = (__u32)number("LEN", slash + 1, 128) };

		if (inet_pton(AF_INET6, buf, &k.dst) != 1)
			die("prefix '%s'", buf);
		map_update(argv[0], "sr6_steer6", &k, &set);
	} else {
		struct sr6_steer4_key k = { .prefixlen = (__u32)number("LEN", slash + 1, 32) };

		if (inet_pton(AF_INET, buf, &k.dst) != 1)
			die("prefix '%s'", buf);
		map_update(argv[0], "sr6_steer4", &k, &set);
	}
	return 0;
}

static int cmd_config(int argc, char **argv)
{
	struct sr6_config c = { 0 };
	__u32 zero = 0;
	int i;

	if (argc < 1)
		die("usage: config PIN_DIR [steer6] [steer4] [tc-after-xdp] [fib-cache]");
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "steer6"))
			c.flags |= SR6_CFG_STEER6;
		else if (!strcmp(argv[i], "steer4"))
			c.flags |= SR6_CFG_STEER4;
		else if (!strcmp(argv[i], "tc-after-xdp"))
			c.flags |= SR6_CFG_TC_AFTER_XDP;
		else if (!strcmp(argv[i], "fib-cache"))
			c.flags |= SR6_CFG_FIB_CACHE;
		else
			die("config flag '%s' unknown", argv[i]);
	}
	map_update(argv[0], "sr6_config", &zero, &c);
	return 0;
}

static int cmd_stats(int argc, char **argv)
{
	int ncpu = libbpf_num_possible_cpus(), fd, slot, cpu;
	struct sr6_counter *v;
	uint32_t key;

	if (argc != 2)
		die("usage: stats PIN_DIR KEY");
	key = (uint32_t)number("KEY", argv[1], SR6_MAX_POLICIES - 1);
	fd = pinned_fd(argv[0], "sr6_policy_stats");
	v = calloc((size_t)ncpu, sizeof(*v));
	if (!v)
		die("out of memory");
	for (slot = 0; slot < SR6_POLICY_STATS_SLOTS; slot++) {
		__u32 k = key * SR6_POLICY_STATS_SLOTS + (uint32_t)slot;
		unsigned long long packets = 0, bytes = 0;

		if (bpf_map_lookup_elem(fd, &k, v))
			die("policy stats %u: %s", k, strerror(errno));
		for (cpu = 0; cpu < ncpu; cpu++) {
			packets += v[cpu].packets;
			bytes += v[cpu].bytes;
		}
		if (slot == 0)
			printf("policy %llu %llu\n", packets, bytes);
		else
			printf("path%d %llu %llu\n", slot - 1, packets, bytes);
	}
	free(v);
	return 0;
}

static void dump_reasons(const char *pin_dir, const char *map, const char *kind, int max)
{
	int ncpu = libbpf_num_possible_cpus(), fd = pinned_fd(pin_dir, map), cpu;
	__u64 *v = calloc((size_t)ncpu, sizeof(*v));
	__u32 k;

	if (!v)
		die("out of memory");
	for (k = 1; k < (__u32)max; k++) {
		unsigned long long sum = 0;

		if (bpf_map_lookup_elem(fd, &k, v))
			die("%s %u: %s", map, k, strerror(errno));
		for (cpu = 0; cpu < ncpu; cpu++)
			sum += v[cpu];
		if (sum)
			printf("%s %u %llu\n", kind, k, sum);
	}
	free(v);
}

static int cmd_drops(int argc, char **argv)
{
	if (argc != 1)
		die("usage: drops PIN_DIR");
	dump_reasons(argv[0], "sr6_drops", "drop", SR6_DROP_MAX);
	dump_reasons(argv[0], "sr6_events", "event", SR6_EVENT_MAX);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		die("usage: headend_load load|attach|detach|policy|rule|steer|config|stats|drops ...");
	libbpf_set_print(NULL);
	if (!strcmp(argv[1], "load"))
		return cmd_load(argc - 2, argv + 2);
	if (!strcmp(argv[1], "attach"))
		return cmd_attach(argc - 2, argv + 2, 0);
	if (!strcmp(argv[1], "detach"))
		return cmd_attach(argc - 2, argv + 2, 1);
	if (!strcmp(argv[1], "policy"))
		return cmd_policy(argc - 2, argv + 2);
	if (!strcmp(argv[1], "rule"))
		return cmd_rule(argc - 2, argv + 2);
	if (!strcmp(argv[1], "steer"))
		return cmd_steer(argc - 2, argv + 2);
	if (!strcmp(argv[1], "config"))
		return cmd_config(argc - 2, argv + 2);
	if (!strcmp(argv[1], "stats"))
		return cmd_stats(argc - 2, argv + 2);
	if (!strcmp(argv[1], "drops"))
		return cmd_drops(argc - 2, argv + 2);
	die("unknown command '%s'", argv[1]);
	return 1;
}
