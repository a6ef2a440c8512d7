#!/usr/bin/env bash
# Headend benchmark: the kernel's lwt seg6 encap against sr6's headend at XDP and at tc,
# 1 and 4 SIDs, 160-byte IPv6 frames, on the rig of bench/lib (see bench/README.md).
#
#   r: kernel  route 2001:db8:b::/64 encap seg6 mode encap segs ... dev r1 (r0: XDP_PASS)
#      xdp     sr6_xdp on r0 (policy with the same SIDs; no route for 2001:db8:b::/64)
#      tcx     sr6_tc_ingress on r0 through a tcx link, as the agent attaches it (r0 also has
#              XDP_PASS, which the rig needs)
#      tc      the same through a clsact cls_bpf filter (tc filter ... bpf direct-action), the
#              older attachment, which costs the tc classifier's own walk on top
#   floors: bare programs that push 64 bytes and redirect (bench/lib), at XDP, at clsact tc and
#      through a tcx link; and at tcx the lookups floor (bench/headend_floor.bpf.c): the same
#      with the two map lookups every headend makes (steering LPM, policy) in front.
#   fwd: plain kernel IPv6 forwarding, for scale.  SIDs are routed to the sink s.
#
# Environment: RIG_ROUNDS (5), RIG_SECONDS (1.5), RIG_SINKS ("xdp tc").
set -u
source "$(dirname "$0")/lib/rig.sh"
LOAD="$SR6_BUILD/bin/sr6-nodetool"
HEB="$SR6_BUILD/bin/sr6-hebench"
rig_need "$LOAD" "$HEB"

rig_init
rig_nx ip -6 route add fc00:5::/32 via fc00:b::1 dev r1
rig_nx ip sr tunsrc set fc00:b::2
S1=fc00:5:1::1
S4=fc00:5:1::1,fc00:5:2::1,fc00:5:3::1,fc00:5:4::1
PIN=$RIG_PIN/sr6
mkdir -p "$PIN"
"$LOAD" load "$PIN" || rig_die "load sr6.bpf.o"
"$LOAD" policy "$PIN" 1 encap source=fc00:b::2 "path=$S1" &&
	"$LOAD" policy "$PIN" 4 encap source=fc00:b::2 "path=$S4" &&
	"$LOAD" rule "$PIN" 0 1 && "$LOAD" steer "$PIN" 2001:db8:b::/64 0 1 &&
	"$LOAD" config "$PIN" steer6 fib-cache || rig_die "sr6 configuration"
"$HEB" floor "$PIN" "$(topo_ifindex r r1)" "$RIG_S0_MAC" || rig_die "lookups floor"

plain_on() { rig_nx ip -6 route replace 2001:db8:b::/64 via fc00:b::1 dev r1; }
route_off() { rig_nx ip -6 route del 2001:db8:b::/64; }
kernel_on() { rig_nx ip -6 route replace 2001:db8:b::/64 encap seg6 mode encap segs "$1" dev r1; }
# sr6 with the FIB cache (SR6_CFG_FIB_CACHE), or without ("nc" cases).
sr6_cfg() { "$LOAD" config "$PIN" steer6 ${1:+fib-cache}; }
xdp_on() { sr6_cfg "${2:-}" && "$LOAD" rule "$PIN" 0 "$1" &&
	rig_nx ip -force link set dev r0 xdpdrv pinned "$PIN/sr6_xdp"; }
tc_on() { sr6_cfg "${2:-}" && "$LOAD" rule "$PIN" 0 "$1" && rig_nx "$LOAD" attach "$PIN" r0 tc-ingress; }
tc_off() { rig_nx "$LOAD" detach r0 tc-ingress; }
tcx_on() { sr6_cfg "${2:-}" && "$LOAD" rule "$PIN" 0 "$1" &&
	rig_nx "$HEB" tcx-attach "$PIN/sr6_tc_ingress" r0 "$RIG_PIN/tcx_r0"; }
tcx_off() { "$HEB" tcx-detach "$RIG_PIN/tcx_r0"; }
floor_tcx_on() { rig_nx "$HEB" tcx-attach "$RIG_PIN/rig/rig_tc_push" r0 "$RIG_PIN/tcx_r0"; }
lookups_tcx_on() { "$LOAD" rule "$PIN" 0 1 && rig_nx "$HEB" tcx-attach "$PIN/hf_lookups" r0 "$RIG_PIN/tcx_r0"; }

