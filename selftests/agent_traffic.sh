#!/usr/bin/env bash
# The agent end to end on the demo network, with an sr6 agent on every router:
#   apply  -> A's traffic to B is encapsulated at H and goes through t1 (counters, bytes)
#   push   -> the same traffic goes through t2
#   a bad push (and a bad file) -> refused with file:line:col, nothing changes
#   status, stats (JSON and Prometheus), sid list, policy list report what runs
set -u
source "$SR6_TOP/selftests/lib/check.sh"
source "$SR6_TOP/selftests/lib/topo.sh"
source "$SR6_TOP/selftests/agent_lib.sh"
CHECK_PREFIX="agent traffic: "
require_cmd nsenter ethtool ping tcpdump
[[ -x "$SR6" ]] || { echo "sr6 not built"; exit 4; }

topo_init
agent_init
agent_demo

# What is installed matches the file.
check "sr6 diff: nothing to change" sr6_on H diff "$HEADEND"
gen=$(sr6_on H -j status | json_get "o['generation']")
check_eq "headend: one policy" 1 "$(sr6_on H -j status | json_get "o['policies']")"
check_eq "headend: h0 attached at XDP, tc ingress behind it" "tc-ingress h0 xdp h0" \
	"$(sr6_on H -j status | json_get "' '.join(l['hook']+' '+l['interface'] for l in o['links'])")"
check_eq "egress: End.DT6 route installed" "End.DT6" \
	"$(nx E ip -6 route show proto 83 | sed -n 's/.*action \(End.DT6\).*/\1/p')"

# Traffic follows the policy: through t1.
t1_before=$(sid_packets T1 fc00:0:2::10)
check "ping A -> B through the policy" nx A ping -6 -c 20 -i 0.01 -W 2 2001:db8:b::1
check_ge "policy to-b path via-t1 counted 20 packets" 20 "$(path_packets to-b 0)"
check_ge "t1's End SID counted them" $((t1_before + 20)) "$(sid_packets T1 fc00:0:2::10)"
check_eq "t2's End SID saw nothing" 0 "$(sid_packets T2 fc00:0:3::10)"

# Bytes on the wire: capture the encapsulated packets arriving at the egress from t1, with
# the egress's fast path off for a moment (attach: none), so that they reach tcpdump and the
# kernel's End.DT6 route, which sr6 installed, delivers them.
EGRESS_KERNEL=$AGENT_TMP/egress-kernel.yaml
sed 's/attach: xdp/attach: none/' "$SR6_TOP/examples/demo-egress.yaml" >"$EGRESS_KERNEL"
check "egress: push a file without interfaces (kernel path only)" \
	sr6_on E push "$EGRESS_KERNEL"
nx E timeout 15 tcpdump -i e1 -nn -c 5 -w "$AGENT_TMP/e1.pcap" 'ip6 and ip6[6] == 43' >/dev/null 2>&1 &
cap=$!
sleep 1
nx A ping -6 -c 5 -i 0.05 -W 2 2001:db8:b::1 >/dev/null
wait $cap
check_eq "on the wire after t1: outer dst = egress SID, SRH [fc00:0:4::d6, fc00:0:2::10], SL 0" \
	"5 fc00:0:4::d6 0 1 fc00:0:4::d6,fc00:0:2::10 2001:db8:b::1 fc00:0:1::1" \
	"$(/usr/bin/python3 - "$AGENT_TMP/e1.pcap" <<'EOF'
import sys
from scapy.all import rdpcap, IPv6, IPv6ExtHdrSegmentRouting
pk = rdpcap(sys.argv[1])
out = set()
for p in pk:
    srh = p[IPv6ExtHdrSegmentRouting]
    inner = srh.payload
    out.add((p[IPv6].dst, srh.segleft, srh.lastentry, ",".join(srh.addresses), inner.dst, p[IPv6].src))
print(len(pk), " ".join(str(x) for x in sorted(out)[0]) if len(out) == 1 else out)
EOF
)"
check "egress: fast path back" sr6_on E push "$SR6_TOP/examples/demo-egress.yaml"

# Push: the traffic moves to t2.
check "sr6 push demo-push.yaml" sr6_on H push "$SR6_TOP/examples/demo-push.yaml"
t1_before=$(sid_packets T1 fc00:0:2::10)
check "ping A -> B after the push" nx A ping -6 -c 20 -i 0.01 -W 2 2001:db8:b::1
check_ge "t2's End SID counted 20 packets" 20 "$(sid_packets T2 fc00:0:3::10)"
check_eq "t1's End SID saw none of them" "$t1_before" "$(sid_packets T1 fc00:0:2::10)"
check_ge "the policy's path via-t2 counted them" 20 "$(path_packets to-b 0)"
check_eq "the path is named via-t2 now" "via-t2" \
	"$(sr6_on H -j policy list | json_get "o['policies'][0]['paths'][0]['segments_name']")"

