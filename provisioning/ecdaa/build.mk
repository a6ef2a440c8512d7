# provisioning/ecdaa: ECDAA group signatures on FP256BN (libecdaa), the ecdaa CLI, tests,
# fuzz targets and the benchmark.

ECDAA_DIR := provisioning/ecdaa
ECDAA_LIB_SRCS := $(addprefix $(ECDAA_DIR)/src/,fp.c tower.c curve.c pairing.c hash.c common.c \
                  encode.c issuer.c member.c sign.c tpm.c)
ECDAA_LDLIBS := $(call pkg_libs,libsodium) -lpthread
ECDAA_TPM_LDLIBS := $(call pkg_libs,tss2-esys tss2-tctildr)

$(eval $(call sr6_library,ecdaa,$(ECDAA_LIB_SRCS)))
$(eval $(call sr6_program,ecdaa,$(ECDAA_DIR)/cli/ecdaa.c,ecdaa,$(ECDAA_LDLIBS) $(ECDAA_TPM_LDLIBS)))

# Unit tests (Criterion; also run under ASan + UBSan).  The TPM tests start a private swtpm.
$(eval $(call sr6_unit_test,ecdaa-field,$(ECDAA_DIR)/tests/test_field.c,ecdaa,$(ECDAA_LDLIBS)))
$(eval $(call sr6_unit_test,ecdaa-pairing,$(ECDAA_DIR)/tests/test_pairing.c,ecdaa,$(ECDAA_LDLIBS)))
$(eval $(call sr6_unit_test,ecdaa-scheme,$(ECDAA_DIR)/tests/test_scheme.c,ecdaa,$(ECDAA_LDLIBS)))
$(eval $(call sr6_unit_test,ecdaa-encode,$(ECDAA_DIR)/tests/test_encode.c,ecdaa,$(ECDAA_LDLIBS)))
$(eval $(call sr6_unit_test,ecdaa-tpm,$(ECDAA_DIR)/tests/test_tpm.c $(ECDAA_DIR)/tests/swtpm.c,ecdaa,\
	$(ECDAA_LDLIBS) $(ECDAA_TPM_LDLIBS)))
$(eval $(call sr6_program,ecdaa-testvec,$(ECDAA_DIR)/tests/testvec.c,ecdaa,$(ECDAA_LDLIBS)))
$(eval $(call sr6_program,ecdaa-with-swtpm,$(ECDAA_DIR)/tests/with_swtpm.c $(ECDAA_DIR)/tests/swtpm.c,,))

# Integration tests (run as root in the netns stage; they need no namespace).
$(eval $(call sr6_netns_test,ecdaa-cli,$(ECDAA_DIR)/tests/cli.sh))
$(eval $(call sr6_netns_test,ecdaa-oracle,$(ECDAA_DIR)/tests/oracle.sh))

CPPCHECK_DIRS += $(ECDAA_DIR)
