#!/usr/bin/env bash
# headend_e2e: SRv6 end to end through the sr6 headend, with the kernel as every other node.
#
#   A --- H --- R --- E --- B        A, B: hosts (fc00:a::1, 10.0.1.1 / fc00:b::2, 10.0.2.2)
#         |     |     |             H: sr6 headend (XDP native, XDP generic + tc, tc ingress,
#         |     |     |                tc egress for H's own traffic); kernel End.DT6/End.DX4
#         |     |     |                for the way back
#                 R: kernel End (fc00:5:2::e1; ::e3 and ::e4 for ECMP, with counters)
#                       E: kernel End.DT6 / End.DX4 / End towards B, kernel seg6 encap back
#
# Only E knows B, and H and R have no route to B: a packet H forgets to steer is lost.
#
#   headend_e2e.sh          every hook x encap / encap.red / inline: ping, UDP both ways,
#                           1 MB TCP both ways, counters, Packet Too Big / Frag Needed
#   headend_e2e.sh --slow   32 MB TCP both ways at every hook (GSO at tc), 10,000-flow
#                           weighted ECMP counted at R
set -uo pipefail
: "${SR6_TOP:?}" "${SR6_BUILD:?}"
source "$SR6_TOP/selftests/lib/check.sh"
source "$SR6_TOP/selftests/lib/topo.sh"
require_cmd ip ping nsenter ethtool /usr/bin/python3

SLOW=0
[[ ${1:-} == --slow ]] && SLOW=1
# For debugging one part: HEADEND_HOOKS="xdp tc-ingress" HEADEND_MODES=encap
HOOKS=${HEADEND_HOOKS:-xdp xdpgeneric tc-ingress tc-egress}
MODES=${HEADEND_MODES:-encap encap.red inline}
CHECK_PREFIX="headend e2e: "
(( SLOW )) && CHECK_PREFIX="headend e2e slow: "
LOAD="$SR6_BUILD/bin/sr6-nodetool"
TRAFFIC="/usr/bin/python3 $SR6_TOP/selftests/headend_traffic.py"
[[ -x $LOAD ]] || { echo "missing $LOAD: run make"; exit 4; }

topo_init
WORK=$(mktemp -d)
topo_on_cleanup "rm -rf '$WORK'"
topo_ns a h r e b
topo_link a a0 h h0
topo_link h h1 r r0
topo_link r r1 e e0
topo_link e e1 b b0
topo_addr a a0 fc00:a::1/64;  topo_addr a a0 10.0.1.1/24
topo_addr h h0 fc00:a::2/64;  topo_addr h h0 10.0.1.2/24
topo_addr h h1 fc00:1::1/64;  topo_addr h h1 10.0.4.1/24
topo_addr h lo fc00:9::1/128; topo_addr h lo 10.0.9.1/32
topo_addr r r0 fc00:1::2/64;  topo_addr r r0 10.0.4.2/24
topo_addr r r1 fc00:2::1/64;  topo_addr r r1 10.0.5.1/24
topo_addr e e0 fc00:2::2/64;  topo_addr e e0 10.0.5.2/24
topo_addr e e1 fc00:b::1/64;  topo_addr e e1 10.0.2.1/24
topo_addr b b0 fc00:b::2/64;  topo_addr b b0 10.0.2.2/24
topo_addr b b0 fc00:b::100/64

nx a ip -6 route add default via fc00:a::2
nx a ip route add default via 10.0.1.2
# The way back is the kernel's seg6 encap at E, which cannot tell B that a packet is too big
# once encapsulated (it answers its own tunnel source): B sends small enough packets.
nx b ip -6 route add default via fc00:b::1 mtu 1400
nx b ip route add default via 10.0.2.1 mtu 1400
# Locators: H fc00:5:1::/48, R fc00:5:2::/48, E fc00:5:3::/48.
nx h ip -6 route add fc00:5:2::/48 via fc00:1::2
nx h ip -6 route add fc00:5:3::/48 via fc00:1::2
nx r ip -6 route add fc00:5:1::/48 via fc00:1::1
nx r ip -6 route add fc00:5:3::/48 via fc00:2::2
nx e ip -6 route add fc00:5:1::/48 via fc00:2::1
nx e ip -6 route add fc00:5:2::/48 via fc00:2::1
# H's own addresses are reached without SRv6.
nx r ip -6 route add fc00:9::/64 via fc00:1::1
nx r ip route add 10.0.9.0/24 via 10.0.4.1
nx e ip -6 route add fc00:9::/64 via fc00:2::1
nx e ip route add 10.0.9.0/24 via 10.0.5.1
# R: End for the policies, and two more used only by the ECMP policy, with counters.
nx r ip -6 route add fc00:5:2::e1/128 encap seg6local action End count dev r0
nx r ip -6 route add fc00:5:2::e3/128 encap seg6local action End count dev r0
nx r ip -6 route add fc00:5:2::e4/128 encap seg6local action End count dev r0
# E: decapsulate towards B, or End for inline (the final segment is B itself).
nx e ip -6 route add fc00:5:3::d6/128 encap seg6local action End.DT6 table main dev e0
nx e ip -6 route add fc00:5:3::d4/128 encap seg6local action End.DX4 nh4 10.0.2.2 dev e0
nx e ip -6 route add fc00:5:3::e1/128 encap seg6local action End dev e0
# The way back: E encapsulates with the kernel, H decapsulates with the kernel.
nx e ip sr tunsrc set fc00:2::2
nx e ip -6 route add fc00:a::/64 encap seg6 mode encap segs fc00:5:2::e1,fc00:5:1::d6 dev e0
nx e ip route add 10.0.1.0/24 encap seg6 mode encap segs fc00:5:2::e1,fc00:5:1::d4 dev e0
nx h ip -6 route add fc00:5:1::d6/128 encap seg6local action End.DT6 table main dev h1
nx h ip -6 route add fc00:5:1::d4/128 encap seg6local action End.DX4 nh4 10.0.1.1 dev h1
# XDP_REDIRECT into a veth needs NAPI on its peer.
for p in "a a0" "r r0"; do set -- $p; nx "$1" ethtool -K "$2" gro on >/dev/null; done

