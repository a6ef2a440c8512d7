/* headend_harness.c: namespace, skeleton and map helpers of the headend tests. */
#include "selftests/bpf/headend_harness.h"

#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <criterion/criterion.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sr6.skel.h"

struct harness H;

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);

	cr_assert(fd >= 0, "open %s: %s", path, strerror(errno));
	cr_assert(write(fd, text, strlen(text)) == (ssize_t)strlen(text), "write %s", path);
	close(fd);
}

void harness_ip(const char *commands)
{
	FILE *ip = popen("ip -batch - 2>&1", "w");

	cr_assert_not_null(ip, "popen ip");
	fputs(commands, ip);
	cr_assert_eq(pclose(ip), 0, "ip -batch failed on:\n%s", commands);
}

void harness_setup(void)
{
	struct bpf_map *map;
	const uint8_t *mac;
	struct ifreq ifr;
	int fd;

	cr_assert_eq(unshare(CLONE_NEWNET), 0, "unshare(CLONE_NEWNET): %s", strerror(errno));
	harness_ip("link set lo up\n"
		   "link add v0 address 02:00:00:00:00:01 type veth peer name v1\n"
		   "link set v0 up\n"
		   "link set v1 up\n"
		   "addr add fc00:e::1/64 dev v0 nodad\n"
		   "addr add 10.99.0.1/24 dev v0\n"
		   "neigh add fc00:e::2 lladdr " HARNESS_NH_MAC " dev v0 nud permanent\n"
		   "neigh add 10.99.0.2 lladdr " HARNESS_NH_MAC " dev v0 nud permanent\n"
		   "route add fc00:5::/32 via fc00:e::2 dev v0\n"
		   "route add 2001:db8::/32 via fc00:e::2 dev v0\n"
		   "route add 10.0.0.0/8 via 10.99.0.2 dev v0\n");
	write_file("/proc/sys/net/ipv6/conf/all/forwarding", "1");
	write_file("/proc/sys/net/ipv4/ip_forward", "1");
	H.ifindex = (int)if_nametoindex("v0");
	cr_assert(H.ifindex > 0, "v0 ifindex");
	/* sysfs still shows the namespace it was mounted in: ask the interface itself. */
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	cr_assert(fd >= 0);
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "v0");
	cr_assert_eq(ioctl(fd, SIOCGIFHWADDR, &ifr), 0, "SIOCGIFHWADDR v0");
	close(fd);
	mac = (const uint8_t *)ifr.ifr_hwaddr.sa_data;
	snprintf(H.mac, sizeof(H.mac), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2],
		 mac[3], mac[4], mac[5]);

	H.skel = sr6_bpf__open();
	cr_assert_not_null(H.skel, "open sr6.bpf.o");
	/* Tests share nothing: no pinning at all. */
	bpf_object__for_each_map(map, H.skel->obj)
		bpf_map__set_pin_path(map, NULL);
	/* Small tables: creating the full-size per-CPU arrays costs a tenth of a second. */
	bpf_map__set_max_entries(H.skel->maps.sr6_policy_stats, 64 * SR6_POLICY_STATS_SLOTS);
	bpf_map__set_max_entries(H.skel->maps.sr6_sid_stats, 64);
	bpf_map__set_max_entries(H.skel->maps.sr6_steer_rules, 1024);
	cr_assert_eq(sr6_bpf__load(H.skel), 0, "load sr6.bpf.o");
}

void harness_teardown(void)
{
	sr6_bpf__destroy(H.skel);
	H.skel = NULL;
}

static void update(struct bpf_map *map, const void *key, const void *value)
{
	int err = bpf_map__update_elem(map, key, bpf_map__key_size(map), value,
				       bpf_map__value_size(map), BPF_ANY);

	cr_assert_eq(err, 0, "update %s: %s", bpf_map__name(map), strerror(-err));
}

void h_config_seeded(uint32_t flags, uint32_t hash_seed)
{
	struct sr6_config c = { .flags = flags, .hash_seed = hash_seed };
	uint32_t zero = 0;

	update(H.skel->maps.sr6_config, &zero, &c);
}

void h_config(uint32_t flags)
{
	h_config_seeded(flags, 0);
}

void h_policy(uint32_t key, const struct headend_policy_spec *spec)
{
	struct sr6_policy pol;
	char err[200];

	cr_assert_eq(headend_policy_build(&pol, spec, err, sizeof(err)), 0, "%s", err);
	update(H.skel->maps.sr6_policies, &key, &pol);
}

