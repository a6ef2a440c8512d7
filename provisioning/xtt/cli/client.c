/* client.c: xtt runclient: provision this device over TCP with a software or TPM group key,
 * then write the long-term key, its self-signed certificate and the identity. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <sodium.h>

#include "provisioning/ecdaa/include/ecdaa.h"
#include "provisioning/xtt/cli/cli.h"
#include "provisioning/xtt/src/cert.h"
#include "provisioning/xtt/src/ecdsa.h"
#include "provisioning/xtt/src/groupdb.h"
#include "provisioning/xtt/src/util.h"

#define CMD "runclient"
#define MAX_ROOTS 16

struct client_opts {
	const char *address, *port, *suite, *gpk, *basename_file, *basename_text, *cred, *daa_key;
	const char *tpm, *tpm_auth_file, *request, *id_out, *cert_out, *key_out;
	const char *roots[MAX_ROOTS];
	int nroots;
	unsigned long tpm_handle, timeout_s;
	enum xtt_transcript transcript;
};

static int connect_to(const char *address, const char *port, unsigned long timeout_s)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICSERV };
	struct addrinfo *ai, *a;
	int fd = -1, rc = getaddrinfo(address, port, &hints, &ai);

	if (rc) {
		cli_fail(CMD, "--address %s: %s", address, gai_strerror(rc));
		return -1;
	}
	for (a = ai; a; a = a->ai_next) {
		struct timeval tv = { .tv_sec = (time_t)timeout_s };

		fd = socket(a->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			rc = errno;
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		if (connect(fd, a->ai_addr, a->ai_addrlen) == 0)
			break;
		rc = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	if (fd < 0)
		cli_fail(CMD, "connect to %s port %s: %s", address, port, strerror(rc));
	return fd;
}

/* Roots by id: the one the server's certificate names. */
static int load_roots(struct xtt_root_cert *roots, const struct client_opts *o)
{
	for (int i = 0; i < o->nroots; i++) {
		uint8_t buf[XTT_ROOT_CERT_LEN];
		struct xerr e;

		if (cli_read_exact(CMD, buf, sizeof(buf), o->roots[i]))
			return -1;
		if (root_cert_decode(&roots[i], buf, sizeof(buf), &e) < 0) {
			cli_fail(CMD, "%s: %s", o->roots[i], e.text);
			return -1;
		}
	}
	return 0;
}

static int write_results(struct xtt_handshake *hs, const struct client_opts *o)
{
	uint8_t *key_der = NULL, *cert_der = NULL;
	size_t key_len, cert_len;
	char addr[INET6_ADDRSTRLEN + 1];
	const uint8_t *id = xtt_handshake_identity(hs);
	int rc = 1;

	inet_ntop(AF_INET6, id, addr, sizeof(addr) - 1);
	if (ecdsa_key_encode(&key_der, &key_len, xtt_client_longterm_key(hs)) < 0 ||
	    x509_self_signed(&cert_der, &cert_len, xtt_client_longterm_key(hs), id) < 0) {
		cli_fail(CMD, "encoding the long-term key or certificate failed");
		goto out;
	}
	/* Key first: a certificate without its key would be useless. */
	if (cli_write(CMD, o->key_out, key_der, key_len, 0600))
		goto out;
	if (cli_write(CMD, o->cert_out, cert_der, cert_len, 0644)) {
		unlink(o->key_out);
		goto out;
	}
	strcat(addr, "\n");
	if (cli_write(CMD, o->id_out, (const uint8_t *)addr, strlen(addr), 0644)) {
		unlink(o->key_out);
		unlink(o->cert_out);
		goto out;
	}
	addr[strlen(addr) - 1] = '\0';
	printf("provisioned %s\n", addr);
	rc = 0;
out:
	if (key_der)
		OPENSSL_clear_free(key_der, key_len);
	OPENSSL_free(cert_der);
	return rc;
}

