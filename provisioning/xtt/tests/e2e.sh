#!/usr/bin/env bash
# End to end over loopback: xtt runserver + xtt runclient for every suite with the group key in
# software and in a private swtpm, stable and distinct identities, the record, the device's
# certificate checked by openssl, both transcript variants, and failures seen from both ends.
set -uo pipefail
TOP=${SR6_TOP:-$(cd "$(dirname "$0")/../../.." && pwd)}
BUILD=${SR6_BUILD:-$TOP/build}
# shellcheck source=../../../selftests/lib/check.sh
source "$TOP/selftests/lib/check.sh"
CHECK_PREFIX="xtt e2e: "
require_cmd openssl python3
XTT=$BUILD/bin/xtt ECDAA=$BUILD/bin/ecdaa WITH_SWTPM=$BUILD/bin/ecdaa-with-swtpm

W=$(mktemp -d /tmp/xtt-e2e.XXXXXX)
PIDS=()
cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$W"
}
trap cleanup EXIT
cd "$W" || exit 1

# ---- PKI, groups, devices ----
setup() {
	"$XTT" genkeypair -k root_keys.asn1.bin &&
	"$XTT" genkeypair -k server_keys.asn1.bin &&
	"$XTT" genrootcert -k root_keys.asn1.bin -c root_cert.bin &&
	"$XTT" genservercert -r root_cert.bin -k root_keys.asn1.bin -s server_keys.asn1.bin -c server_cert.bin &&
	"$XTT" genkeypair -k other_root_keys.asn1.bin &&
	"$XTT" genrootcert -k other_root_keys.asn1.bin -c other_root_cert.bin &&
	for g in a b; do
		"$ECDAA" issuer genkeys -p $g.ipk -s $g.isk >/dev/null 2>&1 &&
		"$ECDAA" extractgpk -p $g.ipk -g $g.gpk >/dev/null 2>&1 || return 1
	done &&
	printf BASENAME > basename.bin &&
	for d in dev1 dev2; do
		"$ECDAA" member genkeys -n join -p $d.pk -s $d.sk >/dev/null 2>&1 &&
		"$ECDAA" issuer issuecredential -p $d.pk -s a.isk -c $d.cred -r $d.credsig -n join >/dev/null 2>&1 || return 1
	done &&
	"$ECDAA" member genkeys -n join -p rogue.pk -s rogue.sk >/dev/null 2>&1 &&
	"$ECDAA" issuer issuecredential -p rogue.pk -s b.isk -c rogue.cred -r rogue.credsig -n join >/dev/null 2>&1 &&
	cat > groups.conf <<-CONF
	# group a: plant A devices; group b is not served
	group plant-a gpk=a.gpk basename=basename.bin prefix=2001:db8:0:a::/64 requested=prefix
	CONF
}
check "setup: keys, certificates, ECDAA group, devices" setup

# Started in this shell (not inside check's command substitution) so it can be stopped.
start_server() { # NAME ADDRESS [ARGS...]: prints [ OK ]/[FAIL] itself
	local name=$1 addr=$2; shift 2
	mkdir -p "state-$name"
	"$XTT" runserver -a "$addr" -p 0 --port-file "port-$name" -g groups.conf -s "state-$name" \
		--timeout 2 "$@" </dev/null >/dev/null 2>>"server-$name.log" &
	PIDS+=($!)
	for _ in $(seq 100); do
		[[ -s "port-$name" ]] && { ok "runserver $name on $addr reports its port"; return 0; }
		sleep 0.05
	done
	fail "runserver $name on $addr reports its port" "$(tail -n 3 "server-$name.log")"
}

ROOT=root_cert.bin
client() { # NAME SERVER-NAME ADDRESS DEVICE [ARGS...]: runs runclient, output in client-NAME.out
	local name=$1 srv=$2 addr=$3 dev=$4; shift 4
	"$XTT" runclient -a "$addr" -p "$(cat "port-$srv")" -e "$ROOT" -d a.gpk -n basename.bin \
		-c "$dev.cred" -i "$name.id" -b "$name.der" -v "$name.key" "$@" >"client-$name.out" 2>&1
}

