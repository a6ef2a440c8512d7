#!/usr/bin/env bash
# Every match kind on crafted SRv6 packets (1 to 40 SIDs, TLVs, inner IPv6 and IPv4,
# TCP/UDP/ICMP, malformed headers): each rule's counter, read through the library and
# through "nft list", equals the count an independent oracle computes from the packets.
set -u
source "$SR6_TOP/nft-srv6/tests/netns/lib.sh"
nftsrv6_require
nftsrv6_topo
T=sr6traffic

$PY "$NFTSRV6_TESTS/srv6_traffic.py" plan "$TMP"
check "traffic: one batch adds a rule per case" \
	nx r "$NFTSRV6" -t $T -f "$TMP/rules.txt"
check "traffic: nft list ruleset works with every match kind" nx r nft list ruleset
check "traffic: packets sent" nftsrv6_send "$TMP"
want=$($PY -c "import json,sys; print(json.load(open(sys.argv[1]))[0]['count'])" "$TMP/expected.json")
seen() {
	nx r "$NFTSRV6" -t $T -j list | $PY -c "import json,sys; r=json.load(sys.stdin)['rules'][0]; sys.exit(r['counter']['packets'] != int(sys.argv[1]))" "$want"
}
topo_wait_for 5 seen
nx r "$NFTSRV6" -t $T -j list >"$TMP/lib.json"
nx r nft -a list table inet $T >"$TMP/nft.txt"
$PY "$NFTSRV6_TESTS/srv6_traffic.py" check "$TMP" "$TMP/lib.json" "$TMP/nft.txt" || CHECK_FAILED=1
check_done
