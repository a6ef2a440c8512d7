#!/usr/bin/env bash
# Per-packet cost of nft-srv6 rules on the forwarding path, side by side: SRv6 frames
# (16 SIDs, inner IPv6/TCP, 364 bytes) are sent from a through r (the rules, forward
# hook) to b (blackhole) by nftsrv6-blast on one CPU; on veth the whole path runs in the
# sender's context, so packets per second of the sender's CPU time measure it (and stay
# comparable when other work shares the machine).  Each case is one rule that does not match
# (the packet crosses it), except "contains, hit at [0]".  Cases interleaved, ROUNDS
# rounds of SECONDS each, medians.
#   pps.sh [SECONDS] [ROUNDS]
set -u
SECS=${1:-2}
ROUNDS=${2:-3}
export SR6_TOP=${SR6_TOP:-$PWD} SR6_BUILD=${SR6_BUILD:-$PWD/build}
source "$SR6_TOP/nft-srv6/tests/netns/lib.sh"
BLAST=$SR6_BUILD/bin/nftsrv6-blast
nftsrv6_require
nftsrv6_topo
B0_MAC=$(topo_mac b b0)
nx r ip -6 neigh replace fc00:b::1 lladdr "$B0_MAC" dev r1 nud permanent
sids=$(for i in $(seq 0 15); do printf 'fc00:5:3:%x::1,' "$i"; done)
sids=${sids%,}
$PY "$NFTSRV6_TESTS/srv6_traffic.py" frame "$TMP/frame" "$R0_MAC" sids="$sids" sl=15 \
	inner=6 proto=6 sport=40000 dport=443

cases=(
	"none|"
	"outer saddr|saddr fc00:dead::/32 counter"
	"segleft|segleft 200 counter"
	"sid[3]|sid[3] fc00:dead::1 counter"
	"inner dport|inner proto ipv6 inner proto tcp inner dport 22 counter"
	"inner dport set|inner proto ipv6 inner proto tcp inner dport { 22, 25, 8000-8080 } counter"
	"contains, miss (16 SIDs)|contains fc00:dead::1 counter"
	"contains, hit at [0]|contains fc00:5:3::1 accept"
)
for (( r = 1; r <= ROUNDS; r++ )); do
	for c in "${cases[@]}"; do
		name=${c%%|*} rule=${c#*|}
		nx r "$NFTSRV6" -t bench delete table >/dev/null 2>&1
		nx r "$NFTSRV6" -t bench add hook forward >/dev/null
		[[ -n "$rule" ]] && { printf 'add %s\n' "$rule" | nx r "$NFTSRV6" -t bench -f - || exit 1; }
		pps=$(nx a taskset -c 0 "$BLAST" a0 "$TMP/frame" "$SECS" | cut -d' ' -f2) || exit 1
		echo "$name|$pps" >>"$TMP/samples"
	done
done
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
samples() { awk -F'|' -v n="$1" '$1 == n { print $2 }' "$TMP/samples"; }
base=$(samples none | median)
echo "per-packet cost of one nft-srv6 rule on the forward hook (16-SID SRv6 frames, 1 CPU)"
echo "median of $ROUNDS interleaved rounds of $SECS s"
printf '%-28s %14s %10s %12s\n' case "pkts/cpu-s" ratio "+ns/pkt"
for c in "${cases[@]}"; do
	name=${c%%|*}
	pps=$(samples "$name" | median)
	awk -v n="$name" -v p="$pps" -v b="$base" 'BEGIN {
		printf "%-28s %14.0f %10.2f %12.0f\n", n, p, p / b, 1e9 / p - 1e9 / b }'
done
