#!/usr/bin/env bash
# The ecdaa tool end to end: issuer, join, credential, signing with and without basename,
# verification with revocation lists, the errors it gives for missing, short and damaged
# files, and the member key in a private swtpm (--tpm).
set -uo pipefail
source "$SR6_TOP/selftests/lib/check.sh"
CHECK_PREFIX="ecdaa cli: "

E=$SR6_BUILD/bin/ecdaa
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W" || exit 1

# expect_error NAME PATTERN COMMAND...: COMMAND fails (exit 1) and stderr matches PATTERN
expect_error() {
	local name=$1 pattern=$2 out rc; shift 2
	out=$("$@" 2>&1); rc=$?
	if (( rc == 1 )) && [[ "$out" =~ $pattern ]]; then ok "$name"
	else fail "$name" "exit $rc, output '$out' (wanted /$pattern/)"; fi
}

check "issuer genkeys" $E issuer genkeys
check "extractgpk checks the issuer proof" $E extractgpk
check "member genkeys" $E member genkeys -n "join nonce"
check "issuer issuecredential" $E issuer issuecredential -n "join nonce"
check "member processcredential" $E member processcredential
check_eq "file sizes: ipk isk gpk pk sk cred cred_sig" "354 64 258 161 32 260 64" \
	"$(stat -c %s ipk.bin isk.bin gpk.bin pk.bin sk.bin cred.bin cred_sig.bin | tr '\n' ' ' | sed 's/ $//')"
check_eq "secret keys are private (0600)" "600 600" "$(stat -c %a isk.bin sk.bin | tr '\n' ' ' | sed 's/ $//')"

printf 'hello group' > message.bin
printf 'BASENAME' > bsn.bin
check "member sign" $E member sign
check_eq "signature without basename is 356 bytes" 356 "$(stat -c %s sig.bin)"
check_eq "verify prints ok" "ok" "$($E verify 2>&1)"
check "member sign -b" $E member sign -b bsn.bin -g nym.bin
check_eq "signature with basename is 421 bytes" 421 "$(stat -c %s nym.bin)"
check "verify -b" $E verify -s nym.bin -b bsn.bin
$E member sign -b bsn.bin -g nym2.bin 2>/dev/null
check_eq "same basename, same pseudonym" "$(tail -c 65 nym.bin | od -An -tx1)" "$(tail -c 65 nym2.bin | od -An -tx1)"

# key files leave no copy in freed memory (a preloaded free() looks for the key's bytes)
FREED=$SR6_BUILD/lib/freed-secret.so
hex() { od -An -tx1 -v "$@" | tr -d ' \n'; }
check "member key wiped before its memory is freed (sign)" \
	env LD_PRELOAD="$FREED" FREED_SECRET_HEX="$(hex sk.bin)" $E member sign -g wiped.bin
check "issuer key wiped before its memory is freed (issuecredential)" \
	env LD_PRELOAD="$FREED" FREED_SECRET_HEX="$(head -c 32 isk.bin | hex)" \
	$E issuer issuecredential -n "join nonce" -c wiped-cred.bin -r wiped-cred_sig.bin
# (in a child shell, which reports the abort to its own stderr)
check_fails "the freed-memory check sees bytes left in a freed buffer (the message)" \
	bash -c 'LD_PRELOAD=$1 FREED_SECRET_HEX=$2 "$3" member sign -g wiped.bin; exit $?' _ \
	"$FREED" "$(hex message.bin)" "$E"

printf 'hello groups' > other.bin
expect_error "wrong message" "sig.bin: .*signature proof does not verify" $E verify -m other.bin
printf 'OTHER' > other-bsn.bin
expect_error "wrong basename" "nym.bin: .*does not verify" $E verify -s nym.bin -b other-bsn.bin
expect_error "basename missing" "has a pseudonym but no basename" $E verify -s nym.bin
expect_error "basename for a plain signature" "no pseudonym" $E verify -b bsn.bin

