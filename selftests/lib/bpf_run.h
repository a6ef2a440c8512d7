/*
 * bpf_run.h: run a loaded XDP or tc program once on a packet through bpf_prog_test_run_opts
 * and get the verdict and the packet as the program left it.
 */
#ifndef SR6_SELFTESTS_BPF_RUN_H
#define SR6_SELFTESTS_BPF_RUN_H

#include <stddef.h>
#include <stdint.h>

struct bpf_run_result {
	uint32_t retval;	/* XDP_* or TC_ACT_* */
	uint8_t data[9216 + 512];
	size_t len;
};

/*
 * ifindex is the ingress interface the program sees (XDP: needs a real interface in the
 * caller's namespace, 0 for none; tc: skb->ifindex).  Returns 0, or -errno from the syscall.
 */
int bpf_run_xdp(struct bpf_run_result *out, int prog_fd, const void *pkt, size_t len,
		uint32_t ifindex);
int bpf_run_tc(struct bpf_run_result *out, int prog_fd, const void *pkt, size_t len,
	       uint32_t ifindex);

#endif
