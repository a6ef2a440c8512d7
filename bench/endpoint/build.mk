# bench/endpoint: XDP endpoint vs kernel seg6local, End.BPF vs native End (make bench).
$(eval $(call sr6_bpf,endpoint_floor,bench/endpoint/endpoint_floor.bpf.c))
$(eval $(call sr6_program,sr6-epbench,bench/endpoint/epbench.c,selftest,$(call pkg_libs,libbpf)))
$(eval $(call sr6_bench,endpoint,bench/endpoint/run.sh))
CPPCHECK_DIRS += bench/endpoint