PIN=$(topo_pin_dir)
check "load the node program" "$LOAD" load "$PIN"
# Steering: fc00:b::/64 -> policy 1, fc00:b::100/128 -> policy 3 (ECMP), 10.0.2.0/24 -> 2.
L() { "$LOAD" "$@"; }
L rule "$PIN" 0 1 && L rule "$PIN" 1 2 && L rule "$PIN" 2 3
L steer "$PIN" fc00:b::/64 0 1 && L steer "$PIN" 10.0.2.0/24 1 1 && L steer "$PIN" fc00:b::100/128 2 1
L config "$PIN" steer6 steer4

policies() { # MODE
	local mode=$1 last6=fc00:5:3::d6
	[[ $mode == inline ]] && last6=fc00:5:3::e1
	L policy "$PIN" 1 "$mode" source=fc00:1::1 tccopy "path=fc00:5:2::e1,$last6" &&
	L policy "$PIN" 2 "$([[ $mode == inline ]] && echo encap || echo "$mode")" source=fc00:1::1 \
		tccopy path=fc00:5:2::e1,fc00:5:3::d4 &&
	L policy "$PIN" 3 encap source=fc00:1::1 "path=1:fc00:5:2::e3,fc00:5:3::d6" \
		"path=3:fc00:5:2::e4,fc00:5:3::d6"
}

attach() { # HOOK: the headend on H for traffic from A (or from H itself for tc-egress)
	case $1 in
	# A veth peer leaves checksums to "offload", which an XDP_REDIRECTed frame no longer
	# carries; a packet from a real wire is always complete, so A computes them for native XDP.
	xdp) nx a ethtool -K a0 tx off >/dev/null && nx h "$LOAD" attach "$PIN" h0 xdp ;;
	# Generic XDP sees GRO/GSO aggregates: sr6_tc_ingress after it encapsulates those.
	xdpgeneric) nx h "$LOAD" attach "$PIN" h0 xdpgeneric && nx h "$LOAD" attach "$PIN" h0 tc-ingress &&
		L config "$PIN" steer6 steer4 tc-after-xdp ;;
	tc-ingress) nx h "$LOAD" attach "$PIN" h0 tc-ingress ;;
	tc-egress) nx h "$LOAD" attach "$PIN" h1 tc-egress &&
		nx h ip -6 route add fc00:b::/64 via fc00:1::2 dev h1 src fc00:9::1 &&
		nx h ip route add 10.0.2.0/24 via 10.0.4.2 dev h1 src 10.0.9.1 ;;
	esac
}

detach() {
	case $1 in
	xdp) nx h "$LOAD" detach h0 xdp; nx a ethtool -K a0 tx on >/dev/null ;;
	xdpgeneric) nx h "$LOAD" detach h0 xdp; nx h "$LOAD" detach h0 tc-ingress ;;
	tc-ingress) nx h "$LOAD" detach h0 tc-ingress ;;
	tc-egress) nx h "$LOAD" detach h1 tc-egress
		nx h ip -6 route del fc00:b::/64; nx h ip route del 10.0.2.0/24 ;;
	esac
	nx a ip -6 route flush cache; nx a ip route flush cache
	nx h ip -6 route flush cache; nx h ip route flush cache
	L config "$PIN" steer6 steer4
}

packets() { # KEY: packets counted on the policy
	L stats "$PIN" "$1" | awk '$1 == "policy" { print $2 }'
}

# A background server in namespace NS; its port appears in the file given.
serve() { # NS KIND PORTFILE
	rm -f "$3"
	nx "$1" $TRAFFIC "$2" "$3" >"$3.log" 2>&1 &
	topo_wait_for 5 test -s "$3"
}

