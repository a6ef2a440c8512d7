/* bpf_run.c: one test_run of an XDP or tc program (see bpf_run.h). */
#include "selftests/lib/bpf_run.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <string.h>

int bpf_run_xdp(struct bpf_run_result *out, int prog_fd, const void *pkt, size_t len,
		uint32_t ifindex)
{
	struct xdp_md ctx = { .data_end = (uint32_t)len, .ingress_ifindex = ifindex };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt, .data_size_in = (uint32_t)len,
		    .data_out = out->data, .data_size_out = sizeof(out->data), .repeat = 1);
	int err;

	if (ifindex) {
		opts.ctx_in = &ctx;
		opts.ctx_size_in = sizeof(ctx);
	}
	err = bpf_prog_test_run_opts(prog_fd, &opts);
	if (err)
		return -errno;
	out->retval = opts.retval;
	out->len = opts.data_size_out;
	return 0;
}

int bpf_run_tc(struct bpf_run_result *out, int prog_fd, const void *pkt, size_t len,
	       uint32_t ifindex)
{
	struct __sk_buff skb = { .ifindex = ifindex, .ingress_ifindex = ifindex };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt, .data_size_in = (uint32_t)len,
		    .data_out = out->data, .data_size_out = sizeof(out->data), .repeat = 1);
	int err;

	if (ifindex) {
		opts.ctx_in = &skb;
		opts.ctx_size_in = sizeof(skb);
	}
	err = bpf_prog_test_run_opts(prog_fd, &opts);
	if (err)
		return -errno;
	out->retval = opts.retval;
	out->len = opts.data_size_out;
	return 0;
}
