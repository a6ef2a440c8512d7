# The benchmark rig: three namespaces on one CPU, a live-frames XDP generator, a sink, and
# cases measured side by side in interleaved rounds.  See bench/README.md.
#
#   source "$(dirname "$0")/lib/rig.sh"   (from bench/; SR6_TOP, SR6_BUILD default to this tree)
#   rig_need FILE...              stop unless the built tools the script runs are there
#   rig_init                      g:g0 --- r0:[r]:r1 --- s0:s, generator and sinks loaded
#   rig_case NAME "what" SETUP TEARDOWN FRAME
#                                 a case: SETUP/TEARDOWN are shell commands (functions) that
#                                 configure r; FRAME is the frame's hex (rig_frame prints one)
#   rig_run                       RIG_ROUNDS rounds x RIG_SINKS x every case, RIG_SECONDS each,
#                                 a drop-at-r0 canary first and last in every round
#   rig_table SINK                medians: Mpps, ns per packet, ns at r, samples
#   rig_ratio SINK "label" A B TARGET   A / B: median of the per-round ratios
#   rig_median SINK NAME          a case's median pps
#
# Everything runs on RIG_CPU (default 0): the generator pushes each frame through r and into
# the sink before the next, so 1e9/pps is the whole path's cost per packet; "ns at r" is that
# minus the canary's (generator + first veth hop).  The machine is shared: a round whose
# canaries ran below RIG_CANARY_KEEP percent (default 85) of the best canary is left out.
#
# Floors: rig_floor_xdp / rig_floor_tc (+ rig_floor_tc_off) push 64 bytes, rewrite the MAC and
# redirect to r1: the least any encapsulation costs at that hook on this rig.
#
# Inside cases: rig_nx (nsenter into r), RIG_PIN (bpffs folder for the run), RIG_R0_MAC,
# RIG_S0_MAC; r0 fc00:a::2/64 10.0.1.2/24, r1 fc00:b::2/64 10.0.2.2/24, s0 fc00:b::1/64
# 10.0.2.1/24 with permanent neighbour entries on r.  A case leaves r0 with an XDP program
# (a veth takes redirected frames only when its peer has one): rig_pass_r0 attaches XDP_PASS.