start_server v4 127.0.0.1
start_server v6 ::1 --workers 1
start_server compat 127.0.0.1 --compat xtt-0.12

# ---- every suite, software group key ----
suites=(chacha20poly1305-sha512 chacha20poly1305-blake2b aes256gcm-sha512 aes256gcm-blake2b)
aes=$(grep -qw aes /proc/cpuinfo && echo 1 || echo 0)
for s in "${suites[@]}"; do
	if [[ $s == aes* && $aes == 0 ]]; then
		skip "software key, $s" "CPU without AES instructions"
		continue
	fi
	check "software key, $s: provisioned" client "sw-$s" v4 127.0.0.1 dev1 -k dev1.sk -s "$s"
done
id1=$(cat sw-chacha20poly1305-sha512.id 2>/dev/null)
check_match "identity inside the group's /64" '^2001:db8:0:a:' "$id1"
same=1
for s in "${suites[@]}"; do [[ -f sw-$s.id ]] && [[ $(cat "sw-$s.id") != "$id1" ]] && same=0; done
check_eq "same device, same identity on every run" 1 "$same"
check "second device over ::1" client dev2 v6 ::1 dev2 -k dev2.sk
check "second device over 127.0.0.1" client dev2b v4 127.0.0.1 dev2 -k dev2.sk
check_eq "second device: same identity on both servers' runs (derived, not stored)" "$(cat dev2.id)" "$(cat dev2b.id)"
if [[ "$(cat dev2.id)" != "$id1" ]]; then ok "different devices, different identities"; else fail "different devices, different identities" "both got $id1"; fi

# ---- the device's certificate and key ----
cn=$(openssl x509 -inform DER -in sw-chacha20poly1305-sha512.der -noout -subject -nameopt multiline | sed -n 's/ *commonName *= //p')
full=$(python3 -c 'import ipaddress,sys; print(ipaddress.ip_address(sys.argv[1]).exploded.upper())' "$id1")
check_eq "certificate CN is the identity in full form" "$full" "$cn"
openssl x509 -inform DER -in sw-chacha20poly1305-sha512.der -out cert.pem 2>/dev/null
check "openssl verifies the self-signature" openssl verify -check_ss_sig -CAfile cert.pem cert.pem
check_eq "certificate dates" "notBefore=Jan  1 00:00:00 0 GMT notAfter=Dec 31 23:59:59 9999 GMT" \
	"$(openssl x509 -in cert.pem -noout -dates | tr '\n' ' ' | sed 's/ $//')"
check "openssl accepts the long-term key (SEC1 DER)" openssl ec -inform DER -in sw-chacha20poly1305-sha512.key -noout -check
check_eq "key file is 121 bytes" 121 "$(stat -c %s sw-chacha20poly1305-sha512.key)"
check_eq "certificate and key match" "$(openssl x509 -in cert.pem -noout -pubkey)" \
	"$(openssl ec -inform DER -in sw-chacha20poly1305-sha512.key -pubout 2>/dev/null)"

# ---- the record ----
records() {
	python3 - "$1" <<-'PY'
	import json, sys
	for line in open(sys.argv[1]):
	    r = json.loads(line)
	    print(r["group"], r["identity"], len(r["pseudonym"]), len(r["longterm_key"]), r["time"][-1])
	PY
}
rec=$(records state-v4/assignments.jsonl 2>&1)
check_eq "assignments.jsonl: one record per provisioning" "$(( aes ? 5 : 3 ))" "$(wc -l < state-v4/assignments.jsonl)"
check_match "record fields: group, identity, pseudonym, long-term key, UTC time" "^plant-a $id1 130 130 Z" "$rec"

# ---- the group key leaves no copy in freed memory ----
with_freed_check() { # KEYFILE COMMAND...: COMMAND under a free() that aborts on KEYFILE's bytes
	local hex
	hex=$(od -An -tx1 -v "$1" | tr -d ' \n')
	shift
	(export LD_PRELOAD=$BUILD/lib/freed-secret.so FREED_SECRET_HEX=$hex; "$@")
}
check "the ECDAA key file is wiped before its memory is freed" \
	with_freed_check dev1.sk client wiped v6 ::1 dev1 -k dev1.sk
