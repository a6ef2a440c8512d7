/*
 * agent.c: `sr6 agent`, the daemon.  It loads the programs (adopting what is pinned, so a
 * restart never interrupts forwarding), applies the policy file, and then reacts to:
 *   SIGHUP               apply the file again
 *   the file changing    the same, after a short quiet period (editors write in steps and
 *                        replace files by renaming: the folder is watched, not the file)
 *   the control socket   `sr6 push` (apply pushed content), `sr6 status`
 *   SIGTERM / SIGINT     stop; the data plane stays as it is
 * A policy that does not validate or apply changes nothing: the last good one stays, and
 * the reason is logged and kept for `sr6 status`.
 */
#include "agent/daemon/agent.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "agent/cli/report.h"
#include "agent/daemon/control.h"
#include "agent/dataplane/engine.h"
#include "agent/policy/compile.h"
#include "agent/policy/index.h"

#define QUIET_MS 200	/* a changed file is read once it has been left alone this long */
#define MAX_CLIENTS 16	/* control connections served at once; more wait in the backlog */

struct last_apply {
	time_t when;
	char source[300];
	int ok;
	size_t changes;
	uint32_t generation;
	char *errors;		/* the report of a refused policy */
};

struct agent {
	const struct agent_opts *o;
	struct dataplane dp;
	struct engine e;
	int dp_open, e_open;
	int lock_fd, epoll_fd, sig_fd, ino_fd, timer_fd, ctl_fd;
	char dir[PATH_MAX], base[NAME_MAX + 1];
	/* Content hashes: what runs now, and the last file content refused.  A file event with
	 * either content changes nothing (editors touch files; a refusal is logged once). */
	uint64_t running_hash, refused_hash;
	int have_running, have_refused;
	time_t started;
	unsigned applies, refusals;
	struct last_apply last;
	struct control_conn clients[MAX_CLIENTS];	/* fd -1: free */
	size_t nclients;
	int accept_paused;	/* all slots taken: the listening socket is out of the loop */
};

static void logf_(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void logf_(const char *level, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", level);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}

#define log_info(...)	logf_("info", __VA_ARGS__)
#define log_err(...)	logf_("error", __VA_ARGS__)

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, r;
	struct stat st;

	if (!f)
		return NULL;
	/* The file's size at once (it may still grow: the loop reads what follows). */
	if (fstat(fileno(f), &st) == 0 && st.st_size > 0 && st.st_size <= POLICY_FILE_MAX)
		buf = vec_grow(buf, &cap, (size_t)st.st_size + 65536 + 1, 1);
	do {
		buf = vec_grow(buf, &cap, n + 65536 + 1, 1);
		r = fread(buf + n, 1, 65536, f);
		n += r;
	} while (r > 0 && n <= POLICY_FILE_MAX);
	fclose(f);
	buf[n] = 0;
	*len = n;
	return buf;
}

/* The errors as lines, without the last newline (the log adds its own). */
static char *diag_text(const struct diag *d)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	if (f) {
		diag_print(f, d);
		fclose(f);
	}
	if (text && size && text[size - 1] == '\n')
		text[size - 1] = 0;
	return text;
}

static void set_last(struct agent *a, const char *source, int ok, size_t changes, char *errors)
{
	free(a->last.errors);
	a->last.when = time(NULL);
	snprintf(a->last.source, sizeof(a->last.source), "%s", source);
	a->last.ok = ok;
	a->last.changes = changes;
	a->last.generation = a->e.generation;
	a->last.errors = errors;
}

/*
 * Apply a policy text; with release, the text is freed once parsed (a large policy is not
 * held three times: text, model and plan).  The reply (when not NULL) gets what a client
 * needs: the changes or the errors.  Returns an sr6 exit code.
 */
