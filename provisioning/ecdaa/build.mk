# provisioning/ecdaa: ECDAA group signatures on FP256BN (libecdaa), the ecdaa CLI, tests,
# fuzz targets and the benchmark.

ECDAA_DIR := provisioning/ecdaa
ECDAA_LIB_SRCS := $(addprefix $(ECDAA_DIR)/src/,fp.c tower.c curve.c pairing.c hash.c common.c \
                  encode.c issuer.c member.c sign.c)
ECDAA_LDLIBS := $(call pkg_libs,libsodium) -lpthread

$(eval $(call sr6_library,ecdaa,$(ECDAA_LIB_SRCS)))

# Unit tests (Criterion; also run under ASan + UBSan).
$(eval $(call sr6_unit_test,ecdaa-scheme,$(ECDAA_DIR)/tests/test_scheme.c,ecdaa,$(ECDAA_LDLIBS)))

CPPCHECK_DIRS += $(ECDAA_DIR)