check_fails "the freed-memory check sees the basename, which is not wiped" \
	with_freed_check basename.bin client wiped2 v6 ::1 dev1 -k dev1.sk

# ---- requested identity ----
check "requested identity inside the /64 is granted" client req v4 127.0.0.1 dev2 -k dev2.sk -q 2001:db8:0:a::77
check_eq "requested identity" "2001:db8:0:a::77" "$(cat req.id 2>/dev/null)"
check_fails "another device cannot take it" client req2 v4 127.0.0.1 dev1 -k dev1.sk -q 2001:db8:0:a::77
check_match "client sees the server's Error" "received an Error message" "$(cat client-req2.out)"
check_match "server says why" "already belongs to another device" "$(cat server-v4.log)"

# ---- transcript variants ----
check "--compat xtt-0.12 on both sides" client compat compat 127.0.0.1 dev1 -k dev1.sk --compat xtt-0.12
check_fails "full transcript client against an xtt-0.12 server" client mix compat 127.0.0.1 dev1 -k dev1.sk
check_match "the server names the mismatch" "bad long-term key signature" "$(cat server-compat.log)"

# ---- failures ----
ROOT=other_root_cert.bin
check_fails "unknown root" client root v4 127.0.0.1 dev1 -k dev1.sk
ROOT=root_cert.bin
check_match "client: unknown root" "unknown root certificate: server certificate names root" "$(cat client-root.out)"
check_fails "unknown group" "$XTT" runclient -a 127.0.0.1 -p "$(cat port-v4)" -e root_cert.bin -d b.gpk -n basename.bin \
	-c rogue.cred -k rogue.sk -i x.id -b x.der -v x.key
check_match "server: unknown group" "failed: unknown group: Identity_ClientAttest: field gid" "$(cat server-v4.log)"
check_fails "member of group b claiming group a" client rogue v4 127.0.0.1 rogue -k rogue.sk
check_match "server: bad group signature" "failed: bad group signature" "$(cat server-v4.log)"
check "no identity written after a failure" test ! -e rogue.id -a ! -e rogue.key -a ! -e rogue.der

raw() { # SERVER-NAME HEX-TO-SEND: sends bytes, then prints what comes back (hex) until close
	python3 - "$(cat "port-$1")" "$2" <<-'PY'
	import socket, sys, time
	s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
	s.sendall(bytes.fromhex(sys.argv[2]))
	s.settimeout(5)
	out = b""
	try:
	    while True:
	        b = s.recv(1000)
	        if not b: break
	        out += b
	except socket.timeout:
	    pass
	print(out.hex())
	PY
}
check_eq "stalled peer gets an Error message" 41000401 "$(raw v4 010046)"
check_match "server: peer stalled" "failed: peer stalled" "$(cat server-v4.log)"
check_eq "bad version gets an Error message" 41000401 "$(raw v4 01004602)"
check_match "server: bad version" "failed: unsupported version: ClientInit: field version \(offset 3\) is 2" "$(cat server-v4.log)"
check_eq "unknown suite gets an Error message" 41000401 "$(raw v4 010046010009$(printf '%0128d' 0))"
check_match "server: bad suite" "ClientInit: field suite \(offset 4\) is 9" "$(cat server-v4.log)"
python3 -c 'import socket,sys; s=socket.create_connection(("127.0.0.1",int(sys.argv[1]))); s.sendall(bytes.fromhex("0100460100")); s.close()' "$(cat port-v4)"
sleep 0.2
check_match "server: peer closed half-way" "failed: peer closed the connection: ClientInit: peer closed the connection after 5 of 70 bytes" "$(cat server-v4.log)"

# ---- CLI errors ----
printf 'group x gpk=a.gpk basename-text=B prefix=2001:db8::/48\n' > bad.conf
out=$("$XTT" runserver -g bad.conf -s . -p 0 2>&1)
check_match "runserver: group file error with file:line:col" "bad.conf:1:35: prefix: '2001:db8::/48' is not an IPv6 /64" "$out"
out=$("$XTT" runclient -k dev1.sk -c dev1.cred -d a.gpk -n basename.bin -e missing.bin 2>&1)
check_match "runclient: missing root file" "missing.bin: No such file or directory" "$out"
out=$("$XTT" runclient --tpm x -k dev1.sk 2>&1)
check_match "runclient: exclusive options" "--tpm and --daa-key are exclusive" "$out"
out=$("$XTT" genservercert -r root_cert.bin -k other_root_keys.asn1.bin -s server_keys.asn1.bin -c bad_cert.bin 2>&1)
check_match "genservercert: wrong root key" "is not the key of the root certificate" "$out"
out=$("$XTT" infocert -r other_root_cert.bin -s server_cert.bin 2>&1)
check_match "infocert: chain check against another root" "names another root" "$out"

