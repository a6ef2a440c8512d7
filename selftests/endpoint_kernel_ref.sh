#!/usr/bin/env bash
# The kernel as reference for the XDP endpoint: two identical routers, one processing the
# SIDs with the kernel's seg6local routes, one with the node program sr6.bpf.o at XDP (and
# no seg6local route at all), receive the same frames; the frames they forward, and the
# ICMP errors they send back, must be identical byte for byte.
#
#   sk:s0 -- rk0 [rk] rk1 -- d0:dk      kernel seg6local
#   sx:s0 -- rx0 [rx] rx1 -- d0:dx      sr6 on rx0 (XDP_PASS on d0: veth needs it on the peer
#                                       to receive XDP-redirected frames)
# Both twins use the same addresses and MAC addresses, so even Ethernet headers must match.
#
#   endpoint_kernel_ref.sh [xdp|tc]     the hook sr6 runs at on rx0 (sr6_xdp or sr6_tc_ingress)
set -u
HOOK=${1:-xdp}
source "$SR6_TOP/selftests/lib/check.sh"
source "$SR6_TOP/selftests/lib/topo.sh"
CHECK_PREFIX="endpoint kernel twin ($HOOK): "
require_cmd tcpdump /usr/bin/python3 nsenter
/usr/bin/python3 -c 'import scapy' 2>/dev/null || { echo "python3-scapy missing"; exit 4; }

TOOL="$SR6_BUILD/bin/sr6-nodetool"
TWIN="$SR6_TOP/selftests/endpoint_twin.py"
topo_init
tmp=$(mktemp -d)
topo_on_cleanup "rm -rf '$tmp'"

topo_ns sk rk dk sx rx dx
for t in k x; do
	topo_link s$t s0 r$t r${t}0
	topo_link r$t r${t}1 d$t d0
	nx s$t ip link set s0 address 02:00:00:00:0a:01
	nx r$t ip link set r${t}0 address 02:00:00:00:0a:02
	nx r$t ip link set r${t}1 address 02:00:00:00:0b:02
	nx d$t ip link set d0 address 02:00:00:00:0b:01
	topo_addr s$t s0 fc00:a::1/64
	topo_addr r$t r${t}0 fc00:a::2/64
	topo_addr r$t r${t}1 fc00:b::2/64
	nx r$t ip addr add 10.2.0.2/24 dev r${t}1
	topo_addr d$t d0 fc00:b::1/64
	nx r$t ip -6 neigh replace fc00:a::1 lladdr 02:00:00:00:0a:01 dev r${t}0 nud permanent
	nx r$t ip -6 neigh replace fc00:b::1 lladdr 02:00:00:00:0b:01 dev r${t}1 nud permanent
	nx r$t ip -6 neigh replace fc00:b::3 lladdr 02:00:00:00:0b:03 dev r${t}1 nud permanent
	nx r$t ip neigh replace 10.2.0.3 lladdr 02:00:00:00:0b:03 dev r${t}1 nud permanent
	# End.DX4's next hop is behind a gateway: with an on-link nh4 the kernel resolves the
	# inner destination instead of nh4 (it ARPs for 198.51.100.7), while sr6 sends to nh4's
	# neighbour as RFC 8986 4.5 says.  The twins are compared where both agree.
	nx r$t ip route add 10.9.0.3/32 via 10.2.0.3 dev r${t}1
	nx r$t ip -6 route add fc00::/16 via fc00:b::1 dev r${t}1
	nx r$t ip -6 route add 2001:db8::/32 via fc00:b::1 dev r${t}1
	nx r$t ip route add 198.51.100.0/24 via 10.2.0.1 dev r${t}1
	nx r$t ip neigh replace 10.2.0.1 lladdr 02:00:00:00:0b:01 dev r${t}1 nud permanent
	nx r$t ip -6 route add 2001:db8:77::/48 via fc00:b::3 dev r${t}1 table 100
	# The routers answer ICMP errors from their ingress address, the same in both twins.
	nx s$t ip -6 route add default via fc00:a::2 dev s0
done

# Kernel twin: seg6local routes.
sl() { nx rk ip -6 route add "$1" encap seg6local action "${@:2}" dev rk0; }
sl fc00:5::1/128 End
sl fc00:5::2/128 End.X nh6 fc00:b::3
sl fc00:5::3/128 End.T table 100
sl fc00:5::4/128 End flavors psp
sl fc00:5::d6/128 End.DX6 nh6 fc00:b::3
sl fc00:5::d4/128 End.DX4 nh4 10.9.0.3
sl fc00:5::7/128 End.DT6 table 100
sl fc00:0:100::/48 End flavors next-csid lblen 32 nflen 16

