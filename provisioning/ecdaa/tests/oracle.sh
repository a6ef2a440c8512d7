#!/usr/bin/env bash
# The C library against an independent implementation in JavaScript (oracle/fp256bn.mjs on
# @noble/curves): pairing values byte for byte on random points, TPM-style hash-to-G1, issuer
# proofs and credentials both ways, and signatures both ways (each side verifies the other's,
# and rejects a tampered one).
set -uo pipefail
source "$SR6_TOP/selftests/lib/check.sh"
require_cmd node npm
CHECK_PREFIX="ecdaa oracle: "

E=$SR6_BUILD/bin/ecdaa
TV=$SR6_BUILD/bin/ecdaa-testvec
SRC=$SR6_TOP/provisioning/ecdaa/oracle
ORA=$SR6_BUILD/ecdaa-oracle

# @noble/curves at the locked version, installed once per build folder
mkdir -p "$ORA"
cp "$SRC"/package.json "$SRC"/*.mjs "$ORA"/
if ! cmp -s "$SRC/package-lock.json" "$ORA/package-lock.json" || [[ ! -d "$ORA/node_modules/@noble/curves" ]]; then
	cp "$SRC/package-lock.json" "$ORA/"
	if ! out=$(cd "$ORA" && npm ci --no-audit --no-fund 2>&1); then
		fail "npm ci @noble/curves" "$(printf '%s' "$out" | tail -n 3)"
		check_done
	fi
fi
O=(node "$ORA/check.mjs")

W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W" || exit 1

# pairing and hash-to-curve values
"$TV" pairing 4 > pairing.txt
check "optimal ate pairing agrees on the generators and 4 random pairs" "${O[@]}" pairing pairing.txt
"$TV" hash 42415345 4e414d45 "$(printf 'x%.0s' {1..200} | od -An -tx1 | tr -d ' \n')" 00 > hash.txt
check "hash-to-G1 agrees (point and TPM counter)" "${O[@]}" hash hash.txt

# C issuer and member; the oracle checks the issuer proof
$E issuer genkeys -p ipk.bin -s isk.bin 2>/dev/null
$E extractgpk -p ipk.bin -g gpk.bin 2>/dev/null
$E member genkeys -n join-nonce -p pk.bin -s sk.bin 2>/dev/null
$E issuer issuecredential -p pk.bin -s isk.bin -c cred.bin -r cred_sig.bin -n join-nonce 2>/dev/null
check "C issuer proof verifies in the oracle" "${O[@]}" issuer-proof ipk.bin

# C signatures verified by the oracle
printf 'message for the oracle' > msg.bin
printf 'BASENAME' > bsn.bin
printf 'message for the oraclf' > other.bin
$E member sign -s sk.bin -c cred.bin -m msg.bin -g sig.bin 2>/dev/null
$E member sign -s sk.bin -c cred.bin -m msg.bin -g signym.bin -b bsn.bin 2>/dev/null
check "C signature verifies in the oracle" "${O[@]}" verify gpk.bin sig.bin msg.bin
check "C signature with pseudonym verifies in the oracle" "${O[@]}" verify gpk.bin signym.bin msg.bin bsn.bin
check_fails "oracle rejects a C signature over another message" "${O[@]}" verify gpk.bin sig.bin other.bin

# oracle signatures verified by the C library
"${O[@]}" sign sk.bin cred.bin msg.bin js.bin
"${O[@]}" sign sk.bin cred.bin msg.bin jsnym.bin bsn.bin
check "oracle signature verifies in C" $E verify -g gpk.bin -s js.bin -m msg.bin
check "oracle signature with pseudonym verifies in C" $E verify -g gpk.bin -s jsnym.bin -m msg.bin -b bsn.bin
check_eq "oracle and C give the same pseudonym" "$(tail -c 65 signym.bin | od -An -tx1 | tr -d ' \n')" \
	"$(tail -c 65 jsnym.bin | od -An -tx1 | tr -d ' \n')"
check_fails "C rejects an oracle signature over another message" $E verify -g gpk.bin -s js.bin -m other.bin
cp js.bin js-bad.bin
printf '\x01' | dd of=js-bad.bin bs=1 seek=40 conv=notrunc 2>/dev/null   # inside s
check_fails "C rejects an oracle signature with s altered" $E verify -g gpk.bin -s js-bad.bin -m msg.bin

# oracle issuer: its key and a credential for a C member
"${O[@]}" issuer-keys js-ipk.bin js-isk.bin
check "oracle issuer key passes the C proof check" $E extractgpk -p js-ipk.bin -g js-gpk.bin
$E member genkeys -n js-nonce -p pk2.bin -s sk2.bin 2>/dev/null
check "oracle accepts the C member's join proof and issues" "${O[@]}" issue js-isk.bin js-ipk.bin pk2.bin js-nonce cred2.bin cred2_sig.bin
check "C member accepts the oracle's credential" $E member processcredential -p pk2.bin -g js-gpk.bin -c cred2.bin -r cred2_sig.bin
$E member sign -s sk2.bin -c cred2.bin -m msg.bin -g sig2.bin -b bsn.bin 2>/dev/null
check "C signature under the oracle's group verifies in the oracle" "${O[@]}" verify js-gpk.bin sig2.bin msg.bin bsn.bin
check_fails "C credential check rejects the oracle's credential under another group" \
	$E member processcredential -p pk2.bin -g gpk.bin -c cred2.bin -r cred2_sig.bin

check_done
