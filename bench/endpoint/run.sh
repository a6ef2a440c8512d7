#!/usr/bin/env bash
# Endpoint benchmark: the kernel's seg6local End vs sr6's XDP End, kernel End.DT6 vs sr6's,
# native End vs End.BPF "count", on the rig of bench/lib (see bench/README.md): 160-byte
# frames from the live-frames generator through r into the sink, everything on one CPU,
# interleaved rounds, medians, both sinks.
#
#   r: kernel_*  seg6local routes do the work (r0 has the rig's XDP_PASS)
#      xdp_*     the node program sr6_xdp on r0 (SIDs in sr6_sids; the kernel's routes unused),
#                with its FIB cache (SR6_CFG_FIB_CACHE) or without ("_nc")
#      bpf_*     seg6local End.BPF: the count function, or a program that only returns BPF_OK
#      xdp_fwd   a bare XDP redirect (MAC rewrite only): the floor under any XDP forwarding
#
# Environment: RIG_ROUNDS (5), RIG_SECONDS (1.5), RIG_SINKS ("xdp tc").
set -u
source "$(dirname "$0")/../lib/rig.sh"
BENCH="$SR6_BUILD/bin/sr6-epbench"
TOOL="$SR6_BUILD/bin/sr6-nodetool"
rig_need "$BENCH" "$TOOL"

rig_init
EP=$RIG_PIN/ep FN=$RIG_PIN/fn SR6=$RIG_PIN/sr6
mkdir -p "$EP" "$FN" "$SR6"
rig_nx ip -6 route add fc00:3::/64 via fc00:b::1 dev r1
rig_nx ip -6 route add 2001:db8:b::/48 via fc00:b::1 dev r1
"$BENCH" setup "$EP" "$(topo_ifindex r r1)" "$RIG_S0_MAC" || rig_die "endpoint programs"
# Kernel SIDs.
rig_nx ip -6 route add fc00:5::1/128 encap seg6local action End dev r0 || rig_die "kernel End"
rig_nx ip -6 route add fc00:5::6/128 encap seg6local action End.DT6 table main dev r0 ||
	rig_die "kernel End.DT6"
"$TOOL" fnload "$FN" "$SR6_BUILD/bpf/fn_count.bpf.o" >/dev/null || rig_die "load count"
rig_nx ip -6 route add fc00:5::b/128 encap seg6local action End.BPF endpoint pinned "$EP/ep_nop" \
	dev r0 || rig_die "End.BPF nop"
rig_nx ip -6 route add fc00:5::c/128 encap seg6local action End.BPF endpoint pinned "$FN/sr6_count" \
	dev r0 || rig_die "End.BPF count"
# sr6 SIDs, used only while sr6_xdp is attached.
rig_nx "$TOOL" load "$SR6" "$SR6_BUILD/bpf/sr6.bpf.o" sr6_xdp r0 || rig_die "load sr6.bpf.o"
"$TOOL" sid "$SR6" fc00:5::1 End stats 1 && "$TOOL" sid "$SR6" fc00:5::6 End.DT6 table 254 stats 2 ||
	rig_die "sr6 SIDs"
rig_pass_r0

frame() { "$BENCH" frame "$1" "$RIG_R0_MAC"; }
none() { :; }
fwd_on() { rig_nx ip -force link set dev r0 xdpdrv pinned "$EP/ep_fwd"; }
sr6_on() { "$TOOL" fib-cache "$SR6" "$1" && rig_nx ip -force link set dev r0 xdpdrv pinned "$SR6/sr6_xdp"; }

# Each pair compared runs back to back in a round (kernel_end between the cases compared with it).
rig_case xdp_fwd "XDP MAC rewrite + redirect only (floor)" fwd_on rig_pass_r0 "$(frame end)"
rig_case xdp_end_nc "sr6 XDP End, FIB cache off" "sr6_on off" rig_pass_r0 "$(frame end)"
rig_case xdp_end "sr6 XDP End" "sr6_on on" rig_pass_r0 "$(frame end)"
rig_case kernel_end "kernel seg6local End" none none "$(frame end)"
rig_case bpf_count "End.BPF count (kernel End + program)" none none "$(frame bpf)"
rig_case bpf_nop "End.BPF returning BPF_OK" none none "$(frame nop)"
rig_case kernel_dt6 "kernel seg6local End.DT6" none none "$(frame dt6)"
rig_case xdp_dt6 "sr6 XDP End.DT6" "sr6_on on" rig_pass_r0 "$(frame dt6)"
rig_case xdp_dt6_nc "sr6 XDP End.DT6, FIB cache off" "sr6_on off" rig_pass_r0 "$(frame dt6)"

# The router's own share: ns at r (1e9/pps minus the canary's), A / B.
rcost() { # SINK LABEL A B
	awk -v a="$(rig_median "$1" "$3")" -v b="$(rig_median "$1" "$4")" -v c="$(rig_median "$1" canary)" \
		-v l="$2 ($1 sink)" 'BEGIN { if (a <= 0 || b <= 0) exit
		printf "%-44s %6.2fx   (%.0f vs %.0f ns at r)\n", l, (1e9 / a - 1e9 / c) / (1e9 / b - 1e9 / c),
			1e9 / a - 1e9 / c, 1e9 / b - 1e9 / c }'
}

ratios() { # SINK
	rig_ratio "$1" "XDP End / kernel End" xdp_end kernel_end ">= 2.5"
	rig_ratio "$1" "XDP End, FIB cache off / kernel End" xdp_end_nc kernel_end "-"
	rig_ratio "$1" "XDP End.DT6 / kernel End.DT6" xdp_dt6 kernel_dt6 "-"
	rig_ratio "$1" "End.BPF count / native End" bpf_count kernel_end ">= 0.95"
	rig_ratio "$1" "End.BPF nop / native End" bpf_nop kernel_end "-"
	rig_ratio "$1" "End.BPF count / End.BPF nop" bpf_count bpf_nop "-"
	rcost "$1" "kernel End / XDP End (ns at r)" kernel_end xdp_end
	rcost "$1" "XDP End cache off / on (ns at r)" xdp_end_nc xdp_end
	rcost "$1" "XDP End / bare XDP redirect (ns at r)" xdp_end xdp_fwd
	rcost "$1" "kernel End.DT6 / XDP End.DT6 (ns at r)" kernel_dt6 xdp_dt6
}

rig_run
rig_report ratios
rc=$?

# Where the time goes: the programs' own run time (kernel.bpf_stats_enabled, restored after).
# End.BPF programs run inside the kernel's End: the rest of its time is the kernel's.
echo
rig_stats_on
rig_sink xdp
rig_progstat xdp_end "sr6_on on" rig_pass_r0 "$(frame end)" "$SR6/sr6_xdp"
rig_progstat xdp_dt6 "sr6_on on" rig_pass_r0 "$(frame dt6)" "$SR6/sr6_xdp"
rig_progstat bpf_count none none "$(frame bpf)" "$FN/sr6_count"
rig_progstat bpf_nop none none "$(frame nop)" "$EP/ep_nop"
exit $rc
