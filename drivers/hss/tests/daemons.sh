#!/usr/bin/env bash
# hssd-host and hssd-device as separate processes over the loopback transport, with hss-cat
# as the application: TCP and UDP, IPv4 and IPv6, against python3 servers on ephemeral ports.
set -uo pipefail
source "$SR6_TOP/selftests/lib/check.sh"
CHECK_PREFIX="hss daemons: "
require_cmd python3
bin=$SR6_BUILD/bin
dir=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT

"$bin/hssd-host" -t "loopback:$dir/host.sock" 2>"$dir/host.log" & pids+=($!)
for _ in $(seq 50); do [[ -S $dir/host.sock ]] && break; sleep 0.1; done
"$bin/hssd-device" -t "loopback:$dir/host.sock" -S "$dir/dev.sock" 2>"$dir/dev.log" & pids+=($!)
for _ in $(seq 50); do [[ -S $dir/dev.sock.dgram ]] && break; sleep 0.1; done
check "device socket appears" test -S "$dir/dev.sock"

# server ADDR TYPE: prints its port, answers one client with the reversed request
server() {
	python3 - "$1" "$2" <<'PY' &
import socket, sys
addr, kind = sys.argv[1], sys.argv[2]
fam = socket.AF_INET6 if ':' in addr else socket.AF_INET
if kind == 'tcp':
    s = socket.socket(fam, socket.SOCK_STREAM); s.bind((addr, 0)); s.listen()
    print(s.getsockname()[1], flush=True)
    c, _ = s.accept(); data = b''
    while True:
        b = c.recv(65536)
        if not b: break
        data += b
    c.sendall(data[::-1]); c.close()
else:
    s = socket.socket(fam, socket.SOCK_DGRAM); s.bind((addr, 0))
    print(s.getsockname()[1], flush=True)
    data, peer = s.recvfrom(65536); s.sendto(data[::-1], peer)
PY
}

for addr in 127.0.0.1 ::1; do
	for kind in tcp udp; do
		server "$addr" "$kind" >"$dir/port" ; pids+=($!)
		for _ in $(seq 50); do [[ -s $dir/port ]] && break; sleep 0.1; done
		port=$(head -n1 "$dir/port"); rm -f "$dir/port"
		flag=; [[ $kind == udp ]] && flag=-u
		got=$(printf 'hss-%s-%s' "$kind" "$addr" | timeout 10 "$bin/hss-cat" $flag -S "$dir/dev.sock" "$addr" "$port")
		check_eq "$kind $addr round trip" "$(printf 'hss-%s-%s' "$kind" "$addr" | rev)" "$got"
	done
done

free_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
out=$(timeout 10 "$bin/hss-cat" -S "$dir/dev.sock" 127.0.0.1 "$free_port" </dev/null 2>&1)
check_match "refused port reported" "Connection refused" "$out"

kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null
for _ in $(seq 50); do grep -q "link to the host lost" "$dir/dev.log" && break; sleep 0.1; done
check_match "device notices the host going away" "link to the host lost" "$(cat "$dir/dev.log")"
check_done
