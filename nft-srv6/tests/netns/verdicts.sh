#!/usr/bin/env bash
# Verdicts and statements on real packets: drop, accept, jump, limit, log (nflog),
# counters; placement: hooks, insert and positions, delete, flush, netdev ingress.
set -u
source "$SR6_TOP/nft-srv6/tests/netns/lib.sh"
nftsrv6_require
nftsrv6_topo
T=sr6v

# b counts every SRv6 packet that reaches it, by tag
for tag in 1 2 3 4 5 6 7 8 9; do
	B[$tag]=$(nftsrv6_add b -t seen add hook prerouting tag $tag counter)
done

# drop
h_drop=$(nftsrv6_add r -t $T add tag 1 counter drop)
h_after=$(nftsrv6_add r -t $T add tag { 1, 2 } counter)
nftsrv6_packets 5 tag=1
nftsrv6_packets 3 tag=2
nftsrv6_wait_count b seen "${B[2]}" 3
check_eq "drop: the dropping rule counts its packets" 5 "$(nftsrv6_counter r $T "$h_drop")"
check_eq "drop: later rules never see dropped packets" 3 "$(nftsrv6_counter r $T "$h_after")"
check_eq "drop: nothing reaches b" 0 "$(nftsrv6_counter b seen "${B[1]}")"
check_eq "drop: other traffic reaches b" 3 "$(nftsrv6_counter b seen "${B[2]}")"

# accept ends the chain; jump runs a regular chain and returns
nx r "$NFTSRV6" -t $T add chain web
h_web=$(nftsrv6_add r -t $T add chain web counter)
h_acc=$(nftsrv6_add r -t $T add tag 3 accept)
h_acc_after=$(nftsrv6_add r -t $T add tag 3 counter)
h_jump=$(nftsrv6_add r -t $T add tag 4 jump web)
h_jump_after=$(nftsrv6_add r -t $T add tag 4 counter)
nftsrv6_packets 4 tag=3
nftsrv6_packets 6 tag=4
nftsrv6_wait_count b seen "${B[4]}" 6
check_eq "accept: packets reach b" 4 "$(nftsrv6_counter b seen "${B[3]}")"
check_eq "accept: later rules never see accepted packets" 0 "$(nftsrv6_counter r $T "$h_acc_after")"
check_eq "jump: the target chain counts them" 6 "$(nftsrv6_counter r $T "$h_web")"
check_eq "jump: the chain returns to the next rule" 6 "$(nftsrv6_counter r $T "$h_jump_after")"

# limit: a bucket of 3 at 1/minute lets 3 packets through, the rest fall to the drop rule
h_lim=$(nftsrv6_add r -t $T add tag 5 limit rate 1/minute burst 3 packets accept)
h_lim_drop=$(nftsrv6_add r -t $T add tag 5 counter drop)
h_over=$(nftsrv6_add r -t $T add tag 6 limit rate over 1/minute burst 2 packets counter drop)
nftsrv6_packets 10 tag=5
nftsrv6_packets 10 tag=6
nftsrv6_wait_count b seen "${B[6]}" 2
check_eq "limit: packets within the rate pass" 3 "$(nftsrv6_counter b seen "${B[5]}")"
check_eq "limit: packets over the rate fall through" 7 "$(nftsrv6_counter r $T "$h_lim_drop")"
check_eq "limit over: packets over the rate are dropped" 8 "$(nftsrv6_counter r $T "$h_over")"
check_eq "limit over: packets within the rate pass" 2 "$(nftsrv6_counter b seen "${B[6]}")"

# log to nflog group 5: the prefix and the SRv6 packet itself arrive
h_log=$(nftsrv6_add r -t $T add tag 7 counter log prefix \"sr6 tag7: \" group 5)
rm -f "$TMP/ready"
nx r "$PY" "$NFTSRV6_TESTS/nflog_listen.py" 5 4 5 "$TMP/ready" >"$TMP/nflog.txt" &
listener=$!
topo_wait_for 5 test -s "$TMP/ready"
nftsrv6_packets 4 tag=7
wait $listener
check_eq "log: four packets logged to nflog group 5" 4 "$(wc -l <"$TMP/nflog.txt")"
check_eq "log: each carries the prefix and the SRv6 packet (next header 43)" \
	"sr6 tag7: 	43" "$(sort -u "$TMP/nflog.txt")"
check_match "log: listed back with prefix and group" 'log prefix "sr6 tag7: " group 5' \
	"$(nx r "$NFTSRV6" -t $T list)"

# hooks and placement: prerouting sees the packets too; insert goes first, position
# places before (insert) or after (add) a rule
h_pre=$(nftsrv6_add r -t $T add hook prerouting priority -10 tag 8 counter)
h_mid=$(nftsrv6_add r -t $T add tag 8 counter)
h_first=$(nftsrv6_add r -t $T insert tag 8 counter)
h_before=$(nftsrv6_add r -t $T insert position "$h_mid" tag 8 counter)
h_behind=$(nftsrv6_add r -t $T add position "$h_mid" tag 8 counter)
nftsrv6_packets 2 tag=8
nftsrv6_wait_count b seen "${B[8]}" 2
check_eq "prerouting: counted" 2 "$(nftsrv6_counter r $T "$h_pre")"
order=$(nx r "$NFTSRV6" -t $T list | grep 'hook forward tag 0x0008' | sed 's/.*# handle //' | tr '\n' ' ')
check_eq "insert and position: rule order" "$h_first $h_before $h_mid $h_behind " "$order"

# netdev ingress on r0
h_ing=$(nftsrv6_add r -t $T -i r0 add tag 9 counter)
nftsrv6_packets 3 tag=9
nftsrv6_wait_count b seen "${B[9]}" 3
check_eq "netdev ingress: counted on r0" 3 "$(nftsrv6_counter r $T "$h_ing" netdev)"
check_match "netdev ingress: listed with its device" "add hook ingress dev r0 tag 0x0009 counter" \
	"$(nx r "$NFTSRV6" -t $T --family netdev list)"

# delete and flush, including the auxiliary chains of a "contains" rule
h_c=$(nftsrv6_add r -t $T add contains fc00:5:3::aa counter)
check_match "contains: auxiliary chains exist" "_sr6c" "$(nx r nft list table inet $T)"
check "delete: by handle" nx r "$NFTSRV6" -t $T delete handle "$h_c"
check_eq "delete: the rule is gone" missing "$(nftsrv6_counter r $T "$h_c")"
check_eq "delete: its auxiliary chains are gone" 0 "$(nx r nft list table inet $T | grep -c _sr6)"
nftsrv6_add r -t $T add contains fc00:5:3::aa counter >/dev/null
check "flush: every rule" nx r "$NFTSRV6" -t $T flush
check_eq "flush: no rule left" 0 "$(nx r "$NFTSRV6" -t $T list | grep -c '# handle')"
check_eq "flush: no auxiliary chain left" 0 "$(nx r nft list table inet $T | grep -c _sr6)"
check_match "flush: base and regular chains stay" "add chain web" "$(nx r "$NFTSRV6" -t $T list)"
check "delete: a chain" nx r "$NFTSRV6" -t $T delete chain web
check "delete: the table" nx r "$NFTSRV6" -t $T delete table
check_fails "delete: the table is gone" nx r nft list table inet $T
check_done