# sr6 twin: the same SIDs in sr6_sids / sr6_locators.
pin=$(topo_pin_dir)
mkdir -p "$pin/rx" "$pin/sink"
if [[ "$HOOK" == tc ]]; then
	check "load the endpoint at tc ingress on rx0" \
		nx rx sh -c "'$TOOL' load '$pin/rx' && '$TOOL' attach '$pin/rx' rx0 tc-ingress"
else
	check "load the endpoint at XDP on rx0" \
		nx rx sh -c "'$TOOL' load '$pin/rx' && '$TOOL' attach '$pin/rx' rx0 xdp"
fi
check "XDP_PASS on the sr6 twin's sink" \
	nx dx sh -c "'$TOOL' load '$pin/sink' && '$TOOL' attach '$pin/sink' d0 xdp"
configure_xdp() {
	set -e
	local ep=("$TOOL" sid "$pin/rx")
	"${ep[@]}" fc00:5::1 End stats 1
	"${ep[@]}" fc00:5::2 End.X nh6 fc00:b::3 stats 2
	"${ep[@]}" fc00:5::3 End.T table 100 stats 3
	"${ep[@]}" fc00:5::4 End flavors psp stats 4
	"${ep[@]}" fc00:5::d6 End.DX6 nh6 fc00:b::3 stats 5
	"${ep[@]}" fc00:5::d4 End.DX4 nh4 10.9.0.3 stats 6
	"${ep[@]}" fc00:5::7 End.DT6 table 100 stats 7
	"$TOOL" locator "$pin/rx" fc00:0:100::/48 End flavors next-csid stats 8
}
check "configure the same SIDs for sr6" configure_xdp

# Capture at both sinks and both sources, send the same frames into both twins.
# (nsenter directly, not through nx: $! must be tcpdump itself so that it can be stopped.)
pids=()
for t in k x; do
	nsenter --net="/run/netns/$(topo_nsname d$t)" tcpdump -i d0 -U -n -w "$tmp/sink-$t.pcap" \
		>"$tmp/tcpdump-d$t.log" 2>&1 &
	pids+=($!)
	nsenter --net="/run/netns/$(topo_nsname s$t)" tcpdump -i s0 -U -n -w "$tmp/source-$t.pcap" \
		icmp6 >"$tmp/tcpdump-s$t.log" 2>&1 &
	pids+=($!)
done
topo_on_cleanup "kill ${pids[*]}"
for f in d{k,x} s{k,x}; do
	topo_wait_for 10 grep -q listening "$tmp/tcpdump-$f.log" ||
		fail "tcpdump ready in $f" "$(cat "$tmp/tcpdump-$f.log")"
done
for t in k x; do
	nx s$t /usr/bin/python3 "$TWIN" send s0
done
sleep 1
kill -TERM "${pids[@]}" 2>/dev/null
wait "${pids[@]}" 2>/dev/null

/usr/bin/python3 "$TWIN" compare sink "$tmp/sink-k.pcap" "$tmp/sink-x.pcap" "$HOOK" ||
	CHECK_FAILED=$((CHECK_FAILED + 1))
/usr/bin/python3 "$TWIN" compare source "$tmp/source-k.pcap" "$tmp/source-x.pcap" "$HOOK" ||
	CHECK_FAILED=$((CHECK_FAILED + 1))

# The sr6 twin did the work itself: its counters (the kernel there has no seg6local route).
show=$("$TOOL" show "$pin/rx")
check_match "End counted 4 packets (2, 3 SIDs, TLV, hop limit 2) + the hop limit 1 hand-off" \
	'sid_stats 1 5 ' "$show"
check_match "End.DX4 counted" 'sid_stats 6 1 ' "$show"
check_match "next-csid locator counted twice" 'sid_stats 8 2 ' "$show"
check_match "hop limit 1 handed to the kernel" 'event HOP_LIMIT 1' "$show"
check_match "Segments Left out of range dropped and counted" 'drop SL_OUT_OF_RANGE 1' "$show"
check_match "End.DX6 with Segments Left 1 dropped and counted" 'drop SL_NOT_ZERO 1' "$show"
check_done