/* Drives the handshake over a blocking socket with send/receive timeouts. */
static int run(struct xtt_handshake *hs, int fd, const struct xtt_root_cert *roots, int nroots)
{
	struct xtt_io io;
	enum xtt_status st = xtt_handshake_start(hs, &io);
	char why[256];

	for (;;) {
		ssize_t n;

		switch (st) {
		case XTT_WANT_WRITE:
			n = send(fd, io.buf, io.len, MSG_NOSIGNAL);
			if (n > 0) {
				st = xtt_handshake_io(hs, (size_t)n, &io);
			} else if (n < 0 && errno == EINTR) {
				continue;
			} else {
				snprintf(why, sizeof(why), "send: %s", n < 0 ? strerror(errno) : "no progress");
				st = xtt_handshake_abort(hs, errno == EAGAIN ? XTT_E_TIMEOUT : XTT_E_PEER_CLOSED, why, &io);
				if (st == XTT_WANT_WRITE)
					st = xtt_handshake_abort(hs, XTT_E_PEER_CLOSED, why, &io);
			}
			break;
		case XTT_WANT_READ:
			n = recv(fd, io.buf, io.len, 0);
			if (n >= 0) {
				st = xtt_handshake_io(hs, (size_t)n, &io);
			} else if (errno == EINTR) {
				continue;
			} else if (errno == EAGAIN || errno == EWOULDBLOCK) {
				st = xtt_handshake_abort(hs, XTT_E_TIMEOUT, "the server stalled (no answer in time)", &io);
			} else {
				snprintf(why, sizeof(why), "receive: %s", strerror(errno));
				st = xtt_handshake_abort(hs, XTT_E_PEER_CLOSED, why, &io);
			}
			break;
		case XTT_WANT_ROOT: {
			const struct xtt_root_cert *root = NULL;

			for (int i = 0; i < nroots; i++)
				if (!memcmp(roots[i].id, xtt_client_claimed_root_id(hs), XTT_ROOT_ID_LEN))
					root = &roots[i];
			if (!root) {
				char hex[2 * XTT_ROOT_ID_LEN + 1];

				hex_encode(hex, xtt_client_claimed_root_id(hs), XTT_ROOT_ID_LEN);
				snprintf(why, sizeof(why),
					 "server certificate names root %s, which none of the --root files has", hex);
				st = xtt_handshake_abort(hs, XTT_E_UNKNOWN_ROOT, why, &io);
			} else {
				st = xtt_client_set_root(hs, root, &io);
			}
			break;
		}
		case XTT_DONE:
			return 0;
		case XTT_FAILED:
		default:
			return cli_fail(CMD, "%s: %s", xtt_error_name(xtt_handshake_error(hs)),
					xtt_handshake_error_detail(hs));
		}
	}
}

static int usage(FILE *f, int rc)
{
	fprintf(f,
		"usage: xtt runclient [-a SERVER (127.0.0.1)] [-p PORT (4444)] [-s SUITE] [--compat xtt-0.12]\n"
		"                     [-e root_cert.bin ...] [-d daa_gpk.bin] [-n basename.bin | --basename-text TEXT]\n"
		"                     [-c daa_cred.bin] (-k daa_secretkey.bin | --tpm TCTI [--tpm-handle H] [--tpm-auth-file F])\n"
		"                     [-q REQUESTED_ADDRESS] [-i client_id.txt] [-b longterm_cert.der] [-v longterm_priv.der]\n"
		"                     [--timeout SECONDS (10)]\n");
	return rc;
}

