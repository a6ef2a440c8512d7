# Assertions for shell integration tests: one "[ OK ] name" / "[FAIL] name: why" /
# "[SKIP] name: why" line per check; check_done exits non-zero if any check failed.
# Source it, then: check_eq "encap: inner dst" "$want" "$got"; ...; check_done

CHECK_FAILED=0
CHECK_PREFIX=${CHECK_PREFIX:-}

ok()   { printf '[ OK ] %s%s\n' "$CHECK_PREFIX" "$1"; }
fail() { printf '[FAIL] %s%s: %s\n' "$CHECK_PREFIX" "$1" "${2:-failed}"; CHECK_FAILED=$((CHECK_FAILED + 1)); }
skip() { printf '[SKIP] %s%s: %s\n' "$CHECK_PREFIX" "$1" "${2:-skipped}"; }

# check NAME COMMAND...: OK when COMMAND exits 0; its output is shown on failure.
check() {
	local name=$1 out; shift
	if out=$("$@" 2>&1); then ok "$name"; else fail "$name" "'$*' exited $?"; printf '%s\n' "$out" | tail -n 20 | sed 's/^/       | /'; fi
}

# check_fails NAME COMMAND...: OK when COMMAND exits non-zero.
check_fails() {
	local name=$1; shift
	if "$@" >/dev/null 2>&1; then fail "$name" "'$*' succeeded but should have failed"; else ok "$name"; fi
}

check_eq() { # NAME EXPECTED ACTUAL
	if [[ "$2" == "$3" ]]; then ok "$1"; else fail "$1" "expected '$2', got '$3'"; fi
}

check_ge() { # NAME MIN ACTUAL (integers)
	if [[ "$3" =~ ^-?[0-9]+$ ]] && (( $3 >= $2 )); then ok "$1"; else fail "$1" "expected >= $2, got '$3'"; fi
}

check_le() { # NAME MAX ACTUAL (integers)
	if [[ "$3" =~ ^-?[0-9]+$ ]] && (( $3 <= $2 )); then ok "$1"; else fail "$1" "expected <= $2, got '$3'"; fi
}

check_match() { # NAME EXTENDED-REGEX TEXT
	if [[ "$3" =~ $2 ]]; then ok "$1"; else fail "$1" "'$3' does not match /$2/"; fi
}

check_done() {
	exit $(( CHECK_FAILED ? 1 : 0 ))
}

# require_cmd CMD...: skip the whole test (exit 4) when a tool is missing.
require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || { echo "missing command: $c"; exit 4; }
	done
}
