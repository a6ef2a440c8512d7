/*
 * agent.h: `sr6 agent`, the daemon (agent.c).
 */
#ifndef SR6_AGENT_AGENT_H
#define SR6_AGENT_AGENT_H

struct agent_opts {
	const char *config;	/* the policy file */
	const char *pin_root;	/* bpffs folder of the maps and links */
	const char *run_dir;	/* lock file (one agent per run folder) */
	const char *socket;	/* control socket */
};

/* Run until SIGTERM/SIGINT; an sr6 exit code. */
int agent_run(const struct agent_opts *o);

#endif
