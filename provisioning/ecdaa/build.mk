# provisioning/ecdaa: ECDAA group signatures on FP256BN (libecdaa), the ecdaa CLI, tests,
# fuzz targets and the benchmark.

ECDAA_DIR := provisioning/ecdaa
ECDAA_LIB_SRCS := $(addprefix $(ECDAA_DIR)/src/,fp.c tower.c curve.c pairing.c hash.c common.c \
                  encode.c issuer.c member.c sign.c tpm.c)
ECDAA_LDLIBS := $(call pkg_libs,libsodium) -lpthread
ECDAA_TPM_LDLIBS := $(call pkg_libs,tss2-esys tss2-tctildr)

$(eval $(call sr6_library,ecdaa,$(ECDAA_LIB_SRCS)))
# gcc turns the masked selects of the field code into slower SSE shuffles
$(eval $(call sr6_cflags,$(ECDAA_DIR),-fno-tree-slp-vectorize))
$(eval $(call sr6_program,ecdaa,$(ECDAA_DIR)/cli/ecdaa.c,ecdaa,$(ECDAA_LDLIBS) $(ECDAA_TPM_LDLIBS)))

# Benchmark (make bench).
$(eval $(call sr6_program,ecdaa-bench,$(ECDAA_DIR)/bench/ecdaa_bench.c,ecdaa,$(ECDAA_LDLIBS)))
$(eval $(call sr6_bench,ecdaa,$(BUILD)/bin/ecdaa-bench))

# Unit tests (Criterion; also run under ASan + UBSan).  The TPM tests start a private swtpm.
$(eval $(call sr6_unit_test,ecdaa-field,$(ECDAA_DIR)/tests/test_field.c,ecdaa,$(ECDAA_LDLIBS)))
$(eval $(call sr6_unit_test,ecdaa-pairing,$(ECDAA_DIR)/tests/test_pairing.c,ecdaa,$(ECDAA_LDLIBS)))
$(eval $(call sr6_unit_test,ecdaa-scheme,$(ECDAA_DIR)/tests/test_scheme.c,ecdaa,$(ECDAA_LDLIBS)))
$(eval $(call sr6_unit_test,ecdaa-encode,$(ECDAA_DIR)/tests/test_encode.c,ecdaa,$(ECDAA_LDLIBS)))
$(eval $(call sr6_unit_test,ecdaa-tpm,$(ECDAA_DIR)/tests/test_tpm.c $(ECDAA_DIR)/tests/swtpm.c,ecdaa,\
	$(ECDAA_LDLIBS) $(ECDAA_TPM_LDLIBS)))
$(eval $(call sr6_program,ecdaa-testvec,$(ECDAA_DIR)/tests/testvec.c,ecdaa,$(ECDAA_LDLIBS)))
$(eval $(call sr6_program,ecdaa-with-swtpm,$(ECDAA_DIR)/tests/with_swtpm.c $(ECDAA_DIR)/tests/swtpm.c,,))

# libFuzzer targets, one per decoder, bounded runs from the committed corpus in make test.
ECDAA_FUZZ_RUNS := issuer_public_key:3000 issuer_secret_key:100000 group_public_key:5000 \
                   member_secret_key:100000 member_public_key:20000 credential:30000 \
                   credential_signature:100000 signature:30000 revocation_lists:50000
$(foreach t,$(ECDAA_FUZZ_RUNS),$(eval $(call sr6_fuzz,ecdaa-decode-$(subst _,-,$(word 1,$(subst :, ,$(t)))),\
	$(ECDAA_DIR)/fuzz/decode_$(word 1,$(subst :, ,$(t))).c,ecdaa,$(ECDAA_LDLIBS),\
	$(ECDAA_DIR)/fuzz/corpus/$(word 1,$(subst :, ,$(t))),$(word 2,$(subst :, ,$(t))))))

# Integration tests (run as root in the netns stage; they need no namespace).
$(eval $(call sr6_netns_test,ecdaa-cli,$(ECDAA_DIR)/tests/cli.sh))
$(eval $(call sr6_netns_test,ecdaa-oracle,$(ECDAA_DIR)/tests/oracle.sh))

CPPCHECK_DIRS += $(ECDAA_DIR)

# A free() that finds secrets left in freed memory, preloaded into the CLIs by the tests.
ECDAA_FREED_SECRET := $(BUILD)/lib/freed-secret.so
PROGRAMS += $(ECDAA_FREED_SECRET)
$(ECDAA_FREED_SECRET): $(ECDAA_DIR)/tests/freed_secret.c
	$(call msg,CC-SO,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(OBJ_CFLAGS) -fPIC -shared -o $@ $< -ldl
