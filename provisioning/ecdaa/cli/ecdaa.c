/* ecdaa: command-line tool for ECDAA groups (issuer, member, verifier), file-compatible with
 * the xaptum/ecdaa tool.  See ecdaa.1. */
#include "provisioning/ecdaa/include/ecdaa.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MESSAGE_MAX (1u << 20)
#define REVOCATION_MAX (65u << 20)
#define DEFAULT_TPM_HANDLE 0x81800000u

static const char *prog = "ecdaa";

__attribute__((format(printf, 1, 2)))
static int die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static int ok(void)
{
	fprintf(stderr, "ok\n");
	return 0;
}

/* Wipe then free a buffer that may hold key material.  explicit_bzero, not memset: a store
 * the compiler sees die with the buffer is removed. */
static void free_wiped(void *p, size_t len)
{
	if (p)
		explicit_bzero(p, len);
	free(p);
}

/* Whole file into a fresh buffer (NUL-terminated for convenience); *len its size.  Key files
 * pass through here, so no copy is left behind: stdio does not buffer (it would free its
 * buffer unwiped) and every buffer given back is wiped. */
static int read_file(const char *path, size_t max, uint8_t **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b;
	size_t n = 0, cap = 4096;

	if (!f)
		return die("cannot read %s: %s", path, strerror(errno));
	setvbuf(f, NULL, _IONBF, 0);
	b = malloc(cap + 1);
	if (!b) {
		fclose(f);
		return die("out of memory");
	}
	for (;;) {
		size_t got = fread(b + n, 1, cap - n, f);

		n += got;
		if (n > max) {
			free_wiped(b, cap + 1);
			fclose(f);
			return die("%s: file larger than %zu bytes", path, max);
		}
		if (got == 0)
			break;
		if (n == cap) {
			uint8_t *nb = malloc(2 * cap + 1);

			if (!nb) {
				free_wiped(b, cap + 1);
				fclose(f);
				return die("out of memory");
			}
			memcpy(nb, b, n);
			free_wiped(b, cap + 1);
			b = nb;
			cap *= 2;
		}
	}
	if (ferror(f)) {
		free_wiped(b, cap + 1);
		fclose(f);
		return die("cannot read %s: read error", path);
	}
	fclose(f);
	b[n] = 0;
	*buf = b;
	*len = n;
	return 0;
}

/* Write through a temporary file and rename, so a failed run leaves no half-written file. */
static int write_file(const char *path, const uint8_t *data, size_t len, mode_t mode)
{
	char tmp[PATH_MAX];
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", path) >= (int)sizeof(tmp))
		return die("%s: path too long", path);
	fd = mkstemp(tmp);
	if (fd < 0)
		return die("cannot write %s: %s", path, strerror(errno));
	if (fchmod(fd, mode) || write(fd, data, len) != (ssize_t)len || fsync(fd)) {
		int e = errno;

		close(fd);
		unlink(tmp);
		return die("cannot write %s: %s", path, strerror(e));
	}
	if (close(fd) || rename(tmp, path)) {
		int e = errno;

		unlink(tmp);
		return die("cannot write %s: %s", path, strerror(e));
	}
	return 0;
}

/* "what: the library's error", what a file or the step that failed */
static int report_error(const char *what, const struct ecdaa_error *err)
{
	char msg[256];

	ecdaa_error_format(msg, sizeof(msg), err);
	return die("%s: %s", what, msg);
}

enum object_kind { OBJ_ISK, OBJ_IPK, OBJ_GPK, OBJ_SK, OBJ_PK, OBJ_CRED, OBJ_CRED_SIG };

/* Read path and decode it as kind into obj; errors name the file and the field. */
static int load_object(const char *path, enum object_kind kind, void *obj)
{
	struct ecdaa_error err;
	uint8_t *buf;
	size_t len;
	int rc;

	if (read_file(path, 4096, &buf, &len))
		return 1;
	switch (kind) {
	case OBJ_ISK: rc = ecdaa_issuer_secret_key_decode(obj, buf, len, &err); break;
	case OBJ_IPK: rc = ecdaa_issuer_public_key_decode(obj, buf, len, &err); break;
	case OBJ_GPK: rc = ecdaa_group_public_key_decode(obj, buf, len, &err); break;
	case OBJ_SK: rc = ecdaa_member_secret_key_decode(obj, buf, len, &err); break;
	case OBJ_PK: rc = ecdaa_member_public_key_decode(obj, buf, len, &err); break;
	case OBJ_CRED: rc = ecdaa_credential_decode(obj, buf, len, &err); break;
	default: rc = ecdaa_credential_signature_decode(obj, buf, len, &err); break;
	}
	free_wiped(buf, len);
	return rc ? report_error(path, &err) : 0;
}

