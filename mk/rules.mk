# Toolchain, flags and the functions each tree's build.mk calls.
#
# Build variants, one folder each under $(BUILD):
#   obj/   the normal build (gcc, -O2)
#   asan/  the same sources with AddressSanitizer + UndefinedBehaviorSanitizer (unit tests)
#   fuzz/  clang with -fsanitize=fuzzer-no-link,address,undefined (libFuzzer targets)
# Generated files: $(BUILD)/bpf/*.bpf.o and $(BUILD)/include/*.skel.h.

BUILD    ?= build
CC       ?= gcc
CLANG    ?= clang
BPFTOOL  ?= bpftool
PKG_CONFIG ?= pkg-config
ARCH     := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')

ifeq ($(V),1)
  Q :=
  msg =
else
  Q := @
  msg = @printf '  %-7s %s\n' "$(1)" "$(2)";
endif

.DELETE_ON_ERROR:
.SECONDARY:
.SUFFIXES:

# Userspace.  Trees add include folders and flags with sr6_cflags.
WARNINGS := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes \
            -Wno-missing-field-initializers
BASE_CFLAGS := -std=gnu11 -g -D_GNU_SOURCE $(WARNINGS) -I$(TOP) -I$(BUILD)/include \
               -Ibpf/include -MMD -MP
OBJ_CFLAGS  := $(BASE_CFLAGS) -O2 -D_FORTIFY_SOURCE=2 -fstack-protector-strong
ASAN_CFLAGS := $(BASE_CFLAGS) -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
               -fno-sanitize-recover=all -DSR6_SANITIZE
FUZZ_CFLAGS := $(BASE_CFLAGS) -O1 -fno-omit-frame-pointer \
               -fsanitize=fuzzer-no-link,address,undefined -DSR6_FUZZ
ASAN_LDFLAGS := -fsanitize=address,undefined
FUZZ_LDFLAGS := -fsanitize=fuzzer,address,undefined
CFLAGS  ?=
LDFLAGS ?=

# BPF.  -mcpu=v3 for 32-bit jumps and ALU; vmlinux.h comes from the top folder.
BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_$(ARCH) -Wall -Wextra -Werror \
              -Wno-unused-parameter -Wno-missing-field-initializers -I$(TOP) -Ibpf/include -Ibpf \
              $(shell $(CLANG) -v -E - </dev/null 2>&1 \
                | sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }') \
              -MMD -MP

pkg_cflags = $(shell $(PKG_CONFIG) --cflags $(1) 2>/dev/null)
pkg_libs   = $(shell $(PKG_CONFIG) --libs $(1) 2>/dev/null)

# Object paths of SOURCES in VARIANT: $(call objs,VARIANT,SOURCES)
objs = $(patsubst %.c,$(BUILD)/$(1)/%.o,$(2))
# Archive paths of library NAMES in VARIANT: $(call libs,VARIANT,NAMES)
libs = $(foreach l,$(2),$(BUILD)/$(1)/lib/lib$(l).a)

BPF_OBJECTS :=
BPF_SKELETONS :=
LIBRARIES :=
PROGRAMS :=
UNIT_TESTS :=
BPF_TESTS :=
FUZZ_TARGETS :=
# Manifest lines for scripts/run-tests: "stage|kind|name|command" (see scripts/run-tests), one
# make word each: spaces in the command travel as '^'.
TEST_MANIFEST_LINES :=
empty :=
space := $(empty) $(empty)
manifest = $(subst $(space),^,$(strip $(1))|$(strip $(2))|$(strip $(3))|$(strip $(4)))
# Userspace C folders cppcheck reads (BPF C is checked by clang -Werror and the verifier).
CPPCHECK_DIRS :=

# $(call sr6_cflags,FOLDER,FLAGS): extra compile flags for every source under FOLDER, all variants.
define sr6_cflags
$(BUILD)/obj/$(1)/%.o $(BUILD)/asan/$(1)/%.o $(BUILD)/fuzz/$(1)/%.o: EXTRA_CFLAGS += $(2)
endef

# $(call sr6_library,NAME,SOURCES): lib$(NAME).a in every variant.
define sr6_library
LIBRARIES += $(BUILD)/obj/lib/lib$(1).a
$(BUILD)/obj/lib/lib$(1).a: $(call objs,obj,$(2))
$(BUILD)/asan/lib/lib$(1).a: $(call objs,asan,$(2))
$(BUILD)/fuzz/lib/lib$(1).a: $(call objs,fuzz,$(2))
endef

# $(call sr6_program,NAME,SOURCES,LIBRARY NAMES,LDLIBS): $(BUILD)/bin/NAME.
define sr6_program
PROGRAMS += $(BUILD)/bin/$(1)
$(BUILD)/bin/$(1): $(call objs,obj,$(2)) $(call libs,obj,$(3))
	$$(call msg,LINK,$$@)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(CC) $$(LDFLAGS) -o $$@ $$(filter %.o,$$^) $$(filter %.a,$$^) $(4)