# revocation lists: the signer's key among others, the signer's pseudonym
$E member genkeys -p pk2.bin -s sk2.bin 2>/dev/null
$E member genkeys -p pk3.bin -s sk3.bin 2>/dev/null
cat sk2.bin sk3.bin > skrev-others.bin
cat sk2.bin sk.bin sk3.bin > skrev.bin
check "verify -k without the signer" $E verify -s nym.bin -b bsn.bin -k skrev-others.bin
expect_error "verify -k with the signer's key" "signed with a revoked secret key" $E verify -s nym.bin -b bsn.bin -k skrev.bin
tail -c 65 nym.bin > bsnrev.bin
expect_error "verify -n with the signer's pseudonym" "pseudonym is revoked" $E verify -s nym.bin -b bsn.bin -n bsnrev.bin
# both lists, the pseudonym list the longer one (other members' points stand in for pseudonyms)
for i in 1 2 3 4 5 6 7 8 9 10; do head -c 65 pk2.bin; done > bsnrev-others.bin
check "verify -k and -n together" $E verify -s nym.bin -b bsn.bin -k sk2.bin -n bsnrev-others.bin
head -c 40 skrev.bin > skrev-short.bin
expect_error "revocation list of a wrong length" "skrev-short.bin: .*multiple of 32" $E verify -k skrev-short.bin

# damaged and missing files
expect_error "missing file" "cannot read nothere.bin: No such file" $E verify -s nothere.bin
head -c 300 sig.bin > short.bin
expect_error "truncated signature" "short.bin: signature: wrong length .*got 300 bytes" $E verify -s short.bin
head -c 200 gpk.bin > gpk-short.bin
expect_error "truncated group key" "gpk-short.bin: group public key: wrong length \(expected 258 bytes\), got 200 bytes" $E verify -g gpk-short.bin
cp sig.bin bad.bin; printf '\x05' | dd of=bad.bin bs=1 seek=129 conv=notrunc 2>/dev/null
expect_error "signature point prefix" "field S \(offset 129\): point does not start with 0x04" $E verify -s bad.bin
cp sig.bin bad.bin; printf '\x00' | dd of=bad.bin bs=1 seek=300 conv=notrunc 2>/dev/null
expect_error "signature point off the curve" "field (T|W) \(offset (194|259)\): point not on the curve" $E verify -s bad.bin
cp ipk.bin bad-ipk.bin; printf '\x00' | dd of=bad-ipk.bin bs=1 seek=300 conv=notrunc 2>/dev/null
expect_error "issuer key with a broken proof" "issuer proof does not verify" $E extractgpk -p bad-ipk.bin -g never.bin
check_fails "no output file after a failure" test -e never.bin
expect_error "issuecredential with another nonce" "pk.bin: .*member proof does not verify" $E issuer issuecredential -n "other nonce" -c never.bin -r never2.bin
$E issuer genkeys -p ipk2.bin -s isk2.bin 2>/dev/null
$E extractgpk -p ipk2.bin -g gpk2.bin 2>/dev/null
expect_error "credential under another group" "does not match the group public key" $E member processcredential -g gpk2.bin
expect_error "signature under another group" "does not match the group public key" $E verify -g gpk2.bin
expect_error "unknown command" "unknown command" $E member frobnicate

# member key in a TPM (a private swtpm per run)
if command -v swtpm >/dev/null 2>&1; then
	cat > tpm.sh <<'TPM'
set -e
E=$1
T=$ECDAA_TPM_TCTI
$E member genkeys --tpm "$T" -n "tpm nonce" -p tpm-pk.bin
$E issuer issuecredential -p tpm-pk.bin -n "tpm nonce" -c tpm-cred.bin -r tpm-cred_sig.bin
$E member processcredential -p tpm-pk.bin -c tpm-cred.bin -r tpm-cred_sig.bin
$E member sign --tpm "$T" -c tpm-cred.bin -g tpm-sig.bin
$E member sign --tpm "$T" -c tpm-cred.bin -b bsn.bin -g tpm-nym.bin
$E member sign --tpm "$T" -c tpm-cred.bin -b bsn.bin -g tpm-nym2.bin
! $E member genkeys --tpm "$T" -n x -p never.bin 2> tpm-occupied.txt
$E member genkeys --tpm "$T" --handle 0x81000020 -n x -p tpm-pk-owner.bin
TPM
	check "join and sign with the key in swtpm" "$SR6_BUILD/bin/ecdaa-with-swtpm" bash tpm.sh "$E"
	check "TPM signature verifies in software" $E verify -s tpm-sig.bin
	check "TPM signature with basename verifies" $E verify -s tpm-nym.bin -b bsn.bin
	check_eq "TPM pseudonym is stable" "$(tail -c 65 tpm-nym.bin | od -An -tx1)" "$(tail -c 65 tpm-nym2.bin | od -An -tx1)"
	expect_error "TPM signature, wrong message" "does not verify" $E verify -s tpm-sig.bin -m other.bin
	check_match "an occupied handle is reported" "TPM key 0x81800000: TPM2_EvictControl failed" "$(cat tpm-occupied.txt 2>/dev/null)"
else
	skip "member key in swtpm" "swtpm not installed"
fi

check_done
