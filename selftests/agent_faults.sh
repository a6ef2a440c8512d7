#!/usr/bin/env bash
# A step the kernel refuses halfway through an apply leaves nothing half-applied, and the
# error says what was refused and why, in the kernel's words:
#   - a seg6local route through an interface that is down (after the map updates, among the
#     routes): refused with "Nexthop device is not up"
#   - native XDP on an interface whose driver has none (after the maps and the routes)
#   - the same through a running agent (sr6 push): refused, the agent keeps its policy
# Each time every map, route and link reads back exactly as before, with the same generation
# and source.  Control connections are served side by side, and a control socket that never
# answers does not hang the CLI.
set -u
source "$SR6_TOP/selftests/lib/check.sh"
source "$SR6_TOP/selftests/lib/topo.sh"
source "$SR6_TOP/selftests/agent_lib.sh"
CHECK_PREFIX="agent faults: "
require_cmd nsenter ip bpftool /usr/bin/python3
[[ -x "$SR6" ]] || { echo "sr6 not built"; exit 4; }

topo_init
agent_init
topo_ns n
topo_link n eth0 n p0
topo_link n eth1 n p1
topo_link n s0 n s1
sr6() { sr6_on n "$@"; }
pin=$(agent_pin n)

# Everything an apply can change, as text: maps (values included), routes, links (program
# ids aside: every apply loads its programs again), node, generation and source.
snapshot() {
	local m
	for m in sr6_config sr6_policies sr6_sids sr6_locators sr6_steer6 sr6_steer4 \
		sr6_agent_names sr6_agent_meta sr6_fn_acl sr6_fn_delay sr6_fn_rl; do
		echo "== $m"
		bpftool -j map dump pinned "$pin/$m" | /usr/bin/python3 -c \
			'import json,sys; print("\n".join(sorted(json.dumps(e, sort_keys=True) for e in json.load(sys.stdin))))'
	done
	echo "== routes"
	nx n ip -6 -d route show proto 83 | sort
	echo "== links"
	sr6 -j status | json_get "'\n'.join(sorted('%s %s %s %s' % (l['hook'], l['interface'], l['ifindex'], l.get('mode', '')) for l in o['links']))"
	echo "== node"
	sr6 -j status | json_get "'%s %s %s' % (o['node'], o['generation'], o['source'])"
}

cp "$SR6_TOP/examples/policy.yaml" "$AGENT_TMP/p.yaml"
check "apply examples/policy.yaml" sr6 apply "$AGENT_TMP/p.yaml"
snapshot >"$AGENT_TMP/before"
check_eq "generation 1" 1 "$(sr6 -j status | json_get "o['generation']")"

# A change of several kinds (a policy's weights, a function's parameters, a steering prefix
# removed and one added, a new SID) whose new End.X route goes through s0, which is down.
nx n ip link set s0 down
sed -e 's/allow: \[7, 9\]/allow: [7, 10]/' -e 's/weight: 3 }/weight: 5 }/' \
    -e 's|dst: "10.0.0.0/8"|dst: "10.8.0.0/16"|' \
    -e 's/^sids:/sids:\n  - { sid: "fc00:1::1e", behavior: End.X, nexthop: "fe80::9", interface: s0 }/' \
    "$SR6_TOP/examples/policy.yaml" >"$AGENT_TMP/route-fails.yaml"
check "the file is valid (the kernel refuses it, not the validator)" \
	sr6 check "$AGENT_TMP/route-fails.yaml"
out=$(sr6 apply "$AGENT_TMP/route-fails.yaml" 2>&1); rc=$?
check_eq "refused route: exit code 4" 4 "$rc"
check_match "refused route: the route, the error and the kernel's reason" \
	"installing route fc00:1::1e/128 seg6local End\.X nh6 fe80::9 oif [0-9]+ dev [0-9]+ \(s0\): Network is down \(kernel: Nexthop device is not up\) \(the previous state was restored\)" \
	"$out"
check_match "refused route: the changes were under way (maps before routes)" "~ policy to-dc:" "$out"
snapshot >"$AGENT_TMP/after"
check "refused route: every map, route and link as before, same generation and source" \
	diff "$AGENT_TMP/before" "$AGENT_TMP/after"
