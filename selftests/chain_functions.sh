#!/usr/bin/env bash
# A service chain of End.BPF functions across nodes, end to end:
#
#   a -- h -- r1 -- r2 -- r3 -- e -- b
#   host A, headend (kernel seg6 encap), R1: count + delay (write), R2: tag-acl,
#   R3: delay (read, pop), E: End.DT6, host B
#
# segment list: fc00:11::c (count) fc00:11::d (delay write) fc00:12::a (tag-acl)
#               fc00:13::d (delay read) fc00:14::6 (End.DT6)
# Replies come back by plain IPv6 routing.  The functions are loaded with the per-run pin
# root (one per router, as separate nodes) and installed with "endpoint pinned".
set -u
source "$SR6_TOP/selftests/lib/check.sh"
source "$SR6_TOP/selftests/lib/topo.sh"
CHECK_PREFIX="chain: "
require_cmd ping nsenter /usr/bin/python3
/usr/bin/python3 -c 'import scapy' 2>/dev/null || { echo "python3-scapy missing"; exit 4; }

TOOL="$SR6_BUILD/bin/sr6-nodetool"
SEGS=fc00:11::c,fc00:11::d,fc00:12::a,fc00:13::d,fc00:14::6
topo_init
topo_ns a h r1 r2 r3 e b
pin=$(topo_pin_dir)

# Links: name-left, name-right, /64 prefix.
link() { # NS_L IF_L NS_R IF_R N
	topo_link "$1" "$2" "$3" "$4"
	topo_addr "$1" "$2" "fc00:$5::1/64"
	topo_addr "$3" "$4" "fc00:$5::2/64"
}
link a a0 h h0 1
link h h1 r1 r1a 2
link r1 r1b r2 r2a 3
link r2 r2b r3 r3a 4
link r3 r3b e ea 5
link e eb b b0 6
nx a ip -6 addr add 2001:db8:a::1/128 dev lo
nx b ip -6 addr add 2001:db8:b::1/128 dev lo
nx b ip -6 addr add 2001:db8:b::2/128 dev lo

# Forward (towards B: fc00:10::/28 holds every SID) and back (towards A).
route() { # NS DOWNSTREAM-NH UPSTREAM-NH
	[[ -n "$2" ]] && nx "$1" ip -6 route add fc00:10::/28 via "$2"
	[[ -n "$2" ]] && nx "$1" ip -6 route add 2001:db8:b::/48 via "$2"
	[[ -n "$2" ]] && nx "$1" ip -6 route add fc00:6::/64 via "$2" 2>/dev/null
	[[ -n "$3" ]] && nx "$1" ip -6 route add 2001:db8:a::/48 via "$3"
	[[ -n "$3" ]] && nx "$1" ip -6 route add fc00:1::/64 via "$3" 2>/dev/null
	return 0
}
nx a ip -6 route add default via fc00:1::2 src 2001:db8:a::1
route h "" fc00:1::1
nx h ip -6 route add fc00:10::/28 via fc00:2::2
nx h ip sr tunsrc set fc00:2::1
nx h ip -6 route add 2001:db8:b::/48 encap seg6 mode encap segs "$SEGS" dev h1
# A second chain for B's second address: count, ratelimit, End.DT6.
nx h ip -6 route add 2001:db8:b::2/128 encap seg6 mode encap segs fc00:11::c,fc00:12::f,fc00:14::6 dev h1
route r1 fc00:3::2 fc00:2::1
route r2 fc00:4::2 fc00:3::1
route r3 fc00:5::2 fc00:4::1
route e "" fc00:5::1
nx e ip -6 route add 2001:db8:b::/48 via fc00:6::2
nx b ip -6 route add default via fc00:6::1

# Functions: one pin root per router (separate nodes), programs pinned, routes "endpoint pinned".
mkdir -p "$pin"/{r1,r2,r3}
check "load count on r1" "$TOOL" load "$pin/r1" "$SR6_BUILD/bpf/fn_count.bpf.o"
check "load delay on r1" "$TOOL" load "$pin/r1" "$SR6_BUILD/bpf/fn_delay.bpf.o"
check "load tag-acl on r2" "$TOOL" load "$pin/r2" "$SR6_BUILD/bpf/fn_tag_acl.bpf.o"
check "load ratelimit on r2" "$TOOL" load "$pin/r2" "$SR6_BUILD/bpf/fn_ratelimit.bpf.o"
check "load delay on r3" "$TOOL" load "$pin/r3" "$SR6_BUILD/bpf/fn_delay.bpf.o"
endbpf() { nx "$1" ip -6 route add "$2/128" encap seg6local action End.BPF endpoint pinned "$3" dev "$4"; }
check "install End.BPF count at fc00:11::c" endbpf r1 fc00:11::c "$pin/r1/sr6_count" r1a
check "install End.BPF delay at fc00:11::d" endbpf r1 fc00:11::d "$pin/r1/sr6_delay" r1a
check "install End.BPF tag-acl at fc00:12::a" endbpf r2 fc00:12::a "$pin/r2/sr6_tag_acl" r2a
check "install End.BPF ratelimit at fc00:12::f" endbpf r2 fc00:12::f "$pin/r2/sr6_ratelimit" r2a
check "install End.BPF delay at fc00:13::d" endbpf r3 fc00:13::d "$pin/r3/sr6_delay" r3a
check "install End.DT6 at fc00:14::6" \
	nx e ip -6 route add fc00:14::6/128 encap seg6local action End.DT6 table main count dev ea
