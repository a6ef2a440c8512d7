/*
 * main.c: `sr6 [options] COMMAND [arguments]`: options first or after the command, a table
 * of commands, exit codes from report.h.
 */
#include <getopt.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/cli/cli.h"
#include "agent/dataplane/dp.h"

static const struct command {
	const char *name, *sub;		/* "sid list": name "sid", sub "list" */
	int (*run)(struct cli *c);
	int min_args, max_args;
	const char *usage;
} commands[] = {
	{ "check", NULL, cmd_check, 1, 1, "check [--plan] [--offline] FILE   validate only" },
	{ "diff", NULL, cmd_diff, 1, 1, "diff FILE                         what apply would change" },
	{ "apply", NULL, cmd_apply, 1, 1, "apply FILE                        make the data plane match FILE" },
	{ "push", NULL, cmd_push, 1, 1, "push [--save] FILE                apply FILE through the running agent" },
	{ "agent", NULL, cmd_agent, 0, 0, "agent -c FILE                     run the daemon" },
	{ "status", NULL, cmd_status, 0, 0, "status                            what is installed, and the agent" },
	{ "stats", NULL, cmd_stats, 0, 0, "stats [--prometheus]              counters" },
	{ "sid", "list", cmd_sid_list, 0, 0, "sid list                          local SIDs" },
	{ "policy", "list", cmd_policy_list, 0, 0, "policy list                       policies and their paths" },
	{ "flush", NULL, cmd_flush, 0, 0, "flush --yes                       remove everything sr6 installed" },
	{ "version", NULL, cmd_version, 0, 0, "version                           versions of sr6 and its libraries" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: sr6 [options] COMMAND [arguments]\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  sr6 %s\n", commands[i].usage);
	fprintf(f, "\noptions:\n"
		"  -j, --json          JSON output\n"
		"  -v, --verbose       more messages (twice: libbpf debug)\n"
		"  --pin-root DIR      BPF pin folder (default %s, or $SR6_PIN_ROOT)\n"
		"  --run-dir DIR       lock and socket folder (default %s, or $SR6_RUN_DIR)\n"
		"  --socket PATH       control socket (default RUN-DIR/agent.sock, or $SR6_SOCKET)\n"
		"  -c, --config FILE   the agent's policy file\n"
		"  -h, --help          this text\n"
		"\nexit codes: 0 ok, 1 diff found changes, 2 usage, 3 invalid policy, 4 system error,\n"
		"            5 no agent running.  See sr6(8).\n", SR6_PIN_ROOT_DEFAULT,
		SR6_RUN_DIR_DEFAULT);
}

enum { OPT_PIN_ROOT = 256, OPT_RUN_DIR, OPT_SOCKET, OPT_PROMETHEUS, OPT_YES, OPT_PLAN,
       OPT_OFFLINE, OPT_SAVE, OPT_VERSION };

static const struct option options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "config", required_argument, NULL, 'c' },
	{ "pin-root", required_argument, NULL, OPT_PIN_ROOT },
	{ "run-dir", required_argument, NULL, OPT_RUN_DIR },
	{ "socket", required_argument, NULL, OPT_SOCKET },
	{ "prometheus", no_argument, NULL, OPT_PROMETHEUS },
	{ "yes", no_argument, NULL, OPT_YES },
	{ "plan", no_argument, NULL, OPT_PLAN },
	{ "offline", no_argument, NULL, OPT_OFFLINE },
	{ "save", no_argument, NULL, OPT_SAVE },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

static const char *env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);

	return v && *v ? v : dflt;
}

int main(int argc, char **argv)
{
	struct cli c;
	const struct command *cmd = NULL;
	int opt, rest;
	size_t i;

	/* Large arrays (a 100,000-rule plan) always come from mmap and go back to the system
	 * when freed; glibc would otherwise raise the threshold after the first free and keep
	 * later ones in the heap, where the agent's peak memory stays reserved. */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
	memset(&c, 0, sizeof(c));
	c.pin_root = env_or("SR6_PIN_ROOT", SR6_PIN_ROOT_DEFAULT);
	c.run_dir = env_or("SR6_RUN_DIR", SR6_RUN_DIR_DEFAULT);
	c.socket = getenv("SR6_SOCKET");
	while ((opt = getopt_long(argc, argv, "jvhc:", options, NULL)) != -1) {
		switch (opt) {
		case 'j':
			c.json = true;
			break;
		case 'v':
			c.verbose++;
			break;
		case 'h':
			usage(stdout);
			return SR6_EXIT_OK;
		case 'c':
			c.config = optarg;
			break;
		case OPT_PIN_ROOT:
			c.pin_root = optarg;
			break;
		case OPT_RUN_DIR:
			c.run_dir = optarg;
			break;
		case OPT_SOCKET:
			c.socket = optarg;
			break;
		case OPT_PROMETHEUS:
			c.prometheus = true;
			break;
		case OPT_YES:
			c.yes = true;
			break;
		case OPT_PLAN:
			c.show_plan = true;
			break;
		case OPT_OFFLINE:
			c.offline = true;
			break;
		case OPT_SAVE:
			c.save = true;
			break;
		case OPT_VERSION:
			return cmd_version(&c);
		default:
			usage(stderr);
			return SR6_EXIT_USAGE;
		}
	}
	if (!c.socket || !*c.socket) {
		snprintf(c.socket_buf, sizeof(c.socket_buf), "%s/agent.sock", c.run_dir);
		c.socket = c.socket_buf;
	}
	dp_verbose = c.verbose;
	if (optind >= argc) {
		usage(stderr);
		return SR6_EXIT_USAGE;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(commands[i].name, argv[optind]))
			continue;
		if (commands[i].sub &&
		    (optind + 1 >= argc || strcmp(commands[i].sub, argv[optind + 1])))
			continue;
		cmd = &commands[i];
		break;
	}
	if (!cmd)
		return cli_fail(&c, SR6_EXIT_USAGE, "unknown command \"%s\" (sr6 --help lists them)",
				argv[optind]);
	rest = optind + 1 + (cmd->sub ? 1 : 0);
	c.args = argv + rest;
	c.nargs = argc - rest;
	if (c.nargs < cmd->min_args || c.nargs > cmd->max_args)
		return cli_fail(&c, SR6_EXIT_USAGE, "usage: sr6 %s", cmd->usage);
	return cmd->run(&c);
}
