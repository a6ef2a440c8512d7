/* xtt: XTT identity provisioning tool: keys and certificates, the provisioning server and
 * the device client.  See xtt(1). */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <sodium.h>

#include "provisioning/xtt/cli/cli.h"
#include "provisioning/xtt/src/cert.h"
#include "provisioning/xtt/src/ecdsa.h"
#include "provisioning/xtt/src/util.h"

int cli_fail(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "xtt %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

EVP_PKEY *cli_load_key(const char *cmd, const char *path)
{
	uint8_t *buf;
	size_t len;
	char err[512];
	EVP_PKEY *key;

	if (file_read(&buf, &len, path, 16384, err, sizeof(err)) < 0) {
		cli_fail(cmd, "%s", err);
		return NULL;
	}
	if (ecdsa_key_decode(&key, buf, len) < 0) {
		OPENSSL_cleanse(buf, len);
		free(buf);
		cli_fail(cmd, "%s: not an ECDSA P-256 private key (DER or PEM)", path);
		return NULL;
	}
	OPENSSL_cleanse(buf, len);
	free(buf);
	return key;
}

int cli_write(const char *cmd, const char *path, const uint8_t *buf, size_t len, unsigned mode)
{
	char err[512];

	if (file_write_atomic(path, buf, len, mode, err, sizeof(err)) < 0)
		return cli_fail(cmd, "%s", err);
	return 0;
}

int cli_read_exact(const char *cmd, uint8_t *out, size_t len, const char *path)
{
	char err[512];

	if (file_read_exact(out, len, path, err, sizeof(err)) < 0)
		return cli_fail(cmd, "%s", err);
	return 0;
}

int cli_parse_suites(const char *cmd, unsigned *mask, const char *list)
{
	char *copy = strdup(list), *save = NULL, *tok;

	*mask = 0;
	if (!copy) {
		cli_fail(cmd, "out of memory");
		return -1;
	}
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		enum xtt_suite s;

		if (xtt_suite_from_name(&s, tok) < 0) {
			cli_fail(cmd, "--suites: unknown suite '%s' (chacha20poly1305-sha512, "
				 "chacha20poly1305-blake2b, aes256gcm-sha512, aes256gcm-blake2b)", tok);
			free(copy);
			return -1;
		}
		if (!xtt_suite_available(s)) {
			cli_fail(cmd, "--suites: %s needs AES instructions this CPU lacks", tok);
			free(copy);
			return -1;
		}
		*mask |= 1u << s;
	}
	free(copy);
	if (!*mask) {
		cli_fail(cmd, "--suites: empty list");
		return -1;
	}
	return 0;
}

int cli_parse_compat(const char *cmd, enum xtt_transcript *t, const char *value)
{
	if (!strcmp(value, "xtt-0.12")) {
		*t = XTT_TRANSCRIPT_XTT_0_12;
		return 0;
	}
	cli_fail(cmd, "--compat: '%s' is not a known peer version (xtt-0.12)", value);
	return -1;
}

int cli_parse_uint(const char *cmd, const char *what, unsigned long *out, const char *s,
		   unsigned long max)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 0);
	if (errno || end == s || *end || *out > max || s[0] == '-') {
		cli_fail(cmd, "%s: '%s' is not a number from 0 to %lu", what, s, max);
		return -1;
	}
	return 0;
}

/* ---- genkeypair ---- */
static int cmd_genkeypair(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *key_path = "keys.asn1.bin";
	EVP_PKEY *key;
	uint8_t *der;
	size_t len;
	int c, rc;

	while ((c = getopt_long(argc, argv, "k:h", opts, NULL)) != -1) {
		switch (c) {
		case 'k': key_path = optarg; break;
		default:
			fprintf(c == 'h' ? stdout : stderr, "usage: xtt genkeypair [-k keys.asn1.bin]\n");
			return c == 'h' ? 0 : 2;
		}
	}
	if (ecdsa_generate(&key) < 0 || ecdsa_key_encode(&der, &len, key) < 0)
		return cli_fail("genkeypair", "key generation failed");
	rc = cli_write("genkeypair", key_path, der, len, 0600);
	OPENSSL_clear_free(der, len);
	EVP_PKEY_free(key);
	return rc;
}

