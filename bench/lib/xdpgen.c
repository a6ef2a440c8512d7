/*
 * sr6-xdpgen: the benchmark rig's generator, sinks and counters (see bench/README.md).
 *
 *   sr6-xdpgen setup PIN [IFINDEX DMAC]     load gen.bpf.o; pin rig_pass, rig_drop,
 *                                           rig_tc_drop, rig_xdp_push, rig_tc_push (which
 *                                           send to IFINDEX, destination DMAC) and the sink
 *                                           counter under PIN
 *   sr6-xdpgen count PIN                    packets the sinks counted (all CPUs)
 *   sr6-xdpgen frame udp6|udp4 DMAC SRC DST LEN
 *                                           print a LEN-byte UDP frame as hex
 *   sr6-xdpgen run IFACE HEX SECONDS [CPU]  send the frame out of IFACE for SECONDS (XDP live
 *                                           frames, batches of 64, pinned to CPU, default 0);
 *                                           print "busy frames wall": busy is the seconds the
 *                                           kernel spent sending (and, on one CPU, pushing
 *                                           the frames through), wall the elapsed time
 *   sr6-xdpgen progstat PINNED_PROG         print "runs run_time_ns" (kernel.bpf_stats_enabled)
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

#include "rig_gen.skel.h"
#include "selftests/lib/pktbuild.h"

#define FRAME_MAX 512
#define RUN_REPEAT (1 << 18)	/* frames per test_run call */

static int fail(const char *what, const char *arg)
{
	fprintf(stderr, "sr6-xdpgen: %s: %s\n", what, arg);
	return 1;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmd_setup(const char *pin, const char *ifindex, const char *dmac)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = pin);
	struct rig_gen_bpf *skel = rig_gen_bpf__open_opts(&opts);
	struct bpf_program *progs[5];
	char path[512];
	int i;

	if (!skel)
		return fail("open gen.bpf.o", strerror(errno));
	if (ifindex) {
		skel->bss->fwd_ifindex = (uint32_t)atoi(ifindex);
		pkt_mac(skel->bss->fwd_dmac, dmac);
	}
	if (rig_gen_bpf__load(skel))
		return fail("load gen.bpf.o", strerror(errno));
	progs[0] = skel->progs.rig_pass;
	progs[1] = skel->progs.rig_drop;
	progs[2] = skel->progs.rig_tc_drop;
	progs[3] = skel->progs.rig_xdp_push;
	progs[4] = skel->progs.rig_tc_push;
	for (i = 0; i < 5; i++) {
		snprintf(path, sizeof(path), "%s/%s", pin, bpf_program__name(progs[i]));
		if (bpf_program__pin(progs[i], path))
			return fail(path, strerror(errno));
	}
	rig_gen_bpf__destroy(skel);
	return 0;
}

static int cmd_count(const char *pin)
{
	int n = libbpf_num_possible_cpus(), fd, i;
	uint64_t *v, sum = 0;
	uint32_t zero = 0;
	char path[512];

	snprintf(path, sizeof(path), "%s/rig_count", pin);
	fd = bpf_obj_get(path);
	v = calloc((size_t)(n > 0 ? n : 1), sizeof(*v));
	if (fd < 0 || !v || n <= 0 || bpf_map_lookup_elem(fd, &zero, v))
		return fail(path, strerror(errno));
	for (i = 0; i < n; i++)
		sum += v[i];
	printf("%llu\n", (unsigned long long)sum);
	free(v);
	return 0;
}

static int cmd_frame(char **argv)
{
	static const uint8_t zeros[FRAME_MAX];
	int v6 = !strcmp(argv[0], "udp6");
	size_t len = (size_t)atoi(argv[4]), hdr = 14 + (v6 ? 40 : 20) + 8, i;
	struct pkt p;

	if ((!v6 && strcmp(argv[0], "udp4")) || len < hdr || len > FRAME_MAX || len % 8)
		return fail("frame: udp6|udp4 and a length of 64..512, a multiple of 8", argv[4]);
	pkt_init(&p);
	pkt_eth(&p, argv[1], "02:00:00:00:0a:01", v6 ? ETH_P_IPV6 : ETH_P_IP);
	if (v6)
		pkt_ipv6(&p, argv[2], argv[3], 64);
	else
		pkt_ipv4(&p, argv[2], argv[3], 64, 0);
	pkt_udp(&p, 4000, 5000, zeros, len - hdr);
	pkt_finish(&p);
	for (i = 0; i < p.len; i++)
		printf("%02x", p.data[i]);
	printf("\n");
	return 0;
}

