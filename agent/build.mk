# agent: the sr6 CLI and daemon.
#   libsr6policy   YAML -> model -> validate -> compile -> plan -> diff (pure: no kernel)
#   libsr6dp       the data plane: objects, maps, routes, links, state, counters
#   sr6            the command line and the daemon

AGENT_VERSION := $(shell git -C $(TOP) describe --always --dirty 2>/dev/null || echo unknown)

AGENT_POLICY_SRCS := $(addprefix agent/policy/,arena.c diag.c addr.c yaml.c index.c parse.c parse_values.c \
                      parse_node.c parse_policy.c functions.c validate.c plan.c compile.c diff.c diff_text.c plan_text.c)
AGENT_DP_SRCS := $(addprefix agent/dataplane/,objects.c load.c attach.c routes.c idalloc.c \
                  fnconf.c state.c engine.c stats.c)
AGENT_SRCS := $(addprefix agent/cli/,main.c report.c cmd_policy.c cmd_show.c cmd_admin.c) \
              $(addprefix agent/daemon/,agent.c control.c)

$(eval $(call sr6_library,sr6policy,$(AGENT_POLICY_SRCS)))
$(eval $(call sr6_cflags,agent,$(call pkg_cflags,yaml-0.1 libbpf libmnl json-c libsystemd) \
    -DSR6_VERSION='"0.1-$(AGENT_VERSION)"'))


AGENT_TEST_LIBS := $(call pkg_libs,yaml-0.1)
$(eval $(call sr6_unit_test,agent_policy_errors,agent/tests/policy_errors_test.c agent/tests/testenv.c,sr6policy,$(AGENT_TEST_LIBS)))
$(eval $(call sr6_unit_test,agent_policy_compile,agent/tests/policy_compile_test.c agent/tests/testenv.c,sr6policy,$(AGENT_TEST_LIBS)))
$(eval $(call sr6_unit_test,agent_policy_diff,agent/tests/policy_diff_test.c agent/tests/testenv.c,sr6policy,$(AGENT_TEST_LIBS)))
$(eval $(call sr6_unit_test,agent_docs,agent/tests/docs_test.c agent/tests/testenv.c,sr6policy,$(AGENT_TEST_LIBS)))
$(eval $(call sr6_unit_test,agent_idalloc,agent/tests/idalloc_test.c agent/dataplane/idalloc.c,sr6policy,))

# YAML -> plan under libFuzzer: "make test" runs the committed corpus plus 100,000 inputs.
$(eval $(call sr6_fuzz,sr6_fuzz,agent/fuzz/policy_fuzz.c,sr6policy,$(AGENT_TEST_LIBS),agent/fuzz/corpus,100000))

# The data plane and the program embed the node program and the End.BPF functions.
$(eval $(call sr6_library,sr6dp,$(AGENT_DP_SRCS)))
AGENT_LIBS := $(call pkg_libs,yaml-0.1 libbpf libmnl json-c libsystemd)
$(eval $(call sr6_program,sr6,$(AGENT_SRCS),sr6dp sr6policy,$(AGENT_LIBS)))

# Integration in namespaces (root): apply and push with traffic, atomic updates under a
# stream, kill -9 and restart, reading back and reconciling every kind of object.
$(eval $(call sr6_netns_test,agent_traffic,selftests/agent_traffic.sh))
$(eval $(call sr6_netns_test,agent_atomic,selftests/agent_atomic.sh))
$(eval $(call sr6_netns_test,agent_restart,selftests/agent_restart.sh))
$(eval $(call sr6_netns_test,agent_roundtrip,selftests/agent_roundtrip.sh))
$(eval $(call sr6_netns_test,agent_faults,selftests/agent_faults.sh))
$(eval $(call sr6_netns_test,agent_packaging,selftests/agent_packaging.sh))

# make bench: 100,000 rules and 10,000 policies against the agent's budgets.
$(eval $(call sr6_bench,agent,bench/agent))

CPPCHECK_DIRS += agent
