/*
 * load.c: open the data plane: load the node program and the End.BPF functions from the
 * objects built into the agent, with every map pinned by name under the pin root (pinned
 * maps are reused, so loading again never loses state), or open only the pinned maps.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "agent/dataplane/dp.h"
#include "agent/dataplane/objects.h"

#define BPF_FS_MAGIC 0xcafe4a11

const char *const dp_map_names[DPM_COUNT] = {
	[DPM_CONFIG] = "sr6_config",		[DPM_STEER6] = "sr6_steer6",
	[DPM_STEER4] = "sr6_steer4",		[DPM_RULES] = "sr6_steer_rules",
	[DPM_POLICIES] = "sr6_policies",	[DPM_POLICY_STATS] = "sr6_policy_stats",
	[DPM_SIDS] = "sr6_sids",		[DPM_LOCATORS] = "sr6_locators",
	[DPM_SID_STATS] = "sr6_sid_stats",	[DPM_DROPS] = "sr6_drops",
	[DPM_EVENTS] = "sr6_events",		[DPM_BARRIER] = "sr6_barrier",
};

const char *const dp_hook_names[DPH_COUNT] = { "xdp", "tc-ingress", "tc-egress" };
static const char *const hook_progs[DPH_COUNT] = { "sr6_xdp", "sr6_tc_ingress", "sr6_tc_egress" };

int dp_fail(struct dataplane *dp, int err, const char *fmt, ...)
{
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dp->err, sizeof(dp->err), fmt, ap);
	va_end(ap);
	n = strlen(dp->err);
	if (err && n < sizeof(dp->err))
		snprintf(dp->err + n, sizeof(dp->err) - n, ": %s", strerror(err < 0 ? -err : err));
	errno = err < 0 ? -err : err;
	return -1;
}

/* libbpf's messages: the last warning is kept to explain a failure; -v prints them all. */
static char libbpf_last[512];
int dp_verbose;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	va_list copy;

	if (level == LIBBPF_DEBUG && dp_verbose < 2)
		return 0;
	va_copy(copy, ap);
	if (level == LIBBPF_WARN)
		vsnprintf(libbpf_last, sizeof(libbpf_last), fmt, copy);
	va_end(copy);
	if (dp_verbose)
		return vfprintf(stderr, fmt, ap);
	return 0;
}

static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = 0;
}

static int mkdir_p(const char *path)
{
	char tmp[PATH_MAX];
	char *p;

	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(tmp, 0700) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

static int check_bpffs(struct dataplane *dp, const char *path)
{
	struct statfs st;

	if (statfs(path, &st))
		return dp_fail(dp, -errno, "pin root %s", path);
	if ((unsigned long)st.f_type != BPF_FS_MAGIC)
		return dp_fail(dp, 0, "pin root %s is not on a BPF file system (mount -t bpf bpf "
			       "/sys/fs/bpf)", path);
	return 0;
}

bool dp_exists(const char *root)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", root, dp_map_names[DPM_CONFIG]);
	return access(path, F_OK) == 0;
}

static void reset(struct dataplane *dp)
{
	size_t i, j;

	memset(dp, 0, sizeof(*dp));
	for (i = 0; i < DPM_COUNT; i++)
		dp->map[i] = -1;
	for (i = 0; i < DPH_COUNT; i++)
		dp->prog_fd[i] = -1;
	for (i = 0; i < FN_MAX; i++) {
		dp->fn[i].prog_fd = -1;
		for (j = 0; j < FN_MAX_MAPS; j++)
			dp->fn[i].map_fd[j] = -1;
	}
	dp->names_fd = dp->meta_fd = dp->barrier_inner = -1;
}

static uint32_t prog_id(int fd)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return 0;
	return info.id;
}

static int load_error(struct dataplane *dp, const char *what, int err)
{
	chomp(libbpf_last);
	if (strstr(libbpf_last, "couldn't reuse pinned map"))
		return dp_fail(dp, 0, "%s: a map pinned under %s does not match this agent's (%s): "
			       "`sr6 flush --yes` removes the old state", what, dp->root, libbpf_last);
	if (libbpf_last[0])
		return dp_fail(dp, err, "loading %s (%s)", what, libbpf_last);
	return dp_fail(dp, err, "loading %s", what);
}

static struct bpf_object *open_object(struct dataplane *dp, const char *name)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = dp->root, .object_name = name);
	struct bpf_object *obj;
	const void *bytes;
	size_t size;

	bytes = dp_object_bytes(name, &size);
	if (!bytes) {
		dp_fail(dp, 0, "BPF object %s is not built into this agent", name);
		return NULL;
	}
	libbpf_last[0] = 0;
	obj = bpf_object__open_mem(bytes, size, &opts);
	if (!obj) {
		load_error(dp, name, -errno);
		return NULL;
	}
	if (bpf_object__load(obj)) {
		load_error(dp, name, -errno);
		bpf_object__close(obj);
		return NULL;
	}
	return obj;
}