static int apply_text(struct agent *a, const char *name, const char *source, char *text,
		      size_t len, int release, json_object *reply)
{
	struct apply_result res;
	struct model m;
	struct diag d;
	struct diff df;
	struct plan p;
	int code = SR6_EXIT_OK;

	diag_init(&d, name);
	model_parse(&m, text, len, &d);
	if (release)
		free(text);
	if (policy_load_model(&p, &m, &compile_env_system, &d, 0)) {
		char *errs = diag_text(&d);

		log_err("%s: not applied, the running policy stays (%zu error%s):\n%s", source,
			diag_count(&d), diag_count(&d) == 1 ? "" : "s", errs ? errs : "");
		a->refusals++;
		set_last(a, source, 0, 0, errs);
		if (reply) {
			json_object_object_add(reply, "ok", json_object_new_boolean(0));
			json_object_object_add(reply, "errors", report_errors_json(&d));
		}
		diag_free(&d);
		return SR6_EXIT_INVALID;
	}
	diag_free(&d);
	engine_diff(&a->e, &p, &df);
	if (reply)
		json_object_object_add(reply, "diff", report_diff_json(&df, &p, &a->e.applied));
	if (engine_apply(&a->e, &p, &df, source, &res)) {
		log_err("%s: apply failed, the previous policy was restored: %s", source, a->dp.err);
		a->refusals++;
		set_last(a, source, 0, 0, xstrdup(a->dp.err));
		if (reply) {
			json_object_object_add(reply, "ok", json_object_new_boolean(0));
			json_object_object_add(reply, "error", json_object_new_string(a->dp.err));
		}
		code = SR6_EXIT_SYSTEM;
	} else {
		a->applies++;
		set_last(a, source, 1, res.changes, NULL);
		if (res.changes)
			log_info("%s: applied %zu change%s, generation %u (map updates %llu us, "
				 "total %llu us)", source, res.changes, res.changes == 1 ? "" : "s",
				 res.generation, (unsigned long long)res.maps_us,
				 (unsigned long long)res.total_us);
		if (reply) {
			json_object_object_add(reply, "ok", json_object_new_boolean(1));
			json_object_object_add(reply, "result", report_apply_json(&res));
		}
	}
	diff_free(&df);
	plan_free(&p);
	sd_notifyf(0, "STATUS=generation %u, %zu policies, %zu SIDs, %zu steering prefixes",
		   a->e.generation, a->e.applied.policies.n, a->e.applied.sids.n,
		   a->e.applied.sets.n);
	return code;
}

static void reload_file(struct agent *a, int force)
{
	size_t len;
	char *text = read_file(a->o->config, &len);
	uint64_t h;

	if (!text) {
		log_err("%s: %s: the running policy stays", a->o->config, strerror(errno));
		return;
	}
	h = hash_bytes(text, len);
	if (!force && ((a->have_running && h == a->running_hash) ||
		       (a->have_refused && h == a->refused_hash))) {
		free(text);
		return;
	}
	if (apply_text(a, a->o->config, a->o->config, text, len, 1, NULL) == SR6_EXIT_OK) {
		a->running_hash = h;
		a->have_running = 1;
	} else {
		a->refused_hash = h;
		a->have_refused = 1;
	}
}

/* ---------------------------------------------------------------------------------------- */
/* Control requests                                                                           */

static void handle_push(struct agent *a, struct control_request *req, json_object *reply)
{
	json_object *v;
	const char *name = "push";
	char source[300];
	uint64_t hash;
	int save = 0, code;

	if (json_object_object_get_ex(req->header, "name", &v))
		name = json_object_get_string(v);
	if (json_object_object_get_ex(req->header, "save", &v))
		save = json_object_get_boolean(v);
	snprintf(source, sizeof(source), "push:%s", name);
	hash = hash_bytes(req->body, req->size);
	/* Without --save the body is not needed once parsed. */
	code = apply_text(a, name, source, req->body, req->size, !save, reply);
	if (!save)
		req->body = NULL;
	json_object_object_add(reply, "exit", json_object_new_int(code));
	if (code == SR6_EXIT_OK) {
		/* What runs is the pushed text now: the file, if it differs, is applied again
		 * the next time it changes or on SIGHUP. */
		a->running_hash = hash;
		a->have_running = 1;
	}
	if (code == SR6_EXIT_OK && save) {
		/* Write the pushed policy over the file, atomically: the reload that the
		 * rename triggers finds nothing to change. */
		char tmp[PATH_MAX + 16];
		FILE *f;

		snprintf(tmp, sizeof(tmp), "%s.sr6-new", a->o->config);
		f = fopen(tmp, "wb");
		if (!f || fwrite(req->body, 1, req->size, f) != req->size || fclose(f) ||
		    rename(tmp, a->o->config)) {
			json_object_object_add(reply, "save_error", json_object_new_string(strerror(errno)));
			unlink(tmp);
		}
	}
}

