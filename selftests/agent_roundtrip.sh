#!/usr/bin/env bash
# What sr6 installs reads back as what the file says, and reconciling removes what the file
# no longer has: every behaviour, End.BPF function and parameter, locator, steering rule,
# seg6local route and attach mode of examples/policy.yaml, then a larger generated policy.
#   apply -> diff finds nothing; change the file -> apply -> the kernel shows exactly the
#   change (routes, links, maps); flush -> nothing left.
set -u
source "$SR6_TOP/selftests/lib/check.sh"
source "$SR6_TOP/selftests/lib/topo.sh"
CHECK_PREFIX="agent round trip: "
require_cmd nsenter ip /usr/bin/python3
SR6="$SR6_BUILD/bin/sr6"
[[ -x "$SR6" ]] || { echo "sr6 not built"; exit 4; }

topo_init
tmp=$(mktemp -d)
topo_on_cleanup "rm -rf '$tmp'"
topo_ns n
topo_link n eth0 n p0
topo_link n eth1 n p1
topo_link n s0 n s1
pin=$(topo_pin_dir)/n
sr6() { nx n "$SR6" --pin-root "$pin" --run-dir "$tmp/run" "$@"; }
json() { /usr/bin/python3 -c "import json,sys; o=json.load(sys.stdin); print($1)"; }
routes() { nx n ip -6 route show proto 83 | sort; }

cp "$SR6_TOP/examples/policy.yaml" "$tmp/p.yaml"
check "apply examples/policy.yaml" sr6 apply "$tmp/p.yaml"
check "diff: the installed state reads back as the file" sr6 diff "$tmp/p.yaml"
check_eq "12 seg6local routes (one per SID)" 12 "$(routes | wc -l)"
check_match "End.BPF tag-acl route with its program" "fc00:1::f2 +encap seg6local action End.BPF endpoint sr6_tag_acl dev eth0" \
	"$(routes)"
check_match "End.X route on its interface" "fc00:1::11 +encap seg6local action End.X nh6 fe80::2 oif eth1 dev eth1" \
	"$(routes)"
check_eq "links: xdp (with tcx ingress behind it) on eth0, tcx ingress and egress on eth1" \
	"tc-egress:eth1 tc-ingress:eth0 tc-ingress:eth1 xdp:eth0" \
	"$(sr6 -j status | json "' '.join(sorted(l['hook']+':'+l['interface'] for l in o['links']))")"
check_eq "native XDP on eth0" "xdp" "$(sr6 -j status | json "[l.get('mode') for l in o['links'] if l['hook']=='xdp'][0]")"
check_eq "3 policies, 12 SIDs, 5 prefixes, 9 rule slots" "3 12 5 9" \
	"$(sr6 -j status | json "'%d %d %d %d' % (o['policies'], o['sids'], o['prefixes'], o['rule_slots'])")"
check_match "tag-acl parameters read back from its map" "fc00:1::f2 .*function tag-acl" "$(sr6 sid list)"

# Change one thing of each kind.
sed -e '/fc00:1::d7/d' \
    -e 's/allow: \[7, 9\]/allow: [7, 10]/' \
    -e 's/{ name: eth0, attach: xdp }/{ name: eth0, attach: tc }/' \
    -e '/dst: "10.0.0.0\/8"/d' \
    -e 's/weight: 3 }/weight: 5 }/' \
    -e 's/^  hop_limit: 64 .*/&\n  hash_seed: 12345/' "$SR6_TOP/examples/policy.yaml" >"$tmp/p.yaml"
