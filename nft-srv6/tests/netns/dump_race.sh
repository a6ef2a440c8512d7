#!/usr/bin/env bash
# Reading a table while another process changes the ruleset: the kernel marks such a dump
# interrupted, sometimes on its very last message, and nft-srv6 must start over, never wait
# for the end of a dump it has already received.  The table holds enough rules (six
# "contains" rules, 132 kernel rules each) that every dump comes in several parts.
set -u
source "$SR6_TOP/nft-srv6/tests/netns/lib.sh"
require_cmd nft nsenter ip timeout
[[ -x $NFTSRV6 ]] || { echo "missing $NFTSRV6: run make"; exit 4; }
topo_init
TMP=$(mktemp -d)
topo_on_cleanup rm -rf "$TMP"
topo_ns r
T=sr6race

for i in 1 2 3 4 5 6; do
	nx r "$NFTSRV6" -t $T add contains "fc00:9::$i" counter >/dev/null
done
check_eq "dump race: six contains rules listed" 6 "$(nx r "$NFTSRV6" -t $T list | grep -c contains)"

# another process commits to the same namespace all the time
nx r nft add table inet churn
( while :; do nx r nft add chain inet churn "c$RANDOM" 2>/dev/null; done ) &
churn=$!
topo_on_cleanup kill $churn

hung=0 listed=0 other=0
for i in $(seq 1 40); do
	nx r timeout 5 "$NFTSRV6" -t $T list >"$TMP/out" 2>&1
	rc=$?
	if (( rc == 124 )); then
		hung=$((hung + 1))
	elif (( rc == 0 )) && (( $(grep -c contains "$TMP/out") == 6 )); then
		listed=$((listed + 1))
	elif ! grep -q "keeps changing while being read" "$TMP/out"; then
		other=$((other + 1))
		cp "$TMP/out" "$TMP/other"
	fi
done
kill $churn 2>/dev/null
check_eq "dump race: no listing waited for the end of an interrupted dump" 0 "$hung"
check_eq "dump race: no listing failed otherwise" 0 "$other"
check_ge "dump race: listings completed with all six rules" 20 "$listed"
check_done
