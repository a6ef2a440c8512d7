/*
 * dp.h: the node's data plane as the agent holds it: the BPF programs (node program and
 * End.BPF functions), the maps pinned under the pin root, and the attach links.
 *
 * Pin root layout (default /sys/fs/bpf/sr6):
 *   sr6_*                 the maps of sr6_abi.h, pinned by name by libbpf
 *   sr6_agent_names       policy key -> names (policy, segment lists): the agent's own map
 *   sr6_agent_meta        what was applied last (node, source, time, generation)
 *   links/<hook>:<ifname> bpf_links (xdp, tc-ingress, tc-egress): attachments survive the
 *                         agent, so forwarding never depends on it running
 */
#ifndef SR6_AGENT_DP_H
#define SR6_AGENT_DP_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/policy/functions.h"
#include "sr6_abi.h"

enum dp_map {
	DPM_CONFIG, DPM_STEER6, DPM_STEER4, DPM_RULES, DPM_POLICIES, DPM_POLICY_STATS,
	DPM_SIDS, DPM_LOCATORS, DPM_SID_STATS, DPM_DROPS, DPM_EVENTS, DPM_BARRIER,
	DPM_COUNT
};

enum dp_hook { DPH_XDP, DPH_TC_INGRESS, DPH_TC_EGRESS, DPH_COUNT };

extern const char *const dp_map_names[DPM_COUNT];
extern const char *const dp_hook_names[DPH_COUNT];

#define DP_NAME_MAX	64
#define DP_NAMES_MAP	"sr6_agent_names"
#define DP_META_MAP	"sr6_agent_meta"

/* sr6_agent_names: HASH, policy key -> the names the maps do not carry. */
struct dp_names {
	char policy[DP_NAME_MAX];
	char paths[SR6_MAX_PATHS][DP_NAME_MAX];	/* segment list names ("" for inline lists) */
};

/* sr6_agent_meta: ARRAY of one: the last applied policy. */
struct dp_meta {
	char node[DP_NAME_MAX];
	char source[256];	/* the file (or "push:<name>") */
	uint64_t applied_unix;
	uint32_t generation;
	uint32_t _pad;
	char version[32];
};

/* An End.BPF function program as loaded by this process. */
struct dp_fn {
	const struct fn_def *def;
	struct bpf_object *obj;
	int prog_fd;
	uint32_t prog_id;
	int map_fd[FN_MAX_MAPS];	/* def->maps[], -1 when absent */
};

/* Room for a file name under the pin root in a PATH_MAX path. */
#define DP_ROOT_MAX (PATH_MAX - 1024)

struct dataplane {
	char root[DP_ROOT_MAX];
	struct bpf_object *node;	/* NULL when only the pinned maps are open */
	int prog_fd[DPH_COUNT];
	uint32_t prog_id[DPH_COUNT];
	struct dp_fn fn[FN_MAX];
	size_t n_fn;
	int map[DPM_COUNT];
	int names_fd, meta_fd;
	int barrier_inner;		/* the inner map written to sr6_barrier */
	int ncpus;
	char err[512];			/* why the last call failed */
};

enum dp_open_flags {
	DP_LOAD = 1 << 0,	/* load the programs; create the pin root and the maps if needed */
};

/*
 * Open the data plane pinned under root.  With DP_LOAD the node program and every function
 * are loaded (reusing the pinned maps, or creating and pinning them); without it the pinned
 * maps must exist (status, stats, diff).  0, or -1 with dp->err (ENOENT in errno when
 * nothing is pinned there).
 */
int dp_open(struct dataplane *dp, const char *root, int flags);
void dp_close(struct dataplane *dp);
/* Is anything pinned under root? */
bool dp_exists(const char *root);
/* The loaded function for a definition, or NULL. */
const struct dp_fn *dp_fn_get(const struct dataplane *dp, const struct fn_def *def);

/* Wait until no BPF program still runs with what was unlinked before (sr6_abi.h). */
int dp_barrier(struct dataplane *dp);

/* libbpf's own messages on stderr: 1 warnings and information, 2 debug too (-v, -vv). */
extern int dp_verbose;

/* Record an error in dp->err; returns -1. */
int dp_fail(struct dataplane *dp, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Remove everything under root: links (detaching), maps, names.  Routes are not touched. */
int dp_unpin_all(const char *root, char *err, size_t errlen);

#endif
