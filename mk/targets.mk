# Pattern rules and top-level targets; read after every tree's build.mk so the lists are complete.

# Objects wait for every skeleton: a source may include any *.skel.h and its first compile
# happens before -MMD has recorded that.
$(BUILD)/obj/%.o: %.c | $(BPF_SKELETONS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(OBJ_CFLAGS) $(CFLAGS) $(EXTRA_CFLAGS) -c $< -o $@

$(BUILD)/asan/%.o: %.c | $(BPF_SKELETONS)
	$(call msg,CC-ASAN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ASAN_CFLAGS) $(CFLAGS) $(EXTRA_CFLAGS) -c $< -o $@

$(BUILD)/fuzz/%.o: %.c | $(BPF_SKELETONS)
	$(call msg,CC-FUZZ,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) $(CFLAGS) $(EXTRA_CFLAGS) -c $< -o $@

$(BUILD)/%.a:
	$(call msg,AR,$@)
	$(Q)mkdir -p $(@D)
	$(Q)rm -f $@ && ar rcs $@ $^

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

ALL_TEST_BINARIES := $(UNIT_TESTS) $(BPF_TESTS) $(FUZZ_TARGETS)

.PHONY: FORCE all programs tests deps check-env test test-quick test-one demo bench fuzz cppcheck \
        vmlinux clean manifest help

all: $(BPF_OBJECTS) $(BPF_SKELETONS) $(LIBRARIES) $(PROGRAMS) $(ALL_TEST_BINARIES) \
     $(BUILD)/tests.manifest $(BUILD)/bench.manifest

programs: $(BPF_OBJECTS) $(LIBRARIES) $(PROGRAMS)
tests: $(ALL_TEST_BINARIES) $(BUILD)/tests.manifest

# The manifest is rewritten only when its content changes, so "make" twice does nothing.
CPPCHECK_CMD := scripts/cppcheck-all $(CPPCHECK_DIRS)
TEST_MANIFEST_LINES += $(call manifest,lint,plain,cppcheck,$(CPPCHECK_CMD)) \
                       $(call manifest,lint,plain,readme-deps,scripts/check-readme-deps)
$(BUILD)/tests.manifest: FORCE
	$(Q)mkdir -p $(@D)
	$(Q)printf '%s\n' $(foreach l,$(TEST_MANIFEST_LINES),'$(l)') > $@.new
	$(Q)if cmp -s $@.new $@; then rm -f $@.new; else mv $@.new $@; fi
$(BUILD)/bench.manifest: FORCE
	$(Q)mkdir -p $(@D)
	$(Q)printf '%s\n' $(foreach l,$(BENCH_MANIFEST_LINES),'$(l)') > $@.new
	$(Q)if cmp -s $@.new $@; then rm -f $@.new; else mv $@.new $@; fi
manifest: $(BUILD)/tests.manifest $(BUILD)/bench.manifest
FORCE:

deps:
	$(Q)scripts/deps

check-env:
	$(Q)scripts/check-env test

# "make test" is the CI command: packages first (the makefiles ask pkg-config for flags, so
# the build runs in a second make once they are present), then the build, then every stage.
test:
	$(Q)scripts/deps
	$(Q)scripts/check-env test
	$(Q)$(MAKE) --no-print-directory all
	$(Q)scripts/run-tests --build $(BUILD)

test-quick:
	$(Q)scripts/check-env test
	$(Q)$(MAKE) --no-print-directory all
	$(Q)scripts/run-tests --build $(BUILD) --quick

# Only the tests whose name matches T (a grep -E pattern): make test-one T=headend
test-one:
	$(Q)$(MAKE) --no-print-directory all
	$(Q)scripts/run-tests --build $(BUILD) --only '$(T)'

demo:
	$(Q)scripts/deps
	$(Q)scripts/check-env test
	$(Q)$(MAKE) --no-print-directory programs
	$(Q)scripts/demo --build $(BUILD)

bench:
	$(Q)scripts/deps
	$(Q)scripts/check-env test
	$(Q)$(MAKE) --no-print-directory all
	$(Q)bench/run --build $(BUILD) $(if $(B),--only '$(B)')

# Longer fuzzing: every target for FUZZ_SECONDS (default 60) each.
FUZZ_SECONDS ?= 60
fuzz: $(FUZZ_TARGETS) $(BUILD)/tests.manifest
	$(Q)scripts/run-tests --build $(BUILD) --stage fuzz --fuzz-seconds $(FUZZ_SECONDS)

cppcheck:
	$(Q)$(CPPCHECK_CMD)

vmlinux:
	$(call msg,GEN,vmlinux.h)
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > vmlinux.h.new && mv vmlinux.h.new vmlinux.h

clean:
	$(call msg,CLEAN,$(BUILD))
	$(Q)rm -rf $(BUILD)

help:
	@sed -n '3,12p' Makefile | sed 's/^# \{0,1\}//'
