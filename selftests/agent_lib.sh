# The agent's integration tests: the demo network in namespaces, sr6 agents on its nodes,
# and a UDP stream that counts what arrives.  Source after selftests/lib/topo.sh.
#
#   A a0 ---- h0 H h1 ---- t0 T1 t1 ---- e1 E e0 ---- b0 B
#                  h2 ---- t0 T2 t1 ---- e2
#
#   A  2001:db8:a::1/64  (H 2001:db8:a::2)        B  2001:db8:b::1/64  (E 2001:db8:b::2)
#   H-T1 fd00:11::/64, H-T2 fd00:12::/64, T1-E fd00:21::/64, T2-E fd00:22::/64 (::1 on the
#   H / T side, ::2 on the other).  Locators: H fc00:0:1::/48, T1 fc00:0:2::/48,
#   T2 fc00:0:3::/48, E fc00:0:4::/48.  Without SRv6, A <-> B goes through T1 both ways.
#
# An interface that receives frames another node redirects at XDP needs NAPI on it (veth):
# GRO is switched on everywhere, so nodes work with or without sr6 at XDP.  Checksum offload
# is off: a veth hands XDP a locally sent UDP packet with its checksum not yet computed
# (CHECKSUM_PARTIAL), which a real wire never carries.

SR6="$SR6_BUILD/bin/sr6"
AGENT_PIDS=()

agent_topo() {
	topo_ns A H T1 T2 E B || return 1
	topo_link A a0 H h0
	topo_link H h1 T1 t0
	topo_link H h2 T2 t0
	topo_link T1 t1 E e1
	topo_link T2 t1 E e2
	topo_link E e0 B b0
	topo_addr A a0 2001:db8:a::1/64
	topo_addr H h0 2001:db8:a::2/64
	topo_addr H h1 fd00:11::1/64
	topo_addr H h2 fd00:12::1/64
	topo_addr T1 t0 fd00:11::2/64
	topo_addr T2 t0 fd00:12::2/64
	topo_addr T1 t1 fd00:21::1/64
	topo_addr T2 t1 fd00:22::1/64
	topo_addr E e1 fd00:21::2/64
	topo_addr E e2 fd00:22::2/64
	topo_addr E e0 2001:db8:b::2/64
	topo_addr B b0 2001:db8:b::1/64
	nx H ip -6 addr add fc00:0:1::1/128 dev lo
	nx A ip -6 route add default via 2001:db8:a::2
	nx B ip -6 route add default via 2001:db8:b::2
	nx H ip -6 route add fc00:0:2::/48 via fd00:11::2
	nx H ip -6 route add fc00:0:3::/48 via fd00:12::2
	nx H ip -6 route add fc00:0:4::/48 via fd00:11::2
	nx H ip -6 route add 2001:db8:b::/64 via fd00:11::2
	nx T1 ip -6 route add fc00:0:4::/48 via fd00:21::2
	nx T1 ip -6 route add 2001:db8:b::/64 via fd00:21::2
	nx T1 ip -6 route add default via fd00:11::1
	nx T2 ip -6 route add fc00:0:4::/48 via fd00:22::2
	nx T2 ip -6 route add default via fd00:12::1
	nx E ip -6 route add 2001:db8:a::/64 via fd00:21::1
	nx E ip -6 route add fc00:0:1::/48 via fd00:21::1
	local n i
	for n in A:a0 H:h0 H:h1 H:h2 T1:t0 T1:t1 T2:t0 T2:t1 E:e0 E:e1 E:e2 B:b0; do
		nx "${n%%:*}" ethtool -K "${n#*:}" gro on tx off >/dev/null 2>&1
	done
	# Neighbours first, so the first packets of a test are not the ones resolving them.
	for i in 1 2 3 4 5 6 7 8 9 10; do
		nx A ping -6 -c1 -W1 2001:db8:b::1 >/dev/null 2>&1 && break
	done
	nx H ping -6 -c1 -W1 fd00:12::2 >/dev/null 2>&1
	nx T2 ping -6 -c1 -W1 fd00:22::2 >/dev/null 2>&1
}

# agent_demo: agent_topo, then an agent on every router with its demo file (t1, t2, the
# egress, and on the headend demo.yaml, copied to $HEADEND); one check line each.
agent_demo() {
	agent_topo || { fail "topology"; check_done; }
	agent_start T1 "$(agent_file demo-t1.yaml)"; check_eq "agent on t1" 0 $?
	agent_start T2 "$(agent_file demo-t2.yaml)"; check_eq "agent on t2" 0 $?
	agent_start E "$(agent_file demo-egress.yaml)"; check_eq "agent on the egress" 0 $?
	HEADEND=$(agent_file demo.yaml)
	agent_start H "$HEADEND"; check_eq "agent on the headend" 0 $?
}

