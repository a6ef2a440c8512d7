# Host Socket Sharing: protocol core, transports, host and device daemons, libhss.
HSS := drivers/hss

$(eval $(call sr6_library,hssproto,$(HSS)/proto.c $(HSS)/reasm.c))
HSS_CORE := $(addprefix $(HSS)/,loop.c log.c loopback.c link.c outq.c host.c device.c libhss.c)
$(eval $(call sr6_library,hss,$(HSS_CORE)))
$(eval $(call sr6_unit_test,hss_proto,$(HSS)/tests/test_proto.c,hssproto,))

CPPCHECK_DIRS += $(HSS)
$(eval $(call sr6_unit_test,hss_e2e,$(HSS)/tests/test_e2e.c $(HSS)/tests/rig.c,hss hssproto,-lpthread))
$(eval $(call sr6_unit_test,hss_stress,$(HSS)/tests/test_stress.c $(HSS)/tests/rig.c,hss hssproto,-lpthread))
$(eval $(call sr6_unit_test,hss_faults,$(HSS)/tests/test_faults.c $(HSS)/tests/rig.c,hss hssproto,-lpthread))
$(eval $(call sr6_fuzz,hss_decode,$(HSS)/fuzz/fuzz_decode.c,hssproto,,$(HSS)/fuzz/corpus,1000000))
