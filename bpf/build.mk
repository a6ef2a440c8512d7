# bpf: the node program (every hook of a node) and its libraries.

$(eval $(call sr6_bpf,sr6,bpf/sr6.bpf.c))

# Headend tests: program tests through test_run (Criterion).
$(eval $(call sr6_library,headend_test,selftests/bpf/headend_policy.c))
$(eval $(call sr6_bpf_test,bpf_headend,selftests/bpf/headend_harness.c selftests/bpf/headend_encap_test.c selftests/bpf/headend_steer_test.c selftests/bpf/headend_edge_test.c,headend_test selftest,$(call pkg_libs,libbpf)))
