/*
 * cmd_policy.c: sr6 check, diff, apply, push: a policy file against the data plane.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "agent/cli/cli.h"
#include "agent/daemon/control.h"
#include "agent/dataplane/engine.h"
#include "agent/dataplane/state.h"
#include "agent/policy/compile.h"

int cli_fail(struct cli *c, int code, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "ok", json_object_new_boolean(0));
		json_object_object_add(o, "error", json_object_new_string(msg));
		json_object_object_add(o, "exit", json_object_new_int(code));
		cli_json(o);
	} else {
		fprintf(stderr, "sr6: %s\n", msg);
	}
	return code;
}

void cli_json(json_object *o)
{
	printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
						      JSON_C_TO_STRING_SPACED));
	json_object_put(o);
}

int cli_policy_errors(struct cli *c, const struct diag *d)
{
	if (c->json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "ok", json_object_new_boolean(0));
		json_object_object_add(o, "errors", report_errors_json(d));
		json_object_object_add(o, "exit", json_object_new_int(SR6_EXIT_INVALID));
		cli_json(o);
	} else {
		diag_print(stderr, d);
		fprintf(stderr, "sr6: %s: %zu error%s, nothing changed\n", d->file,
			diag_count(d), diag_count(d) == 1 ? "" : "s");
	}
	return SR6_EXIT_INVALID;
}

/* --offline: interfaces are not looked up (checking a file away from its node). */
static uint32_t offline_ifindex(void *arg, const char *name)
{
	(void)arg;
	return !strcmp(name, "lo") ? 1 : 1000 + (uint32_t)(strlen(name) % 1000);
}

static const struct compile_env offline_env = { .ifindex = offline_ifindex };

/* Parse, validate, compile the file named by the first argument.  0 or an exit code. */
static int load(struct cli *c, struct plan *p, const struct compile_env *env)
{
	const char *file = c->args[0];
	struct diag d;
	FILE *f;
	int rc;

	f = strcmp(file, "-") ? fopen(file, "rb") : stdin;
	if (!f)
		return cli_fail(c, SR6_EXIT_INVALID, "%s: %s", file, strerror(errno));
	diag_init(&d, file);
	rc = policy_load_file(p, f, env, &d);
	if (f != stdin)
		fclose(f);
	if (rc)
		rc = cli_policy_errors(c, &d);
	diag_free(&d);
	return rc;
}

int cmd_check(struct cli *c)
{
	struct plan p;
	size_t rules = 0, i;
	int rc = load(c, &p, c->offline ? &offline_env : &compile_env_system);

	if (rc)
		return rc;
	for (i = 0; i < p.sets.n; i++)
		rules += p.sets.v[i].count;
	if (c->json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "ok", json_object_new_boolean(1));
		json_object_object_add(o, "file", json_object_new_string(c->args[0]));
		json_object_object_add(o, "policies", json_object_new_int64((int64_t)p.policies.n));
		json_object_object_add(o, "sids", json_object_new_int64((int64_t)p.sids.n));
		json_object_object_add(o, "prefixes", json_object_new_int64((int64_t)p.sets.n));
		json_object_object_add(o, "rule_slots", json_object_new_int64((int64_t)rules));
		json_object_object_add(o, "interfaces", json_object_new_int64((int64_t)p.attach.n));
		cli_json(o);
	} else if (c->show_plan) {
		plan_print(stdout, &p);
	} else {
		printf("%s: valid: %zu policies, %zu SIDs, %zu steering prefixes (%zu rule slots), "
		       "%zu interfaces\n", c->args[0], p.policies.n, p.sids.n, p.sets.n, rules,
		       p.attach.n);
	}
	plan_free(&p);
	return SR6_EXIT_OK;
}

/* An agent listening on the socket? Its pid, or 0. */
static int agent_pid(struct cli *c)
{
	json_object *h = json_object_new_object(), *reply = NULL, *pid;
	int rc = 0;

	json_object_object_add(h, "cmd", json_object_new_string("status"));
	if (control_call(c->socket, h, NULL, 0, &reply, 2000) == 0 &&
	    json_object_object_get_ex(reply, "pid", &pid))
		rc = json_object_get_int(pid);
	json_object_put(h);
	if (reply)
		json_object_put(reply);
	return rc;
}

