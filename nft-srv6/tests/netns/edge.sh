#!/usr/bin/env bash
# The RFC 8754 section 7.1 SR-domain edge preset on netdev ingress: SRv6 packets from
# outside the domain addressed into the SID space are counted and dropped; traffic from
# inside the domain, SRv6 packets to other destinations and plain IPv6 pass.
set -u
source "$SR6_TOP/nft-srv6/tests/netns/lib.sh"
nftsrv6_require
nftsrv6_topo
T=sr6edge
nx r ip -6 route add 2001:db8:b::/48 via fc00:b::1
nx b ip -6 route add blackhole 2001:db8:b::/48

# b counts what arrives: SRv6 packets by tag, plain IPv6 from the outside source
for tag in 1 2 3; do
	B[$tag]=$(nftsrv6_add b -t seen add hook prerouting tag $tag counter)
done
nx b nft add table inet plain
nx b nft add chain inet plain c '{ type filter hook prerouting priority 0; }'
nx b nft add rule inet plain c ip6 saddr 2001:db8:ff::1 meta l4proto udp counter

check "edge: preset applied" nx r "$NFTSRV6" -t $T edge --domain fc00::/16 --sids fc00:5::/32 --iface r0
list=$(nx r "$NFTSRV6" -t $T --family netdev list)
check_match "edge: listed as one rule on r0 ingress" \
	"add hook ingress priority -500 dev r0 saddr != fc00::/16 daddr fc00:5::/32 counter drop # handle" "$list"
h=$(printf '%s\n' "$list" | sed -n 's/.*counter drop # handle //p')

nftsrv6_packets 6 tag=1 src=2001:db8:ff::1 sids=fc00:5:3::1,fc00:5:3::2 sl=1      # spoofed
nftsrv6_packets 4 tag=2 src=fc00:a::1 sids=fc00:5:3::1,fc00:5:3::2 sl=1           # internal
nftsrv6_packets 3 tag=3 src=2001:db8:ff::1 sids=2001:db8:b::1,2001:db8:b::2 sl=1  # not to a SID
nftsrv6_packets 2 srh=0 src=2001:db8:ff::1 dst=fc00:5:3::9                        # no SRH
nftsrv6_wait_count b seen "${B[3]}" 3
check_eq "edge: spoofed SRv6 counted" 6 "$(nftsrv6_counter r $T "$h" netdev)"
check_eq "edge: spoofed SRv6 dropped" 0 "$(nftsrv6_counter b seen "${B[1]}")"
check_eq "edge: domain-internal SRv6 passes" 4 "$(nftsrv6_counter b seen "${B[2]}")"
check_eq "edge: SRv6 to addresses outside the SID space passes" 3 "$(nftsrv6_counter b seen "${B[3]}")"
check_match "edge: plain IPv6 passes" "counter packets 2 " "$(nx b nft list table inet plain)"
check "edge: nft list ruleset works" nx r nft list ruleset

# running the preset again replaces it (one rule, fresh counter); several prefixes
check "edge: re-applied with two domain prefixes" nx r "$NFTSRV6" -t $T edge \
	--domain fc00::/16 --domain 2001:db8:aa::/48 --iface r0
list=$(nx r "$NFTSRV6" -t $T --family netdev list)
check_eq "edge: still one rule" 1 "$(printf '%s\n' "$list" | grep -c '# handle')"
check_match "edge: domain set, SID space defaults to the domain" \
	"saddr != \{ 2001:db8:aa::/48, fc00::/16 \} daddr \{ 2001:db8:aa::/48, fc00::/16 \} counter drop" "$list"
out=$(nx r "$NFTSRV6" -t $T edge --domain fc00::/99999 --iface r0 2>&1)
check_match "edge: a bad prefix is named" "--domain fc00::/99999: bad prefix length '99999'" "$out"
check_fails "edge: an unknown interface is refused" nx r "$NFTSRV6" -t $T edge --domain fc00::/16 --iface nope0
check_done