endef

# $(call sr6_unit_test,NAME,SOURCES,LIBRARY NAMES,LDLIBS): a Criterion binary that needs no
# privilege; built twice (normal and sanitized) and run in the "unit" and "sanitize" stages.
define sr6_unit_test
UNIT_TESTS += $(BUILD)/tests/$(1) $(BUILD)/asan/tests/$(1)
TEST_MANIFEST_LINES += $(call manifest,unit,criterion,$(1),$(BUILD)/tests/$(1)) \
                       $(call manifest,sanitize,criterion,$(1),$(BUILD)/asan/tests/$(1))
$(BUILD)/tests/$(1): $(call objs,obj,$(2)) $(call libs,obj,$(3))
	$$(call msg,LINK,$$@)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(CC) $$(LDFLAGS) -o $$@ $$(filter %.o,$$^) $$(filter %.a,$$^) $(4) -lcriterion
$(BUILD)/asan/tests/$(1): $(call objs,asan,$(2)) $(call libs,asan,$(3))
	$$(call msg,LINK,$$@)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(CC) $$(ASAN_LDFLAGS) $$(LDFLAGS) -o $$@ $$(filter %.o,$$^) $$(filter %.a,$$^) $(4) -lcriterion
endef

# $(call sr6_bpf_test,NAME,SOURCES,LIBRARY NAMES,LDLIBS): a Criterion binary that loads BPF
# programs (root) and runs them through bpf_prog_test_run_opts; run one test at a time.
define sr6_bpf_test
BPF_TESTS += $(BUILD)/tests/$(1)
TEST_MANIFEST_LINES += $(call manifest,bpf,criterion,$(1),$(BUILD)/tests/$(1))
$(BUILD)/tests/$(1): $(call objs,obj,$(2)) $(call libs,obj,$(3))
	$$(call msg,LINK,$$@)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(CC) $$(LDFLAGS) -o $$@ $$(filter %.o,$$^) $$(filter %.a,$$^) $(4) -lcriterion
endef

# $(call sr6_fuzz,NAME,SOURCES,LIBRARY NAMES,LDLIBS,CORPUS FOLDER,RUNS): a libFuzzer target;
# "make test" runs it RUNS times from the corpus, "make fuzz" much longer.
define sr6_fuzz
FUZZ_TARGETS += $(BUILD)/fuzz/bin/$(1)
TEST_MANIFEST_LINES += $(call manifest,fuzz,fuzz,$(1),$(BUILD)/fuzz/bin/$(1) -runs=$(6) $(5))
$(BUILD)/fuzz/bin/$(1): $(call objs,fuzz,$(2)) $(call libs,fuzz,$(3))
	$$(call msg,LINK,$$@)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(CLANG) $$(FUZZ_LDFLAGS) $$(LDFLAGS) -o $$@ $$(filter %.o,$$^) $$(filter %.a,$$^) $(4)
endef

# $(call sr6_bpf,NAME,SOURCE): $(BUILD)/bpf/NAME.bpf.o and the skeleton $(BUILD)/include/NAME.skel.h
# (struct NAME_bpf).  BPF objects depend on everything under bpf/include and bpf/lib via -MMD.
define sr6_bpf
BPF_OBJECTS += $(BUILD)/bpf/$(1).bpf.o
BPF_SKELETONS += $(BUILD)/include/$(1).skel.h
$(BUILD)/bpf/$(1).tmp.o: $(2) vmlinux.h
	$$(call msg,BPF,$$@)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(CLANG) $$(BPF_CFLAGS) -c $$< -o $$@
$(BUILD)/bpf/$(1).bpf.o: $(BUILD)/bpf/$(1).tmp.o
	$$(call msg,GEN-OBJ,$$@)
	$$(Q)$$(BPFTOOL) gen object $$@ $$<
$(BUILD)/include/$(1).skel.h: $(BUILD)/bpf/$(1).bpf.o
	$$(call msg,GEN-SKEL,$$@)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(BPFTOOL) gen skeleton $$< name $(subst -,_,$(1))_bpf > $$@
endef

# $(call sr6_netns_test,NAME,COMMAND[,slow]): an integration test run as root; COMMAND prints
# "[ OK ] ...", "[FAIL] ..." or "[SKIP] ..." lines and exits non-zero on failure.
define sr6_netns_test
TEST_MANIFEST_LINES += $(call manifest,netns$(if $(3),-slow),plain,$(1),$(2))
endef

# $(call sr6_bench,NAME,COMMAND): a benchmark run by "make bench" (bench/run); COMMAND prints
# its own table (figures and ratios measured side by side in the same run).
BENCH_MANIFEST_LINES :=
define sr6_bench
BENCH_MANIFEST_LINES += $(call manifest,bench,plain,$(1),$(2))
endef