# A bad push changes nothing and says where and why.
gen=$(sr6_on H -j status | json_get "o['generation']")
BAD=$AGENT_TMP/bad.yaml
sed 's/weight: 1 }/weight: 0 }/; s/segments: via-t2 }/segments: via-t2, weight: 0 }/' \
	"$SR6_TOP/examples/demo-push.yaml" >"$BAD"
out=$(sr6_on H push "$BAD" 2>&1); rc=$?
check_eq "bad push: exit code 3" 3 "$rc"
check_match "bad push: file:line:col, field, message" \
	"bad.yaml:19:37: policies\[0\]\.paths\[0\]\.weight: must be 1\.\.65535, got 0" "$out"
check_eq "bad push: generation unchanged" "$gen" "$(sr6_on H -j status | json_get "o['generation']")"
check "bad push: traffic still flows" nx A ping -6 -c 3 -i 0.05 -W 2 2001:db8:b::1
check_eq "status shows the refusal" "False" \
	"$(sr6_on H -j status | json_get "o['agent']['last']['ok']")"

# A bad file: the agent keeps the last good policy.
cp "$BAD" "$HEADEND"
sleep 1
check_eq "bad file: generation unchanged" "$gen" "$(sr6_on H -j status | json_get "o['generation']")"
check_match "bad file: logged with its position" "demo.yaml:19:37: policies\[0\]\.paths\[0\]\.weight" \
	"$(cat "$AGENT_TMP/H.log")"
# The file back: applied (the running policy was the pushed one).
cp "$SR6_TOP/examples/demo.yaml" "$HEADEND"
topo_wait_for 5 sh -c "'$SR6' --pin-root '$(agent_pin H)' --run-dir '$(agent_run H)' -j policy list | grep -q via-t1"
check_eq "the file, fixed, is applied again" "via-t1" \
	"$(sr6_on H -j policy list | json_get "o['policies'][0]['paths'][0]['segments_name']")"

# Editors and config managers replace the file rather than write into it; each way applies.
path_name() { sr6_on H -j policy list | json_get "o['policies'][0]['paths'][0]['segments_name']"; }
applied_now() { # SEGMENT-LIST-NAME: wait until the headend's path is named so
	topo_wait_for 5 sh -c "'$SR6' --pin-root '$(agent_pin H)' --run-dir '$(agent_run H)' -j policy list | grep -q '\"$1\"'"
	path_name
}
applied_before=$(grep -c "$HEADEND: applied" "$AGENT_TMP/H.log")
cp "$SR6_TOP/examples/demo-push.yaml" "$HEADEND.tmp" && mv "$HEADEND.tmp" "$HEADEND"
check_eq "file replaced by a rename (atomic save): applied" "via-t2" "$(applied_now via-t2)"
mv "$HEADEND" "$HEADEND~" && cp "$SR6_TOP/examples/demo.yaml" "$HEADEND"
check_eq "file moved to a backup, a new one written (vim): applied" "via-t1" "$(applied_now via-t1)"
cp "$SR6_TOP/examples/demo-push.yaml" "$AGENT_TMP/release-2.yaml"
ln -s "$AGENT_TMP/release-2.yaml" "$HEADEND.new" && mv -T "$HEADEND.new" "$HEADEND"
check_eq "file swapped for a symlink by a rename (config managers): applied" "via-t2" \
	"$(applied_now via-t2)"
check_eq "each applied once (no apply of a half-written file)" $((applied_before + 3)) \
	"$(grep -c "$HEADEND: applied" "$AGENT_TMP/H.log")"
rm -f "$HEADEND" && cp "$SR6_TOP/examples/demo.yaml" "$HEADEND"
check_eq "back to the demo file" "via-t1" "$(applied_now via-t1)"

