/* ecdaa-with-swtpm COMMAND [ARGS...]: run COMMAND with a private swtpm whose TCTI string is
 * in $ECDAA_TPM_TCTI, then stop the swtpm; exits with COMMAND's status (77 when no swtpm
 * could be started). */
#include "provisioning/ecdaa/tests/swtpm.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct swtpm t;
	pid_t pid;
	int status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: ecdaa-with-swtpm COMMAND [ARGS...]\n");
		return 2;
	}
	if (swtpm_start(&t))
		return 77;
	setenv("ECDAA_TPM_TCTI", t.tcti, 1);
	pid = fork();
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		status = 1 << 8;
	swtpm_stop(&t);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
