/*
 * cli.h: the sr6 command line: options shared by every command, output helpers (human text
 * by default, JSON with -j through json-c), and the commands.
 */
#ifndef SR6_AGENT_CLI_H
#define SR6_AGENT_CLI_H

#include <stdbool.h>

#include <json-c/json.h>

#include "agent/cli/report.h"

#define SR6_RUN_DIR_DEFAULT	"/run/sr6"

struct cli {
	/* shared */
	const char *pin_root;	/* --pin-root, $SR6_PIN_ROOT, /sys/fs/bpf/sr6 */
	const char *run_dir;	/* --run-dir, $SR6_RUN_DIR, /run/sr6 */
	const char *socket;	/* --socket, $SR6_SOCKET, <run-dir>/agent.sock */
	bool json;
	int verbose;
	/* per command */
	const char *config;	/* agent -c */
	bool prometheus, yes, show_plan, offline, save;
	char **args;		/* positional arguments after the command */
	int nargs;
	char socket_buf[4096];
};

/* Print an error (stderr, or {"ok":false,"error":...} on stdout with -j); returns code. */
int cli_fail(struct cli *c, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Print a JSON object on stdout (pretty) and free it. */
void cli_json(json_object *o);
/* Policy errors: the lines on stderr, or {"ok":false,"errors":[...]}; returns SR6_EXIT_INVALID. */
int cli_policy_errors(struct cli *c, const struct diag *d);

int cmd_check(struct cli *c);
int cmd_diff(struct cli *c);
int cmd_apply(struct cli *c);
int cmd_push(struct cli *c);
int cmd_agent(struct cli *c);
int cmd_status(struct cli *c);
int cmd_stats(struct cli *c);
int cmd_sid_list(struct cli *c);
int cmd_policy_list(struct cli *c);
int cmd_flush(struct cli *c);
int cmd_version(struct cli *c);

#endif
