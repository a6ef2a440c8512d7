/* bpf_run.c: one test_run of an XDP or tc program (see bpf_run.h). */
#include "selftests/lib/bpf_run.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <string.h>

/* One run with ctx (NULL: the kernel makes one) as the program's context. */
static int run(struct bpf_run_result *out, int prog_fd, const void *pkt, size_t len,
	       const void *ctx, size_t ctx_size)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = pkt, .data_size_in = (uint32_t)len,
		    .data_out = out->data, .data_size_out = sizeof(out->data), .repeat = 1,
		    .ctx_in = ctx, .ctx_size_in = ctx ? (uint32_t)ctx_size : 0);

	if (bpf_prog_test_run_opts(prog_fd, &opts))
		return -errno;
	out->retval = opts.retval;
	out->len = opts.data_size_out;
	return 0;
}

int bpf_run_xdp(struct bpf_run_result *out, int prog_fd, const void *pkt, size_t len,
		uint32_t ifindex)
{
	struct xdp_md ctx = { .data_end = (uint32_t)len, .ingress_ifindex = ifindex };

	return run(out, prog_fd, pkt, len, ifindex ? &ctx : NULL, sizeof(ctx));
}

int bpf_run_tc(struct bpf_run_result *out, int prog_fd, const void *pkt, size_t len,
	       uint32_t ifindex)
{
	struct __sk_buff skb = { .ifindex = ifindex, .ingress_ifindex = ifindex };

	return run(out, prog_fd, pkt, len, ifindex ? &skb : NULL, sizeof(skb));
}