export SR6_TOP=${SR6_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
export SR6_BUILD=${SR6_BUILD:-$SR6_TOP/build}
source "$SR6_TOP/selftests/lib/topo.sh"

RIG_ROUNDS=${RIG_ROUNDS:-5}
RIG_SECONDS=${RIG_SECONDS:-1.5}
RIG_SINKS=${RIG_SINKS:-xdp tc}
RIG_CPU=${RIG_CPU:-0}
RIG_CANARY_KEEP=${RIG_CANARY_KEEP:-85}
RIG_GEN="$SR6_BUILD/bench/sr6-xdpgen"
RIG_CASES=()
declare -A RIG_PPS        # [SINK:NAME:ROUND]
declare -A RIG_KEPT       # [SINK] = rounds kept

rig_die() { echo "bench rig: $*" >&2; exit 1; }
rig_nx() { nx r "$@"; }
rig_need() {
	local f
	for f; do [[ -x $f ]] || rig_die "missing $f: run make"; done
}

rig_init() {
	rig_need "$RIG_GEN"
	topo_init
	topo_ns g r s || rig_die "namespaces"
	RIG_PIN=$(topo_pin_dir)
	mkdir -p "$RIG_PIN/rig"
	topo_link g g0 r r0 && topo_link r r1 s s0 || rig_die "links"
	topo_addr r r0 fc00:a::2/64; topo_addr r r0 10.0.1.2/24
	topo_addr r r1 fc00:b::2/64; topo_addr r r1 10.0.2.2/24
	topo_addr s s0 fc00:b::1/64; topo_addr s s0 10.0.2.1/24
	RIG_R0_MAC=$(topo_mac r r0)
	RIG_S0_MAC=$(topo_mac s s0)
	nx r ip -6 neigh replace fc00:b::1 lladdr "$RIG_S0_MAC" dev r1 nud permanent
	nx r ip neigh replace 10.0.2.1 lladdr "$RIG_S0_MAC" dev r1 nud permanent
	"$RIG_GEN" setup "$RIG_PIN/rig" "$(topo_ifindex r r1)" "$RIG_S0_MAC" || rig_die "generator setup"
	# A tc sink needs NAPI on s0 for frames redirected into it: GRO gives it.
	nx s ethtool -K s0 gro on >/dev/null 2>&1
	nx s tc qdisc add dev s0 clsact 2>/dev/null
	rig_pass_r0
}

rig_pass_r0() { nx r ip -force link set dev r0 xdpdrv pinned "$RIG_PIN/rig/rig_pass"; }

# Floors: the least an encapsulating XDP or tc program costs on r (64 bytes pushed, the MAC
# rewritten, redirected to r1); cases use them as SETUP / TEARDOWN.
rig_floor_xdp() { nx r ip -force link set dev r0 xdpdrv pinned "$RIG_PIN/rig/rig_xdp_push"; }
rig_floor_tc() {
	nx r tc qdisc add dev r0 clsact 2>/dev/null
	nx r tc filter replace dev r0 ingress pref 1 handle 1 bpf direct-action pinned "$RIG_PIN/rig/rig_tc_push"
}
rig_floor_tc_off() { nx r tc filter del dev r0 ingress pref 1 handle 1 bpf; }

rig_frame() { "$RIG_GEN" frame "$1" "$RIG_R0_MAC" "$2" "$3" "${4:-160}"; }

rig_case() { RIG_CASES+=("$1|$2|$3|$4|$5"); }

rig_sink() { # xdp|tc
	if [[ $1 == xdp ]]; then
		nx s tc filter del dev s0 ingress 2>/dev/null
		nx s ip -force link set dev s0 xdpdrv pinned "$RIG_PIN/rig/rig_drop"
	else
		nx s ip link set dev s0 xdpdrv off
		nx s tc filter replace dev s0 ingress pref 1 handle 1 bpf direct-action \
			pinned "$RIG_PIN/rig/rig_tc_drop"
	fi
}

# One sample: NAME SETUP TEARDOWN FRAME SECONDS -> pps on stdout
rig_sample() {
	local c0 c1 out
	$2 || rig_die "setup of $1"
	c0=$("$RIG_GEN" count "$RIG_PIN/rig")
	out=$(nx g "$RIG_GEN" run g0 "$4" "$5" "$RIG_CPU") || rig_die "generator ($1)"
	sleep 0.1
	c1=$("$RIG_GEN" count "$RIG_PIN/rig")
	$3 || rig_die "teardown of $1"
	# Frames counted over the generator's busy time (each test_run call also sets up and
	# tears down a page pool, waiting for RCU: that time is not the data path's).
	awk -v n=$((c1 - c0)) -v t="${out%% *}" 'BEGIN { printf "%.0f", n / t }'
}

# After rig_run: per sink, its table, then RATIOS SINK (the benchmark's rig_ratio lines).
# Returns 1 when a case forwarded nothing in some sink (a broken setup, not a slow one).
rig_report() { # RATIOS
	local sink c name rc=0
	for sink in $RIG_SINKS; do
		echo
		rig_table "$sink"
		echo
		"$1" "$sink"
		for c in "${RIG_CASES[@]}"; do
			name=${c%%|*}
			[[ $(rig_median "$sink" "$name") != 0 ]] ||
				{ echo "case $name forwarded nothing ($sink sink)" >&2; rc=1; }
		done
	done
	return $rc
}

# The program's own run time while one sample runs (kernel.bpf_stats_enabled must be on):
# NAME SETUP TEARDOWN FRAME PINNED_PROG -> one line "NAME PROG ns per run, ns per packet".
rig_progstat() {
	local n0 t0 n1 t1 pps
	read -r n0 t0 < <("$RIG_GEN" progstat "$5") || rig_die "progstat $5"
	pps=$(rig_sample "$1" "$2" "$3" "$4" 1)
	read -r n1 t1 < <("$RIG_GEN" progstat "$5") || rig_die "progstat $5"
	awk -v n="$1" -v p="${5##*/}" -v r=$((n1 - n0)) -v t=$((t1 - t0)) -v pps="$pps" 'BEGIN {
		if (r > 0) printf "%-10s %-15s %7.1f ns per run in the program (bpf_stats), %6.1f ns per packet in all\n",
			n, p, t / r, 1e9 / pps }'
}

# Turn kernel.bpf_stats_enabled on until the script exits (restored, then the topology removed).
rig_stats_on() {
	RIG_STATS_WAS=$(sysctl -n kernel.bpf_stats_enabled)
	sysctl -qw kernel.bpf_stats_enabled=1
	trap 'sysctl -qw kernel.bpf_stats_enabled=$RIG_STATS_WAS; topo_cleanup' EXIT
}