check "refused route: diff against the old file finds nothing" sr6 diff "$AGENT_TMP/p.yaml"

# The same change with s0 up, plus native XDP on lo (no driver support): the attach step,
# after the maps and the routes, is refused.
nx n ip link set s0 up
sed 's/    - { name: eth1, attach: tc, egress: true }.*/&\n    - { name: lo, attach: xdp }/' \
	"$AGENT_TMP/route-fails.yaml" >"$AGENT_TMP/attach-fails.yaml"
out=$(sr6 apply "$AGENT_TMP/attach-fails.yaml" 2>&1); rc=$?
check_eq "refused attach: exit code 4" 4 "$rc"
check_match "refused attach: the interface and why" \
	"lo: native XDP is not supported by this driver .*: Operation not supported \(the previous state was restored\)" "$out"
check_match "refused attach: the new route had been installed" "\+ route fc00:1::1e/128" "$out"
snapshot >"$AGENT_TMP/after"
check "refused attach: every map, route and link as before (the new route gone)" \
	diff "$AGENT_TMP/before" "$AGENT_TMP/after"

# Through the agent: the push is refused, the agent keeps its policy and says why.
agent_start n "$AGENT_TMP/p.yaml"; check_eq "agent started on the installed state" 0 $?
snapshot >"$AGENT_TMP/before"
nx n ip link set s0 down
out=$(sr6 push "$AGENT_TMP/route-fails.yaml" 2>&1); rc=$?
check_eq "agent: refused push, exit code 4" 4 "$rc"
check_match "agent: the reply names the route and the kernel's reason" \
	"installing route fc00:1::1e/128 .*\(s0\): Network is down \(kernel: Nexthop device is not up\)" "$out"
snapshot >"$AGENT_TMP/after"
check "agent: every map, route and link as before" diff "$AGENT_TMP/before" "$AGENT_TMP/after"
check_eq "agent: status shows the refusal" "False" "$(sr6 -j status | json_get "o['agent']['last']['ok']")"
nx n ip link set s0 up
check "agent: the same push with s0 up is applied" sr6 push "$AGENT_TMP/route-fails.yaml"
check_match "agent: the new route is there" "fc00:1::1e .*End\.X nh6 fe80::9 oif s0" \
	"$(nx n ip -6 route show proto 83)"

# Control connections are served side by side (selftests/agent_control.py).
out=$(/usr/bin/python3 "$SR6_TOP/selftests/agent_control.py" "$(agent_run n)/agent.sock" \
	"$(topo_nsname n)" "$SR6" "$pin" "$(agent_run n)" 2>&1)
check_match "control: a half-sent request holds nobody" \
	"other client meanwhile: 0 agent: running" "$out"
check_match "control: the slow client is not answered before its request is whole" \
	"before its request is whole: waiting" "$out"
check_match "control: then it is answered" "slow client answered: True True" "$out"
check_match "control: bytes beyond the announced body are refused by name" \
	"bytes beyond the body: False 2 bytes after the request" "$out"
check_match "control: a request that never completes is answered in time" \
	"never completes: False the request did not arrive in time" "$out"
check_match "control: a 17th connection waits while 16 are served" \
	"17th client while 16 are held: waiting" "$out"
check_match "control: and is answered once one of them closes" \
	"17th client once one closes: True True" "$out"
agent_stop n

# A control socket whose owner never answers (a hung agent): the CLI gives up in time.
stuck=$AGENT_TMP/stuck.sock
/usr/bin/python3 -c 'import socket,sys,time; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(8); time.sleep(60)' \
	"$stuck" &
stuck_pid=$!
topo_on_cleanup "kill $stuck_pid"
topo_wait_for 5 test -S "$stuck"
t0=$(date +%s%N)
out=$(timeout 20 "$SR6" --pin-root "$pin" --socket "$stuck" status 2>&1); rc=$?
elapsed_ms=$((($(date +%s%N) - t0) / 1000000))
check_eq "hung agent: status still answers (exit 0)" 0 "$rc"
check_match "hung agent: reported as not answering" "agent: not running" "$out"
check_le "hung agent: within its 3 s timeout (ms)" 5000 "$elapsed_ms"
kill "$stuck_pid" 2>/dev/null

check_done