static int parse(struct client_opts *o, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "address", required_argument, NULL, 'a' },
		{ "port", required_argument, NULL, 'p' },
		{ "suite", required_argument, NULL, 's' },
		{ "compat", required_argument, NULL, 'C' },
		{ "root", required_argument, NULL, 'e' },
		{ "gpk", required_argument, NULL, 'd' },
		{ "basename", required_argument, NULL, 'n' },
		{ "basename-text", required_argument, NULL, 'B' },
		{ "cred", required_argument, NULL, 'c' },
		{ "daa-key", required_argument, NULL, 'k' },
		{ "tpm", required_argument, NULL, 'T' },
		{ "tpm-handle", required_argument, NULL, 'H' },
		{ "tpm-auth-file", required_argument, NULL, 'A' },
		{ "request", required_argument, NULL, 'q' },
		{ "id-out", required_argument, NULL, 'i' },
		{ "cert-out", required_argument, NULL, 'b' },
		{ "key-out", required_argument, NULL, 'v' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	unsigned long v;
	int c;

	while ((c = getopt_long(argc, argv, "a:p:s:e:d:n:c:k:q:i:b:v:h", opts, NULL)) != -1) {
		switch (c) {
		case 'a': o->address = optarg; break;
		case 'p':
			if (cli_parse_uint(CMD, "--port", &v, optarg, 65535))
				return 2;
			o->port = optarg;
			break;
		case 's': o->suite = optarg; break;
		case 'C':
			if (cli_parse_compat(CMD, &o->transcript, optarg))
				return 2;
			break;
		case 'e':
			if (o->nroots == MAX_ROOTS)
				return cli_fail(CMD, "at most %d --root files", MAX_ROOTS) + 1;
			o->roots[o->nroots++] = optarg;
			break;
		case 'd': o->gpk = optarg; break;
		case 'n': o->basename_file = optarg; break;
		case 'B': o->basename_text = optarg; break;
		case 'c': o->cred = optarg; break;
		case 'k': o->daa_key = optarg; break;
		case 'T': o->tpm = optarg; break;
		case 'H':
			if (cli_parse_uint(CMD, "--tpm-handle", &o->tpm_handle, optarg, 0xffffffffUL))
				return 2;
			break;
		case 'A': o->tpm_auth_file = optarg; break;
		case 'q': o->request = optarg; break;
		case 'i': o->id_out = optarg; break;
		case 'b': o->cert_out = optarg; break;
		case 'v': o->key_out = optarg; break;
		case 't':
			if (cli_parse_uint(CMD, "--timeout", &o->timeout_s, optarg, 3600))
				return 2;
			if (o->timeout_s == 0)
				return cli_fail(CMD, "--timeout: at least 1 second") + 1;
			break;
		case 'h': return usage(stdout, 0) - 1;
		default: return usage(stderr, 2);
		}
	}
	if (optind != argc)
		return cli_fail(CMD, "unexpected argument '%s'", argv[optind]) + 1;
	if (o->tpm && o->daa_key)
		return cli_fail(CMD, "--tpm and --daa-key are exclusive") + 1;
	if (o->basename_file && o->basename_text)
		return cli_fail(CMD, "--basename and --basename-text are exclusive") + 1;
	if (!o->tpm && !o->daa_key)
		o->daa_key = "daa_secretkey.bin";
	if (!o->basename_text && !o->basename_file)
		o->basename_file = "basename.bin";
	if (!o->nroots)
		o->roots[o->nroots++] = "root_cert.bin";
	return 0;
}