/* ---- genrootcert ---- */
static int cmd_genrootcert(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "id", required_argument, NULL, 'd' },
		{ "cert", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *key_path = "root_keys.asn1.bin", *id_path = NULL, *cert_path = "root_cert.bin";
	struct xtt_root_cert root;
	uint8_t out[XTT_ROOT_CERT_LEN];
	EVP_PKEY *key;
	int c;

	while ((c = getopt_long(argc, argv, "k:d:c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'k': key_path = optarg; break;
		case 'd': id_path = optarg; break;
		case 'c': cert_path = optarg; break;
		default:
			fprintf(c == 'h' ? stdout : stderr,
				"usage: xtt genrootcert [-k root_keys.asn1.bin] [-d root_id.bin (16 bytes; default random)] [-c root_cert.bin]\n");
			return c == 'h' ? 0 : 2;
		}
	}
	key = cli_load_key("genrootcert", key_path);
	if (!key)
		return 1;
	if (id_path) {
		if (cli_read_exact("genrootcert", root.id, sizeof(root.id), id_path)) {
			EVP_PKEY_free(key);
			return 1;
		}
	} else {
		randombytes_buf(root.id, sizeof(root.id));
	}
	if (ecdsa_public(root.pub, key) < 0) {
		EVP_PKEY_free(key);
		return cli_fail("genrootcert", "%s: no public key", key_path);
	}
	EVP_PKEY_free(key);
	root_cert_encode(out, &root);
	return cli_write("genrootcert", cert_path, out, sizeof(out), 0644);
}

/* ---- genservercert ---- */
static int cmd_genservercert(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root-cert", required_argument, NULL, 'r' },
		{ "root-key", required_argument, NULL, 'k' },
		{ "server-key", required_argument, NULL, 's' },
		{ "reserved", required_argument, NULL, 'x' },
		{ "cert", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *root_path = "root_cert.bin", *root_key_path = "root_keys.asn1.bin";
	const char *server_key_path = "server_keys.asn1.bin", *reserved_path = NULL;
	const char *cert_path = "server_cert.bin";
	uint8_t root_buf[XTT_ROOT_CERT_LEN], reserved[XTT_SERVER_CERT_RESERVED_LEN];
	uint8_t spub[XTT_ECDSA_PUB_LEN], cert[XTT_SERVER_CERT_LEN];
	struct xtt_root_cert root;
	EVP_PKEY *root_key, *server_key;
	struct xerr e;
	int c, rc;

	while ((c = getopt_long(argc, argv, "r:k:s:x:c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': root_path = optarg; break;
		case 'k': root_key_path = optarg; break;
		case 's': server_key_path = optarg; break;
		case 'x': reserved_path = optarg; break;
		case 'c': cert_path = optarg; break;
		default:
			fprintf(c == 'h' ? stdout : stderr,
				"usage: xtt genservercert [-r root_cert.bin] [-k root_keys.asn1.bin] [-s server_keys.asn1.bin]\n"
				"                         [-x reserved.bin (24 bytes)] [-c server_cert.bin]\n");
			return c == 'h' ? 0 : 2;
		}
	}
	memcpy(reserved, CERT_RESERVED_DEFAULT, sizeof(reserved));
	if ((reserved_path && cli_read_exact("genservercert", reserved, sizeof(reserved), reserved_path)) ||
	    cli_read_exact("genservercert", root_buf, sizeof(root_buf), root_path))
		return 1;
	if (root_cert_decode(&root, root_buf, sizeof(root_buf), &e) < 0)
		return cli_fail("genservercert", "%s: %s", root_path, e.text);
	root_key = cli_load_key("genservercert", root_key_path);
	if (!root_key)
		return 1;
	server_key = cli_load_key("genservercert", server_key_path);
	if (!server_key) {
		EVP_PKEY_free(root_key);
		return 1;
	}
	if (ecdsa_public(spub, server_key) < 0 ||
	    server_cert_build(cert, reserved, &root, root_key, spub) < 0)
		rc = cli_fail("genservercert", "%s is not the key of the root certificate %s", root_key_path, root_path);
	else
		rc = cli_write("genservercert", cert_path, cert, sizeof(cert), 0644);
	EVP_PKEY_free(root_key);
	EVP_PKEY_free(server_key);
	return rc;
}

/* ---- infocert ---- */
static void print_hex(const char *name, const uint8_t *buf, size_t len)
{
	char hex[2 * 130 + 1];

	hex_encode(hex, buf, len);
	printf("%-12s %s\n", name, hex);
}

static int cmd_infocert(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root-cert", required_argument, NULL, 'r' },
		{ "server-cert", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *root_path = NULL, *server_path = NULL;
	struct xtt_root_cert root;
	uint8_t buf[XTT_SERVER_CERT_LEN];
	struct xerr e;
	int c;

	while ((c = getopt_long(argc, argv, "r:s:h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': root_path = optarg; break;
		case 's': server_path = optarg; break;
		default:
			fprintf(c == 'h' ? stdout : stderr,
				"usage: xtt infocert [-r root_cert.bin] [-s server_cert.bin]   (both: also check the chain)\n");
			return c == 'h' ? 0 : 2;
		}
	}
	if (!root_path && !server_path)
		return cli_fail("infocert", "give -r ROOT_CERT and/or -s SERVER_CERT");
	if (root_path) {
		if (cli_read_exact("infocert", buf, XTT_ROOT_CERT_LEN, root_path))
			return 1;
		if (root_cert_decode(&root, buf, XTT_ROOT_CERT_LEN, &e) < 0)
			return cli_fail("infocert", "%s: %s", root_path, e.text);
		printf("root certificate %s\n", root_path);
		print_hex("root_id", root.id, sizeof(root.id));
		print_hex("root_pub", root.pub, sizeof(root.pub));
	}
	if (server_path) {
		char text[XTT_SERVER_CERT_RESERVED_LEN + 1];

		if (cli_read_exact("infocert", buf, XTT_SERVER_CERT_LEN, server_path))
			return 1;
		printf("server certificate %s\n", server_path);
		for (int i = 0; i < XTT_SERVER_CERT_RESERVED_LEN; i++)
			text[i] = isprint(buf[i]) ? (char)buf[i] : '.';
		text[XTT_SERVER_CERT_RESERVED_LEN] = '\0';
		print_hex("reserved", buf + CERT_RESERVED_OFF, XTT_SERVER_CERT_RESERVED_LEN);
		printf("%-12s \"%s\"\n", "", text);
		print_hex("root_id", buf + CERT_ROOT_ID_OFF, XTT_ROOT_ID_LEN);
		print_hex("server_pub", buf + CERT_PUB_OFF, XTT_ECDSA_PUB_LEN);
		print_hex("root_sig", buf + CERT_SIG_OFF, XTT_ECDSA_SIG_LEN);
		if (root_path) {
			if (server_cert_check(buf, &root, &e) < 0)
				return cli_fail("infocert", "%s: %s", server_path, e.text);
			printf("%-12s valid under %s\n", "chain", root_path);
		}
	}
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: xtt COMMAND [options]   (xtt COMMAND -h for its options; see xtt(1))\n"
		"  genkeypair      new ECDSA P-256 key pair (root, server or device key)\n"
		"  genrootcert     root certificate (root id + public key) from the root key\n"
		"  genservercert   server certificate signed by the root key\n"
		"  runserver       provisioning server: many handshakes, group database, identity record\n"
		"  runclient       provision this device: prove group membership, get an identity\n"
		"  infocert        show (and check) root and server certificates\n");
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
		{ "genkeypair", cmd_genkeypair }, { "genrootcert", cmd_genrootcert },
		{ "genservercert", cmd_genservercert }, { "runserver", cmd_runserver },
		{ "runclient", cmd_runclient }, { "infocert", cmd_infocert },
	};

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "xtt: libsodium failed to initialise\n");
		return 1;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "xtt: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
