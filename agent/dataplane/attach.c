/*
 * attach.c: the node program on interfaces, as bpf_links pinned under <root>/links, so an
 * attachment outlives the agent (kill -9 does not stop forwarding) and a restarted agent
 * swaps in its programs atomically with bpf_link_update.
 *
 * XDP links are created in an explicit mode (native or generic: no silent fallback).  tc
 * uses tcx links (kernel 6.6+); libbpf 1.1 has no tcx API and its UAPI headers predate tcx,
 * so the link is made with bpf_link_create and the attach types below.
 */
#include <dirent.h>
#include <errno.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "agent/dataplane/attach.h"
#include "agent/policy/arena.h"
#include "agent/policy/model.h"

#define SR6_BPF_TCX_INGRESS	46	/* enum bpf_attach_type, kernel 6.6 */
#define SR6_BPF_TCX_EGRESS	47
#define SR6_BPF_LINK_TYPE_TCX	11	/* enum bpf_link_type, kernel 6.6 */

/*
 * <root>/links/<hook>:<ifname>.  bpffs refuses dots in names, and interface names may have
 * them (eth0.100) but never a ':', so a '.' of the name is written ':'.
 */
static void link_path(char *out, size_t size, const struct dataplane *dp, const char *ifname,
		      int hook)
{
	char name[IF_NAMESIZE];
	size_t i;

	for (i = 0; ifname[i] && i + 1 < sizeof(name); i++)
		name[i] = ifname[i] == '.' ? ':' : ifname[i];
	name[i] = 0;
	snprintf(out, size, "%s/links/%s:%s", dp->root, dp_hook_names[hook], name);
}

static int hook_of(const char *name)
{
	int h;

	for (h = 0; h < DPH_COUNT; h++)
		if (!strcmp(name, dp_hook_names[h]))
			return h;
	return -1;
}

/* The interface a link is attached to (0: gone) and its program. */
static int link_target(int fd, uint32_t *ifindex, uint32_t *prog)
{
	struct bpf_link_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -1;
	*prog = info.prog_id;
	/* XDP and tcx link info both start with the ifindex (the tcx member is newer than
	 * these UAPI headers). */
	if (info.type != BPF_LINK_TYPE_XDP && info.type != SR6_BPF_LINK_TYPE_TCX)
		return -1;
	*ifindex = info.xdp.ifindex;
	return 0;
}

int dp_links(struct dataplane *dp, struct dp_link **out, size_t *n)
{
	VEC(struct dp_link) v = { 0 };
	char dir[PATH_MAX], path[PATH_MAX + 300];
	struct dirent *de;
	DIR *d;

	*out = NULL;
	*n = 0;
	snprintf(dir, sizeof(dir), "%s/links", dp->root);
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : dp_fail(dp, -errno, "%s", dir);
	while ((de = readdir(d))) {
		char *colon = strchr(de->d_name, ':'), *c;
		struct dp_link *l;
		int fd, hook;

		if (de->d_name[0] == '.' || !colon || strlen(colon + 1) >= IF_NAMESIZE)
			continue;
		*colon = 0;
		hook = hook_of(de->d_name);
		*colon = ':';
		if (hook < 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		fd = bpf_obj_get(path);
		if (fd < 0)
			continue;
		l = VEC_PUSH(&v);
		snprintf(l->ifname, sizeof(l->ifname), "%s", colon + 1);
		for (c = l->ifname; *c; c++)
			if (*c == ':')
				*c = '.';
		l->hook = hook;
		if (link_target(fd, &l->ifindex, &l->prog_id))
			l->ifindex = 0;
		if (hook == DPH_XDP && l->ifindex) {
			LIBBPF_OPTS(bpf_xdp_query_opts, q);

			if (bpf_xdp_query((int)l->ifindex, 0, &q) == 0)
				l->xdp_mode = q.attach_mode == XDP_ATTACHED_SKB ? ATTACH_XDP_GENERIC
										: ATTACH_XDP;
		}
		close(fd);
	}
	closedir(d);
	*out = v.v;
	*n = v.n;
	return 0;
}

int dp_link_attach(struct dataplane *dp, const char *ifname, uint32_t ifindex, int hook,
		   uint8_t mode)
{
	LIBBPF_OPTS(bpf_link_create_opts, opts);
	char path[PATH_MAX + 64];
	enum bpf_attach_type type;
	int fd, err;

	if (dp->prog_fd[hook] < 0)
		return dp_fail(dp, 0, "%s: the programs are not loaded", ifname);
	switch (hook) {
	case DPH_XDP:
		type = BPF_XDP;
		opts.flags = mode == ATTACH_XDP_GENERIC ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE;
		break;
	case DPH_TC_INGRESS:
		type = (enum bpf_attach_type)SR6_BPF_TCX_INGRESS;
		break;
	default:
		type = (enum bpf_attach_type)SR6_BPF_TCX_EGRESS;
		break;
	}
	fd = bpf_link_create(dp->prog_fd[hook], (int)ifindex, type, &opts);
	if (fd < 0) {
		err = -errno;
		if (hook == DPH_XDP && (err == -EOPNOTSUPP || err == -EINVAL) &&
		    mode == ATTACH_XDP)
			return dp_fail(dp, err, "%s: native XDP is not supported by this driver "
				       "(attach: xdp-generic or tc work everywhere)", ifname);
		if (err == -EBUSY || err == -EEXIST)
			return dp_fail(dp, err, "%s: another %s program is attached there already "
				       "(not by sr6)", ifname, dp_hook_names[hook]);
		return dp_fail(dp, err, "%s: attaching the %s program", ifname,
			       dp_hook_names[hook]);
	}
	link_path(path, sizeof(path), dp, ifname, hook);
	unlink(path);	/* a defunct link of an interface that was recreated */
	if (bpf_obj_pin(fd, path)) {
		err = -errno;
		bpf_link_detach(fd);
		close(fd);
		return dp_fail(dp, err, "pinning %s", path);
	}
	close(fd);
	return 0;
}

int dp_link_remove(struct dataplane *dp, const char *ifname, int hook)
{
	char path[PATH_MAX + 64];
	int fd;

	link_path(path, sizeof(path), dp, ifname, hook);
	fd = bpf_obj_get(path);
	if (fd >= 0) {
		/* Detach now, even if someone else holds the link open. */
		bpf_link_detach(fd);
		close(fd);
	}
	if (unlink(path) && errno != ENOENT)
		return dp_fail(dp, -errno, "removing %s", path);
	return 0;
}

int dp_link_update(struct dataplane *dp, const char *ifname, int hook)
{
	char path[PATH_MAX + 64];
	uint32_t ifindex, prog;
	int fd, rc = 0;

	link_path(path, sizeof(path), dp, ifname, hook);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return dp_fail(dp, -errno, "%s", path);
	if (link_target(fd, &ifindex, &prog) == 0 && prog != dp->prog_id[hook] &&
	    bpf_link_update(fd, dp->prog_fd[hook], NULL))
		rc = dp_fail(dp, -errno, "%s: replacing the %s program", ifname,
			     dp_hook_names[hook]);
	close(fd);
	return rc;
}
