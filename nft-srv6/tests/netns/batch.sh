#!/usr/bin/env bash
# Transactions: a batch with one bad command changes nothing (the ruleset is byte-identical
# before and after), whether the parser, the planner or the kernel refuses it; --check
# changes nothing; tables nft-srv6 did not create are left alone; add -> list -> parse the
# listing -> the same rules; concurrent writers do not corrupt each other.
set -u
source "$SR6_TOP/nft-srv6/tests/netns/lib.sh"
nftsrv6_require
nftsrv6_topo
T=sr6b

ruleset() { nx r nft -a list ruleset; }

nx r "$NFTSRV6" -t $T add segleft 1 counter >/dev/null
nx r "$NFTSRV6" -t $T add chain web >/dev/null
ruleset >"$TMP/before"

# atomic_case NAME EXPECTED-ERROR-REGEX FILE: the batch fails, names the line, and the
# ruleset does not change by a byte
atomic_case() {
	local name=$1 want=$2 file=$3 out
	if out=$(nx r "$NFTSRV6" -t $T -f "$file" 2>&1); then
		fail "atomic: $name" "the batch was applied"
	else
		check_match "atomic: $name: error" "$want" "$out"
	fi
	ruleset >"$TMP/after"
	check "atomic: $name: ruleset byte-identical" cmp "$TMP/before" "$TMP/after"
}

printf '%s\n' "add segleft 2 counter" "add chain other" "add tag 7 drop" \
	"add sid[2] fc00::1/64 drop" "add inner proto ipv6 counter" >"$TMP/parse.txt"
atomic_case "parse error on line 4" "^nft-srv6: $TMP/parse.txt:4:12: 'fc00::1/64' has bits set" \
	"$TMP/parse.txt"

printf '%s\n' "add segleft 2 counter" "add contains fc00::1 counter" "add chain other" \
	"add tag 7 jump nowhere" "add inner proto ipv6 counter" >"$TMP/plan.txt"
atomic_case "missing jump target on line 4" \
	"^nft-srv6: $TMP/plan.txt:4:16: jump target 'nowhere' does not exist" "$TMP/plan.txt"

# the kernel refuses a token bucket that overflows: everything before it is rolled back
printf '%s\n' "add segleft 2 counter" "add contains fc00::1 counter drop" "add chain other" \
	"add tag 7 limit rate 1/week burst 4294967295 packets drop" "add tag 8 jump other" \
	>"$TMP/kernel.txt"
atomic_case "kernel refuses line 4" \
	"^nft-srv6: $TMP/kernel.txt:4: the kernel refused to add the rule: Value too large" \
	"$TMP/kernel.txt"

printf '%s\n' "delete handle 99999" >"$TMP/handle.txt"
atomic_case "unknown handle" "no rule with handle 99999 in table $T" "$TMP/handle.txt"

# --check compiles and plans against the table, and changes nothing
check "check: a valid batch passes" nx r "$NFTSRV6" -t $T -c -f "$TMP/kernel.txt"
check_fails "check: a bad jump target fails" nx r "$NFTSRV6" -t $T -c -f "$TMP/plan.txt"
ruleset >"$TMP/after"
check "check: ruleset byte-identical" cmp "$TMP/before" "$TMP/after"

# JSON: handles of the added rules, errors with line, column and token
out=$(nx r "$NFTSRV6" -t $T -j add segleft 9 counter)
check_match "json: handles" '^\{"handles":\[[0-9]+\]\}$' "$out"
out=$(nx r "$NFTSRV6" -t $T -j add segleft 999 2>&1)
check_eq "json: error" '{"error":{"message":"999 is out of range: '"'"'segleft'"'"' takes 0-255","source":"command line","line":1,"column":13,"token":"999"}}' "$out"

# tables nft-srv6 did not create are never touched
nx r nft add table inet foreign
nx r nft add chain inet foreign c '{ type filter hook forward priority 0; }'
nx r nft -a list table inet foreign >"$TMP/foreign.before"
out=$(nx r "$NFTSRV6" -t foreign add drop 2>&1)
check_match "ownership: refused" "table inet foreign exists but nft-srv6 did not create it" "$out"
check_fails "ownership: flush refused" nx r "$NFTSRV6" -t foreign flush
nx r nft -a list table inet foreign >"$TMP/foreign.after"
check "ownership: the foreign table is unchanged" cmp "$TMP/foreign.before" "$TMP/foreign.after"

