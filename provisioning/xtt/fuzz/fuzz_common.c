/* fuzz_common.c: key material and a driver shared by the XTT fuzz targets. */
#include "provisioning/xtt/fuzz/fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "provisioning/xtt/src/cert.h"
#include "provisioning/xtt/src/ecdsa.h"
#include "provisioning/xtt/src/groupdb.h"
#include "provisioning/xtt/src/handshake.h"
#include "provisioning/xtt/src/wire.h"

static struct fuzz_world world;
static int ready;
static const uint8_t group_basename[] = "BASENAME";

static void must(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz set-up failed: %s\n", what);
		abort();
	}
}

const struct fuzz_world *fuzz_world(void)
{
	static const uint8_t nonce[] = "fuzz";
	struct ecdaa_member_public_key pk;
	struct ecdaa_credential_signature cs;
	EVP_PKEY *root_key = NULL, *server_key = NULL;
	uint8_t spub[XTT_ECDSA_PUB_LEN];

	if (ready)
		return &world;
	must(ecdaa_init() == 0, "ecdaa_init");
	must(ecdsa_generate(&root_key) == 0, "root key");
	must(ecdsa_generate(&server_key) == 0, "server key");
	world.root.id[15] = 1;
	must(ecdsa_public(world.root.pub, root_key) == 0 && ecdsa_public(spub, server_key) == 0, "public keys");
	must(server_cert_build(world.server.cert, (const uint8_t *)CERT_RESERVED_DEFAULT, &world.root,
			       root_key, spub) == 0, "server certificate");
	EVP_PKEY_free(root_key);
	world.server.key = server_key;
	must(ecdaa_issuer_key_pair_generate(&world.ipk, &world.isk) == 0, "issuer keys");
	must(ecdaa_member_key_pair_generate(&pk, &world.sk, nonce, sizeof(nonce)) == 0, "member keys");
	must(ecdaa_credential_generate(&world.cred, &cs, &world.isk, &pk) == 0, "credential");
	world.ccfg.suite = XTT_X25519_LRSW_ECDSAP256_CHACHA20POLY1305_SHA512;
	group_id(world.ccfg.group.gid, &world.ipk.gpk, group_basename, sizeof(group_basename) - 1);
	world.ccfg.group.basename = group_basename;
	world.ccfg.group.basename_len = sizeof(group_basename) - 1;
	world.ccfg.group.cred = &world.cred;
	world.ccfg.group.sk = &world.sk;
	world.scfg.cert = &world.server;
	world.sgroup.gpk = &world.ipk.gpk;
	world.sgroup.basename = group_basename;
	world.sgroup.basename_len = sizeof(group_basename) - 1;
	ready = 1;
	return &world;
}

void fuzz_raw_stream(int server, const uint8_t *data, size_t size)
{
	const struct fuzz_world *w = fuzz_world();
	struct xtt_handshake *hs;
	struct xtt_io io;
	enum xtt_status st;
	size_t chunk = size ? (size_t)(data[0] % 16) + 1 : 1;

	must((server ? xtt_server_new(&hs, &w->scfg) : xtt_client_new(&hs, &w->ccfg)) == 0, "handshake");
	st = xtt_handshake_start(hs, &io);

	if (size)
		data++, size--;
	st = fuzz_drive(hs, st, &io, &data, &size, chunk, 0);
	if (st == XTT_WANT_READ)
		xtt_handshake_io(hs, 0, &io);
	xtt_handshake_free(hs);
}

void fuzz_first_flight(struct xtt_handshake **c, struct xtt_handshake **s, struct xtt_io *cio,
		       struct xtt_io *sio, enum xtt_status *sst)
{
	const struct fuzz_world *w = fuzz_world();
	enum xtt_status cst;
	const uint8_t *p;
	size_t n;

	must(xtt_client_new(c, &w->ccfg) == 0 && xtt_server_new(s, &w->scfg) == 0, "handshakes");
	must(xtt_handshake_start(*c, cio) == XTT_WANT_WRITE, "client start");
	*sst = xtt_handshake_start(*s, sio);
	/* ClientInit to the server, ServerInitAndAttest to the client. */
	p = cio->buf;
	n = cio->len;
	*sst = fuzz_drive(*s, *sst, sio, &p, &n, WIRE_CI_LEN, 1);
	cst = xtt_handshake_io(*c, cio->len, cio);
	p = sio->buf;
	n = sio->len;
	cst = fuzz_drive(*c, cst, cio, &p, &n, WIRE_SIAA_LEN, 1);
	*sst = xtt_handshake_io(*s, sio->len, sio);
	must(cst == XTT_WANT_WRITE && *sst == XTT_WANT_READ, "first flight");
}

void fuzz_feed_sealed(struct xtt_handshake *rx, enum xtt_status st, struct xtt_io *io,
		      const struct xtt_handshake *sender, uint32_t seq, uint8_t *msg, size_t len,
		      size_t ad_len, const uint8_t *pt, size_t pt_len)
{
	int client = sender->role == HS_CLIENT;
	uint8_t nonce[SUITE_IV_LEN];
	const uint8_t *p = msg;

	suite_nonce(nonce, client ? sender->keys.client_iv : sender->keys.server_iv, seq);
	suite_seal(sender->suite, msg + ad_len, pt, pt_len, msg, ad_len,
		   client ? sender->keys.client_key : sender->keys.server_key, nonce);
	fuzz_drive(rx, st, io, &p, &len, len, 0);
}

enum xtt_status fuzz_drive(struct xtt_handshake *hs, enum xtt_status st, struct xtt_io *io,
			   const uint8_t **buf, size_t *len, size_t chunk, int stop_on_write)
{
	static const uint8_t id[XTT_ID_LEN] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

	for (int guard = 0; guard < 4096; guard++) {
		size_t n;

		switch (st) {
		case XTT_WANT_WRITE:
			if (stop_on_write)
				return st;
			st = xtt_handshake_io(hs, io->len, io);
			break;
		case XTT_WANT_READ:
			n = io->len < chunk ? io->len : chunk;
			if (n > *len)
				n = *len;
			if (n == 0)
				return st;
			memcpy(io->buf, *buf, n);
			*buf += n;
			*len -= n;
			st = xtt_handshake_io(hs, n, io);
			break;
		case XTT_WANT_ROOT:
			st = xtt_client_set_root(hs, &world.root, io);
			break;
		case XTT_WANT_GROUP:
			st = xtt_server_set_group(hs, &world.sgroup, io);
			break;
		case XTT_WANT_IDENTITY:
			st = xtt_server_set_identity(hs, xtt_server_requested_id(hs)[0] ?
						     xtt_server_requested_id(hs) : id, io);
			break;
		default:
			return st;
		}
	}
	return st;
}
