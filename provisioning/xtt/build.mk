# XTT identity provisioning: protocol library, xtt CLI, tests, fuzz targets, benchmark.
XTT := provisioning/xtt
XTT_LDLIBS := $(call pkg_libs,libsodium libcrypto json-c) -lpthread

XTT_CORE_SOURCES := $(addprefix $(XTT)/src/,util.c wire.c suite.c schedule.c ecdsa.c cert.c \
                    handshake.c client.c server.c group.c groupdb.c registry.c)
$(eval $(call sr6_library,xtt,$(XTT_CORE_SOURCES)))

$(eval $(call sr6_unit_test,xtt_wire,$(XTT)/tests/test_wire.c,xtt,$(XTT_LDLIBS)))
$(eval $(call sr6_unit_test,xtt_schedule,$(XTT)/tests/test_schedule.c $(XTT)/tests/kat_rng.c,xtt,$(XTT_LDLIBS)))
$(eval $(call sr6_unit_test,xtt_cert,$(XTT)/tests/test_cert.c,xtt,$(XTT_LDLIBS)))

CPPCHECK_DIRS += $(XTT)
XTT_TPM_LDLIBS := $(call pkg_libs,tss2-esys tss2-tctildr)
$(eval $(call sr6_unit_test,xtt_handshake,$(XTT)/tests/test_handshake.c $(XTT)/tests/fixture.c $(XTT)/tests/kat_rng.c,xtt ecdaa,$(XTT_LDLIBS) $(XTT_TPM_LDLIBS)))
$(eval $(call sr6_unit_test,xtt_identity,$(XTT)/tests/test_identity.c $(XTT)/tests/fixture.c,xtt ecdaa,$(XTT_LDLIBS) $(XTT_TPM_LDLIBS)))
$(eval $(call sr6_program,xtt,$(addprefix $(XTT)/cli/,main.c serve.c client.c),xtt ecdaa,$(XTT_LDLIBS) $(XTT_TPM_LDLIBS)))
# End to end over loopback (plain stage; needs no namespace).
$(eval $(call sr6_netns_test,xtt-e2e,$(XTT)/tests/e2e.sh))

# libFuzzer targets, bounded in make test (all four well under a minute together).
$(eval $(call sr6_fuzz,xtt_fuzz_wire,$(XTT)/fuzz/fuzz_wire.c,xtt ecdaa,$(XTT_LDLIBS),$(XTT)/fuzz/corpus/wire,50000))
$(eval $(call sr6_fuzz,xtt_fuzz_server,$(XTT)/fuzz/fuzz_server.c $(XTT)/fuzz/fuzz_common.c,xtt ecdaa,$(XTT_LDLIBS) $(XTT_TPM_LDLIBS),$(XTT)/fuzz/corpus/server,8000))
$(eval $(call sr6_fuzz,xtt_fuzz_client,$(XTT)/fuzz/fuzz_client.c $(XTT)/fuzz/fuzz_common.c,xtt ecdaa,$(XTT_LDLIBS) $(XTT_TPM_LDLIBS),$(XTT)/fuzz/corpus/client,5000))
$(eval $(call sr6_fuzz,xtt_fuzz_config,$(XTT)/fuzz/fuzz_config.c,xtt ecdaa,$(XTT_LDLIBS),$(XTT)/fuzz/corpus/config,30000))

# make bench: server handshakes per second and the time per server step.
$(eval $(call sr6_program,xtt-bench,$(XTT)/bench/xtt_bench.c,xtt ecdaa,$(XTT_LDLIBS) $(XTT_TPM_LDLIBS)))
$(eval $(call sr6_bench,xtt-handshake,$(BUILD)/bin/xtt-bench 5 100 400))
