# selftests: shared test libraries (packet builder, test_run wrapper, netns topologies) and
# the tests of the shared BPF library.

$(eval $(call sr6_library,selftest,selftests/lib/pktbuild.c selftests/lib/bpf_run.c))

$(eval $(call sr6_bpf,test_parse,selftests/bpf/progs/test_parse.bpf.c))
$(eval $(call sr6_bpf_test,bpf_parse,selftests/bpf/parse_test.c,selftest,$(call pkg_libs,libbpf)))

CPPCHECK_DIRS += selftests

$(eval $(call sr6_unit_test,pktbuild,selftests/lib/pktbuild_test.c,selftest,))

# Endpoint fast path (bpf/lib/endpoint.h) in the node program at XDP and tc.
$(eval $(call sr6_bpf_test,bpf_endpoint,selftests/bpf/endpoint_test.c selftests/bpf/endpoint_env.c,selftest,$(call pkg_libs,libbpf)))

# End.BPF function logic (bpf/lib/functions/) through XDP test wrappers.
$(eval $(call sr6_bpf,test_functions,selftests/bpf/progs/test_functions.bpf.c))
$(eval $(call sr6_bpf_test,bpf_functions,selftests/bpf/functions_test.c selftests/bpf/endpoint_env.c,selftest,$(call pkg_libs,libbpf)))

# The loader of the node program and the End.BPF functions that the headend, endpoint and
# function integration tests and the benchmarks use (selftests/tools/nodetool.c).
$(eval $(call sr6_program,sr6-nodetool,selftests/tools/nodetool.c,headend_test,$(call pkg_libs,libbpf)))

# Endpoint and End.BPF integration tests (network namespaces).
$(eval $(call sr6_netns_test,endpoint_kernel_ref_xdp,selftests/endpoint_kernel_ref.sh xdp))
$(eval $(call sr6_netns_test,endpoint_kernel_ref_tc,selftests/endpoint_kernel_ref.sh tc))
$(eval $(call sr6_netns_test,chain_functions,selftests/chain_functions.sh))
$(eval $(call sr6_unit_test,docs,selftests/bpf/docs_test.c,,))
