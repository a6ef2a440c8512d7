/*
 * sr6-eptool: the endpoint and End.BPF function tests' helper: load BPF objects with a
 * per-run pin root, attach, fill the endpoint and function maps, print counters.
 *
 *   sr6-eptool load PIN OBJ PROG IFACE [tc]     load OBJ (maps pinned by name under PIN),
 *                                                attach program PROG to IFACE (native XDP, or
 *                                                tc clsact ingress) and pin it at PIN/PROG
 *   sr6-eptool fnload PIN OBJ                    load an End.BPF object, pin its program at
 *                                                PIN/<program name>
 *   sr6-eptool sid PIN SID BEHAVIOR [nh6 A] [nh4 A] [table N] [flavors F,..] [stats N]
 *   sr6-eptool locator PIN PREFIX/LEN BEHAVIOR [...same options]
 *   sr6-eptool acl PIN SID permit|deny [TAG/MASK=permit|deny ...]
 *   sr6-eptool delay PIN SID auto|write|read [pop]
 *   sr6-eptool ratelimit PIN SID RATE BURST packets|bytes
 *   sr6-eptool fib-cache PIN on|off              set or clear SR6_CFG_FIB_CACHE
 *   sr6-eptool show PIN                          counters, one "name key... values..." a line
 *
 * BEHAVIOR: End End.X End.T End.DX6 End.DX4 End.DT6 End.BPF; flavors psp usp usd next-csid.
 * Errors go to stderr with the offending argument; exit status 1.
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

#include "sr6_abi.h"

#define STR_(x) #x
#define STR(x) STR_(x)

static int die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("sr6-eptool: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void parse_in6(union sr6_in6 *out, const char *text)
{
	if (inet_pton(AF_INET6, text, out) != 1)
		die("'%s': not an IPv6 address", text);
}

static unsigned long parse_num(const char *text, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(text, &end, 0);
	if (errno || *end || end == text || v > max)
		die("'%s': not a number in 0..%lu", text, max);
	return v;
}

static int map_fd(const char *pin, const char *name)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", pin, name);
	fd = bpf_obj_get(path);
	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	return fd;
}

static int map_fd_opt(const char *pin, const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", pin, name);
	return bpf_obj_get(path);
}

static struct bpf_object *open_pinned(const char *pin, const char *obj_path)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = pin);
	struct bpf_object *obj = bpf_object__open_file(obj_path, &opts);

	if (!obj)
		die("%s: %s", obj_path, strerror(errno));
	if (bpf_object__load(obj))
		die("%s: load failed: %s", obj_path, strerror(errno));
	return obj;
}

static int cmd_load(char **argv, int tc)
{
	struct bpf_object *obj = open_pinned(argv[0], argv[1]);
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, argv[2]);
	unsigned int ifindex = if_nametoindex(argv[3]);
	char path[512];

	if (!prog)
		die("%s: no program '%s'", argv[1], argv[2]);
	if (!ifindex)
		die("%s: no such interface", argv[3]);
	if (tc) {
		LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = (int)ifindex, .attach_point = BPF_TC_INGRESS);
		LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = bpf_program__fd(prog));
		int err = bpf_tc_hook_create(&hook);

		if (err && err != -EEXIST)
			die("%s: clsact: %s", argv[3], strerror(-err));
		err = bpf_tc_attach(&hook, &opts);
		if (err)
			die("%s: tc ingress attach failed: %s", argv[3], strerror(-err));
	} else if (bpf_xdp_attach((int)ifindex, bpf_program__fd(prog), XDP_FLAGS_DRV_MODE, NULL)) {
		die("%s: native XDP attach failed: %s", argv[3], strerror(errno));
	}
	/* Pinned too, so that "ip link set dev X xdpdrv pinned PIN/PROG" can put it back. */
	snprintf(path, sizeof(path), "%s/%s", argv[0], argv[2]);
	if (bpf_program__pin(prog, path))
		die("%s: pin failed: %s", path, strerror(errno));
	return 0;
}

