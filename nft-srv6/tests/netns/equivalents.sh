#!/usr/bin/env bash
# Cross-check the compiler against nft itself: for every line of equivalents.txt, the
# nft-srv6 rule and the nft rule next to it compile to identical netlink expressions
# (nft --debug=netlink -c).  The same table documents the compiled form in the README.
set -u
source "$SR6_TOP/nft-srv6/tests/netns/lib.sh"
nftsrv6_require
topo_init
TMP=$(mktemp -d)
topo_on_cleanup rm -rf "$TMP"
topo_ns r
T=sr6eq
nx r "$NFTSRV6" -t $T add chain web
nx r "$NFTSRV6" -t $T add hook forward

exprs() { grep '^  \[' | sed 's/[[:space:]]*$//'; }

while IFS= read -r line; do
	[[ -z "$line" || "$line" == \#* ]] && continue
	ours=${line%% | *}
	theirs=${line#* | }
	printf 'add %s\n' "$ours" >"$TMP/ours"
	printf 'add rule inet %s forward %s\n' $T "$theirs" >"$TMP/theirs"
	a=$(nx r "$NFTSRV6" -t $T -d -f "$TMP/ours" 2>&1 | exprs)
	b=$(nx r nft --debug=netlink -c -f "$TMP/theirs" 2>&1 | exprs)
	if [[ -z "$a" ]]; then
		fail "nft equivalent: $ours" "nft-srv6 compiled nothing"
	else
		check_eq "nft equivalent: $ours == $theirs" "$b" "$a"
	fi
done <"$NFTSRV6_TESTS/equivalents.txt"
check_done