# End.BPF functions configured by the agent: t1 serves count and tag-acl SIDs, and the
# headend's path goes through them (End.BPF runs End first: never the last segment).
T1FN=$AGENT_TMP/t1-functions.yaml
fn_t1() { # TAG-ACL PARAMS
	cat "$SR6_TOP/examples/demo-t1.yaml"
	printf '  - { sid: "fc00:0:2::f1", behavior: End.BPF, function: count }\n'
	printf '  - { sid: "fc00:0:2::f2", behavior: End.BPF, function: tag-acl, params: %s }\n' "$1"
}
via_fn() { # SID: the headend's policy through t1's function SID
	sed "s/via-t1: \[\"fc00:0:2::10\"/via-t1: [\"$1\"/" "$SR6_TOP/examples/demo.yaml"
}
fn_t1 '{ deny: [0] }' >"$T1FN"
check "t1: push count and tag-acl (deny tag 0) SIDs" sr6_on T1 push "$T1FN"
check_match "t1: End.BPF routes with their programs" "fc00:0:2::f2 .*End.BPF endpoint sr6_tag_acl" \
	"$(nx T1 ip -6 route show proto 83)"
via_fn fc00:0:2::f1 >"$AGENT_TMP/via-count.yaml"
check "headend: path through t1's count SID" sr6_on H push "$AGENT_TMP/via-count.yaml"
check "ping through End.BPF count" nx A ping -6 -c 7 -i 0.02 -W 2 2001:db8:b::1
check_eq "count counted 7 packets" 7 \
	"$(sr6_on T1 -j stats | json_get "[s for s in o['sids'] if s['sid']=='fc00:0:2::f1'][0]['function']['packets']")"
via_fn fc00:0:2::f2 >"$AGENT_TMP/via-acl.yaml"
check "headend: path through t1's tag-acl SID" sr6_on H push "$AGENT_TMP/via-acl.yaml"
check_fails "tag-acl denies tag 0: ping fails" nx A ping -6 -c 3 -i 0.02 -W 1 2001:db8:b::1
check_eq "tag-acl counted 3 denied" 3 \
	"$(sr6_on T1 -j stats | json_get "[s for s in o['sids'] if s['sid']=='fc00:0:2::f2'][0]['function']['denied']")"
check_ge "drop reason tag_denied counted" 3 "$(sr6_on T1 -j stats | json_get "o['drops']['tag_denied']")"
fn_t1 '{ allow: [0] }' >"$T1FN"
check "t1: tag-acl now allows tag 0 (one map update)" sr6_on T1 push "$T1FN"
check "ping through tag-acl" nx A ping -6 -c 4 -i 0.02 -W 2 2001:db8:b::1
check_eq "tag-acl counted 4 permitted" 4 \
	"$(sr6_on T1 -j stats | json_get "[s for s in o['sids'] if s['sid']=='fc00:0:2::f2'][0]['function']['permitted']")"
# ratelimit: 5 packets per second, a burst of 5: of 20 back-to-back pings, 5 pass.
fn_t1 '{ allow: [0] }' >"$T1FN"
printf '  - { sid: "fc00:0:2::f4", behavior: End.BPF, function: ratelimit, params: { rate: 5, burst: 5 } }\n' >>"$T1FN"
check "t1: push a ratelimit SID" sr6_on T1 push "$T1FN"
via_fn fc00:0:2::f4 >"$AGENT_TMP/via-rl.yaml"
check "headend: path through t1's ratelimit SID" sr6_on H push "$AGENT_TMP/via-rl.yaml"
nx A ping -6 -c 20 -i 0.002 -W 1 2001:db8:b::1 >/dev/null 2>&1
read -r passed dropped < <(sr6_on T1 -j stats | json_get "' '.join(str(s['function'][k]) for s in o['sids'] if s['sid']=='fc00:0:2::f4' for k in ('passed','dropped'))")
# The bucket refills 5 tokens a second: a slow moment may let one or two more through.
check_ge "ratelimit: the burst of 5 passed" 5 "$passed"
check_le "ratelimit: little more than the burst passed" 7 "$passed"
check_eq "ratelimit: the rest was dropped" 20 "$((passed + dropped))"
check_ge "drop reason rate_limited counted" "$dropped" "$(sr6_on T1 -j stats | json_get "o['drops']['rate_limited']")"

# delay: t1 writes the timestamp TLV, the egress reads it (and pops it) before End.DT6.
printf '  - { sid: "fc00:0:2::f3", behavior: End.BPF, function: delay, params: { mode: write } }\n' >>"$T1FN"
check "t1: push a delay writer SID" sr6_on T1 push "$T1FN"
EGRESS_DELAY=$AGENT_TMP/egress-delay.yaml
cat "$SR6_TOP/examples/demo-egress.yaml" >"$EGRESS_DELAY"
printf '  - { sid: "fc00:0:4::f3", behavior: End.BPF, function: delay, params: { mode: read, pop: true } }\n' >>"$EGRESS_DELAY"
check "egress: push a delay reader SID" sr6_on E push "$EGRESS_DELAY"
sed 's/via-t1: \["fc00:0:2::10", "fc00:0:4::d6"\]/via-t1: ["fc00:0:2::f3", "fc00:0:4::f3", "fc00:0:4::d6"]/' \
	"$SR6_TOP/examples/demo.yaml" >"$AGENT_TMP/via-delay.yaml"
