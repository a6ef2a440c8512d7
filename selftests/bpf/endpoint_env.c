/* endpoint_env.c: see endpoint_env.h. */
#include "selftests/bpf/endpoint_env.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sr6_abi.h"

static const char *const setup_cmds[] = {
	"ip link set lo up",
	"sysctl -qw net.ipv6.conf.all.forwarding=1 net.ipv4.ip_forward=1 "
	"net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0",
	"ip link add in0 address " ENV_MAC_IN " type veth peer name in1 address " ENV_MAC_PEER,
	"ip link add out0 address " ENV_MAC_OUT " type veth peer name out1 address " ENV_MAC_NH2,
	"ip link set in0 up",
	"ip link set in1 up",
	"ip link set out0 up",
	"ip link set out1 up",
	"ip -6 addr add fc00:1::1/64 dev out0 nodad",
	"ip -6 addr add fc00:a::2/64 dev in0 nodad",
	"ip addr add 10.1.0.1/24 dev out0",
	"ip -6 addr add 2001:db8:aa::1/128 dev lo",
	"ip -6 neigh replace fc00:1::2 lladdr " ENV_MAC_NH2 " dev out0 nud permanent",
	"ip -6 neigh replace fc00:1::3 lladdr " ENV_MAC_NH3 " dev out0 nud permanent",
	"ip neigh replace 10.1.0.2 lladdr " ENV_MAC_NH2 " dev out0 nud permanent",
	"ip neigh replace 10.1.0.3 lladdr " ENV_MAC_NH3 " dev out0 nud permanent",
	"ip -6 route add fc00:9:9::/48 via fc00:1::9 dev out0",
	"ip -6 route add fc00::/16 via fc00:1::2 dev out0",
	"ip -6 route add 2001:db8::/32 via fc00:1::2 dev out0",
	"ip route add 198.51.100.0/24 via 10.1.0.2 dev out0",
	"ip -6 route add 2001:db8:77::/48 via fc00:1::3 dev out0 table 100",
};

int env_setup(struct env *env)
{
	char cmd[512];
	size_t i;

	if (unshare(CLONE_NEWNET)) {
		perror("unshare(CLONE_NEWNET)");
		return -1;
	}
	for (i = 0; i < sizeof(setup_cmds) / sizeof(setup_cmds[0]); i++) {
		snprintf(cmd, sizeof(cmd), "%s >/dev/null 2>&1", setup_cmds[i]);
		if (system(cmd) != 0) {
			fprintf(stderr, "env_setup: '%s' failed\n", setup_cmds[i]);
			return -1;
		}
	}
	env->in_ifindex = if_nametoindex("in0");
	env->out_ifindex = if_nametoindex("out0");
	return env->in_ifindex && env->out_ifindex ? 0 : -1;
}

uint64_t env_percpu_u64(int map_fd, uint32_t key)
{
	int n = libbpf_num_possible_cpus(), i;
	uint64_t v[256] = { 0 }, sum = 0;

	if (n <= 0 || n > 256 || bpf_map_lookup_elem(map_fd, &key, v))
		return 0;
	for (i = 0; i < n; i++)
		sum += v[i];
	return sum;
}

void env_percpu_counter(int map_fd, const void *key, uint64_t *packets, uint64_t *bytes)
{
	int n = libbpf_num_possible_cpus(), i;
	struct sr6_counter v[256];

	*packets = 0;
	*bytes = 0;
	memset(v, 0, sizeof(v));
	if (n <= 0 || n > 256 || bpf_map_lookup_elem(map_fd, key, v))
		return;
	for (i = 0; i < n; i++) {
		*packets += v[i].packets;
		*bytes += v[i].bytes;
	}
}