rig_canary_setup() { nx r ip -force link set dev r0 xdpdrv pinned "$RIG_PIN/rig/rig_drop"; }

rig_run() {
	local round sink c name setup teardown frame a b best k
	local canary_frame
	canary_frame=$(rig_frame udp6 fc00:a::1 fc00:b::1)
	# Warm-up: neighbours, caches, page pools.
	for sink in $RIG_SINKS; do
		rig_sink "$sink"
		for c in "${RIG_CASES[@]}"; do
			IFS='|' read -r name _ setup teardown frame <<<"$c"
			rig_sample "$name" "$setup" "$teardown" "$frame" 0.2 >/dev/null
		done
	done
	for ((round = 1; round <= RIG_ROUNDS; round++)); do
		for sink in $RIG_SINKS; do
			rig_sink "$sink"
			a=$(rig_sample canary rig_canary_setup rig_pass_r0 "$canary_frame" 0.5)
			for c in "${RIG_CASES[@]}"; do
				IFS='|' read -r name _ setup teardown frame <<<"$c"
				RIG_PPS[$sink:$name:$round]=$(rig_sample "$name" "$setup" "$teardown" "$frame" \
					"$RIG_SECONDS")
			done
			b=$(rig_sample canary rig_canary_setup rig_pass_r0 "$canary_frame" 0.5)
			RIG_PPS[$sink:canary:$round]=$(( a < b ? a : b ))
		done
		printf '  round %d of %d done\n' "$round" "$RIG_ROUNDS" >&2
	done
	for sink in $RIG_SINKS; do
		best=0
		for ((round = 1; round <= RIG_ROUNDS; round++)); do
			(( RIG_PPS[$sink:canary:$round] > best )) && best=${RIG_PPS[$sink:canary:$round]}
		done
		k=""
		for ((round = 1; round <= RIG_ROUNDS; round++)); do
			(( RIG_PPS[$sink:canary:$round] * 100 >= best * RIG_CANARY_KEEP )) && k+="$round "
		done
		RIG_KEPT[$sink]=$k
	done
}

rig_median_of() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g |
	awk '{ v[NR] = $1 } END { if (!NR) print 0; else if (NR % 2) print v[(NR + 1) / 2];
				  else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

rig_samples() { # SINK NAME
	local r s=""
	for r in ${RIG_KEPT[$1]}; do s+="${RIG_PPS[$1:$2:$r]} "; done
	printf '%s' "$s"
}

rig_median() { rig_median_of "$(rig_samples "$1" "$2")"; }

rig_table() { # SINK
	local sink=$1 canary c name what n
	canary=$(rig_median "$sink" canary)
	n=$(wc -w <<<"${RIG_KEPT[$sink]}")
	printf 'sink %s: %s of %s rounds kept (canaries >= %s%% of the best), %s s per sample\n' \
		"$sink" "$n" "$RIG_ROUNDS" "$RIG_CANARY_KEEP" "$RIG_SECONDS"
	printf '%-12s %-44s %8s %8s %8s  %s\n' case what Mpps ns/pkt "ns at r" "samples (kpps)"
	for c in "canary|drop at r0: generator + first hop (rig ceiling)" "${RIG_CASES[@]}"; do
		IFS='|' read -r name what _ <<<"$c"
		awk -v n="$name" -v w="$what" -v p="$(rig_median "$sink" "$name")" -v c="$canary" \
			-v s="$(rig_samples "$sink" "$name")" 'BEGIN {
				k = ""; m = split(s, v, " "); for (i = 1; i <= m; i++) k = k sprintf("%.0f ", v[i] / 1e3)
				if (p <= 0) { printf "%-12s %-44s %8s\n", n, w, "-"; exit }
				printf "%-12s %-44s %8.3f %8.1f %8.1f  %s\n", n, w, p / 1e6, 1e9 / p,
					1e9 / p - 1e9 / c, k }'
	done
}

rig_ratio() { # SINK LABEL A B TARGET: the median of the per-round ratios A/B
	local sink=$1 r list=""
	for r in ${RIG_KEPT[$sink]}; do
		list+="$(awk -v a="${RIG_PPS[$sink:$3:$r]}" -v b="${RIG_PPS[$sink:$4:$r]}" \
			'BEGIN { if (b > 0) printf "%.3f", a / b; else printf "0" }') "
	done
	printf '%-44s %6.2fx   target %-6s per round: %s\n' "$2 ($sink sink)" \
		"$(rig_median_of "$list")" "$5" "$list"
}