static void handle_status(struct agent *a, json_object *reply)
{
	json_object *last = json_object_new_object();
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	json_object_object_add(reply, "ok", json_object_new_boolean(1));
	json_object_object_add(reply, "pid", json_object_new_int((int)getpid()));
	json_object_object_add(reply, "version", json_object_new_string(SR6_VERSION));
	json_object_object_add(reply, "config", json_object_new_string(a->o->config));
	json_object_object_add(reply, "pin_root", json_object_new_string(a->o->pin_root));
	json_object_object_add(reply, "started", json_object_new_int64(a->started));
	json_object_object_add(reply, "applies", json_object_new_int(a->applies));
	json_object_object_add(reply, "refused", json_object_new_int(a->refusals));
	json_object_object_add(reply, "generation", json_object_new_int64(a->e.generation));
	json_object_object_add(reply, "max_rss_kib", json_object_new_int64(ru.ru_maxrss));
	json_object_object_add(last, "time", json_object_new_int64(a->last.when));
	json_object_object_add(last, "source", json_object_new_string(a->last.source));
	json_object_object_add(last, "ok", json_object_new_boolean(a->last.ok));
	json_object_object_add(last, "changes", json_object_new_int64((int64_t)a->last.changes));
	if (a->last.errors)
		json_object_object_add(last, "errors", json_object_new_string(a->last.errors));
	json_object_object_add(reply, "last", last);
}

static void client_answer(struct agent *a, struct control_conn *c, json_object *reply);
static int watch_add(struct agent *a, int fd);

/* Answer the complete request in c. */
static void client_dispatch(struct agent *a, struct control_conn *c)
{
	json_object *reply = json_object_new_object(), *cmd;

	if (!json_object_object_get_ex(c->req.header, "cmd", &cmd)) {
		json_object_object_add(reply, "ok", json_object_new_boolean(0));
		json_object_object_add(reply, "error", json_object_new_string("no \"cmd\""));
	} else if (!strcmp(json_object_get_string(cmd), "push")) {
		handle_push(a, &c->req, reply);
	} else if (!strcmp(json_object_get_string(cmd), "status")) {
		handle_status(a, reply);
	} else {
		json_object_object_add(reply, "ok", json_object_new_boolean(0));
		json_object_object_add(reply, "error", json_object_new_string("unknown command"));
	}
	control_request_free(&c->req);
	client_answer(a, c, reply);
}

static void client_drop(struct agent *a, struct control_conn *c)
{
	epoll_ctl(a->epoll_fd, EPOLL_CTL_DEL, c->fd, NULL);
	control_conn_close(c);
	a->nclients--;
	if (a->accept_paused && !watch_add(a, a->ctl_fd))
		a->accept_paused = 0;
}

/* Send reply (and free it); the connection closes once it is out, or waits to be writable. */
static void client_answer(struct agent *a, struct control_conn *c, json_object *reply)
{
	struct epoll_event ev = { .events = EPOLLOUT, .data.fd = c->fd };
	int rc = control_conn_reply(c, reply);

	json_object_put(reply);
	if (rc != 0 || epoll_ctl(a->epoll_fd, EPOLL_CTL_MOD, c->fd, &ev))
		client_drop(a, c);
}

static void client_error(struct agent *a, struct control_conn *c, const char *err)
{
	json_object *reply = json_object_new_object();

	json_object_object_add(reply, "ok", json_object_new_boolean(0));
	json_object_object_add(reply, "error", json_object_new_string(err));
	client_answer(a, c, reply);
}

/* The listening socket is readable: take every waiting connection there is room for. */
static void clients_accept(struct agent *a)
{
	while (a->nclients < MAX_CLIENTS) {
		int fd = accept4(a->ctl_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };
		struct control_conn *c = a->clients;

		if (fd < 0)
			return;
		while (c->fd >= 0)
			c++;
		if (epoll_ctl(a->epoll_fd, EPOLL_CTL_ADD, fd, &ev)) {
			log_err("control socket: %s", strerror(errno));
			close(fd);
			return;
		}
		control_conn_init(c, fd);
		a->nclients++;
	}
	/* Full: the rest wait in the backlog until a connection closes. */
	if (!epoll_ctl(a->epoll_fd, EPOLL_CTL_DEL, a->ctl_fd, NULL))
		a->accept_paused = 1;
}

