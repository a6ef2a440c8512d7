/*
 * sr6-epbench: the endpoint benchmark's generator and counters (bench/endpoint/run.sh).
 *
 *   sr6-epbench setup PIN IFINDEX DSTMAC    load gen.bpf.o, pin ep_pass, ep_sink, ep_nop,
 *                                           ep_fwd (to IFINDEX, destination DSTMAC) and the
 *                                           sink counter under PIN
 *   sr6-epbench count PIN                   print the sink counter (all CPUs)
 *   sr6-epbench gen IFACE DSTMAC CASE SECONDS
 *                                           send 160-byte CASE frames out of IFACE for SECONDS
 *                                           from CPU 0 (XDP live frames); print the seconds
 *                                           it ran and the frames sent
 *
 * CASE: end (SRH, 2 SIDs, active fc00:5::1), dt6 (SRH with SL 0 at fc00:5::6 around an IPv6
 * packet), bpf (as end, active fc00:5::c), nop (as end, active fc00:5::b).  Every frame is 160 bytes.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "epbench_gen.skel.h"
#include "selftests/lib/pktbuild.h"

#define FRAME_LEN 160

static int fail(const char *what, const char *arg)
{
	fprintf(stderr, "sr6-epbench: %s: %s\n", what, arg);
	return 1;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
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
	struct epbench_gen_bpf *skel = epbench_gen_bpf__open_opts(&opts);
	char path[512];

	if (!skel)
		return fail("open gen.bpf.o", strerror(errno));
	skel->bss->fwd_ifindex = (uint32_t)atoi(ifindex);
	pkt_mac(skel->bss->fwd_dmac, dmac);
	if (epbench_gen_bpf__load(skel))
		return fail("load gen.bpf.o", strerror(errno));
	snprintf(path, sizeof(path), "%s/ep_pass", pin);
	if (bpf_program__pin(skel->progs.ep_pass, path))
		return fail(path, strerror(errno));
	snprintf(path, sizeof(path), "%s/ep_sink", pin);
	if (bpf_program__pin(skel->progs.ep_sink, path))
		return fail(path, strerror(errno));
	snprintf(path, sizeof(path), "%s/ep_fwd", pin);
	if (bpf_program__pin(skel->progs.ep_fwd, path))
		return fail(path, strerror(errno));
	snprintf(path, sizeof(path), "%s/ep_nop", pin);
	if (bpf_program__pin(skel->progs.ep_nop, path))
		return fail(path, strerror(errno));
	return 0;
}

static int cmd_count(const char *pin)
{
	char path[512];
	uint64_t v[256] = { 0 }, sum = 0;
	uint32_t zero = 0;
	int fd, n = libbpf_num_possible_cpus(), i;

	snprintf(path, sizeof(path), "%s/ep_sink_count", pin);
	fd = bpf_obj_get(path);
	if (fd < 0 || n <= 0 || n > 256 || bpf_map_lookup_elem(fd, &zero, v))
		return fail(path, strerror(errno));
	for (i = 0; i < n; i++)
		sum += v[i];
	printf("%llu\n", (unsigned long long)sum);
	return 0;
}

static int cmd_gen(const char *iface, const char *dmac, const char *c, double seconds)
{
	struct epbench_gen_bpf *skel = epbench_gen_bpf__open();
	struct bpf_map *m;
	struct pkt p;
	cpu_set_t cpus;
	double t0, t;
	uint64_t sent = 0;

	if (!skel)
		return fail("open gen.bpf.o", strerror(errno));
	bpf_object__for_each_map(m, skel->obj)
		bpf_map__set_pin_path(m, NULL);
	if (build_frame(&p, dmac, c))
		return fail("unknown case", c);
	skel->bss->out_ifindex = if_nametoindex(iface);
	if (!skel->bss->out_ifindex)
		return fail("no such interface", iface);
	memcpy(skel->bss->tmpl, p.data, FRAME_LEN);
	if (epbench_gen_bpf__load(skel))
		return fail("load gen.bpf.o", strerror(errno));
	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	if (sched_setaffinity(0, sizeof(cpus), &cpus))
		return fail("pin to CPU 0", strerror(errno));
	t0 = now_s();
	do {
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = p.data, .data_size_in = FRAME_LEN,
			    .repeat = 1 << 16, .batch_size = 64,
			    .flags = BPF_F_TEST_XDP_LIVE_FRAMES);

		if (bpf_prog_test_run_opts(bpf_program__fd(skel->progs.ep_gen), &opts))
			return fail("live frames test_run", strerror(errno));
		sent += 1 << 16;
		t = now_s();
	} while (t - t0 < seconds);
	printf("%.6f %llu\n", t - t0, (unsigned long long)sent);
	epbench_gen_bpf__destroy(skel);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "setup"))
		return cmd_setup(argv[2], argv[3], argv[4]);
	if (argc == 3 && !strcmp(argv[1], "count"))
		return cmd_count(argv[2]);
	if (argc == 6 && !strcmp(argv[1], "gen"))
		return cmd_gen(argv[2], argv[3], argv[4], atof(argv[5]));
	fprintf(stderr, "usage: sr6-epbench setup PIN IFINDEX DSTMAC | count PIN | gen IFACE DSTMAC CASE SECONDS\n");
	return 2;
}
