/* test_endpoint: the endpoint step (lib/endpoint.h) alone at XDP and at tc ingress, as the node
 * program runs it: parse, endpoint, else pass. */
#include "lib/endpoint.h"

static __always_inline int run(void *ctx, const enum sr6_hook hook)
{
	struct sr6_pkt pkt = {};
	int verdict = 0, ret;

	ret = parse_packet(ctx, hook, &pkt);
	if (endpoint_step(ctx, hook, &pkt, ret, config_get(), &verdict))
		return verdict;
	return ctx_pass(hook);
}

SEC("xdp")
int endpoint_test_xdp(struct xdp_md *ctx)
{
	return run(ctx, SR6_HOOK_XDP);
}

SEC("tc")
int endpoint_test_tc(struct __sk_buff *ctx)
{
	return run(ctx, SR6_HOOK_TC_INGRESS);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