int cmd_diff(struct cli *c)
{
	struct dataplane dp;
	struct engine e;
	struct diff d;
	struct plan p;
	int rc = load(c, &p, &compile_env_system), code;

	if (rc)
		return rc;
	if (!dp_exists(c->pin_root)) {
		/* Nothing installed: everything is to be added. */
		struct plan empty;

		plan_init(&empty);
		plan_diff(&d, &p, &empty);
		code = diff_total(&d) ? SR6_EXIT_DIFFERENT : SR6_EXIT_OK;
		if (c->json) {
			json_object *o = json_object_new_object();

			json_object_object_add(o, "ok", json_object_new_boolean(1));
			json_object_object_add(o, "installed", json_object_new_boolean(0));
			json_object_object_add(o, "diff", report_diff_json(&d, &p, &empty));
			cli_json(o);
		} else {
			diff_print(stdout, &d, &p, &empty);
			diff_print_summary(stdout, &d);
		}
		diff_free(&d);
		plan_free(&p);
		plan_free(&empty);
		return code;
	}
	if (dp_open(&dp, c->pin_root, 0)) {
		plan_free(&p);
		return cli_fail(c, SR6_EXIT_SYSTEM, "%s", dp.err);
	}
	if (engine_open(&e, &dp)) {
		rc = cli_fail(c, SR6_EXIT_SYSTEM, "%s", dp.err);
		dp_close(&dp);
		plan_free(&p);
		return rc;
	}
	engine_diff(&e, &p, &d);
	code = diff_total(&d) ? SR6_EXIT_DIFFERENT : SR6_EXIT_OK;
	if (c->json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "ok", json_object_new_boolean(1));
		json_object_object_add(o, "installed", json_object_new_boolean(1));
		json_object_object_add(o, "diff", report_diff_json(&d, &p, &e.applied));
		cli_json(o);
	} else {
		diff_print(stdout, &d, &p, &e.applied);
		diff_print_summary(stdout, &d);
	}
	diff_free(&d);
	engine_close(&e);
	dp_close(&dp);
	plan_free(&p);
	return code;
}

/* The lock the agent holds while it runs: apply and the agent exclude each other. */
static int take_lock(struct cli *c, int *fd)
{
	char path[4096 + 16];

	if (mkdir(c->run_dir, 0755) && errno != EEXIST)
		return cli_fail(c, SR6_EXIT_SYSTEM, "creating %s: %s", c->run_dir, strerror(errno));
	snprintf(path, sizeof(path), "%s/agent.lock", c->run_dir);
	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (*fd < 0)
		return cli_fail(c, SR6_EXIT_SYSTEM, "%s: %s", path, strerror(errno));
	if (flock(*fd, LOCK_EX | LOCK_NB)) {
		int pid;

		close(*fd);
		pid = agent_pid(c);
		if (pid)
			return cli_fail(c, SR6_EXIT_SYSTEM, "an sr6 agent (pid %d) manages this node: "
					"use sr6 push", pid);
		return cli_fail(c, SR6_EXIT_SYSTEM, "%s is held by another sr6", path);
	}
	return 0;
}

static uint64_t now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000u + (uint64_t)t.tv_nsec / 1000u;
}

int cmd_apply(struct cli *c)
{
	json_object *dj = NULL;
	struct apply_result res;
	struct dataplane dp;
	struct engine e;
	struct diff d;
	struct plan p;
	struct rusage ru;
	uint64_t t0 = now_us(), t_load, t_programs, t_state;
	int lock = -1, rc = load(c, &p, &compile_env_system);

	if (rc)
		return rc;
	t_load = now_us();
	rc = take_lock(c, &lock);
	if (rc) {
		plan_free(&p);
		return rc;
	}
	if (dp_open(&dp, c->pin_root, DP_LOAD)) {
		rc = cli_fail(c, SR6_EXIT_SYSTEM, "%s", dp.err);
		goto out;
	}
	t_programs = now_us();
	if (engine_open(&e, &dp)) {
		rc = cli_fail(c, SR6_EXIT_SYSTEM, "%s", dp.err);
		dp_close(&dp);
		goto out;
	}
	t_state = now_us();
	/* The changes are described before the plan moves into the engine. */
	engine_diff(&e, &p, &d);
	if (c->json)
		dj = report_diff_json(&d, &p, &e.applied);
	else
		diff_print(stdout, &d, &p, &e.applied);
	if (engine_apply(&e, &p, &d, c->args[0], &res)) {
		rc = cli_fail(c, SR6_EXIT_SYSTEM, "%s (the previous state was restored)", dp.err);
	} else if (c->json) {
		json_object *o = json_object_new_object(), *t = json_object_new_object();

		getrusage(RUSAGE_SELF, &ru);
		json_object_object_add(o, "ok", json_object_new_boolean(1));
		json_object_object_add(o, "diff", dj);
		dj = NULL;

		json_object_object_add(o, "result", report_apply_json(&res));
		/* Where the time of this command went (microseconds). */
		json_object_object_add(t, "compile", json_object_new_int64((int64_t)(t_load - t0)));
		json_object_object_add(t, "programs", json_object_new_int64((int64_t)(t_programs - t_load)));
		json_object_object_add(t, "state", json_object_new_int64((int64_t)(t_state - t_programs)));
		json_object_object_add(t, "apply", json_object_new_int64((int64_t)res.total_us));
		json_object_object_add(o, "command_us", t);
		json_object_object_add(o, "max_rss_kib", json_object_new_int64(ru.ru_maxrss));
		cli_json(o);
	} else {
		report_apply_text(stdout, &res);
	}
	if (dj)
		json_object_put(dj);
	diff_free(&d);
	engine_close(&e);
	dp_close(&dp);
out:
	plan_free(&p);
	close(lock);
	return rc;
}

