/* A private swtpm for tests: TPM 2.0 state in a fresh temporary folder, data and control
 * channels on loopback ports the kernel reports free (retried if another process takes them
 * first), stopped and removed by swtpm_stop. */
#ifndef ECDAA_TEST_SWTPM_H
#define ECDAA_TEST_SWTPM_H

#include <sys/types.h>

struct swtpm {
	pid_t pid;
	int port;               /* data port; the control channel is port + 1 */
	char dir[64];
	char tcti[96];          /* "swtpm:host=127.0.0.1,port=N" for Tss2_TctiLdr */
};

/* 0 when running; -1 with a message on stderr (no swtpm binary, no free ports, ...). */
int swtpm_start(struct swtpm *t);
void swtpm_stop(struct swtpm *t);

#endif
