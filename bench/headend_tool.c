/*
 * sr6-hebench: the headend benchmark's own tools (bench/headend.sh).
 *
 *   sr6-hebench tcx-attach PROG_PIN IFACE LINK_PIN   link a pinned tc program to IFACE's
 *                                                    ingress through a tcx link, as the agent
 *                                                    attaches sr6_tc_ingress, and pin the link
 *   sr6-hebench tcx-detach LINK_PIN                  detach the link and remove its pin
 *   sr6-hebench floor PIN IFINDEX DSTMAC             load headend_floor.bpf.o with its maps
 *                                                    pinned under PIN (the node program's, so
 *                                                    shared), sending to IFINDEX with
 *                                                    destination DSTMAC; pin hf_lookups there
 *
 * libbpf 1.1 has no tcx API and its UAPI headers predate tcx: the attach type is defined here
 * (agent/dataplane/attach.c does the same).
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "headend_floor.skel.h"
#include "selftests/lib/pktbuild.h"

#define TCX_INGRESS	46	/* enum bpf_attach_type BPF_TCX_INGRESS, kernel 6.6 */

static int fail(const char *what, const char *arg)
{
	fprintf(stderr, "sr6-hebench: %s: %s: %s\n", what, arg, strerror(errno));
	return 1;
}

static int cmd_tcx_attach(const char *prog, const char *iface, const char *link)
{
	LIBBPF_OPTS(bpf_link_create_opts, opts);
	unsigned int ifindex = if_nametoindex(iface);
	int pfd = bpf_obj_get(prog), fd;

	if (pfd < 0)
		return fail("program", prog);
	if (!ifindex)
		return fail("interface", iface);
	fd = bpf_link_create(pfd, (int)ifindex, (enum bpf_attach_type)TCX_INGRESS, &opts);
	if (fd < 0)
		return fail("tcx link", iface);
	if (bpf_obj_pin(fd, link))
		return fail("pin", link);
	close(fd);
	close(pfd);
	return 0;
}

static int cmd_tcx_detach(const char *link)
{
	int fd = bpf_obj_get(link);

	if (fd < 0 || bpf_link_detach(fd))
		return fail("detach", link);
	close(fd);
	return unlink(link) ? fail("unpin", link) : 0;
}

static int cmd_floor(const char *pin, const char *ifindex, const char *dmac)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = pin);
	struct headend_floor_bpf *skel = headend_floor_bpf__open_opts(&opts);
	char path[512];

	if (!skel)
		return fail("open headend_floor.bpf.o", pin);
	skel->bss->fwd_ifindex = (uint32_t)atoi(ifindex);
	pkt_mac(skel->bss->fwd_dmac, dmac);
	if (headend_floor_bpf__load(skel))
		return fail("load headend_floor.bpf.o", pin);
	snprintf(path, sizeof(path), "%s/hf_lookups", pin);
	if (bpf_program__pin(skel->progs.hf_lookups, path))
		return fail("pin", path);
	headend_floor_bpf__destroy(skel);
	return 0;
}

int main(int argc, char **argv)
{
	libbpf_set_print(NULL);
	if (argc == 5 && !strcmp(argv[1], "tcx-attach"))
		return cmd_tcx_attach(argv[2], argv[3], argv[4]);
	if (argc == 3 && !strcmp(argv[1], "tcx-detach"))
		return cmd_tcx_detach(argv[2]);
	if (argc == 5 && !strcmp(argv[1], "floor"))
		return cmd_floor(argv[2], argv[3], argv[4]);
	fprintf(stderr, "usage: sr6-hebench tcx-attach PROG_PIN IFACE LINK_PIN | tcx-detach LINK_PIN |"
			" floor PIN IFINDEX DSTMAC\n");
	return 2;
}
