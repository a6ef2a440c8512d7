# selftests: shared test libraries (packet builder, test_run wrapper, netns topologies) and
# the tests of the shared BPF library.

$(eval $(call sr6_library,selftest,selftests/lib/pktbuild.c selftests/lib/bpf_run.c))

$(eval $(call sr6_bpf,test_parse,selftests/bpf/progs/test_parse.bpf.c))
$(eval $(call sr6_bpf_test,bpf_parse,selftests/bpf/parse_test.c,selftest,$(call pkg_libs,libbpf)))

CPPCHECK_DIRS += selftests

$(eval $(call sr6_unit_test,pktbuild,selftests/lib/pktbuild_test.c,selftest,))
