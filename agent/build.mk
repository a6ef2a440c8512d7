# agent: the sr6 CLI and daemon.
#   libsr6policy   YAML -> model -> validate -> compile -> plan -> diff (pure, no kernel)

AGENT_POLICY_SRCS := $(addprefix agent/policy/,arena.c diag.c addr.c yaml.c index.c parse.c \
                      functions.c validate.c plan.c compile.c diff.c plan_text.c)

$(eval $(call sr6_library,sr6policy,$(AGENT_POLICY_SRCS)))
$(eval $(call sr6_cflags,agent,$(call pkg_cflags,yaml-0.1)))

CPPCHECK_DIRS += agent

AGENT_TEST_LIBS := $(call pkg_libs,yaml-0.1)
$(eval $(call sr6_unit_test,agent_policy_errors,agent/tests/policy_errors_test.c agent/tests/testenv.c,sr6policy,$(AGENT_TEST_LIBS)))
$(eval $(call sr6_unit_test,agent_policy_compile,agent/tests/policy_compile_test.c agent/tests/testenv.c,sr6policy,$(AGENT_TEST_LIBS)))
$(eval $(call sr6_unit_test,agent_policy_diff,agent/tests/policy_diff_test.c agent/tests/testenv.c,sr6policy,$(AGENT_TEST_LIBS)))

# YAML -> plan under libFuzzer: "make test" runs the committed corpus plus 100,000 inputs.
$(eval $(call sr6_fuzz,sr6_fuzz,agent/fuzz/policy_fuzz.c,sr6policy,$(AGENT_TEST_LIBS),agent/fuzz/corpus,100000))