traffic() { # HOOK MODE
	local hook=$1 mode=$2 src=a v4=1 t before after port
	t="$hook $mode"
	[[ $hook == tc-egress ]] && src=h
	[[ $mode == inline ]] && v4=0
	before=$(packets 1)
	check "$t: ping B over IPv6" nx "$src" ping -6 -c 3 -i 0.2 -W 2 fc00:b::2
	after=$(packets 1)
	check_ge "$t: policy counted the pings" $((before + 3)) "$after"
	if (( v4 )); then
		check "$t: ping B over IPv4" nx "$src" ping -c 3 -i 0.2 -W 2 10.0.2.2
	fi
	serve b udp-echo "$WORK/udp" || { fail "$t: UDP echo server"; return; }
	port=$(cat "$WORK/udp")
	check "$t: UDP both ways (IPv6)" nx "$src" $TRAFFIC udp-client fc00:b::2 "$port" 20 1200
	if (( v4 )); then
		check "$t: UDP both ways (IPv4)" nx "$src" $TRAFFIC udp-client 10.0.2.2 "$port" 20 1200
	fi
	local size=1000000
	(( SLOW )) && size=33554432
	for fam in 6 4; do
		(( fam == 4 && ! v4 )) && continue
		local dst=fc00:b::2
		(( fam == 4 )) && dst=10.0.2.2
		serve b tcp-server "$WORK/tcp" || { fail "$t: TCP server"; continue; }
		check "$t: TCP $size bytes both ways (IPv$fam)" \
			nx "$src" $TRAFFIC tcp-client "$dst" "$(cat "$WORK/tcp")" "$size" "$size"
	done
}

too_big() { # HOOK
	local hook=$1 out
	if [[ $hook == tc-egress ]]; then
		# H's own packet: the answer goes up to H's stack, from the policy's source.
		nx h ip -6 route flush cache
		out=$(nx h ping -6 -c 1 -W 2 -M do -s 1452 fc00:b::2 2>&1)
		check_match "$hook: IPv6 Packet Too Big to the local sender, MTU 1420" "mtu=1420" "$out"
		check "$hook: 1400 bytes pass" nx h ping -6 -c 1 -W 2 -M do -s 1352 fc00:b::2
		return
	fi
	nx a ip -6 route flush cache; nx a ip route flush cache
	# 1452 + 48 = 1500 bytes; + 40 + 40 does not fit the 1500-byte link to R.
	out=$(nx a ping -6 -c 1 -W 2 -M do -s 1452 fc00:b::2 2>&1)
	check_match "$hook: IPv6 Packet Too Big from H, MTU 1420" "From fc00:a::2 .*mtu=1420" "$out"
	out=$(nx a ping -c 1 -W 2 -M do -s 1472 10.0.2.2 2>&1)
	check_match "$hook: IPv4 Fragmentation Needed from H, MTU 1420" "From 10.0.1.2 .*mtu = 1420" "$out"
	check "$hook: 1400 bytes pass" nx a ping -6 -c 1 -W 2 -M do -s 1352 fc00:b::2
}

route_count() { # SID: packets counted by R's End route
	nx r ip -s -6 route show "$1" | sed -n 's/.*packets \([0-9]*\).*/\1/p'
}

ecmp() {
	local e1 e2 d1 d2 p0 p1
	e1=$(route_count fc00:5:2::e3); e2=$(route_count fc00:5:2::e4)
	check "ECMP: 10,000 flows sent" nx a $TRAFFIC udp-flows fc00:b::100 9 10000
	sleep 0.5
	d1=$(( $(route_count fc00:5:2::e3) - e1 )); d2=$(( $(route_count fc00:5:2::e4) - e2 ))
	check_eq "ECMP: all 10,000 flows reached R" 10000 $((d1 + d2))
	# Weights 1:3: 2,500 and 7,500 flows, each within 5 %.
	check_ge "ECMP: weight 1 path >= 2375" 2375 "$d1"; check_le "ECMP: weight 1 path <= 2625" 2625 "$d1"
	check_ge "ECMP: weight 3 path >= 7125" 7125 "$d2"; check_le "ECMP: weight 3 path <= 7875" 7875 "$d2"
	p0=$(L stats "$PIN" 3 | awk '$1 == "path0" { print $2 }')
	p1=$(L stats "$PIN" 3 | awk '$1 == "path1" { print $2 }')
	check_eq "ECMP: headend path 0 counter = R's count" "$d1" "$p0"
	check_eq "ECMP: headend path 1 counter = R's count" "$d2" "$p1"
}

if (( SLOW )); then
	policies encap
	for hook in $HOOKS; do
		attach "$hook" || { fail "attach $hook"; continue; }
		traffic "$hook" encap
		[[ $hook == xdp ]] && ecmp
		detach "$hook"
	done
else
	for mode in $MODES; do
		policies "$mode" || fail "policies $mode"
		for hook in $HOOKS; do
			attach "$hook" || { fail "attach $hook"; continue; }
			traffic "$hook" "$mode"
			[[ $mode == encap ]] && too_big "$hook"
			detach "$hook"
		done
	done
fi
drops=$(L drops "$PIN" | grep '^drop' | grep -v '^drop TOO_BIG_ICMP ' || true)
check_eq "no packet dropped by the headend (besides ICMP answers)" "" "$drops"
check_done