static struct control_conn *client_of(struct agent *a, int fd)
{
	size_t i;

	for (i = 0; i < MAX_CLIENTS; i++)
		if (a->clients[i].fd == fd && fd >= 0)
			return &a->clients[i];
	return NULL;
}

static void client_event(struct agent *a, struct control_conn *c, uint32_t events)
{
	char err[256];
	int rc;

	if (c->out) {
		if (control_conn_flush(c) != 0 || (events & (EPOLLERR | EPOLLHUP)))
			client_drop(a, c);
		return;
	}
	rc = control_conn_read(c, err, sizeof(err));
	if (rc < 0)
		client_error(a, c, err);
	else if (rc > 0)
		client_dispatch(a, c);
}

/* Drop the connections past their deadline; the time until the next one (-1: none). */
static int clients_expire(struct agent *a)
{
	int wait = -1;
	size_t i;

	for (i = 0; i < MAX_CLIENTS; i++) {
		struct control_conn *c = &a->clients[i];
		int left;

		if (c->fd < 0)
			continue;
		left = control_conn_wait_ms(c);
		if (!left) {
			/* A request that stalls is answered (once, with its own time to leave); an
			 * answer that stalls is given up. */
			if (c->out) {
				client_drop(a, c);
				continue;
			}
			client_error(a, c, "the request did not arrive in time");
			if (c->fd < 0)
				continue;
			left = control_conn_wait_ms(c);
		}
		if (wait < 0 || left < wait)
			wait = left;
	}
	return wait;
}

/* ---------------------------------------------------------------------------------------- */
/* Setup                                                                                      */

static int watch_add(struct agent *a, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(a->epoll_fd, EPOLL_CTL_ADD, fd, &ev);
}

static int setup(struct agent *a)
{
	char lock[PATH_MAX + 16], tmp[PATH_MAX];
	sigset_t sigs;

	/* One agent per run folder. */
	if (mkdir(a->o->run_dir, 0755) && errno != EEXIST) {
		log_err("creating %s: %s", a->o->run_dir, strerror(errno));
		return -1;
	}
	snprintf(lock, sizeof(lock), "%s/agent.lock", a->o->run_dir);
	a->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (a->lock_fd < 0 || flock(a->lock_fd, LOCK_EX | LOCK_NB)) {
		log_err("%s: another sr6 agent (or apply) holds it", lock);
		return -1;
	}
	snprintf(tmp, sizeof(tmp), "%s", a->o->config);
	snprintf(a->dir, sizeof(a->dir), "%s", dirname(tmp));
	snprintf(tmp, sizeof(tmp), "%s", a->o->config);
	snprintf(a->base, sizeof(a->base), "%s", basename(tmp));

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	a->sig_fd = signalfd(-1, &sigs, SFD_CLOEXEC);
	a->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	a->ino_fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	a->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (a->sig_fd < 0 || a->epoll_fd < 0 || a->ino_fd < 0 || a->timer_fd < 0) {
		log_err("setting up the event loop: %s", strerror(errno));
		return -1;
	}
	/* Editors and config managers replace the file (rename, symlink swap): watch the folder. */
	if (inotify_add_watch(a->ino_fd, a->dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE |
			      IN_DELETE | IN_MOVED_FROM | IN_ATTRIB) < 0) {
		log_err("watching %s: %s", a->dir, strerror(errno));
		return -1;
	}
	if (watch_add(a, a->sig_fd) || watch_add(a, a->ino_fd) || watch_add(a, a->timer_fd)) {
		log_err("epoll: %s", strerror(errno));
		return -1;
	}
	if (dp_open(&a->dp, a->o->pin_root, DP_LOAD)) {
		log_err("%s", a->dp.err);
		return -1;
	}
	a->dp_open = 1;
	if (engine_open(&a->e, &a->dp)) {
		log_err("%s", a->dp.err);
		return -1;
	}
	a->e_open = 1;
	log_info("data plane under %s: generation %u, %zu policies, %zu SIDs, %zu steering "
		 "prefixes, %zu interfaces (adopted as they were)", a->o->pin_root, a->e.generation,
		 a->e.applied.policies.n, a->e.applied.sids.n, a->e.applied.sets.n,
		 a->e.applied.attach.n);
	a->ctl_fd = control_listen(a->o->socket);
	if (a->ctl_fd < 0 || watch_add(a, a->ctl_fd)) {
		log_err("control socket %s: %s", a->o->socket, strerror(errno));
		return -1;
	}
	return 0;
}

