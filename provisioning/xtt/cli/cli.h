/* cli.h: shared pieces of the xtt command. */
#ifndef SR6_XTT_CLI_H
#define SR6_XTT_CLI_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "provisioning/xtt/include/xtt.h"

/* "xtt COMMAND: message" on stderr; returns 1 (the exit status for failures). */
int cli_fail(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* An ECDSA P-256 private key file (DER SEC1/PKCS#8 or PEM). */
EVP_PKEY *cli_load_key(const char *cmd, const char *path);
int cli_write(const char *cmd, const char *path, const uint8_t *buf, size_t len, unsigned mode);
int cli_read_exact(const char *cmd, uint8_t *out, size_t len, const char *path);
/* --suites "a,b" -> bit mask; --compat VALUE -> transcript. 0 or -1 with a message. */
int cli_parse_suites(const char *cmd, unsigned *mask, const char *list);
int cli_parse_compat(const char *cmd, enum xtt_transcript *t, const char *value);
int cli_parse_uint(const char *cmd, const char *what, unsigned long *out, const char *s,
		   unsigned long max);

int cmd_runserver(int argc, char **argv);
int cmd_runclient(int argc, char **argv);

#endif