check "configure delay write on r1" "$TOOL" delay "$pin/r1" fc00:11::d write
check "configure delay read + pop on r3" "$TOOL" delay "$pin/r3" fc00:13::d read pop
check "configure tag-acl: tag 0 permit, default deny" "$TOOL" acl "$pin/r2" fc00:12::a deny 0/0xffff=permit

# Counter of a "show" line: field N of the line matching a regex (0 when absent).
field() { # PIN REGEX N
	"$TOOL" show "$1" | awk -v re="$2" -v n="$3" '$0 ~ re { print $n; found = 1 } END { if (!found) print 0 }'
}
has_line() { "$TOOL" show "$1" | grep -qE "$2"; } # PIN REGEX
dt6_packets() { nx e ip -s -6 route show fc00:14::6 | sed -n 's/.*packets \([0-9]*\).*/\1/p'; }

# Warm up neighbours, then measure 10 echo requests through the whole chain.
check "first ping through the chain" topo_wait_for 10 nx a ping -6 -c 1 -W 1 -I 2001:db8:a::1 2001:db8:b::1
c0=$(field "$pin/r1" '^count fc00:11::c ' 3)
p0=$(field "$pin/r2" '^acl fc00:12::a ' 3)
d0=$(field "$pin/r3" '^delay fc00:11::d fc00:13::d ' 5)
e0=$(dt6_packets)
out=$(nx a ping -6 -c 10 -i 0.05 -W 2 -I 2001:db8:a::1 2001:db8:b::1 2>&1)
check_match "10 echo requests answered through count, delay, tag-acl, delay, End.DT6" \
	'10 packets transmitted, 10 received' "$out"
check_eq "count at r1: per-SID packets" 10 $(( $(field "$pin/r1" '^count fc00:11::c ' 3) - c0 ))
check "count at r1: the ICMPv6 flow A -> B" has_line "$pin/r1" '^flow 2001:db8:a::1 2001:db8:b::1 58 '

check_eq "tag-acl at r2: permitted" 10 $(( $(field "$pin/r2" '^acl fc00:12::a ' 3) - p0 ))
check_eq "delay at r3: histogram (fc00:11::d -> fc00:13::d) count" 10 \
	$(( $(field "$pin/r3" '^delay fc00:11::d fc00:13::d ' 5) - d0 ))
hist=$("$TOOL" show "$pin/r3" | awk '/^delay fc00:11::d fc00:13::d / { s = 0; for (i = 11; i <= NF; i++) s += $i; print s, $9 }')
check_eq "delay at r3: buckets add up to the count, no negative reading" \
	"$(field "$pin/r3" '^delay fc00:11::d fc00:13::d ' 5) 0" "$hist"
check_eq "End.DT6 at e decapsulated them" 10 $(( $(dt6_packets) - e0 ))

# A packet with a denied tag: sent by A already encapsulated (the kernel headend writes tag 0).
c0=$(field "$pin/r1" '^count fc00:11::c ' 3)
n0=$(field "$pin/r2" '^acl fc00:12::a ' 4)
d0=$(field "$pin/r3" '^delay fc00:11::d fc00:13::d ' 5)
e0=$(dt6_packets)
hmac=$(topo_mac h h0)
check "send 3 packets tagged 0x0bad" nx a /usr/bin/python3 - "$hmac" <<'EOF'
import sys
from scapy.all import Ether, IPv6, IPv6ExtHdrSegmentRouting, UDP, Raw, sendp, conf
conf.verb = 0
segs = ["fc00:14::6", "fc00:13::d", "fc00:12::a", "fc00:11::d", "fc00:11::c"]
p = (Ether(dst=sys.argv[1]) / IPv6(src="fc00:1::1", dst="fc00:11::c") /
     IPv6ExtHdrSegmentRouting(addresses=segs, segleft=4, lastentry=4, tag=0x0bad) /
     IPv6(src="2001:db8:a::1", dst="2001:db8:b::1") / UDP(sport=5, dport=9) / Raw(b"denied"))
sendp([p] * 3, iface="a0")
EOF
sleep 0.5
check_eq "denied: counted at r1" 3 $(( $(field "$pin/r1" '^count fc00:11::c ' 3) - c0 ))
check_eq "denied: tag-acl denied counter" 3 $(( $(field "$pin/r2" '^acl fc00:12::a ' 4) - n0 ))
check "denied: TAG_DENIED drop reason at r2" has_line "$pin/r2" '^drop TAG_DENIED 3$'
check_eq "denied: never reached r3" 0 $(( $(field "$pin/r3" '^delay fc00:11::d fc00:13::d ' 5) - d0 ))
check_eq "denied: never reached e" 0 $(( $(dt6_packets) - e0 ))

# Rate limit: 2 packets/s with a burst of 4 for A's /64; 20 echo requests in 0.4 s.
check "configure ratelimit: 2/s, burst 4" "$TOOL" ratelimit "$pin/r2" fc00:12::f 2 4 packets
out=$(nx a ping -6 -c 20 -i 0.02 -W 1 -I 2001:db8:a::1 2001:db8:b::2 2>&1)
got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$out")
passed=$(field "$pin/r2" '^ratelimit fc00:12::f ' 3)
dropped=$(field "$pin/r2" '^ratelimit fc00:12::f ' 4)
check_eq "ratelimit: every request counted once" 20 $((passed + dropped))
check_ge "ratelimit: the burst passes" 4 "$passed"
check_le "ratelimit: no more than the burst and 1 s of refill" 6 "$passed"
check_eq "ratelimit: the replies are the passed requests" "$passed" "$got"
check "ratelimit: RATE_LIMITED drop reason" has_line "$pin/r2" "^drop RATE_LIMITED $dropped\$"
check_done