void h_policy_delete(uint32_t key)
{
	bpf_map__delete_elem(H.skel->maps.sr6_policies, &key, sizeof(key), 0);
}

void h_steer6(const char *prefix, uint32_t plen, uint32_t first, uint32_t count)
{
	struct sr6_steer6_key k = { .prefixlen = plen };
	struct sr6_steer_set set = { .first = first, .count = count };

	cr_assert_eq(inet_pton(AF_INET6, prefix, &k.dst), 1, "prefix %s", prefix);
	update(H.skel->maps.sr6_steer6, &k, &set);
}

void h_steer4(const char *prefix, uint32_t plen, uint32_t first, uint32_t count)
{
	struct sr6_steer4_key k = { .prefixlen = plen };
	struct sr6_steer_set set = { .first = first, .count = count };

	cr_assert_eq(inet_pton(AF_INET, prefix, &k.dst), 1, "prefix %s", prefix);
	update(H.skel->maps.sr6_steer4, &k, &set);
}

void h_rule(uint32_t slot, const struct sr6_steer_rule *rule)
{
	update(H.skel->maps.sr6_steer_rules, &slot, rule);
}

void h_rule_policy(uint32_t slot, uint32_t policy)
{
	struct sr6_steer_rule r = { .policy = policy };

	h_rule(slot, &r);
}

static int ncpus(void)
{
	static int n;

	if (!n)
		n = libbpf_num_possible_cpus();
	return n;
}

struct sr6_counter h_policy_counter(uint32_t stats_id, uint32_t slot)
{
	struct sr6_counter v[ncpus()], sum = { 0, 0 };
	uint32_t key = stats_id * SR6_POLICY_STATS_SLOTS + slot;
	int i;

	cr_assert_eq(bpf_map__lookup_elem(H.skel->maps.sr6_policy_stats, &key, sizeof(key), v,
					  sizeof(v), 0), 0, "policy stats");
	for (i = 0; i < ncpus(); i++) {
		sum.packets += v[i].packets;
		sum.bytes += v[i].bytes;
	}
	return sum;
}

static uint64_t percpu_sum(struct bpf_map *map, uint32_t key)
{
	uint64_t v[ncpus()], sum = 0;
	int i;

	cr_assert_eq(bpf_map__lookup_elem(map, &key, sizeof(key), v, sizeof(v), 0), 0, "%s",
		     bpf_map__name(map));
	for (i = 0; i < ncpus(); i++)
		sum += v[i];
	return sum;
}

uint64_t h_drops(uint32_t reason)
{
	return percpu_sum(H.skel->maps.sr6_drops, reason);
}

uint64_t h_events(uint32_t event)
{
	return percpu_sum(H.skel->maps.sr6_events, event);
}

int h_prog_fd(enum harness_hook hook)
{
	switch (hook) {
	case H_XDP:
		return bpf_program__fd(H.skel->progs.sr6_xdp);
	case H_TC_IN:
		return bpf_program__fd(H.skel->progs.sr6_tc_ingress);
	default:
		return bpf_program__fd(H.skel->progs.sr6_tc_egress);
	}
}

void h_run(enum harness_hook hook, const struct pkt *in, struct bpf_run_result *out)
{
	int err = hook == H_XDP ? bpf_run_xdp(out, h_prog_fd(hook), in->data, in->len, (uint32_t)H.ifindex)
				: bpf_run_tc(out, h_prog_fd(hook), in->data, in->len, (uint32_t)H.ifindex);

	cr_assert_eq(err, 0, "%s: test_run: %s", h_hook_name(hook), strerror(-err));
}

const char *h_hook_name(enum harness_hook hook)
{
	static const char *const names[] = { "xdp", "tc-ingress", "tc-egress" };

	return names[hook];
}

uint32_t h_verdict_pass(enum harness_hook hook)
{
	return hook == H_XDP ? XDP_PASS : 0 /* TC_ACT_OK */;
}

uint32_t h_verdict_drop(enum harness_hook hook)
{
	return hook == H_XDP ? XDP_DROP : 2 /* TC_ACT_SHOT */;
}

uint32_t h_verdict_sent(enum harness_hook hook)
{
	switch (hook) {
	case H_XDP:
		return XDP_REDIRECT;
	case H_TC_IN:
		return 7; /* TC_ACT_REDIRECT */
	default:
		return 0; /* already on v0: TC_ACT_OK with the new MACs */
	}
}