int cmd_runclient(int argc, char **argv)
{
	struct client_opts o = {
		.address = "127.0.0.1", .port = "4444", .suite = "chacha20poly1305-sha512",
		.gpk = "daa_gpk.bin", .cred = "daa_cred.bin", .id_out = "client_id.txt",
		.cert_out = "longterm_cert.der", .key_out = "longterm_priv.der",
		.tpm_handle = 0x81800000UL, .timeout_s = 10, .transcript = XTT_TRANSCRIPT_FULL,
	};
	struct xtt_client_config cfg = { 0 };
	struct xtt_root_cert roots[MAX_ROOTS];
	struct ecdaa_group_public_key gpk;
	struct ecdaa_credential cred;
	struct ecdaa_member_secret_key sk;
	struct ecdaa_tpm *tpm = NULL;
	struct ecdaa_error e = { 0 };
	struct xtt_handshake *hs = NULL;
	uint8_t buf[ECDAA_GROUP_PUBLIC_KEY_LEN], *bsn = NULL;
	size_t bsn_len;
	char why[512];
	int fd = -1, rc = 1;

	rc = parse(&o, argc, argv);
	if (rc)
		return rc < 0 ? 0 : rc;
	rc = 1;
	if (xtt_suite_from_name(&cfg.suite, o.suite) < 0)
		return cli_fail(CMD, "--suite: unknown suite '%s'", o.suite);
	if (!xtt_suite_available(cfg.suite))
		return cli_fail(CMD, "--suite %s: this CPU has no AES instructions "
				"(crypto_aead_aes256gcm_is_available() is false); use a chacha20poly1305 suite",
				o.suite);
	cfg.transcript = o.transcript;
	if (o.request && inet_pton(AF_INET6, o.request, cfg.requested_id) != 1)
		return cli_fail(CMD, "--request: '%s' is not an IPv6 address", o.request);
	if (load_roots(roots, &o) < 0)
		return 1;

	/* Group membership: gpk (for the GID), basename, credential, key. */
	if (cli_read_exact(CMD, buf, ECDAA_GROUP_PUBLIC_KEY_LEN, o.gpk))
		return 1;
	if (ecdaa_group_public_key_decode(&gpk, buf, ECDAA_GROUP_PUBLIC_KEY_LEN, &e) < 0) {
		ecdaa_error_format(why, sizeof(why), &e);
		return cli_fail(CMD, "%s: %s", o.gpk, why);
	}
	if (o.basename_text) {
		bsn_len = strlen(o.basename_text);
		bsn = (uint8_t *)strdup(o.basename_text);
	} else if (file_read(&bsn, &bsn_len, o.basename_file, XTT_BASENAME_MAX, why, sizeof(why)) < 0) {
		return cli_fail(CMD, "%s", why);
	}
	if (!bsn || bsn_len == 0) {
		free(bsn);
		return cli_fail(CMD, "the basename is empty");
	}
	group_id(cfg.group.gid, &gpk, bsn, bsn_len);
	cfg.group.basename = bsn;
	cfg.group.basename_len = bsn_len;
	{
		uint8_t cbuf[ECDAA_CREDENTIAL_LEN];

		if (cli_read_exact(CMD, cbuf, sizeof(cbuf), o.cred))
			goto out;
		if (ecdaa_credential_decode(&cred, cbuf, sizeof(cbuf), &e) < 0) {
			ecdaa_error_format(why, sizeof(why), &e);
			cli_fail(CMD, "%s: %s", o.cred, why);
			goto out;
		}
	}
	cfg.group.cred = &cred;
	if (o.tpm) {
		uint8_t *auth = NULL;
		size_t auth_len = 0;
		int ok;

		if (o.tpm_auth_file && file_read(&auth, &auth_len, o.tpm_auth_file, 64, why, sizeof(why)) < 0) {
			cli_fail(CMD, "%s", why);
			goto out;
		}
		ok = ecdaa_tpm_open(&tpm, o.tpm, &e) == 0 &&
		     ecdaa_tpm_key_load(tpm, (uint32_t)o.tpm_handle, auth, auth_len, &e) == 0;
		if (auth) {
			sodium_memzero(auth, auth_len);
			free(auth);
		}
		if (!ok) {
			ecdaa_error_format(why, sizeof(why), &e);
			cli_fail(CMD, "--tpm %s, handle 0x%08lx: %s", o.tpm, o.tpm_handle, why);
			goto out;
		}
		cfg.group.tpm = tpm;
	} else {
		uint8_t kbuf[ECDAA_MEMBER_SECRET_KEY_LEN];

		if (cli_read_exact(CMD, kbuf, sizeof(kbuf), o.daa_key))
			goto out;
		rc = ecdaa_member_secret_key_decode(&sk, kbuf, sizeof(kbuf), &e);
		sodium_memzero(kbuf, sizeof(kbuf));
		if (rc < 0) {
			rc = 1;
			ecdaa_error_format(why, sizeof(why), &e);
			cli_fail(CMD, "%s: %s", o.daa_key, why);
			goto out;
		}
		rc = 1;
		cfg.group.sk = &sk;
	}
	if (xtt_client_new(&hs, &cfg) < 0) {
		cli_fail(CMD, "cannot start a handshake");
		goto out;
	}
	fd = connect_to(o.address, o.port, o.timeout_s);
	if (fd < 0)
		goto out;
	if (run(hs, fd, roots, o.nroots) == 0)
		rc = write_results(hs, &o);
out:
	if (fd >= 0)
		close(fd);
	xtt_handshake_free(hs);
	if (tpm)
		ecdaa_tpm_close(tpm);
	sodium_memzero(&sk, sizeof(sk));
	free(bsn);
	return rc;
}