# ---- group key in a TPM (private swtpm), every suite ----
tpm_flow() {
	set -e
	"$ECDAA" member genkeys --tpm "$ECDAA_TPM_TCTI" --handle 0x81800000 -n join -p tpm.pk >/dev/null 2>&1
	"$ECDAA" issuer issuecredential -p tpm.pk -s a.isk -c tpm.cred -r tpm.credsig -n join >/dev/null 2>&1
	for s in "${suites[@]}"; do
		[[ $s == aes* && $aes == 0 ]] && continue
		client "tpm-$s" v4 127.0.0.1 tpm --tpm "$ECDAA_TPM_TCTI" --tpm-handle 0x81800000 -s "$s" ||
			{ cat "client-tpm-$s.out"; return 1; }
	done
}
export -f tpm_flow client
export XTT ECDAA aes ROOT
if [[ -x $WITH_SWTPM ]] && command -v swtpm >/dev/null; then
	"$WITH_SWTPM" bash -c "suites=(${suites[*]}); tpm_flow" > tpm.log 2>&1
	rc=$?
	if (( rc == 77 )); then
		skip "TPM group key" "no swtpm could be started: $(tail -n 1 tpm.log)"
	else
		check_eq "TPM group key: every suite provisioned" 0 "$rc"
		[[ $rc == 0 ]] || sed 's/^/       | /' tpm.log
		tid=$(cat tpm-chacha20poly1305-sha512.id 2>/dev/null)
		same=1
		for s in "${suites[@]}"; do [[ -f tpm-$s.id ]] && [[ $(cat "tpm-$s.id") != "$tid" ]] && same=0; done
		check_eq "TPM device: same identity on every run" 1 "$same"
		check_match "TPM device: its own identity" '^2001:db8:0:a:' "$tid"
		[[ "$tid" != "$id1" && "$tid" != "$(cat dev2.id)" ]] && ok "TPM device: differs from the software devices" ||
			fail "TPM device: differs from the software devices" "$tid"
	fi
else
	skip "TPM group key" "swtpm or ecdaa-with-swtpm missing"
fi

# ---- out of descriptors: the server pauses accepting instead of spinning ----
mkdir -p state-emfile
(ulimit -n 32; exec "$XTT" runserver -a 127.0.0.1 -p 0 --port-file port-emfile -g groups.conf \
	-s state-emfile --timeout 2 --workers 1 </dev/null >/dev/null 2>>server-emfile.log) &
PIDS+=($!)
for _ in $(seq 100); do [[ -s port-emfile ]] && break; sleep 0.05; done
held=()
for _ in $(seq 40); do
	exec {c}<>"/dev/tcp/127.0.0.1/$(cat port-emfile)" && held+=("$c")
done
sleep 1.5
spins=$(grep -c "accept: Too many open files" server-emfile.log)
check_ge "out of descriptors: the server ran out (40 stalled peers, 32 descriptors)" 1 "$spins"
check_le "out of descriptors: accept is retried once a second, not in a busy loop" 3 "$spins"
for c in "${held[@]}"; do exec {c}>&-; done
sleep 2.5
check "out of descriptors: provisions again once descriptors are back" client emfile emfile 127.0.0.1 dev1 -k dev1.sk

# ---- restart: the record keeps identities ----
kill "${PIDS[0]}" 2>/dev/null; wait "${PIDS[0]}" 2>/dev/null
rm -f port-v4
start_server v4 127.0.0.1
check "device 1 after the restart" client again v4 127.0.0.1 dev1 -k dev1.sk
check_eq "device 1 keeps its identity across restarts" "$id1" "$(cat again.id 2>/dev/null)"
check_done
