# bpf: the node program (every hook of a node) and its libraries.

$(eval $(call sr6_bpf,sr6,bpf/sr6.bpf.c))

# Headend tests: the test side's policy builder and reference hash (unit), then the program
# through test_run (Criterion).
$(eval $(call sr6_library,headend_test,selftests/bpf/headend_policy.c))
$(eval $(call sr6_unit_test,headend_policy,selftests/bpf/headend_policy_test.c,headend_test,))
$(eval $(call sr6_bpf_test,bpf_headend,selftests/bpf/headend_harness.c selftests/bpf/headend_encap_test.c selftests/bpf/headend_steer_test.c selftests/bpf/headend_edge_test.c,headend_test selftest,$(call pkg_libs,libbpf)))

# Headend namespace tests: the kernel's seg6 encap as reference, and end to end through kernel
# SRv6 nodes (the long run in netns-slow).
$(eval $(call sr6_netns_test,headend_kernel_ref,selftests/headend_kernel_ref.sh))
$(eval $(call sr6_netns_test,headend_e2e,selftests/headend_e2e.sh))
$(eval $(call sr6_netns_test,headend_e2e_slow,selftests/headend_e2e.sh --slow,slow))

# make bench: kernel lwt seg6 encap vs sr6 at XDP and tc (rig in bench/lib).  sr6-hebench
# attaches tc programs through tcx links as the agent does and loads the lookups floor.
$(eval $(call sr6_bpf,headend_floor,bench/headend_floor.bpf.c))
$(eval $(call sr6_program,sr6-hebench,bench/headend_tool.c,selftest,$(call pkg_libs,libbpf)))
$(eval $(call sr6_bench,headend,bench/headend.sh))
CPPCHECK_DIRS += bench/headend_tool.c