static int cmd_run(const char *iface, const char *hex, double seconds, int cpu)
{
	struct rig_gen_bpf *skel = rig_gen_bpf__open();
	uint8_t frame[FRAME_MAX];
	size_t len = strlen(hex) / 2, i;
	struct bpf_map *m;
	cpu_set_t cpus;
	uint64_t sent = 0;
	double t0, t, busy = 0;

	if (!skel)
		return fail("open gen.bpf.o", strerror(errno));
	if (len < 64 || len > FRAME_MAX || len % 8 || strlen(hex) % 2)
		return fail("frame: 64..512 bytes, a multiple of 8", hex);
	for (i = 0; i < len; i++) {
		unsigned int b;

		if (sscanf(hex + 2 * i, "%2x", &b) != 1)
			return fail("frame: not hex", hex);
		frame[i] = (uint8_t)b;
	}
	bpf_object__for_each_map(m, skel->obj)
		bpf_map__set_pin_path(m, NULL);
	skel->bss->gen_ifindex = if_nametoindex(iface);
	if (!skel->bss->gen_ifindex)
		return fail("no such interface", iface);
	memcpy(skel->bss->tmpl, frame, len);
	skel->bss->tmpl_words = (uint32_t)(len / 8);
	if (rig_gen_bpf__load(skel))
		return fail("load gen.bpf.o", strerror(errno));
	CPU_ZERO(&cpus);
	CPU_SET(cpu, &cpus);
	if (sched_setaffinity(0, sizeof(cpus), &cpus))
		return fail("pin to a CPU", strerror(errno));
	t0 = now_s();
	do {
		LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = (uint32_t)len,
			    .repeat = RUN_REPEAT, .batch_size = 64, .flags = BPF_F_TEST_XDP_LIVE_FRAMES);

		if (bpf_prog_test_run_opts(bpf_program__fd(skel->progs.rig_gen), &opts))
			return fail("live frames test_run", strerror(errno));
		sent += RUN_REPEAT;
		/* The kernel's own time for the frames (ns per frame), without the setup and
		 * teardown of each call, which wait for RCU and would cap the rate. */
		busy += (double)opts.duration * RUN_REPEAT / 1e9;
		t = now_s();
	} while (t - t0 < seconds);
	printf("%.6f %llu %.6f\n", busy, (unsigned long long)sent, t - t0);
	rig_gen_bpf__destroy(skel);
	return 0;
}

static int cmd_progstat(const char *path)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);
	int fd = bpf_obj_get(path);

	memset(&info, 0, sizeof(info));
	if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len))
		return fail(path, strerror(errno));
	printf("%llu %llu\n", (unsigned long long)info.run_cnt,
	       (unsigned long long)info.run_time_ns);
	return 0;
}

int main(int argc, char **argv)
{
	libbpf_set_print(NULL);
	if (argc == 3 && !strcmp(argv[1], "setup"))
		return cmd_setup(argv[2], NULL, NULL);
	if (argc == 5 && !strcmp(argv[1], "setup"))
		return cmd_setup(argv[2], argv[3], argv[4]);
	if (argc == 3 && !strcmp(argv[1], "count"))
		return cmd_count(argv[2]);
	if (argc == 7 && !strcmp(argv[1], "frame"))
		return cmd_frame(argv + 2);
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "run"))
		return cmd_run(argv[2], argv[3], atof(argv[4]), argc == 6 ? atoi(argv[5]) : 0);
	if (argc == 3 && !strcmp(argv[1], "progstat"))
		return cmd_progstat(argv[2]);
	fprintf(stderr, "usage: sr6-xdpgen setup PIN [IFINDEX DMAC] | count PIN | frame udp6|udp4 DMAC SRC DST LEN |"
			" run IFACE HEX SECONDS [CPU] | progstat PINNED_PROG\n");
	return 2;
}
