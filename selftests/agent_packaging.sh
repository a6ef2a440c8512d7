#!/usr/bin/env bash
# What an operator installs besides the binary says what the binary does:
#   - examples/sr6.service: systemd accepts it (systemd-analyze verify), Type=notify, reload
#     by SIGHUP to the main process, the agent's command line
#   - docs/sr6.8: the man page renders without a warning, names every command, and its exit
#     statuses are the ones sr6 returns (a usage error, an invalid file, no agent)
set -u
source "$SR6_TOP/selftests/lib/check.sh"
CHECK_PREFIX="agent packaging: "
require_cmd groff
SR6="$SR6_BUILD/bin/sr6"
[[ -x "$SR6" ]] || { echo "sr6 not built"; exit 4; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

unit=$SR6_TOP/examples/sr6.service
check_eq "unit: Type=notify" "Type=notify" "$(grep '^Type=' "$unit")"
check_eq "unit: reload is SIGHUP to the main process" 'ExecReload=/bin/kill -HUP $MAINPID' \
	"$(grep '^ExecReload=' "$unit")"
check_eq "unit: runs the agent on /etc/sr6/policy.yaml" \
	"ExecStart=/usr/sbin/sr6 agent -c /etc/sr6/policy.yaml" "$(grep '^ExecStart=' "$unit")"
if command -v systemd-analyze >/dev/null; then
	# Verified with the built binary in place of /usr/sbin/sr6 (not installed here).
	sed "s|/usr/sbin/sr6|$SR6|g" "$unit" >"$tmp/sr6.service"
	out=$(cd "$tmp" && systemd-analyze verify --man=no ./sr6.service 2>&1); rc=$?
	check_eq "unit: systemd-analyze verify finds nothing" "0 " "$rc $out"
else
	skip "unit: systemd-analyze verify" "systemd-analyze missing"
fi

man=$SR6_TOP/docs/sr6.8
check_eq "man page: renders without a warning" "" "$(groff -man -ww -z "$man" 2>&1)"
for cmd in check diff apply push agent status stats "sid list" "policy list" flush version; do
	check "man page: describes $cmd" grep -q "^\.B.* ${cmd%% *}" "$man"
done
# The EXIT STATUS section lists 0..5; sr6 returns them.
check_eq "man page: exit statuses 0 to 5" "0 1 2 3 4 5" \
	"$(sed -n '/^\.SH EXIT STATUS/,/^\.SH FILES/p' "$man" | sed -n 's/^\.B \([0-9]\)$/\1/p' | xargs)"
"$SR6" frobnicate >/dev/null 2>&1
check_eq "exit status 2: usage error" 2 "$?"
printf 'apiVersion: sr6/v1\nnode: { name: "bad name" }\n' >"$tmp/bad.yaml"
"$SR6" check --offline "$tmp/bad.yaml" >/dev/null 2>&1
check_eq "exit status 3: the policy file has errors" 3 "$?"
"$SR6" --socket "$tmp/none.sock" push "$tmp/bad.yaml" >/dev/null 2>&1
check_eq "exit status 5: no agent answers" 5 "$?"
printf 'apiVersion: sr6/v1\nnode: { name: n }\n' >"$tmp/empty.yaml"
"$SR6" --pin-root "$tmp/not-bpffs" --run-dir "$tmp/run" apply "$tmp/empty.yaml" >/dev/null 2>&1
check_eq "exit status 4: the system refused (a pin root off bpffs)" 4 "$?"
check_match "usage text lists the same exit codes" \
	"exit codes: 0 ok, 1 diff found changes, 2 usage, 3 invalid policy, 4 system error," \
	"$("$SR6" --help)"

check_done