F=$(rig_frame udp6 2001:db8:a::1 2001:db8:b::1 160)
rig_case fwd "kernel IPv6 forwarding (no SRv6)" plain_on route_off "$F"
rig_case kernel_1 "kernel lwt seg6 encap, 1 SID" "kernel_on $S1" route_off "$F"
rig_case xdp_1 "sr6 XDP H.Encaps, 1 SID" "xdp_on 1 cache" rig_pass_r0 "$F"
rig_case xdp_1_nc "sr6 XDP H.Encaps, 1 SID, no FIB cache" "xdp_on 1" rig_pass_r0 "$F"
rig_case tcx_1 "sr6 tc (tcx link) H.Encaps, 1 SID" "tcx_on 1 cache" tcx_off "$F"
rig_case tc_1 "sr6 tc (clsact filter) H.Encaps, 1 SID" "tc_on 1 cache" tc_off "$F"
rig_case floor_xdp "XDP: push 64 B + redirect only (floor)" rig_floor_xdp rig_pass_r0 "$F"
rig_case floor_tcx "tcx: adjust_room 64 B + redirect (floor)" floor_tcx_on tcx_off "$F"
rig_case floor_tc "clsact: adjust_room 64 B + redirect (floor)" rig_floor_tc rig_floor_tc_off "$F"
rig_case lookups_tcx "tcx: LPM + policy lookups, then the floor" lookups_tcx_on tcx_off "$F"
rig_case kernel_4 "kernel lwt seg6 encap, 4 SIDs" "kernel_on $S4" route_off "$F"
rig_case xdp_4 "sr6 XDP H.Encaps, 4 SIDs" "xdp_on 4 cache" rig_pass_r0 "$F"
rig_case tcx_4 "sr6 tc (tcx link) H.Encaps, 4 SIDs" "tcx_on 4 cache" tcx_off "$F"
rig_case tc_4 "sr6 tc (clsact filter) H.Encaps, 4 SIDs" "tc_on 4 cache" tc_off "$F"

ratios() { # SINK
	rig_ratio "$1" "XDP / kernel, 1 SID" xdp_1 kernel_1 ">= 3.0"
	rig_ratio "$1" "XDP / kernel, 4 SIDs" xdp_4 kernel_4 ">= 3.0"
	rig_ratio "$1" "tc (tcx) / kernel, 1 SID" tcx_1 kernel_1 ">= 1.3"
	rig_ratio "$1" "tc (tcx) / kernel, 4 SIDs" tcx_4 kernel_4 ">= 1.3"
	rig_ratio "$1" "tc (clsact) / kernel, 1 SID" tc_1 kernel_1 ">= 1.3"
	rig_ratio "$1" "tc (clsact) / kernel, 4 SIDs" tc_4 kernel_4 ">= 1.3"
	rig_ratio "$1" "XDP without FIB cache / kernel, 1 SID" xdp_1_nc kernel_1 "-"
	rig_ratio "$1" "XDP floor / kernel (no headend can pass)" floor_xdp kernel_1 "-"
	rig_ratio "$1" "tcx floor / kernel (no headend can pass)" floor_tcx kernel_1 "-"
	rig_ratio "$1" "clsact floor / kernel (no headend can pass)" floor_tc kernel_1 "-"
	rig_ratio "$1" "tcx lookups floor / kernel (the same)" lookups_tcx kernel_1 "-"
	rig_ratio "$1" "kernel encap / plain forwarding" kernel_1 fwd "-"
}

rig_run
rig_report ratios
rc=$?

# Where the time goes: the programs' own run time (kernel.bpf_stats_enabled, restored after).
echo
rig_stats_on
rig_sink xdp
for c in "xdp_1|xdp_on 1 cache|rig_pass_r0|sr6_xdp" "xdp_1_nc|xdp_on 1|rig_pass_r0|sr6_xdp" \
	 "xdp_4|xdp_on 4 cache|rig_pass_r0|sr6_xdp" "tcx_1|tcx_on 1 cache|tcx_off|sr6_tc_ingress" \
	 "tcx_4|tcx_on 4 cache|tcx_off|sr6_tc_ingress" "tc_1|tc_on 1 cache|tc_off|sr6_tc_ingress" \
	 "lookups_tcx|lookups_tcx_on|tcx_off|hf_lookups"; do
	IFS='|' read -r name on off prog <<<"$c"
	rig_progstat "$name" "$on" "$off" "$F" "$PIN/$prog"
done
exit $rc