static int cmd_fnload(char **argv)
{
	struct bpf_object *obj = open_pinned(argv[0], argv[1]);
	struct bpf_program *prog;
	char path[512];

	bpf_object__for_each_program(prog, obj) {
		snprintf(path, sizeof(path), "%s/%s", argv[0], bpf_program__name(prog));
		if (bpf_program__pin(prog, path))
			die("%s: pin failed: %s", path, strerror(errno));
		printf("%s\n", path);
	}
	return 0;
}

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
	for (i = 0; i < sizeof(behaviors) / sizeof(behaviors[0]); i++)
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
			sid->table = (uint32_t)parse_num(v, UINT32_MAX);
		} else if (!strcmp(k, "stats")) {
			sid->stats_id = (uint32_t)parse_num(v, SR6_MAX_LOCAL_SIDS - 1);
		} else if (!strcmp(k, "flavors")) {
			char buf[128], *tok, *save = NULL;

			snprintf(buf, sizeof(buf), "%s", v);
			for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
				uint16_t bit = 0;

				for (i = 0; i < sizeof(flavors) / sizeof(flavors[0]); i++)
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

static void config_set(const char *pin, uint32_t flag, int on)
{
	int fd = map_fd(pin, STR(SR6_MAP_CONFIG));
	struct sr6_config cfg = { 0 };
	uint32_t zero = 0;

	if (bpf_map_lookup_elem(fd, &zero, &cfg))
		die("sr6_config: %s", strerror(errno));
	if (on)
		cfg.flags |= flag;
	else
		cfg.flags &= ~flag;
	cfg.generation++;
	if (bpf_map_update_elem(fd, &zero, &cfg, 0))
		die("sr6_config: %s", strerror(errno));
}

static int cmd_sid(char **argv, int argc)
{
	struct sr6_sid sid;
	union sr6_in6 key;

	parse_in6(&key, argv[1]);
	parse_sid_value(&sid, argv + 2, argc - 2);
	if (bpf_map_update_elem(map_fd(argv[0], STR(SR6_MAP_SIDS)), &key, &sid, 0))
		die("sr6_sids: %s", strerror(errno));
	config_set(argv[0], SR6_CFG_SIDS, 1);
	return 0;
}

static int cmd_locator(char **argv, int argc)
{
	struct sr6_locator_key key = { 0 };
	struct sr6_sid sid;
	char buf[64], *slash;

	snprintf(buf, sizeof(buf), "%s", argv[1]);
	slash = strchr(buf, '/');
	if (!slash)
		die("'%s': want PREFIX/LEN", argv[1]);
	*slash = 0;
	parse_in6(&key.prefix, buf);
	key.prefixlen = (uint32_t)parse_num(slash + 1, 128);
	parse_sid_value(&sid, argv + 2, argc - 2);
	if (bpf_map_update_elem(map_fd(argv[0], STR(SR6_MAP_LOCATORS)), &key, &sid, 0))
		die("sr6_locators: %s", strerror(errno));
	config_set(argv[0], SR6_CFG_LOCATORS, 1);
	return 0;
}

static uint8_t parse_verdict(const char *v)
{
	if (!strcmp(v, "permit"))
		return SR6_ACL_PERMIT;
	if (!strcmp(v, "deny"))
		return SR6_ACL_DENY;
	die("'%s': want permit or deny", v);
	return 0;
}

static int cmd_acl(char **argv, int argc)
{
	struct sr6_fn_acl acl = { 0 };
	union sr6_in6 key;
	int a;

	parse_in6(&key, argv[1]);
	acl.default_verdict = parse_verdict(argv[2]);
	for (a = 3; a < argc; a++) {
		struct sr6_acl_rule *r;
		int tag, mask;
		char verdict[16];

		if (acl.rule_count == SR6_ACL_MAX_RULES)
			die("'%s': more than %d rules", argv[a], SR6_ACL_MAX_RULES);
		if (sscanf(argv[a], "%i/%i=%15s", &tag, &mask, verdict) != 3 || tag > 0xffff ||
		    mask > 0xffff)
			die("'%s': want TAG/MASK=permit|deny", argv[a]);
		if (tag < 0 || mask < 0)
			die("'%s': negative tag or mask", argv[a]);
		r = &acl.rules[acl.rule_count++];
		r->tag = (uint16_t)(tag & mask);
		r->tag_mask = (uint16_t)mask;
		r->verdict = parse_verdict(verdict);
	}
	if (bpf_map_update_elem(map_fd(argv[0], STR(SR6_MAP_FN_ACL)), &key, &acl, 0))
		die("sr6_fn_acl: %s", strerror(errno));
	return 0;
}

static int cmd_delay(char **argv, int argc)
{
	struct sr6_fn_delay cfg = { 0 };
	union sr6_in6 key;

	parse_in6(&key, argv[1]);
	if (!strcmp(argv[2], "auto"))
		cfg.mode = SR6_DELAY_AUTO;
	else if (!strcmp(argv[2], "write"))
		cfg.mode = SR6_DELAY_WRITE;
	else if (!strcmp(argv[2], "read"))
		cfg.mode = SR6_DELAY_READ;
	else
		die("'%s': want auto, write or read", argv[2]);
	if (argc > 3) {
		if (strcmp(argv[3], "pop"))
			die("'%s': unknown option", argv[3]);
		cfg.flags |= SR6_DELAY_F_POP;
	}
	if (bpf_map_update_elem(map_fd(argv[0], STR(SR6_MAP_FN_DELAY)), &key, &cfg, 0))
		die("sr6_fn_delay: %s", strerror(errno));
	return 0;
}

static int cmd_ratelimit(char **argv)
{
	struct sr6_fn_rl cfg = { 0 };
	union sr6_in6 key;

	parse_in6(&key, argv[1]);
	cfg.rate = parse_num(argv[2], 1000000000000UL);
	cfg.burst = parse_num(argv[3], 10000000000UL);
	if (!cfg.rate || !cfg.burst)
		die("rate and burst must be > 0");
	if (!strcmp(argv[4], "bytes"))
		cfg.unit = SR6_RL_BYTES;
	else if (strcmp(argv[4], "packets"))
		die("'%s': want packets or bytes", argv[4]);
	if (bpf_map_update_elem(map_fd(argv[0], STR(SR6_MAP_FN_RL)), &key, &cfg, 0))
		die("sr6_fn_rl: %s", strerror(errno));
	return 0;
}

/* ---------------------------------------------------------------------------------------- */

#define MAX_CPUS 256

/* Sum n __u64 fields of a per-CPU value into sum[0..n-1]. */
static int percpu_sum(int fd, const void *key, size_t n, uint64_t *sum)
{
	static uint64_t v[MAX_CPUS * 40];
	int cpus = libbpf_num_possible_cpus(), c;
	size_t i;

	if (cpus <= 0 || cpus > MAX_CPUS || n > 40 || bpf_map_lookup_elem(fd, key, v))
		return -1;
	memset(sum, 0, n * sizeof(*sum));
	for (c = 0; c < cpus; c++)
		for (i = 0; i < n; i++)
			sum[i] += v[(size_t)c * n + i];
	return 0;
}

static const char *in6_text(const union sr6_in6 *a)
{
	static char buf[4][INET6_ADDRSTRLEN];
	static int n;

	n = (n + 1) % 4;
	return inet_ntop(AF_INET6, a, buf[n], sizeof(buf[n]));
}

#define X_NAME(name, value, desc) [value] = #name,
static const char *const drop_names[SR6_DROP_MAX] = { SR6_DROP_REASONS(X_NAME) };
static const char *const event_names[SR6_EVENT_MAX] = { SR6_EVENTS(X_NAME) };

/* Print every key of a per-CPU hash keyed by SID with n fields. */
static void show_by_sid(const char *pin, const char *map, const char *label, size_t n)
{
	union sr6_in6 key, next, *prev = NULL;
	uint64_t sum[40];
	int fd = map_fd_opt(pin, map);
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
}

static int cmd_show(char **argv)
{
	const char *pin = argv[0];
	uint64_t sum[40];
	uint32_t i;
	int fd;

	fd = map_fd_opt(pin, STR(SR6_MAP_DROPS));
	for (i = 0; fd >= 0 && i < SR6_DROP_MAX; i++)
		if (!percpu_sum(fd, &i, 1, sum) && sum[0])
			printf("drop %s %llu\n", drop_names[i] ? drop_names[i] : "?",
			       (unsigned long long)sum[0]);
	fd = map_fd_opt(pin, STR(SR6_MAP_EVENTS));
	for (i = 0; fd >= 0 && i < SR6_EVENT_MAX; i++)
		if (!percpu_sum(fd, &i, 1, sum) && sum[0])
			printf("event %s %llu\n", event_names[i] ? event_names[i] : "?",
			       (unsigned long long)sum[0]);
	fd = map_fd_opt(pin, STR(SR6_MAP_SID_STATS));
	for (i = 0; fd >= 0 && i < 256; i++)
		if (!percpu_sum(fd, &i, 2, sum) && sum[0])
			printf("sid_stats %u %llu %llu\n", i, (unsigned long long)sum[0],
			       (unsigned long long)sum[1]);
	show_by_sid(pin, STR(SR6_MAP_FN_COUNT_SID), "count", 2);
	show_by_sid(pin, STR(SR6_MAP_FN_ACL_STATS), "acl", 2);
	show_by_sid(pin, STR(SR6_MAP_FN_RL_STATS), "ratelimit", 2);
	fd = map_fd_opt(pin, STR(SR6_MAP_FN_COUNT_FLOW));
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
	}
	fd = map_fd_opt(pin, STR(SR6_MAP_FN_DELAY_HIST));
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
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	char **a = argv + 2;
	int n = argc - 2;

	if (!strcmp(cmd, "load") && n == 4)
		return cmd_load(a, 0);
	if (!strcmp(cmd, "load") && n == 5 && !strcmp(a[4], "tc"))
		return cmd_load(a, 1);
	if (!strcmp(cmd, "fnload") && n == 2)
		return cmd_fnload(a);
	if (!strcmp(cmd, "sid") && n >= 3)
		return cmd_sid(a, n);
	if (!strcmp(cmd, "locator") && n >= 3)
		return cmd_locator(a, n);
	if (!strcmp(cmd, "acl") && n >= 3)
		return cmd_acl(a, n);
	if (!strcmp(cmd, "delay") && (n == 3 || n == 4))
		return cmd_delay(a, n);
	if (!strcmp(cmd, "ratelimit") && n == 5)
		return cmd_ratelimit(a);
	if (!strcmp(cmd, "fib-cache") && n == 2 && (!strcmp(a[1], "on") || !strcmp(a[1], "off"))) {
		config_set(a[0], SR6_CFG_FIB_CACHE, !strcmp(a[1], "on"));
		return 0;
	}
	if (!strcmp(cmd, "show") && n == 1)
		return cmd_show(a);
	fprintf(stderr, "usage: sr6-eptool load|fnload|sid|locator|acl|delay|ratelimit|fib-cache|show PIN ...\n"
			"       (see the comment at the top of selftests/tools/eptool.c)\n");
	return 2;
}
