#!/usr/bin/env bash
# Commit and listing cost of nft-srv6 against nft, side by side: N rules (default 10,000)
# of mixed kinds (outer prefix, SRH fields, sid[N], inner addresses, protocol and ports,
# sets) written once in nft-srv6 syntax and once as the equivalent nft rules, each
# applied in one transaction into a fresh table in a private network namespace.
# Rounds are interleaved; medians are reported.
#   commit.sh [N] [ROUNDS]
set -u
N=${1:-10000}
ROUNDS=${2:-5}
BIN=${SR6_BUILD:-build}/bin/nft-srv6
NS=nftsrv6bench$$
tmp=$(mktemp -d)
cleanup() { ip netns del "$NS" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
ip netns add "$NS" || exit 1
nx() { nsenter --net="/run/netns/$NS" "$@"; }

# one nft-srv6 rule and its nft twin per kind; %d varies per rule
kinds=(
	'saddr fc00:%x::/32 counter|ip6 saddr fc00:%x::/32 counter'
	'segleft 2-4 tag %d drop|rt seg-left 2-4 srh tag %d drop'
	'sid[1] fc00::%x accept|srh last-entry >= 1 rt hdrlength >= 4 srh sid[2] fc00::%x accept'
	'inner proto ipv6 inner proto tcp inner dport %d counter|@th,48,8 6 @th,336,16 %d meta l4proto 41 counter'
	'inner daddr 10.%d.0.0/16 inner proto udp inner dport { 53, 5353 } drop|@th,128,16 0x0a%02x @th,72,8 17 @th,0,8 0x45 @th,48,16 & 0x1fff == 0 @th,176,16 { 53, 5353 } meta l4proto 4 drop'
)
for (( i = 0; i < N; i++ )); do
	k=${kinds[i % ${#kinds[@]}]}
	v=$(( i / ${#kinds[@]} % 250 + 1 ))
	printf "add hook forward ${k%%|*}\n" "$v" >>"$tmp/srv6.txt"
	printf "add rule inet T forward meta nfproto ipv6 rt type 4 ${k#*|}\n" "$v" >>"$tmp/nft.body"
done

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

for (( r = 1; r <= ROUNDS; r++ )); do
	t=$(date +%s%N)
	nx "$BIN" -t s$r -f "$tmp/srv6.txt" || { echo "nft-srv6 commit failed"; exit 1; }
	ms "$t" >>"$tmp/srv6.commit"
	t=$(date +%s%N)
	nx "$BIN" -t s$r list >/dev/null || { echo "nft-srv6 list failed"; exit 1; }
	ms "$t" >>"$tmp/srv6.list"

	{ echo "add table inet n$r"; echo "add chain inet n$r forward { type filter hook forward priority 0; }"
	  sed "s/^add rule inet T /add rule inet n$r /" "$tmp/nft.body"; } >"$tmp/nft.txt"
	t=$(date +%s%N)
	nx nft -f "$tmp/nft.txt" || { echo "nft commit failed"; exit 1; }
	ms "$t" >>"$tmp/nft.commit"
	t=$(date +%s%N)
	nx nft list table inet n$r >/dev/null || { echo "nft list failed"; exit 1; }
	ms "$t" >>"$tmp/nft.list"
	nx "$BIN" -t s$r delete table
	nx nft delete table inet n$r
done

sc=$(median <"$tmp/srv6.commit"); nc=$(median <"$tmp/nft.commit")
sl=$(median <"$tmp/srv6.list"); nl=$(median <"$tmp/nft.list")
echo "nft-srv6 vs nft: $N rules in one transaction, median of $ROUNDS interleaved rounds"
printf '%-34s %10s %12s %8s\n' case "ms" "rules/s" "ratio"
printf '%-34s %10d %12d %8s\n' "nft -f (commit)" "$nc" $(( N * 1000 / (nc ? nc : 1) )) 1.00
printf '%-34s %10d %12d %8s\n' "nft-srv6 -f (parse+compile+commit)" "$sc" $(( N * 1000 / (sc ? sc : 1) )) \
	"$(awk -v a="$sc" -v b="$nc" 'BEGIN { printf "%.2f", a / b }')"
printf '%-34s %10d %12d %8s\n' "nft list table" "$nl" $(( N * 1000 / (nl ? nl : 1) )) 1.00
printf '%-34s %10d %12d %8s\n' "nft-srv6 list (decode)" "$sl" $(( N * 1000 / (sl ? sl : 1) )) \
	"$(awk -v a="$sl" -v b="$nl" 'BEGIN { printf "%.2f", a / b }')"