# a rule written with nft into our table is listed as foreign, never misread
nx r nft add rule inet $T forward meta l4proto tcp counter
check_match "foreign rule: reported" "a rule nft-srv6 did not write" "$(nx r "$NFTSRV6" -t $T list)"

# round trip: add a batch of every kind, list it, feed the listing to a new table,
# list again: the same rules (canonical text, placement) come back
cat >"$TMP/all.txt" <<'RULES'
add chain web
add chain web inner proto ipv6 counter
add hook forward saddr fc00:a::/64 daddr { fc00:5:3::1, fc00:5:4::/48 } counter
add hook forward segleft 0-3 last-entry != 7 flags 0x08 tag { 0x0010, 0x1234 } drop
add hook forward sid[0] fc00:5:3::1 sid[15] fc00:5:3::/48 sid[40] != fc00:5:3::aa accept
add hook forward contains fc00:5:3::aa contains { fc00::1, fc00::9 } counter log prefix "c " group 3 jump web
add hook forward inner saddr 2001:db8::/32 inner daddr != 2001:db8:1::1 inner proto tcp inner dport { 22, 80-90 } limit rate 10/second drop
add hook forward inner saddr 10.0.0.0/8 inner proto { tcp, udp } inner sport 1024-65535 inner dport 53 counter
add hook forward inner proto ipv4 inner proto != icmp log level info
add hook forward inner proto icmpv6 limit rate over 5/minute burst 9 packets counter drop
add hook prerouting priority -150 tag 0xffff counter accept
RULES
check "round trip: add" nx r "$NFTSRV6" -t rt1 -f "$TMP/all.txt"
check "round trip: nft list ruleset still works" nx r nft list ruleset
nx r "$NFTSRV6" -t rt1 list >"$TMP/list1"
check_eq "round trip: listing equals the canonical input" \
	"$(cat "$TMP/all.txt")" "$(grep -v '^#' "$TMP/list1" | sed 's/ # handle [0-9]*$//' | grep -v '^add hook forward$\|^add hook prerouting priority -150$')"
check "round trip: the listing parses and applies" nx r "$NFTSRV6" -t rt2 -f "$TMP/list1"
nx r "$NFTSRV6" -t rt2 list >"$TMP/list2"
check_eq "round trip: same rules again" "$(sed 's/ # handle [0-9]*$//; /^# table/d' "$TMP/list1")" \
	"$(sed 's/ # handle [0-9]*$//; /^# table/d' "$TMP/list2")"
nx r "$NFTSRV6" -t rt2 -j list >"$TMP/rt2.json"
check_eq "round trip: no foreign rule" 0 "$(grep -o '"foreign":true' "$TMP/rt2.json" | wc -l)"

# concurrent writers: two processes add "contains" rules (each needs auxiliary chains with
# table-unique names) at the same time; every rule must come back intact
writer() {
	local i
	for i in $(seq 1 8); do
		nx r "$NFTSRV6" -t conc add contains "fc00:$1::$i" counter >/dev/null || echo "writer $1 failed at $i"
	done
}
writer 1 >"$TMP/w1" 2>&1 &
w1=$!
writer 2 >"$TMP/w2" 2>&1 &
w2=$!
wait $w1 $w2
check_eq "concurrency: no writer failed" "" "$(cat "$TMP/w1" "$TMP/w2")"
got=$(nx r "$NFTSRV6" -t conc list | grep -o 'contains fc00:[12]::[0-9]' | sort | tr '\n' ' ')
want=$(for w in 1 2; do for i in $(seq 1 8); do echo "contains fc00:$w::$i"; done; done | sort | tr '\n' ' ')
check_eq "concurrency: all 16 rules listed intact" "$want" "$got"
check_eq "concurrency: 16 auxiliary bodies" 16 "$(nx r nft list table inet conc | grep -c 'chain _sr6b')"
check_done