static int load_node(struct dataplane *dp)
{
	int i;

	dp->node = open_object(dp, "sr6");
	if (!dp->node)
		return -1;
	for (i = 0; i < DPH_COUNT; i++) {
		struct bpf_program *prog = bpf_object__find_program_by_name(dp->node,
									     hook_progs[i]);

		if (!prog)
			return dp_fail(dp, 0, "the node program has no %s", hook_progs[i]);
		dp->prog_fd[i] = bpf_program__fd(prog);
		dp->prog_id[i] = prog_id(dp->prog_fd[i]);
	}
	for (i = 0; i < DPM_COUNT; i++) {
		struct bpf_map *map = bpf_object__find_map_by_name(dp->node, dp_map_names[i]);

		if (!map)
			return dp_fail(dp, 0, "the node program has no map %s", dp_map_names[i]);
		dp->map[i] = bpf_map__fd(map);
	}
	return 0;
}

static int load_functions(struct dataplane *dp)
{
	size_t i;
	int m;

	for (i = 0; i < fn_count && i < FN_MAX; i++) {
		const struct fn_def *def = &fn_defs[i];
		struct dp_fn *f = &dp->fn[dp->n_fn];
		struct bpf_program *prog;

		f->def = def;
		f->obj = open_object(dp, def->object);
		if (!f->obj)
			return -1;
		dp->n_fn++;
		prog = bpf_object__find_program_by_name(f->obj, def->prog);
		if (!prog)
			return dp_fail(dp, 0, "%s has no program %s", def->object, def->prog);
		f->prog_fd = bpf_program__fd(prog);
		f->prog_id = prog_id(f->prog_fd);
		for (m = 0; m < FN_MAX_MAPS && def->maps[m]; m++) {
			struct bpf_map *map = bpf_object__find_map_by_name(f->obj, def->maps[m]);

			if (!map)
				return dp_fail(dp, 0, "%s has no map %s", def->object, def->maps[m]);
			f->map_fd[m] = bpf_map__fd(map);
		}
	}
	return 0;
}

/* Maps only: every node map must be pinned; function maps may be absent. */
static int open_pinned(struct dataplane *dp)
{
	char path[PATH_MAX];
	size_t i;
	int m;

	for (i = 0; i < DPM_COUNT; i++) {
		snprintf(path, sizeof(path), "%s/%s", dp->root, dp_map_names[i]);
		dp->map[i] = bpf_obj_get(path);
		if (dp->map[i] < 0) {
			if (errno == ENOENT)
				return dp_fail(dp, -ENOENT, "nothing installed under %s (no policy was "
					       "applied with this pin root)", dp->root);
			return dp_fail(dp, -errno, "%s", path);
		}
	}
	for (i = 0; i < fn_count && i < FN_MAX; i++) {
		struct dp_fn *f = &dp->fn[dp->n_fn++];

		f->def = &fn_defs[i];
		for (m = 0; m < FN_MAX_MAPS && f->def->maps[m]; m++) {
			snprintf(path, sizeof(path), "%s/%s", dp->root, f->def->maps[m]);
			f->map_fd[m] = bpf_obj_get(path);
		}
	}
	return 0;
}

/* The agent's own maps: created (and pinned) when loading, else opened if present. */
static int agent_map(struct dataplane *dp, const char *name, enum bpf_map_type type,
		     uint32_t key, uint32_t value, uint32_t max, int create)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = type == BPF_MAP_TYPE_HASH ?
		    BPF_F_NO_PREALLOC : 0);
	struct bpf_map_info info;
	__u32 len = sizeof(info);
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dp->root, name);
	fd = bpf_obj_get(path);
	if (fd >= 0) {
		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0 && info.type == type &&
		    info.key_size == key && info.value_size == value)
			return fd;
		close(fd);
		if (!create)
			return -1;
		unlink(path);	/* an older layout: the names are rewritten on the next apply */
	}
	if (!create)
		return -1;
	fd = bpf_map_create(type, name, key, value, max, &opts);
	if (fd < 0) {
		dp_fail(dp, -errno, "creating %s", name);
		return -2;
	}
	if (bpf_obj_pin(fd, path)) {
		dp_fail(dp, -errno, "pinning %s", path);
		close(fd);
		return -2;
	}
	return fd;
}