static void arm_quiet_timer(struct agent *a)
{
	struct itimerspec its = { .it_value = { .tv_sec = 0, .tv_nsec = QUIET_MS * 1000000L } };

	timerfd_settime(a->timer_fd, 0, &its, NULL);
}

/* Did the events concern our file (or a rename in its folder, as symlink swaps do)? */
static int file_events(struct agent *a)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n;
	int hit = 0;

	while ((n = read(a->ino_fd, buf, sizeof(buf))) > 0) {
		char *p;

		for (p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;

			if (!ev->len || !strcmp(ev->name, a->base) || (ev->mask & IN_MOVED_TO))
				hit = 1;
			p += sizeof(*ev) + ev->len;
		}
	}
	return hit;
}

int agent_run(const struct agent_opts *o)
{
	struct agent a;
	int running = 1, rc = 0;
	size_t i;

	memset(&a, 0, sizeof(a));
	a.o = o;
	a.lock_fd = a.epoll_fd = a.sig_fd = a.ino_fd = a.timer_fd = a.ctl_fd = -1;
	for (i = 0; i < MAX_CLIENTS; i++)
		a.clients[i].fd = -1;
	a.started = time(NULL);
	if (setup(&a)) {
		rc = SR6_EXIT_SYSTEM;
		goto out;
	}
	reload_file(&a, 1);
	sd_notify(0, "READY=1");
	log_info("ready: %s, control socket %s", o->config, o->socket);
	while (running) {
		struct epoll_event evs[8];
		int n = epoll_wait(a.epoll_fd, evs, 8, clients_expire(&a)), j;

		if (n < 0 && errno != EINTR) {
			log_err("epoll_wait: %s", strerror(errno));
			rc = SR6_EXIT_SYSTEM;
			break;
		}
		for (j = 0; j < n; j++) {
			int fd = evs[j].data.fd;
			struct control_conn *c;

			if (fd == a.sig_fd) {
				struct signalfd_siginfo si;

				if (read(a.sig_fd, &si, sizeof(si)) != sizeof(si))
					continue;
				if (si.ssi_signo == SIGHUP) {
					struct timespec ts;

					clock_gettime(CLOCK_MONOTONIC, &ts);
					sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu",
						   (unsigned long long)ts.tv_sec * 1000000ull +
							   (unsigned long long)ts.tv_nsec / 1000ull);
					log_info("SIGHUP: reading %s again", o->config);
					reload_file(&a, 1);
					sd_notify(0, "READY=1");
				} else {
					running = 0;
				}
			} else if (fd == a.ino_fd) {
				if (file_events(&a))
					arm_quiet_timer(&a);
			} else if (fd == a.timer_fd) {
				uint64_t expirations;

				if (read(a.timer_fd, &expirations, sizeof(expirations)) > 0)
					reload_file(&a, 0);
			} else if (fd == a.ctl_fd) {
				clients_accept(&a);
			} else if ((c = client_of(&a, fd))) {
				client_event(&a, c, evs[j].events);
			}
		}
	}
	sd_notify(0, "STOPPING=1");
	log_info("stopping; the data plane stays in place (sr6 flush --yes removes it)");
out:
	for (i = 0; i < MAX_CLIENTS; i++)
		if (a.clients[i].fd >= 0)
			control_conn_close(&a.clients[i]);
	if (a.ctl_fd >= 0) {
		close(a.ctl_fd);
		unlink(o->socket);
	}
	if (a.e_open)
		engine_close(&a.e);
	if (a.dp_open)
		dp_close(&a.dp);
	free(a.last.errors);
	if (a.timer_fd >= 0)
		close(a.timer_fd);
	if (a.ino_fd >= 0)
		close(a.ino_fd);
	if (a.sig_fd >= 0)
		close(a.sig_fd);
	if (a.epoll_fd >= 0)
		close(a.epoll_fd);
	if (a.lock_fd >= 0)
		close(a.lock_fd);
	return rc;
}