static int parse_handle(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || v > 0xffffffffUL)
		return die("invalid TPM handle '%s'", s);
	*out = (uint32_t)v;
	return 0;
}

struct tpm_opts {
	const char *tcti;        /* NULL: software key */
	uint32_t handle;
	const char *auth_file;
	int force;
};

static int open_tpm(struct ecdaa_tpm **tpm, const struct tpm_opts *o, int create)
{
	struct ecdaa_error err;
	uint8_t *auth = NULL;
	size_t auth_len = 0;
	int rc;

	if (o->auth_file && read_file(o->auth_file, 64, &auth, &auth_len))
		return 1;
	if (ecdaa_tpm_open(tpm, o->tcti, &err)) {
		free_wiped(auth, auth_len);
		return report_error(o->tcti, &err);
	}
	if (create) {
		if (o->force && o->handle)
			ecdaa_tpm_key_evict(*tpm, o->handle, NULL);
		rc = ecdaa_tpm_key_create(*tpm, o->handle, auth, auth_len, &err);
	} else {
		rc = ecdaa_tpm_key_load(*tpm, o->handle, auth, auth_len, &err);
	}
	free_wiped(auth, auth_len);
	if (rc) {
		char what[64];

		snprintf(what, sizeof(what), "TPM key 0x%08x", o->handle);
		ecdaa_tpm_close(*tpm);
		return report_error(what, &err);
	}
	return 0;
}

/* ---- issuer ---- */