int cmd_push(struct cli *c)
{
	json_object *h, *reply = NULL, *v;
	const char *file = c->args[0];
	char *text = NULL;
	size_t n = 0, cap = 0, r;
	FILE *f = strcmp(file, "-") ? fopen(file, "rb") : stdin;
	int code;

	if (!f)
		return cli_fail(c, SR6_EXIT_INVALID, "%s: %s", file, strerror(errno));
	do {
		text = vec_grow(text, &cap, n + 65536, 1);
		r = fread(text + n, 1, 65536, f);
		n += r;
	} while (r > 0 && n <= CONTROL_MAX_BODY);
	if (f != stdin)
		fclose(f);
	h = json_object_new_object();
	json_object_object_add(h, "cmd", json_object_new_string("push"));
	json_object_object_add(h, "name", json_object_new_string(file));
	json_object_object_add(h, "save", json_object_new_boolean(c->save));
	if (control_call(c->socket, h, text, n, &reply, 120000)) {
		code = errno == ENOENT || errno == ECONNREFUSED ? SR6_EXIT_NO_AGENT : SR6_EXIT_SYSTEM;
		json_object_put(h);
		free(text);
		return cli_fail(c, code, "no agent at %s: %s", c->socket, strerror(errno));
	}
	json_object_put(h);
	free(text);
	code = json_object_object_get_ex(reply, "exit", &v) ? json_object_get_int(v)
							     : SR6_EXIT_SYSTEM;
	if (c->json) {
		cli_json(json_object_get(reply));
	} else if (json_object_object_get_ex(reply, "errors", &v)) {
		size_t i;

		for (i = 0; i < json_object_array_length(v); i++) {
			json_object *e = json_object_array_get_idx(v, i), *x;
			const char *fld = "", *msg = "";
			int line = 0, col = 0;

			if (json_object_object_get_ex(e, "line", &x))
				line = json_object_get_int(x);
			if (json_object_object_get_ex(e, "col", &x))
				col = json_object_get_int(x);
			if (json_object_object_get_ex(e, "field", &x))
				fld = json_object_get_string(x);
			if (json_object_object_get_ex(e, "message", &x))
				msg = json_object_get_string(x);
			fprintf(stderr, "%s:%d:%d: %s%s%s\n", file, line, col, fld, *fld ? ": " : "",
				msg);
		}
		fprintf(stderr, "sr6: %s: %zu error%s, the agent kept its policy\n", file,
			json_object_array_length(v), json_object_array_length(v) == 1 ? "" : "s");
	} else if (json_object_object_get_ex(reply, "error", &v)) {
		fprintf(stderr, "sr6: %s\n", json_object_get_string(v));
	} else {
		json_object *res;

		if (json_object_object_get_ex(reply, "diff", &v)) {
			size_t i;

			for (i = 0; i < json_object_array_length(v); i++)
				printf("%s\n", json_object_get_string(json_object_array_get_idx(v, i)));
		}
		if (json_object_object_get_ex(reply, "result", &res)) {
			struct apply_result ar;
			json_object *t;

			memset(&ar, 0, sizeof(ar));
			if (json_object_object_get_ex(res, "changes", &t))
				ar.changes = (size_t)json_object_get_int64(t);
			if (json_object_object_get_ex(res, "generation", &t))
				ar.generation = (uint32_t)json_object_get_int64(t);
			if (json_object_object_get_ex(res, "timing_us", &t)) {
				json_object *x;

				if (json_object_object_get_ex(t, "total", &x))
					ar.total_us = (uint64_t)json_object_get_int64(x);
				if (json_object_object_get_ex(t, "maps", &x))
					ar.maps_us = (uint64_t)json_object_get_int64(x);
				if (json_object_object_get_ex(t, "routes", &x))
					ar.routes_us = (uint64_t)json_object_get_int64(x);
				if (json_object_object_get_ex(t, "attach", &x))
					ar.attach_us = (uint64_t)json_object_get_int64(x);
				if (json_object_object_get_ex(t, "barrier", &x))
					ar.barrier_us = (uint64_t)json_object_get_int64(x);
			}
			report_apply_text(stdout, &ar);
		}
		if (json_object_object_get_ex(reply, "save_error", &v))
			fprintf(stderr, "sr6: applied, but not saved to the agent's file: %s\n",
				json_object_get_string(v));
	}
	json_object_put(reply);
	return code;
}