int dp_open(struct dataplane *dp, const char *root, int flags)
{
	char links[PATH_MAX];
	int rc;

	reset(dp);
	libbpf_set_print(libbpf_print);
	if (snprintf(dp->root, sizeof(dp->root), "%s", root) >= (int)sizeof(dp->root))
		return dp_fail(dp, -ENAMETOOLONG, "pin root");
	dp->ncpus = libbpf_num_possible_cpus();
	if (dp->ncpus <= 0)
		return dp_fail(dp, dp->ncpus, "counting CPUs");
	if (flags & DP_LOAD) {
		rc = mkdir_p(root);
		if (rc)
			return dp_fail(dp, rc, "creating the pin root %s", root);
		if (check_bpffs(dp, root))
			return -1;
		snprintf(links, sizeof(links), "%s/links", root);
		rc = mkdir_p(links);
		if (rc)
			return dp_fail(dp, rc, "creating %s", links);
		if (load_node(dp) || load_functions(dp))
			goto fail;
	} else if (open_pinned(dp)) {
		goto fail;
	}
	dp->names_fd = agent_map(dp, DP_NAMES_MAP, BPF_MAP_TYPE_HASH, sizeof(uint32_t),
				 sizeof(struct dp_names), SR6_MAX_POLICIES, flags & DP_LOAD);
	dp->meta_fd = agent_map(dp, DP_META_MAP, BPF_MAP_TYPE_ARRAY, sizeof(uint32_t),
				sizeof(struct dp_meta), 1, flags & DP_LOAD);
	if (dp->names_fd == -2 || dp->meta_fd == -2)
		goto fail;
	return 0;
fail:
	rc = errno;
	dp_close(dp);
	errno = rc;
	return -1;
}

void dp_close(struct dataplane *dp)
{
	char err[sizeof(dp->err)];
	size_t i;
	int m;

	memcpy(err, dp->err, sizeof(err));
	for (i = 0; i < dp->n_fn; i++) {
		if (dp->fn[i].obj) {
			bpf_object__close(dp->fn[i].obj);
		} else {
			for (m = 0; m < FN_MAX_MAPS; m++)
				if (dp->fn[i].map_fd[m] >= 0)
					close(dp->fn[i].map_fd[m]);
		}
	}
	if (dp->node) {
		bpf_object__close(dp->node);
	} else {
		for (i = 0; i < DPM_COUNT; i++)
			if (dp->map[i] >= 0)
				close(dp->map[i]);
	}
	if (dp->names_fd >= 0)
		close(dp->names_fd);
	if (dp->meta_fd >= 0)
		close(dp->meta_fd);
	if (dp->barrier_inner >= 0)
		close(dp->barrier_inner);
	reset(dp);
	memcpy(dp->err, err, sizeof(err));	/* the caller may still want to read it */
}

const struct dp_fn *dp_fn_get(const struct dataplane *dp, const struct fn_def *def)
{
	size_t i;

	for (i = 0; i < dp->n_fn; i++)
		if (dp->fn[i].def == def)
			return &dp->fn[i];
	return NULL;
}

int dp_barrier(struct dataplane *dp)
{
	uint32_t zero = 0;

	if (dp->barrier_inner < 0) {
		dp->barrier_inner = bpf_map_create(BPF_MAP_TYPE_ARRAY, "sr6_barrier_in",
						   sizeof(uint32_t), sizeof(uint32_t), 1, NULL);
		if (dp->barrier_inner < 0)
			return dp_fail(dp, -errno, "creating the barrier's inner map");
	}
	/* The kernel returns from a map-in-map update only after a grace period. */
	if (bpf_map_update_elem(dp->map[DPM_BARRIER], &zero, &dp->barrier_inner, BPF_ANY))
		return dp_fail(dp, -errno, "sr6_barrier update");
	return 0;
}

/* Remove the files of one folder (links are detached first). */
static int unpin_dir(const char *dir, int links, char *err, size_t errlen)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir(dir);
	int rc = 0;

	if (!d)
		return errno == ENOENT ? 0 : -1;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, "links"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (links) {
			int fd = bpf_obj_get(path);

			if (fd >= 0) {
				bpf_link_detach(fd);
				close(fd);
			}
		}
		if (unlink(path) && errno != ENOENT) {
			snprintf(err, errlen, "removing %s: %s", path, strerror(errno));
			rc = -1;
		}
	}
	closedir(d);
	return rc;
}

int dp_unpin_all(const char *root, char *err, size_t errlen)
{
	char links[PATH_MAX];
	int rc;

	snprintf(links, sizeof(links), "%s/links", root);
	rc = unpin_dir(links, 1, err, errlen);
	if (rmdir(links) && errno != ENOENT && !rc) {
		snprintf(err, errlen, "removing %s: %s", links, strerror(errno));
		rc = -1;
	}
	if (unpin_dir(root, 0, err, errlen))
		rc = -1;
	if (rmdir(root) && errno != ENOENT && !rc) {
		snprintf(err, errlen, "removing %s: %s", root, strerror(errno));
		rc = -1;
	}
	return rc;
}