static int cmd_issuer_genkeys(int argc, char **argv)
{
	const char *ipk_path = "ipk.bin", *isk_path = "isk.bin";
	struct ecdaa_issuer_public_key ipk;
	struct ecdaa_issuer_secret_key isk;
	uint8_t ipk_buf[ECDAA_ISSUER_PUBLIC_KEY_LEN], isk_buf[ECDAA_ISSUER_SECRET_KEY_LEN];
	static const struct option opts[] = {
		{ "public-key", required_argument, NULL, 'p' },
		{ "secret-key", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;

	while ((c = getopt_long(argc, argv, "p:s:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p': ipk_path = optarg; break;
		case 's': isk_path = optarg; break;
		case 'h':
			printf("usage: ecdaa issuer genkeys [-p ipk.bin] [-s isk.bin]\n");
			return 0;
		default: return 2;
		}
	}
	if (ecdaa_issuer_key_pair_generate(&ipk, &isk))
		return die("issuer key generation failed");
	ecdaa_issuer_public_key_encode(ipk_buf, &ipk);
	ecdaa_issuer_secret_key_encode(isk_buf, &isk);
	rc = write_file(isk_path, isk_buf, sizeof(isk_buf), 0600) ||
	     write_file(ipk_path, ipk_buf, sizeof(ipk_buf), 0644);
	explicit_bzero(isk_buf, sizeof(isk_buf));
	explicit_bzero(&isk, sizeof(isk));
	return rc ? 1 : ok();
}

static int cmd_issuer_issuecredential(int argc, char **argv)
{
	const char *pk_path = "pk.bin", *isk_path = "isk.bin", *cred_path = "cred.bin";
	const char *sig_path = "cred_sig.bin", *nonce = "nonce-text";
	struct ecdaa_member_public_key pk;
	struct ecdaa_issuer_secret_key isk;
	struct ecdaa_credential cred;
	struct ecdaa_credential_signature cred_sig;
	struct ecdaa_error err;
	uint8_t cbuf[ECDAA_CREDENTIAL_LEN], sbuf[ECDAA_CREDENTIAL_SIGNATURE_LEN];
	static const struct option opts[] = {
		{ "public-key", required_argument, NULL, 'p' },
		{ "secret-key", required_argument, NULL, 's' },
		{ "credential", required_argument, NULL, 'c' },
		{ "credential-signature", required_argument, NULL, 'r' },
		{ "nonce", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;

	while ((c = getopt_long(argc, argv, "p:s:c:r:n:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p': pk_path = optarg; break;
		case 's': isk_path = optarg; break;
		case 'c': cred_path = optarg; break;
		case 'r': sig_path = optarg; break;
		case 'n': nonce = optarg; break;
		case 'h':
			printf("usage: ecdaa issuer issuecredential [-p pk.bin] [-s isk.bin] "
			       "[-c cred.bin] [-r cred_sig.bin] [-n nonce]\n");
			return 0;
		default: return 2;
		}
	}
	if (load_object(pk_path, OBJ_PK, &pk))
		return 1;
	if (ecdaa_member_public_key_validate(&pk, (const uint8_t *)nonce, strlen(nonce), &err))
		return report_error(pk_path, &err);
	if (load_object(isk_path, OBJ_ISK, &isk))
		return 1;
	rc = ecdaa_credential_generate(&cred, &cred_sig, &isk, &pk);
	explicit_bzero(&isk, sizeof(isk));
	if (rc)
		return die("credential generation failed");
	ecdaa_credential_encode(cbuf, &cred);
	ecdaa_credential_signature_encode(sbuf, &cred_sig);
	if (write_file(cred_path, cbuf, sizeof(cbuf), 0644) ||
	    write_file(sig_path, sbuf, sizeof(sbuf), 0644))
		return 1;
	return ok();
}

static int cmd_extractgpk(int argc, char **argv)
{
	const char *ipk_path = "ipk.bin", *gpk_path = "gpk.bin";
	struct ecdaa_issuer_public_key ipk;
	uint8_t buf[ECDAA_GROUP_PUBLIC_KEY_LEN];
	static const struct option opts[] = {
		{ "issuer-public-key", required_argument, NULL, 'p' },
		{ "group-public-key", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "p:g:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p': ipk_path = optarg; break;
		case 'g': gpk_path = optarg; break;
		case 'h':
			printf("usage: ecdaa extractgpk [-p ipk.bin] [-g gpk.bin]\n");
			return 0;
		default: return 2;
		}
	}
	/* decoding the issuer public key checks its proof */
	if (load_object(ipk_path, OBJ_IPK, &ipk))
		return 1;
	ecdaa_group_public_key_encode(buf, &ipk.gpk);
	return write_file(gpk_path, buf, sizeof(buf), 0644) ? 1 : ok();
}

/* ---- member ---- */

static const struct option tpm_options[] = {
	{ "tpm", required_argument, NULL, 'T' },
	{ "handle", required_argument, NULL, 'H' },
	{ "auth-file", required_argument, NULL, 'A' },
};

static int cmd_member_genkeys(int argc, char **argv)
{
	const char *pk_path = "pk.bin", *sk_path = "sk.bin", *nonce = "nonce-text";
	struct tpm_opts t = { .handle = DEFAULT_TPM_HANDLE };
	struct ecdaa_member_public_key pk;
	struct ecdaa_member_secret_key sk;
	struct ecdaa_error err;
	uint8_t pbuf[ECDAA_MEMBER_PUBLIC_KEY_LEN], sbuf[ECDAA_MEMBER_SECRET_KEY_LEN];
	static const struct option opts[] = {
		{ "nonce", required_argument, NULL, 'n' },
		{ "public-key", required_argument, NULL, 'p' },
		{ "secret-key", required_argument, NULL, 's' },
		tpm_options[0], tpm_options[1], tpm_options[2],
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;

	while ((c = getopt_long(argc, argv, "n:p:s:H:fh", opts, NULL)) != -1) {
		switch (c) {
		case 'n': nonce = optarg; break;
		case 'p': pk_path = optarg; break;
		case 's': sk_path = optarg; break;
		case 'T': t.tcti = optarg; break;
		case 'H': if (parse_handle(optarg, &t.handle)) return 2; break;
		case 'A': t.auth_file = optarg; break;
		case 'f': t.force = 1; break;
		case 'h':
			printf("usage: ecdaa member genkeys [-n nonce] [-p pk.bin] [-s sk.bin]\n"
			       "       ecdaa member genkeys --tpm TCTI [--handle H] [--auth-file F] "
			       "[--force] [-n nonce] [-p pk.bin]\n");
			return 0;
		default: return 2;
		}
	}
	if (t.tcti) {
		struct ecdaa_tpm *tpm;

		if (open_tpm(&tpm, &t, 1))
			return 1;
		rc = ecdaa_member_key_pair_generate_tpm(&pk, tpm, (const uint8_t *)nonce,
							strlen(nonce), &err);
		ecdaa_tpm_close(tpm);
		if (rc)
			return report_error("TPM join proof", &err);
		ecdaa_member_public_key_encode(pbuf, &pk);
		return write_file(pk_path, pbuf, sizeof(pbuf), 0644) ? 1 : ok();
	}
	if (ecdaa_member_key_pair_generate(&pk, &sk, (const uint8_t *)nonce, strlen(nonce)))
		return die("member key generation failed");
	ecdaa_member_public_key_encode(pbuf, &pk);
	ecdaa_member_secret_key_encode(sbuf, &sk);
	rc = write_file(sk_path, sbuf, sizeof(sbuf), 0600) ||
	     write_file(pk_path, pbuf, sizeof(pbuf), 0644);
	explicit_bzero(sbuf, sizeof(sbuf));
	explicit_bzero(&sk, sizeof(sk));
	return rc ? 1 : ok();
}

static int cmd_member_processcredential(int argc, char **argv)
{
	const char *pk_path = "pk.bin", *gpk_path = "gpk.bin", *cred_path = "cred.bin";
	const char *sig_path = "cred_sig.bin";
	struct ecdaa_member_public_key pk;
	struct ecdaa_group_public_key gpk;
	struct ecdaa_credential cred;
	struct ecdaa_credential_signature cred_sig;
	struct ecdaa_error err;
	static const struct option opts[] = {
		{ "public-key", required_argument, NULL, 'p' },
		{ "group-public-key", required_argument, NULL, 'g' },
		{ "credential", required_argument, NULL, 'c' },
		{ "credential-signature", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "p:g:c:r:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p': pk_path = optarg; break;
		case 'g': gpk_path = optarg; break;
		case 'c': cred_path = optarg; break;
		case 'r': sig_path = optarg; break;
		case 'h':
			printf("usage: ecdaa member processcredential [-p pk.bin] [-g gpk.bin] "
			       "[-c cred.bin] [-r cred_sig.bin]\n");
			return 0;
		default: return 2;
		}
	}
	if (load_object(pk_path, OBJ_PK, &pk) ||
	    load_object(gpk_path, OBJ_GPK, &gpk) ||
	    load_object(cred_path, OBJ_CRED, &cred) ||
	    load_object(sig_path, OBJ_CRED_SIG, &cred_sig))
		return 1;
	if (ecdaa_credential_validate(&cred, &cred_sig, &pk, &gpk, &err))
		return report_error(cred_path, &err);
	return ok();
}

static int cmd_member_sign(int argc, char **argv)
{
	const char *sk_path = "sk.bin", *cred_path = "cred.bin", *msg_path = "message.bin";
	const char *sig_path = "sig.bin", *bsn_path = NULL;
	struct tpm_opts t = { .handle = DEFAULT_TPM_HANDLE };
	struct ecdaa_member_secret_key sk;
	struct ecdaa_credential cred;
	struct ecdaa_signature sig;
	struct ecdaa_error err;
	uint8_t *msg = NULL, *bsn = NULL, out[ECDAA_SIGNATURE_WITH_NYM_LEN];
	size_t msg_len = 0, bsn_len = 0, out_len;
	static const struct option opts[] = {
		{ "secret-key", required_argument, NULL, 's' },
		{ "credential", required_argument, NULL, 'c' },
		{ "message", required_argument, NULL, 'm' },
		{ "signature", required_argument, NULL, 'g' },
		{ "basename", required_argument, NULL, 'b' },
		tpm_options[0], tpm_options[1], tpm_options[2],
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;

	while ((c = getopt_long(argc, argv, "s:c:m:g:b:H:h", opts, NULL)) != -1) {
		switch (c) {
		case 's': sk_path = optarg; break;
		case 'c': cred_path = optarg; break;
		case 'm': msg_path = optarg; break;
		case 'g': sig_path = optarg; break;
		case 'b': bsn_path = optarg; break;
		case 'T': t.tcti = optarg; break;
		case 'H': if (parse_handle(optarg, &t.handle)) return 2; break;
		case 'A': t.auth_file = optarg; break;
		case 'h':
			printf("usage: ecdaa member sign [-s sk.bin | --tpm TCTI [--handle H] "
			       "[--auth-file F]] [-c cred.bin] [-m message.bin] [-g sig.bin] "
			       "[-b basename.bin]\n");
			return 0;
		default: return 2;
		}
	}
	if (load_object(cred_path, OBJ_CRED, &cred) ||
	    read_file(msg_path, MESSAGE_MAX, &msg, &msg_len))
		return 1;
	if (bsn_path && read_file(bsn_path, ECDAA_BASENAME_MAX, &bsn, &bsn_len)) {
		free(msg);
		return 1;
	}
	if (bsn_path && bsn_len == 0) {
		free(msg);
		free(bsn);
		return die("%s: empty basename", bsn_path);
	}
	if (t.tcti) {
		struct ecdaa_tpm *tpm;

		if (open_tpm(&tpm, &t, 0)) {
			rc = 1;
		} else {
			rc = ecdaa_signature_sign_tpm(&sig, msg, msg_len, bsn, bsn_len, &cred, tpm,
						      &err)
				     ? report_error("TPM signing", &err) : 0;
			ecdaa_tpm_close(tpm);
		}
	} else if (load_object(sk_path, OBJ_SK, &sk)) {
		rc = 1;
	} else {
		rc = ecdaa_signature_sign(&sig, msg, msg_len, bsn, bsn_len, &sk, &cred)
			     ? die("signing failed") : 0;
		explicit_bzero(&sk, sizeof(sk));
	}
	free(msg);
	free(bsn);
	if (rc)
		return 1;
	out_len = ecdaa_signature_encode(out, &sig);
	return write_file(sig_path, out, out_len, 0644) ? 1 : ok();
}

/* ---- verifier ---- */

static int cmd_verify(int argc, char **argv)
{
	const char *gpk_path = "gpk.bin", *msg_path = "message.bin", *sig_path = "sig.bin";
	const char *bsn_path = NULL, *skrev_path = NULL, *bsnrev_path = NULL;
	struct ecdaa_group_public_key gpk;
	struct ecdaa_signature sig;
	struct ecdaa_revocations rev = { 0 };
	struct ecdaa_member_secret_key *sks = NULL;
	struct ecdaa_g1 *nyms = NULL;
	struct ecdaa_error err;
	uint8_t *msg = NULL, *bsn = NULL, *sigbuf = NULL, *list = NULL;
	size_t msg_len = 0, bsn_len = 0, sig_len, list_len, sks_cap = 0;
	static const struct option opts[] = {
		{ "group-public-key", required_argument, NULL, 'g' },
		{ "message", required_argument, NULL, 'm' },
		{ "signature", required_argument, NULL, 's' },
		{ "basename", required_argument, NULL, 'b' },
		{ "sk-revocation-list", required_argument, NULL, 'k' },
		{ "bsn-revocation-list", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc = 1;

	while ((c = getopt_long(argc, argv, "g:m:s:b:k:n:h", opts, NULL)) != -1) {
		switch (c) {
		case 'g': gpk_path = optarg; break;
		case 'm': msg_path = optarg; break;
		case 's': sig_path = optarg; break;
		case 'b': bsn_path = optarg; break;
		case 'k': skrev_path = optarg; break;
		case 'n': bsnrev_path = optarg; break;
		case 'h':
			printf("usage: ecdaa verify [-g gpk.bin] [-m message.bin] [-s sig.bin] "
			       "[-b basename.bin] [-k sk_revocation_list] [-n bsn_revocation_list]\n");
			return 0;
		default: return 2;
		}
	}
	if (load_object(gpk_path, OBJ_GPK, &gpk))
		return 1;
	if (read_file(sig_path, 4096, &sigbuf, &sig_len))
		goto out;
	if (ecdaa_signature_decode(&sig, sigbuf, sig_len, &err)) {
		report_error(sig_path, &err);
		goto out;
	}
	if (read_file(msg_path, MESSAGE_MAX, &msg, &msg_len))
		goto out;
	if (bsn_path && read_file(bsn_path, ECDAA_BASENAME_MAX, &bsn, &bsn_len))
		goto out;
	if (bsn_path && bsn_len == 0) {
		die("%s: empty basename", bsn_path);
		goto out;
	}
	if (skrev_path) {
		if (read_file(skrev_path, REVOCATION_MAX, &list, &list_len))
			goto out;
		sks_cap = list_len / ECDAA_MEMBER_SECRET_KEY_LEN + 1;
		sks = calloc(sks_cap, sizeof(*sks));
		if (!sks || ecdaa_sk_revocation_list_decode(sks, list_len / 32, &rev.sk_count, list,
							    list_len, &err)) {
			if (sks)
				report_error(skrev_path, &err);
			goto out;
		}
		rev.sk_list = sks;
		free(list);
		list = NULL;
	}
	if (bsnrev_path) {
		if (read_file(bsnrev_path, REVOCATION_MAX, &list, &list_len))
			goto out;
		nyms = calloc(list_len / ECDAA_G1_LEN + 1, sizeof(*nyms));
		if (!nyms || ecdaa_bsn_revocation_list_decode(nyms, list_len / ECDAA_G1_LEN,
							      &rev.bsn_count, list, list_len, &err)) {
			if (nyms)
				report_error(bsnrev_path, &err);
			goto out;
		}
		rev.bsn_list = nyms;
	}
	if (ecdaa_signature_verify(&sig, &gpk, &rev, msg, msg_len, bsn, bsn_len, &err)) {
		report_error(sig_path, &err);
		goto out;
	}
	rc = ok();
out:
	/* sks_cap, not list_len: a pseudonym list read later reuses list_len */
	free_wiped(sks, sks_cap * sizeof(*sks));
	free(nyms);
	free(list);
	free(msg);
	free(bsn);
	free(sigbuf);
	return rc;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: ecdaa COMMAND [options]   (ecdaa COMMAND -h for its options)\n"
		   "  issuer genkeys               new issuer key pair (ipk.bin, isk.bin)\n"
		   "  issuer issuecredential       check a member's key, issue a credential\n"
		   "  extractgpk                   group public key from a checked issuer key\n"
		   "  member genkeys               new member key pair (software or --tpm)\n"
		   "  member processcredential     check a credential from the issuer\n"
		   "  member sign                  sign a message (-b: with a pseudonym)\n"
		   "  verify                       verify a signature (-k/-n: revocation lists)\n");
}

int main(int argc, char **argv)
{
	const char *group, *cmd;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (ecdaa_init())
		return die("cannot initialise the library (libsodium)");
	/* tpm2-tss logs its own errors to stderr; ours name the failing step (TSS2_LOG=all+error
	 * brings them back) */
	setenv("TSS2_LOG", "all+none", 0);
	group = argv[1];
	if (!strcmp(group, "verify"))
		return cmd_verify(argc - 1, argv + 1);
	if (!strcmp(group, "extractgpk"))
		return cmd_extractgpk(argc - 1, argv + 1);
	if (strcmp(group, "issuer") && strcmp(group, "member")) {
		usage(stderr);
		return die("unknown command '%s'", group);
	}
	if (argc < 3) {
		usage(stderr);
		return 2;
	}
	cmd = argv[2];
	if (!strcmp(group, "issuer") && !strcmp(cmd, "genkeys"))
		return cmd_issuer_genkeys(argc - 2, argv + 2);
	if (!strcmp(group, "issuer") && !strcmp(cmd, "issuecredential"))
		return cmd_issuer_issuecredential(argc - 2, argv + 2);
	if (!strcmp(group, "member") && !strcmp(cmd, "genkeys"))
		return cmd_member_genkeys(argc - 2, argv + 2);
	if (!strcmp(group, "member") && !strcmp(cmd, "processcredential"))
		return cmd_member_processcredential(argc - 2, argv + 2);
	if (!strcmp(group, "member") && !strcmp(cmd, "sign"))
		return cmd_member_sign(argc - 2, argv + 2);
	usage(stderr);
	return die("unknown command '%s %s'", group, cmd);
}
