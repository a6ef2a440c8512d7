# Network namespace topologies for integration tests and benchmarks.
#
#   source selftests/lib/topo.sh
#   topo_init                       unique prefix, cleanup on exit (even after failure)
#   topo_ns a r b                   namespaces a, r, b (lo up, accept_dad=0, forwarding=1, seg6 on)
#   topo_link a a0 r r0             veth a0 (in a) <-> r0 (in r), both up
#   topo_addr a a0 fc00:a::1/64     address on an interface
#   nx a ping -6 -c1 fc00:a::2      run a command in namespace a
#   topo_pin_dir                    a per-run bpffs folder, removed at cleanup
#
# Names are "$TOPO_ID-<name>" with TOPO_ID unique per run, so two runs never collide. nx uses
# nsenter --net only, keeping the mount namespace, so /sys/fs/bpf pins stay visible (ip netns
# exec remounts /sys and hides them).

TOPO_ID=""
TOPO_NS=()
TOPO_CLEANUP_HOOKS=()

topo_init() {
	TOPO_ID="sr6t$$$(printf '%04x' $((RANDOM % 65536)))"
	trap topo_cleanup EXIT
	trap 'exit 130' INT TERM
}

# topo_on_cleanup COMMAND...: run COMMAND (as a string) at cleanup, before namespaces go.
topo_on_cleanup() { TOPO_CLEANUP_HOOKS+=("$*"); }

topo_cleanup() {
	local i ns
	for (( i = ${#TOPO_CLEANUP_HOOKS[@]} - 1; i >= 0; i-- )); do
		eval "${TOPO_CLEANUP_HOOKS[$i]}" >/dev/null 2>&1 || true
	done
	TOPO_CLEANUP_HOOKS=()
	for ns in "${TOPO_NS[@]}"; do
		# Kill what still runs inside (servers, captures) so the namespace really goes.
		ip netns pids "$TOPO_ID-$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns del "$TOPO_ID-$ns" 2>/dev/null
	done
	TOPO_NS=()
	# The pin folder's name is fixed by TOPO_ID, so it is found even when topo_pin_dir ran in
	# a subshell ($(topo_pin_dir)).  Before topo_init there is no TOPO_ID, and the path would
	# be bpffs itself, with every other user's pins.
	if [[ -n "$TOPO_ID" ]]; then
		rm -rf "/sys/fs/bpf/$TOPO_ID"
	fi
}

topo_nsname() { printf '%s-%s' "$TOPO_ID" "$1"; }

nx() {
	local ns=$1; shift
	nsenter --net="/run/netns/$TOPO_ID-$ns" "$@"
}

topo_ns() {
	local ns full
	for ns in "$@"; do
		full="$TOPO_ID-$ns"
		ip netns add "$full" || return 1
		TOPO_NS+=("$ns")
		nx "$ns" ip link set lo up
		nx "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
			net.ipv6.conf.all.forwarding=1 net.ipv4.ip_forward=1 \
			net.ipv6.conf.all.seg6_enabled=1 net.ipv6.conf.default.seg6_enabled=1 \
			net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 >/dev/null
	done
}

# topo_link NS_A IF_A NS_B IF_B: a veth pair, both ends up.
topo_link() {
	ip link add "$2" netns "$TOPO_ID-$1" type veth peer name "$4" netns "$TOPO_ID-$3" || return 1
	nx "$1" ip link set "$2" up
	nx "$3" ip link set "$4" up
}

topo_addr() { nx "$1" ip addr add "$3" dev "$2" nodad 2>/dev/null || nx "$1" ip addr add "$3" dev "$2"; }

# nsenter --net keeps the host's /sys, so ask netlink rather than sysfs.
topo_mac() { nx "$1" ip -o link show dev "$2" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p'; }

topo_ifindex() { nx "$1" ip -o link show dev "$2" | cut -d: -f1; }

topo_pin_dir() {
	mkdir -p "/sys/fs/bpf/$TOPO_ID"
	printf '%s' "/sys/fs/bpf/$TOPO_ID"
}

# topo_wait_for SECONDS COMMAND...: retry COMMAND every 0.1 s until it succeeds.
topo_wait_for() {
	local deadline=$((SECONDS + $1)); shift
	until "$@" >/dev/null 2>&1; do
		(( SECONDS >= deadline )) && return 1
		sleep 0.1
	done
}
