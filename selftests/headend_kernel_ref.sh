#!/usr/bin/env bash
# headend_kernel_ref: sr6's encapsulation against the kernel's `encap seg6` for the same
# packet and segment list (every mode x 1, 2, 3, 16 SIDs x IPv6/IPv4), field by field;
# headend_kernel_ref.py says which fields differ on purpose and why.
#
#   S (s0) --- (x0) X (x1) --- (c0) C     X: kernel seg6 route, then sr6 on x0 (XDP + tc)
set -uo pipefail
: "${SR6_TOP:?}" "${SR6_BUILD:?}"
source "$SR6_TOP/selftests/lib/check.sh"
source "$SR6_TOP/selftests/lib/topo.sh"
require_cmd ip nsenter ethtool /usr/bin/python3
LOAD="$SR6_BUILD/bin/sr6-nodetool"
[[ -x $LOAD ]] || { echo "missing $LOAD: run make"; exit 4; }

topo_init
topo_ns s x c
topo_link s s0 x x0
topo_link x x1 c c0
topo_addr x x0 fc00:a::2/64
topo_addr x x0 10.1.0.2/16
topo_addr x x1 fc00:1::1/64
topo_addr c c0 fc00:1::2/64
nx x ip -6 neigh replace fc00:1::2 lladdr "$(topo_mac c c0)" dev x1 nud permanent
nx x ip -6 route add fc00:5::/32 via fc00:1::2 dev x1
nx x ip sr tunsrc set fc00:1::1
nx c ethtool -K c0 gro on >/dev/null   # XDP_REDIRECT into c0 needs NAPI on it
PIN=$(topo_pin_dir)
"$LOAD" load "$PIN" || { echo "load failed"; exit 1; }
# XDP, and tc ingress after it for what XDP has no room for (long lists, tight buffers).
nx x "$LOAD" attach "$PIN" x0 xdp && nx x "$LOAD" attach "$PIN" x0 tc-ingress ||
	{ echo "attach failed"; exit 1; }
/usr/bin/python3 "$SR6_TOP/selftests/headend_kernel_ref.py" "$(topo_nsname s)" "$(topo_nsname x)" \
	"$(topo_nsname c)" "$LOAD" "$PIN"
rc=$?
(( rc )) && "$LOAD" drops "$PIN" | sed 's/^/       | sr6 /'
exit $rc
