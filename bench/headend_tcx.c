/*
 * sr6-tcx: attach a pinned tc program to an interface's ingress through a tcx link, the way
 * the agent attaches sr6_tc_ingress (agent/dataplane/attach.c), for the headend benchmark.
 *
 *   sr6-tcx attach PROG_PIN IFACE LINK_PIN   link PROG_PIN to IFACE's tcx ingress, pin the link
 *   sr6-tcx detach LINK_PIN                  detach the link and remove its pin
 *
 * libbpf 1.1 has no tcx API and its UAPI headers predate tcx: the attach type is defined here.
 */
#include <bpf/bpf.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define TCX_INGRESS	46	/* enum bpf_attach_type BPF_TCX_INGRESS, kernel 6.6 */

static int fail(const char *what, const char *arg)
{
	fprintf(stderr, "sr6-tcx: %s: %s: %s\n", what, arg, strerror(errno));
	return 1;
}

static int cmd_attach(const char *prog, const char *iface, const char *link)
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

static int cmd_detach(const char *link)
{
	int fd = bpf_obj_get(link);

	if (fd < 0 || bpf_link_detach(fd))
		return fail("detach", link);
	close(fd);
	return unlink(link) ? fail("unpin", link) : 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "attach"))
		return cmd_attach(argv[2], argv[3], argv[4]);
	if (argc == 3 && !strcmp(argv[1], "detach"))
		return cmd_detach(argv[2]);
	fprintf(stderr, "usage: sr6-tcx attach PROG_PIN IFACE LINK_PIN | detach LINK_PIN\n");
	return 2;
}
