/*
 * attach.h: bpf_links of the node program, pinned as <root>/links/<hook>:<ifname>.
 */
#ifndef SR6_AGENT_ATTACH_H
#define SR6_AGENT_ATTACH_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/dataplane/dp.h"

struct dp_link {
	char ifname[IF_NAMESIZE];
	int hook;		/* enum dp_hook */
	uint32_t ifindex;	/* 0: the interface went away (the link is defunct) */
	uint32_t prog_id;
	uint8_t xdp_mode;	/* xdp hook: ATTACH_XDP or ATTACH_XDP_GENERIC as attached */
};

/* The pinned links (*out to free()). */
int dp_links(struct dataplane *dp, struct dp_link **out, size_t *n);
/* Attach this process's program for hook (mode: enum attach_mode, for XDP) and pin. */
int dp_link_attach(struct dataplane *dp, const char *ifname, uint32_t ifindex, int hook,
		   uint8_t mode);
/* Detach and unpin. */
int dp_link_remove(struct dataplane *dp, const char *ifname, int hook);
/* Swap in this process's program for hook (atomic; nothing done if it is already). */
int dp_link_update(struct dataplane *dp, const char *ifname, int hook);

#endif
