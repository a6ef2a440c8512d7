# Shared setup of the nft-srv6 namespace tests: a -- r -- b, the filter under test in r.
#   a0 fc00:a::1/64 -- r0 fc00:a::2/64 [r] r1 fc00:b::2/64 -- b0 fc00:b::1/64
# The SID space fc00:5:3::/48 is routed from r to b, where it is blackholed (b answers
# nothing, so only the crafted packets cross r).
source "$SR6_TOP/selftests/lib/check.sh"
source "$SR6_TOP/selftests/lib/topo.sh"

NFTSRV6=$SR6_BUILD/bin/nft-srv6
NFTSRV6_TESTS=$SR6_TOP/nft-srv6/tests/netns
PY=/usr/bin/python3

nftsrv6_require() {
	require_cmd nft nsenter ip
	[[ -x $NFTSRV6 ]] || { echo "missing $NFTSRV6: run make"; exit 4; }
	$PY -c 'import scapy' 2>/dev/null || { echo "python3-scapy missing"; exit 4; }
}

nftsrv6_topo() {
	topo_init
	TMP=$(mktemp -d)
	topo_on_cleanup rm -rf "$TMP"
	topo_ns a r b
	topo_link a a0 r r0
	topo_link r r1 b b0
	topo_addr a a0 fc00:a::1/64
	topo_addr r r0 fc00:a::2/64
	topo_addr r r1 fc00:b::2/64
	topo_addr b b0 fc00:b::1/64
	nx r ip -6 route add fc00:5:3::/48 via fc00:b::1
	nx b ip -6 route add blackhole fc00:5:3::/48
	R0_MAC=$(topo_mac r r0)
}

# nftsrv6_send DIR: the packets DIR/packets.json from a to r
nftsrv6_send() {
	nx a "$PY" "$NFTSRV6_TESTS/srv6_traffic.py" send "$1" a0 "$R0_MAC"
}

# nftsrv6_packets N KEY=VALUE...: send N packets described by KEY=VALUE (see
# srv6_traffic.py gen) from a to r, and wait until they have crossed r.
nftsrv6_packets() {
	local d
	d=$(mktemp -d -p "$TMP")
	$PY "$NFTSRV6_TESTS/srv6_traffic.py" gen "$d" "$@" && nftsrv6_send "$d"
}

# nftsrv6_counter NS TABLE HANDLE [FAMILY]: packets counted by a rule, read through
# the library's JSON listing.
nftsrv6_counter() {
	nx "$1" "$NFTSRV6" -t "$2" --family "${4:-inet}" -j list | $PY -c '
import json, sys
for r in json.load(sys.stdin)["rules"]:
    if r["handle"] == int(sys.argv[1]):
        print(r.get("counter", {}).get("packets", "none"))
        break
else:
    print("missing")' "$3"
}

# nftsrv6_add NS ARGS...: add one rule, print its handle
nftsrv6_add() {
	local ns=$1; shift
	nx "$ns" "$NFTSRV6" -e "$@" | sed -n 's/^handle //p'
}

# nftsrv6_wait_count NS TABLE HANDLE N [FAMILY]: wait (2 s at most) for a counter to reach N
nftsrv6_wait_count() {
	local deadline=$((SECONDS + 2))
	while (( SECONDS <= deadline )); do
		[[ $(nftsrv6_counter "$1" "$2" "$3" "${5:-inet}") == "$4" ]] && return 0
		sleep 0.05
	done
	return 1
}
