/* See swtpm.h. */
#include "provisioning/ecdaa/tests/swtpm.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* A port p with p and p + 1 both free on 127.0.0.1 right now. */
static int free_port_pair(void)
{
	for (int attempt = 0; attempt < 50; attempt++) {
		struct sockaddr_in a = { .sin_family = AF_INET };
		socklen_t len = sizeof(a);
		int s = socket(AF_INET, SOCK_STREAM, 0), s2, port;

		if (s < 0)
			return -1;
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (bind(s, (struct sockaddr *)&a, sizeof(a)) ||
		    getsockname(s, (struct sockaddr *)&a, &len)) {
			close(s);
			return -1;
		}
		port = ntohs(a.sin_port);
		s2 = socket(AF_INET, SOCK_STREAM, 0);
		a.sin_port = htons((uint16_t)(port + 1));
		if (port < 65535 && s2 >= 0 && bind(s2, (struct sockaddr *)&a, sizeof(a)) == 0) {
			close(s2);
			close(s);
			return port;
		}
		if (s2 >= 0)
			close(s2);
		close(s);
	}
	return -1;
}

static int can_connect(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int s = socket(AF_INET, SOCK_STREAM, 0), ok;

	if (s < 0)
		return 0;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok = connect(s, (struct sockaddr *)&a, sizeof(a)) == 0;
	close(s);
	return ok;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* swtpm leaves its state files and a lock in the folder (ours, from mkdtemp) */
static void remove_dir(const char *dir)
{
	if (nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS))
		fprintf(stderr, "swtpm: could not remove %s\n", dir);
}

int swtpm_start(struct swtpm *t)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->dir, sizeof(t->dir), "/tmp/ecdaa-swtpm.XXXXXX");
	if (!mkdtemp(t->dir)) {
		fprintf(stderr, "swtpm: mkdtemp: %s\n", strerror(errno));
		return -1;
	}
	for (int attempt = 0; attempt < 5; attempt++) {
		char state[96], server[96], ctrl[96];
		int status;

		t->port = free_port_pair();
		if (t->port < 0)
			break;
		snprintf(state, sizeof(state), "dir=%s", t->dir);
		snprintf(server, sizeof(server), "type=tcp,port=%d,bindaddr=127.0.0.1", t->port);
		snprintf(ctrl, sizeof(ctrl), "type=tcp,port=%d,bindaddr=127.0.0.1", t->port + 1);
		t->pid = fork();
		if (t->pid < 0)
			break;
		if (t->pid == 0) {
			int null = open("/dev/null", O_RDWR);

			if (null >= 0) {
				dup2(null, STDIN_FILENO);
				dup2(null, STDOUT_FILENO);
			}
			execlp("swtpm", "swtpm", "socket", "--tpm2", "--tpmstate", state,
			       "--server", server, "--ctrl", ctrl, "--flags",
			       "not-need-init,startup-clear", (char *)NULL);
			_exit(127);
		}
		/* ready when the data port answers; gone when it could not bind */
		for (int i = 0; i < 500; i++) {
			struct timespec ms10 = { 0, 10 * 1000 * 1000 };

			if (waitpid(t->pid, &status, WNOHANG) == t->pid) {
				t->pid = 0;
				if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
					fprintf(stderr, "swtpm: cannot run swtpm\n");
					remove_dir(t->dir);
					return -1;
				}
				break;
			}
			if (can_connect(t->port)) {
				snprintf(t->tcti, sizeof(t->tcti), "swtpm:host=127.0.0.1,port=%d",
					 t->port);
				return 0;
			}
			nanosleep(&ms10, NULL);
		}
		if (t->pid > 0) {
			kill(t->pid, SIGKILL);
			waitpid(t->pid, NULL, 0);
			t->pid = 0;
		}
	}
	fprintf(stderr, "swtpm: could not start on a free loopback port\n");
	remove_dir(t->dir);
	return -1;
}

void swtpm_stop(struct swtpm *t)
{
	if (t->pid > 0) {
		kill(t->pid, SIGTERM);
		waitpid(t->pid, NULL, 0);
		t->pid = 0;
	}
	if (t->dir[0]) {
		remove_dir(t->dir);
		t->dir[0] = 0;
	}
}
