# Host Socket Sharing: protocol core, transports, host and device daemons, libhss.
HSS := drivers/hss

$(eval $(call sr6_library,hssproto,$(HSS)/proto.c $(HSS)/reasm.c))
HSS_CORE := $(addprefix $(HSS)/,loop.c log.c loopback.c link.c outq.c socktab.c host.c device.c)
$(eval $(call sr6_library,hss,$(HSS_CORE)))
$(eval $(call sr6_library,hssclient,$(HSS)/libhss.c))
$(eval $(call sr6_library,hssusb,$(HSS)/usb_host.c $(HSS)/ffs.c $(HSS)/opts.c))
$(eval $(call sr6_cflags,$(HSS),$(call pkg_cflags,libusb-1.0)))
HSS_USB_LIBS := $(call pkg_libs,libusb-1.0)

$(eval $(call sr6_program,hssd-host,$(HSS)/hssd_host.c,hssusb hss hssproto,$(HSS_USB_LIBS)))
$(eval $(call sr6_program,hssd-device,$(HSS)/hssd_device.c,hssusb hss hssproto,$(HSS_USB_LIBS)))
$(eval $(call sr6_program,hss-cat,$(HSS)/hss_cat.c,hssclient,))
$(eval $(call sr6_unit_test,hss_proto,$(HSS)/tests/test_proto.c,hssproto,))

CPPCHECK_DIRS += $(HSS)
$(eval $(call sr6_unit_test,hss_e2e,$(HSS)/tests/test_e2e.c $(HSS)/tests/rig.c,hss hssclient hssproto,-lpthread))
$(eval $(call sr6_unit_test,hss_stress,$(HSS)/tests/test_stress.c $(HSS)/tests/rig.c,hss hssclient hssproto,-lpthread))
$(eval $(call sr6_unit_test,hss_faults,$(HSS)/tests/test_faults.c $(HSS)/tests/rig.c,hss hssclient hssproto,-lpthread))
$(eval $(call sr6_unit_test,hss_usb,$(HSS)/tests/test_usb.c,hssusb hss hssproto,$(HSS_USB_LIBS)))
$(eval $(call sr6_fuzz,hss_decode,$(HSS)/fuzz/fuzz_decode.c,hssproto,,$(HSS)/fuzz/corpus,1000000))
$(eval $(call sr6_netns_test,hss-daemons,$(HSS)/tests/daemons.sh))
$(eval $(call sr6_program,hss-bench,$(HSS)/bench/hss_bench.c $(HSS)/tests/rig.c,hss hssclient hssproto,-lpthread))
$(eval $(call sr6_bench,hss-throughput,$(BUILD)/bin/hss-bench 5 256))
