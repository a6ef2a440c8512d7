#!/usr/bin/env bash
# kill -9 of the agent never stops forwarding, and a restart adopts what is pinned:
#   - a steady stream crosses the headend while its agent is killed with SIGKILL and, later,
#     started again: nothing is lost
#   - while no agent runs, the links and maps stay (status without an agent shows them)
#   - the restarted agent swaps its programs in (new program ids on the same links), keeps
#     the generation and the counters (nothing was flushed), and takes pushes again
set -u
source "$SR6_TOP/selftests/lib/check.sh"
source "$SR6_TOP/selftests/lib/topo.sh"
source "$SR6_TOP/selftests/agent_lib.sh"
CHECK_PREFIX="agent restart: "
require_cmd nsenter ethtool ping /usr/bin/python3
[[ -x "$SR6" ]] || { echo "sr6 not built"; exit 4; }

topo_init
agent_init
agent_demo
check "ping through the policy" nx A ping -6 -c 5 -i 0.05 -W 2 2001:db8:b::1

prog_before=$(sr6_on H -j status | json_get "o['links'][0]['program_id']")
gen_before=$(sr6_on H -j status | json_get "o['generation']")

# 6000 datagrams at 1500/s: the agent dies after 1 s and comes back after 2 s.
stream_start s 6000 1500 4
sleep 1
agent_stop H KILL
check_eq "killed: no agent answers" "agent: not running" \
	"$(sr6_on H status | grep '^agent:' | cut -d' ' -f1-3)"
check_eq "killed: the XDP link stays" "$prog_before" \
	"$(sr6_on H -j status | json_get "o['links'][0]['program_id']")"
packets_killed=$(path_packets to-b 0)
sleep 1
check_ge "killed: packets still encapsulated without the agent" $((packets_killed + 500)) \
	"$(path_packets to-b 0)"
# The restarted agent runs as systemd would: it must say READY=1 on $NOTIFY_SOCKET.
notify=$AGENT_TMP/notify.sock
/usr/bin/python3 "$SR6_TOP/selftests/agent_notify.py" "$notify" 2 >"$AGENT_TMP/notify.out" 2>&1 &
listener=$!
for i in $(seq 1 50); do [[ -S "$notify" ]] && break; sleep 0.05; done
NOTIFY_SOCKET=$notify agent_start H "$HEADEND"; check_eq "restart the headend's agent" 0 $?
stream_wait s
sent=$SENT received=$RECEIVED
check_eq "6000 datagrams sent" 6000 "$sent"
check_eq "none lost across kill -9 and restart" "$sent" "$received"

check_match "restart: adopted the pinned state" "generation $gen_before, 1 policies.*adopted" \
	"$(grep 'data plane under' "$AGENT_TMP/H.log" | tail -1)"
prog_after=$(sr6_on H -j status | json_get "o['links'][0]['program_id']")
check "restart: the link runs the new agent's program" test "$prog_after" != "$prog_before"
check_eq "restart: nothing re-applied (same generation)" "$gen_before" \
	"$(sr6_on H -j status | json_get "o['generation']")"
check_ge "restart: counters kept (not flushed)" 6000 "$(path_packets to-b 0)"
topo_wait_for 5 grep -q READY=1 "$AGENT_TMP/notify.out"
check_match "restart: READY=1 sent to systemd (sd_notify)" "READY=1" "$(cat "$AGENT_TMP/notify.out")"
check "restart: push works again" sr6_on H push "$SR6_TOP/examples/demo-push.yaml"
t2=$(sid_packets T2 fc00:0:3::10)
check "ping after the push" nx A ping -6 -c 10 -i 0.02 -W 2 2001:db8:b::1
check_ge "traffic moved to t2" $((t2 + 10)) "$(sid_packets T2 fc00:0:3::10)"

# SIGHUP: the file applies again (the push had moved the policy away from it).
kill -HUP "$AGENT_PID_H"
topo_wait_for 5 sh -c "'$SR6' --pin-root '$(agent_pin H)' --run-dir '$(agent_run H)' -j policy list | grep -q via-t1"
check_eq "SIGHUP: the file is applied again" "via-t1" \
	"$(sr6_on H -j policy list | json_get "o['policies'][0]['paths'][0]['segments_name']")"
check_match "SIGHUP: logged" "SIGHUP: reading .*demo.yaml again" "$(cat "$AGENT_TMP/H.log")"
wait $listener
check_eq "SIGHUP: systemd told RELOADING=1 (with MONOTONIC_USEC), then READY=1 again" \
	"RELOADING=1 MONOTONIC_USEC READY=1" \
	"$(grep -o 'RELOADING=1\|MONOTONIC_USEC\|READY=1' "$AGENT_TMP/notify.out" | tail -3 | xargs)"

# A graceful stop leaves the data plane too; flush removes it.
agent_stop H
check "stopped: traffic still flows" nx A ping -6 -c 3 -i 0.05 -W 2 2001:db8:b::1
check_fails "flush needs --yes" sr6_on H flush
check "flush --yes" sr6_on H flush --yes
check_eq "flushed: nothing attached to h0" "" "$(nx H ip -d link show h0 | grep -o 'prog/xdp')"
check_eq "flushed: nothing pinned" "nothing installed under $(agent_pin H)" "$(sr6_on H status | head -1)"

check_done
