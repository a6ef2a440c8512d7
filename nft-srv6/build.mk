# nft-srv6: nftables filtering on SRv6 traffic (libnftsrv6 + the nft-srv6 CLI).
NFTSRV6_SRCS := $(sort $(wildcard nft-srv6/src/*.c))
NFTSRV6_PKGS := libnftnl libmnl json-c
NFTSRV6_LIBS := $(call pkg_libs,$(NFTSRV6_PKGS))

$(eval $(call sr6_cflags,nft-srv6,$(call pkg_cflags,$(NFTSRV6_PKGS))))
$(eval $(call sr6_library,nftsrv6,$(NFTSRV6_SRCS)))
$(eval $(call sr6_program,nft-srv6,nft-srv6/cli/nft-srv6.c,nftsrv6,$(NFTSRV6_LIBS)))

$(eval $(call sr6_unit_test,nftsrv6_unit,$(sort $(wildcard nft-srv6/tests/unit/*.c)),nftsrv6,$(NFTSRV6_LIBS)))
$(eval $(call sr6_netns_test,nftsrv6_traffic,nft-srv6/tests/netns/traffic.sh))
$(eval $(call sr6_netns_test,nftsrv6_verdicts,nft-srv6/tests/netns/verdicts.sh))
$(eval $(call sr6_netns_test,nftsrv6_batch,nft-srv6/tests/netns/batch.sh))
$(eval $(call sr6_netns_test,nftsrv6_edge,nft-srv6/tests/netns/edge.sh))
$(eval $(call sr6_netns_test,nftsrv6_equivalents,nft-srv6/tests/netns/equivalents.sh))
$(eval $(call sr6_netns_test,nftsrv6_dump_race,nft-srv6/tests/netns/dump_race.sh))
$(eval $(call sr6_fuzz,nftsrv6_parse_fuzz,nft-srv6/fuzz/parse_fuzz.c,nftsrv6,$(NFTSRV6_LIBS),nft-srv6/fuzz/corpus,300000))
$(eval $(call sr6_bench,nftsrv6-commit,nft-srv6/bench/commit.sh 10000 5))
$(eval $(call sr6_program,nftsrv6-blast,nft-srv6/bench/blast.c,,))
$(eval $(call sr6_bench,nftsrv6-pps,nft-srv6/bench/pps.sh 2 5))
CPPCHECK_DIRS += nft-srv6
