# bench/lib: the benchmark rig (generator, sinks, counters); bench/lib/rig.sh drives it.

$(eval $(call sr6_bpf,rig_gen,bench/lib/gen.bpf.c))
PROGRAMS += $(BUILD)/bench/sr6-xdpgen
$(BUILD)/bench/sr6-xdpgen: $(call objs,obj,bench/lib/xdpgen.c) $(call libs,obj,selftest)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(filter %.a,$^) $(call pkg_libs,libbpf)
CPPCHECK_DIRS += bench/lib
