/* test_parse: lib/parse.h at XDP and tc, its result copied to globals for the test to read. */
#include "lib/parse.h"

int parse_ret;
__u16 l3_proto, l4_off, srh_off, rh_off, sport, dport;
__u8 l4_proto, frag, dscp, hop_limit;

static __always_inline void run_parse(void *ctx, const enum sr6_hook hook)
{
	struct sr6_pkt pkt = {};

	parse_ret = parse_packet(ctx, hook, &pkt);
	l3_proto = pkt.l3_proto;
	l4_off = pkt.l4_off;
	srh_off = pkt.srh_off;
	rh_off = pkt.rh_off;
	sport = pkt.sport;
	dport = pkt.dport;
	l4_proto = pkt.l4_proto;
	frag = pkt.frag;
	dscp = pkt.dscp;
	hop_limit = pkt.hop_limit;
}

SEC("xdp")
int parse_xdp(struct xdp_md *ctx)
{
	run_parse(ctx, SR6_HOOK_XDP);
	return XDP_PASS;
}

SEC("tc")
int parse_tc(struct __sk_buff *ctx)
{
	run_parse(ctx, SR6_HOOK_TC_INGRESS);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
