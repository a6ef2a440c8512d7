# bpf/functions: End.BPF network functions, one lwt_seg6local program per object so that
# iproute2 ("endpoint obj FILE sec lwt_seg6local") and the agent (prog fd + name) load them alike.

$(eval $(call sr6_bpf,fn_count,bpf/functions/count.bpf.c))
$(eval $(call sr6_bpf,fn_tag_acl,bpf/functions/tag_acl.bpf.c))
$(eval $(call sr6_bpf,fn_delay,bpf/functions/delay.bpf.c))
$(eval $(call sr6_bpf,fn_ratelimit,bpf/functions/ratelimit.bpf.c))