# agent_dirs NODE: this node's pin root and run folder (unique per test run).
agent_pin() { printf '%s/%s' "$(topo_pin_dir)" "$1"; }
agent_run() { printf '%s/run-%s' "$AGENT_TMP" "$1"; }

# sr6_on NODE ARGS...: the CLI against NODE's agent and pins.
sr6_on() {
	local node=$1; shift
	nx "$node" "$SR6" --pin-root "$(agent_pin "$node")" --run-dir "$(agent_run "$node")" "$@"
}

# agent_start NODE FILE: run `sr6 agent -c FILE` in NODE; its log is $AGENT_TMP/NODE.log.
# Call it directly (not inside check or $(...)): it records the agent's pid for agent_stop.
agent_start() {
	local node=$1 file=$2
	mkdir -p "$(agent_run "$node")"
	# nsenter itself (not the nx function, which would run in a subshell) so that $! is the
	# agent's pid: nsenter execs sr6.
	nsenter --net="/run/netns/$(topo_nsname "$node")" "$SR6" --pin-root "$(agent_pin "$node")" \
		--run-dir "$(agent_run "$node")" agent -c "$file" >>"$AGENT_TMP/$node.log" 2>&1 &
	AGENT_PIDS+=("$!")
	eval "AGENT_PID_$node=$!"
	local i
	for i in $(seq 1 200); do
		sr6_on "$node" status 2>/dev/null | grep -q '^agent: running' && return 0
		sleep 0.05
	done
	return 1
}

agent_stop() { # NODE [SIGNAL]
	local pidvar="AGENT_PID_$1" sig=${2:-TERM}
	[[ -n "${!pidvar:-}" ]] || return 0
	kill -"$sig" "${!pidvar}" 2>/dev/null
	wait "${!pidvar}" 2>/dev/null
	eval "AGENT_PID_$1="
}

agent_init() {
	AGENT_TMP=$(mktemp -d)
	topo_on_cleanup "rm -rf '$AGENT_TMP'"
	topo_on_cleanup 'for p in "${AGENT_PIDS[@]}"; do kill -9 "$p"; done; wait'
	topo_pin_dir >/dev/null
}

# A file of the examples, copied where the agent may watch it.
agent_file() { # NAME -> path
	cp "$SR6_TOP/examples/$1" "$AGENT_TMP/$1"
	printf '%s/%s' "$AGENT_TMP" "$1"
}

# A JSON field of a command's -j output: jq-like with python.
json_get() { # EXPR (python on object o), reads stdin
	/usr/bin/python3 -c "import json,sys; o=json.load(sys.stdin); print($1)"
}

# stream_start NAME COUNT PPS [FLOWS]: a UDP stream A -> B:9000, numbered, from FLOWS source
# ports; stream_wait NAME waits for it and sets SENT, RECEIVED (distinct sequence numbers)
# and REORDERED.
stream_start() {
	local name=$1 count=$2 pps=$3 flows=${4:-1}
	nx B /usr/bin/python3 "$SR6_TOP/selftests/agent_stream.py" recv 2001:db8:b::1 9000 \
		"$count" "$AGENT_TMP/$name.recv" &
	eval "STREAM_RX_$name=$!"
	sleep 0.3
	nx A /usr/bin/python3 "$SR6_TOP/selftests/agent_stream.py" send 2001:db8:b::1 9000 \
		"$count" "$pps" "$AGENT_TMP/$name.sent" "$flows" &
	eval "STREAM_TX_$name=$!"
}

stream_wait() {
	local tx="STREAM_TX_$1" rx="STREAM_RX_$1"
	wait "${!tx}" 2>/dev/null
	wait "${!rx}" 2>/dev/null
	SENT=$(cat "$AGENT_TMP/$1.sent" 2>/dev/null || echo 0)
	read -r RECEIVED REORDERED < <(cat "$AGENT_TMP/$1.recv" 2>/dev/null || echo '0 0')
}

# Counters: packets of a policy's path on H, of a SID on a transit node.
path_packets() { # POLICY PATH-INDEX
	sr6_on H -j stats | json_get "[p for p in o['policies'] if p['policy']=='$1'][0]['paths'][$2]['packets']"
}
sid_packets() { # NODE SID  (fast path + kernel)
	sr6_on "$1" -j stats | json_get "sum(s['fast']['packets'] + s.get('kernel',{}).get('packets',0) for s in o['sids'] if s['sid']=='$2')"
}
