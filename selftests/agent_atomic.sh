#!/usr/bin/env bash
# Atomic policy updates under traffic.  A steady UDP stream of 16 flows from A to B crosses
# the headend while its policy is pushed back and forth 20 times between two versions that
# differ in every field a packet carries: outer destination, segment list and hop limit.
#   - nothing is lost (every datagram arrives)
#   - every encapsulated packet seen on the wire is wholly one version or the other: its
#     (destination, segment list, hop limit) is one of the four valid combinations
#   - both versions were on the wire (the switches happened under traffic)
# The transit nodes process their SIDs with the kernel's routes (no sr6 at XDP there), so
# the packets reach tcpdump on their way in.
set -u
source "$SR6_TOP/selftests/lib/check.sh"
source "$SR6_TOP/selftests/lib/topo.sh"
source "$SR6_TOP/selftests/agent_lib.sh"
CHECK_PREFIX="agent atomic update: "
require_cmd nsenter ethtool ping tcpdump /usr/bin/python3
/usr/bin/python3 -c 'import scapy' 2>/dev/null || { echo "python3-scapy missing"; exit 4; }
[[ -x "$SR6" ]] || { echo "sr6 not built"; exit 4; }

topo_init
agent_init
agent_topo || { fail "topology"; check_done; }

transit() { # NAME LOCATOR-NODE-HEX
	cat <<EOF
apiVersion: sr6/v1
node: { name: $1, locator: "fc00:0:$2::/48", interfaces: [{ name: t0, attach: none }] }
sids:
  - { sid: "fc00:0:$2::10", behavior: End }
  - { sid: "fc00:0:$2::11", behavior: End }
EOF
}
transit t1 2 >"$AGENT_TMP/t1.yaml"
transit t2 3 >"$AGENT_TMP/t2.yaml"
# Version A: ::10 SIDs, hop limit 64; version B: ::11 SIDs, hop limit 50.
version() { # SUFFIX HOP-LIMIT
	cat <<EOF
apiVersion: sr6/v1
node:
  name: headend
  locator: fc00:0:1::/48
  source: fc00:0:1::1
  interfaces: [{ name: h0, attach: xdp }]
segment_lists:
  t1: ["fc00:0:2::$1", "fc00:0:4::d6"]
  t2: ["fc00:0:3::$1", "fc00:0:4::d6"]
policies:
  - name: to-b
    hop_limit: $2
    paths: [{ segments: t1 }, { segments: t2 }]
steering:
  - { match: { dst: "2001:db8:b::/64", proto: udp }, policy: to-b }
EOF
}
version 10 64 >"$AGENT_TMP/a.yaml"
version 11 50 >"$AGENT_TMP/b.yaml"

agent_start T1 "$AGENT_TMP/t1.yaml"; check_eq "agent on t1 (kernel path)" 0 $?
agent_start T2 "$AGENT_TMP/t2.yaml"; check_eq "agent on t2 (kernel path)" 0 $?
agent_start E "$(agent_file demo-egress.yaml)"; check_eq "agent on the egress" 0 $?
agent_start H "$AGENT_TMP/a.yaml"; check_eq "agent on the headend (version A)" 0 $?

for t in T1 T2; do
	nx $t tcpdump -i t0 -nn -U -w "$AGENT_TMP/$t.pcap" 'ip6 and ip6[6] == 43' >/dev/null 2>&1 &
	eval "CAP_$t=$!"
done
sleep 1.5

# 8000 datagrams at 2000/s over 16 flows; 20 pushes, one every 150 ms, while they flow.
stream_start s 8000 2000 16
sleep 0.5
push_fail=0
for i in $(seq 1 20); do
	f=$AGENT_TMP/b.yaml
	(( i % 2 == 0 )) && f=$AGENT_TMP/a.yaml
	sr6_on H push "$f" >/dev/null || push_fail=$((push_fail + 1))
	sleep 0.15
done
stream_wait s
sent=$SENT received=$RECEIVED reordered=$REORDERED
sleep 0.5
kill $CAP_T1 $CAP_T2 2>/dev/null
wait $CAP_T1 $CAP_T2 2>/dev/null

check_eq "20 pushes accepted" 0 "$push_fail"
check_eq "generation after 20 pushes" 21 "$(sr6_on H -j status | json_get "o['generation']")"
check_eq "8000 datagrams sent" 8000 "$sent"
check_eq "no datagram lost across 20 policy changes" "$sent" "$received"

verdict=$(/usr/bin/python3 - "$AGENT_TMP/T1.pcap" "$AGENT_TMP/T2.pcap" <<'EOF'
import sys
from collections import Counter
from scapy.all import rdpcap, IPv6, IPv6ExtHdrSegmentRouting, UDP
# (outer destination, Segment List, outer hop limit as the headend wrote it)
valid = {
    ("fc00:0:2::10", ("fc00:0:4::d6", "fc00:0:2::10"), 64): "A",
    ("fc00:0:3::10", ("fc00:0:4::d6", "fc00:0:3::10"), 64): "A",
    ("fc00:0:2::11", ("fc00:0:4::d6", "fc00:0:2::11"), 50): "B",
    ("fc00:0:3::11", ("fc00:0:4::d6", "fc00:0:3::11"), 50): "B",
}
seen = Counter()
bad = []
for path in sys.argv[1:]:
    for p in rdpcap(path):
        if IPv6ExtHdrSegmentRouting not in p or UDP not in p:
            continue
        srh = p[IPv6ExtHdrSegmentRouting]
        key = (p[IPv6].dst, tuple(srh.addresses), p[IPv6].hlim)
        if key in valid:
            seen[valid[key]] += 1
        else:
            bad.append(key)
print(seen["A"], seen["B"], len(bad), bad[:3])
EOF
)
read -r na nb nbad _ <<<"$verdict"
check_ge "version A packets on the wire" 100 "$na"
check_ge "version B packets on the wire" 100 "$nb"
check_eq "no packet mixes the versions (destination, segments, hop limit)" 0 "$nbad"
check_eq "every datagram was seen encapsulated by a transit node" "$sent" "$((na + nb))"
printf '       A %s, B %s, mixed %s, reordered %s\n' "$na" "$nb" "$nbad" "$reordered"

check_done