out=$(sr6 apply "$tmp/p.yaml")
check_match "apply: the SID removed" "- sid fc00:1::d7: End.DX6" "$out"
check_match "apply: its route removed" "- route fc00:1::d7/128" "$out"
check_match "apply: tag-acl changed" "~ sid fc00:1::f2: End.BPF tag-acl -> End.BPF tag-acl" "$out"
check_match "apply: eth0 moved to tc" "~ interface eth0: xdp -> tc" "$out"
check_match "apply: the 10/8 rule removed" "- steering 10.0.0.0/8" "$out"
check_match "apply: the covered 10.1/16 set rewritten" "~ steering 10.1.0.0/16" "$out"
check_match "apply: the weight changed" "~ policy to-dc:" "$out"
check_match "apply: the hash seed changed" "hash seed 0 -> 12345 \\(flows may change path\\)" "$out"
check_eq "the hash seed in sr6_config" 12345 "$(sr6 -j status | json "o['hash_seed']")"
check "diff after the change: nothing" sr6 diff "$tmp/p.yaml"
check_eq "11 routes, fc00:1::d7 gone" "11 0" "$(routes | wc -l) $(routes | grep -c 'fc00:1::d7 ')"
check_eq "links: tcx on eth0 now, no XDP" "tc-egress:eth1 tc-ingress:eth0 tc-ingress:eth1" \
	"$(sr6 -j status | json "' '.join(sorted(l['hook']+':'+l['interface'] for l in o['links']))")"
check_eq "no XDP program left on eth0" "" "$(nx n ip -d link show eth0 | grep -o 'prog/xdp')"
check_eq "4 prefixes left" 4 "$(sr6 -j status | json "o['prefixes']")"
check_eq "policy to-dc: weights 5 and 1" "5 1" \
	"$(sr6 -j policy list | json "' '.join(str(p['weight']) for p in [x for x in o['policies'] if x['name']=='to-dc'][0]['paths'])")"

# XDP in generic mode, then native again: an XDP interface has two links (XDP and tc ingress
# behind it), and the mode read back is XDP's whatever order the pin folder lists them in.
for mode in xdp-generic xdp; do
	sed "s/{ name: eth0, attach: xdp }/{ name: eth0, attach: $mode }/" \
		"$SR6_TOP/examples/policy.yaml" >"$tmp/p.yaml"
	check "eth0 to $mode" sr6 apply "$tmp/p.yaml"
	check "diff after the switch to $mode: nothing" sr6 diff "$tmp/p.yaml"
	check_eq "eth0 reads back as $mode" "$mode tc-ingress:eth0 xdp:eth0" \
		"$(sr6 -j status | json "' '.join([[l['mode'] for l in o['links'] if l['hook']=='xdp'][0]] + sorted(l['hook']+':'+l['interface'] for l in o['links'] if l['interface']=='eth0'))")"
	out=$(sr6 apply "$tmp/p.yaml" 2>&1)
	check_eq "apply of the same file again: the interface is not touched" "0 " \
		"$? $(grep interface <<<"$out")"
done

# A larger policy: 300 policies and 2,000 rules replace all of it (the arrays grow while
# read back: ids and names must follow).
/usr/bin/python3 "$SR6_TOP/bench/agent_gen.py" 2000 300 >"$tmp/big.yaml"
check "apply 2,000 rules and 300 policies in place of it" sr6 apply "$tmp/big.yaml"
check "diff: the installed state reads back as the file" sr6 diff "$tmp/big.yaml"
check_eq "the SIDs and their routes are gone" "0 0" \
	"$(sr6 -j status | json "o['sids']") $(routes | wc -l)"
check_eq "2,000 prefixes" 2000 "$(sr6 -j status | json "o['prefixes']")"
/usr/bin/python3 "$SR6_TOP/bench/agent_gen.py" 2000 300 1234 >"$tmp/big2.yaml"
check_eq "one rule changed: diff finds one change" "1 change: 0 to add, 1 to change, 0 to remove" \
	"$(sr6 diff "$tmp/big2.yaml" | tail -1)"
check_match "one rule changed: apply makes one change" "^applied 1 change," \
	"$(sr6 apply "$tmp/big2.yaml" | tail -1)"

check "flush --yes" sr6 flush --yes
check_eq "flushed: no sr6 route" 0 "$(routes | wc -l)"
check_eq "flushed: no link, no pin" "" "$(ls "$pin" 2>/dev/null)"
check_done
