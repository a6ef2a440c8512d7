# sr6: one top-level build for every tree.
#
#   make               build everything (BPF objects, skeletons, libraries, binaries, tests)
#   make test          install missing packages, build, run every test (the CI command)
#   make test-quick    the same without the sanitizer, fuzz and slow namespace stages
#   make demo          install missing packages, build, run the live SRv6 demo
#   make bench         run the benchmarks and print the ratio tables
#   make vmlinux       regenerate vmlinux.h from the running kernel's BTF
#   make clean         remove the build folder
#   V=1                print the commands;  BUILD=dir  build somewhere else
#
# Each tree describes itself in a build.mk that this file includes; mk/rules.mk holds
# the functions they call (sr6_library, sr6_program, sr6_unit_test, sr6_bpf, ...).

.DEFAULT_GOAL := all
TOP := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))

include mk/rules.mk

TREE_MAKEFILES := $(sort $(wildcard */build.mk */*/build.mk))
include $(TREE_MAKEFILES)

include mk/targets.mk