check "headend: path through the delay SIDs" sr6_on H push "$AGENT_TMP/via-delay.yaml"
check "ping through the delay writer and reader" nx A ping -6 -c 6 -i 0.02 -W 2 2001:db8:b::1
check_eq "egress: 6 delays measured from t1's SID" "6 fc00:0:2::f3 fc00:0:4::f3" \
	"$(sr6_on E -j stats | json_get "' '.join(str(x) for d in o['delays'] for x in (d['count'] - d['negative'], d['ingress'], d['egress']))")"
check_match "Prometheus: the delay histogram" 'sr6_delay_seconds_count\{ingress="fc00:0:2::f3",egress="fc00:0:4::f3"\} 6' \
	"$(sr6_on E stats --prometheus)"
check "headend: back to the demo policy" sr6_on H push "$SR6_TOP/examples/demo.yaml"

# A generic-XDP headend: generic XDP runs after GRO, so it can see aggregates longer than the
# MTU, which only tc can encapsulate with their GSO metadata.  The agent attaches tc ingress
# behind XDP and sets SR6_CFG_TC_AFTER_XDP (bit 5) so XDP leaves those to tc (the program's
# side of this is tested byte for byte in bpf_headend); TCP in bulk must arrive intact.
sed 's/attach: xdp }/attach: xdp-generic }/' "$SR6_TOP/examples/demo.yaml" >"$AGENT_TMP/generic.yaml"
check "headend: h0 moved to generic XDP" sr6_on H push "$AGENT_TMP/generic.yaml"
check_eq "headend: generic XDP with tc ingress behind it" "tc-ingress h0 xdp h0" \
	"$(sr6_on H -j status | json_get "' '.join(sorted(l['hook']+' '+l['interface'] for l in o['links']))")"
check_eq "headend: sr6_config has SR6_CFG_TC_AFTER_XDP" 32 \
	"$(bpftool -j map dump pinned "$(agent_pin H)/sr6_config" | \
		json_get "int.from_bytes(bytes(int(b, 16) for b in o[0]['value'][:4]), 'little') & 32")"
TRAFFIC="/usr/bin/python3 $SR6_TOP/selftests/headend_traffic.py"
nx B $TRAFFIC tcp-server "$AGENT_TMP/tcp.port" >"$AGENT_TMP/tcp.log" 2>&1 &
topo_wait_for 5 test -s "$AGENT_TMP/tcp.port"
check "TCP 8 MB A -> B and back through generic XDP + tc, every byte checked" \
	nx A timeout 60 $TRAFFIC tcp-client 2001:db8:b::1 "$(cat "$AGENT_TMP/tcp.port")" 8388608 8388608
check_eq "no packet dropped as a GSO aggregate at XDP" 0 \
	"$(sr6_on H -j stats | json_get "o['drops'].get('gso_at_xdp', 0)")"
check "headend: back to native XDP" sr6_on H push "$SR6_TOP/examples/demo.yaml"

# Reports.
check_match "stats --prometheus: path counter" \
	'sr6_path_packets_total\{policy="to-b",path="0",segments="via-t1"\} [0-9]+' \
	"$(sr6_on H stats --prometheus)"
check_match "stats --prometheus: drop reasons by name" 'sr6_drops_total\{reason="no_route"\} [0-9]+' \
	"$(sr6_on H stats --prometheus)"
# The whole output parses as the Prometheus text format (the client library's parser) and
# keeps its conventions: sr6_ names, _total counters, a fixed small set of labels, coherent
# histograms.  H has policies and drops, t1 End.BPF functions, the egress the delay histogram.
for node in H T1 E; do
	check_match "stats --prometheus on $node: the text format, sr6_ names, _total counters, few labels" \
		"^ok: [0-9]+ families" \
		"$(sr6_on "$node" stats --prometheus | /usr/bin/python3 "$SR6_TOP/selftests/prom_check.py" 2>&1)"
done
check_match "sid list on t1" 'fc00:0:2::10 +End' "$(sr6_on T1 sid list)"
check "sr6 check demo.yaml" sr6_on H check "$SR6_TOP/examples/demo.yaml"

agent_stop H
check_done
