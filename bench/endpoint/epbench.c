/*
 * sr6-epbench: the endpoint benchmark's programs and frames (bench/endpoint/run.sh, on the rig
 * of bench/lib).
 *
 *   sr6-epbench setup PIN IFINDEX DSTMAC    load endpoint_floor.bpf.o, pin ep_nop and ep_fwd (which sends
 *                                           to IFINDEX, destination DSTMAC) under PIN
 *   sr6-epbench frame CASE DSTMAC           print the 160-byte CASE frame as hex (the rig's
 *                                           generator sends it)
 *
 * CASE: end (SRH, 2 SIDs, active fc00:5::1), dt6 (SRH with SL 0 at fc00:5::6 around an IPv6
 * packet), bpf (as end, active fc00:5::c), nop (as end, active fc00:5::b).
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "endpoint_floor.skel.h"
#include "selftests/lib/pktbuild.h"

#define FRAME_LEN 160

static int fail(const char *what, const char *arg)
{
	fprintf(stderr, "sr6-epbench: %s: %s\n", what, arg);
	return 1;
}

/* The case's frame, padded with UDP payload to FRAME_LEN bytes.  Returns 0 or -1. */
static int build_frame(struct pkt *p, const char *dmac, const char *c)
{
	static const char *const segs_end[] = { "fc00:3::f", "fc00:5::1" };
	static const char *const segs_bpf[] = { "fc00:3::f", "fc00:5::c" };
	static const char *const segs_nop[] = { "fc00:3::f", "fc00:5::b" };
	static const char *const segs_dt6[] = { "fc00:5::6", "fc00:2::1" };
	static const uint8_t zeros[FRAME_LEN];
	size_t hdr;

	pkt_init(p);
	pkt_eth(p, dmac, "02:00:00:00:0a:01", ETH_P_IPV6);
	if (!strcmp(c, "end") || !strcmp(c, "bpf") || !strcmp(c, "nop")) {
		const char *const *segs = !strcmp(c, "end") ? segs_end :
					  !strcmp(c, "bpf") ? segs_bpf : segs_nop;

		pkt_ipv6(p, "fc00:a::1", segs[1], 64);
		pkt_srh(p, 1, 1, 0, 0, segs, 2);
	} else if (!strcmp(c, "dt6")) {
		pkt_ipv6(p, "fc00:a::1", "fc00:5::6", 64);
		pkt_srh(p, 0, 1, 0, 0, segs_dt6, 2);
	} else {
		return -1;
	}
	pkt_ipv6(p, "2001:db8:a::1", "2001:db8:b::1", 64);
	hdr = p->len + 8;
	pkt_udp(p, 4000, 5000, zeros, FRAME_LEN - hdr);
	pkt_finish(p);
	return p->len == FRAME_LEN ? 0 : -1;
}

static int cmd_setup(const char *pin, const char *ifindex, const char *dmac)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = pin);
	struct endpoint_floor_bpf *skel = endpoint_floor_bpf__open_opts(&opts);
	char path[512];

	if (!skel)
		return fail("open endpoint_floor.bpf.o", strerror(errno));
	skel->bss->fwd_ifindex = (uint32_t)atoi(ifindex);
	pkt_mac(skel->bss->fwd_dmac, dmac);
	if (endpoint_floor_bpf__load(skel))
		return fail("load endpoint_floor.bpf.o", strerror(errno));
	snprintf(path, sizeof(path), "%s/ep_fwd", pin);
	if (bpf_program__pin(skel->progs.ep_fwd, path))
		return fail(path, strerror(errno));
	snprintf(path, sizeof(path), "%s/ep_nop", pin);
	if (bpf_program__pin(skel->progs.ep_nop, path))
		return fail(path, strerror(errno));
	endpoint_floor_bpf__destroy(skel);
	return 0;
}

static int cmd_frame(const char *c, const char *dmac)
{
	struct pkt p;
	size_t i;

	if (build_frame(&p, dmac, c))
		return fail("unknown case", c);
	for (i = 0; i < p.len; i++)
		printf("%02x", p.data[i]);
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "setup"))
		return cmd_setup(argv[2], argv[3], argv[4]);
	if (argc == 4 && !strcmp(argv[1], "frame"))
		return cmd_frame(argv[2], argv[3]);
	fprintf(stderr, "usage: sr6-epbench setup PIN IFINDEX DSTMAC | frame CASE DSTMAC\n");
	return 2;
}
