/* Fuzz target: the client state machine.  Mode 0: the input is the server's byte stream.
 * Mode 1: a real server answers the client's ClientInit, the client reaches the point of
 * reading Identity_ServerFinished, and the input becomes that message's plaintext sealed
 * with the real server key (identity and key-echo checks on arbitrary contents). */
#include <stdlib.h>
#include <string.h>

#include "provisioning/xtt/fuzz/fuzz_common.h"
#include "provisioning/xtt/src/handshake.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void raw_stream(const uint8_t *data, size_t size)
{
	const struct fuzz_world *w = fuzz_world();
	struct xtt_handshake *c;
	struct xtt_io io;
	enum xtt_status st;
	size_t chunk = size ? (size_t)(data[0] % 16) + 1 : 1;

	if (xtt_client_new(&c, &w->ccfg) < 0)
		abort();
	st = xtt_handshake_start(c, &io);
	if (size)
		data++, size--;
	st = fuzz_drive(c, st, &io, &data, &size, chunk, 0);
	if (st == XTT_WANT_READ)
		xtt_handshake_io(c, 0, &io);
	xtt_handshake_free(c);
}

static void sealed_finished(const uint8_t *data, size_t size)
{
	const struct fuzz_world *w = fuzz_world();
	struct xtt_handshake *c, *s;
	struct xtt_io cio, sio;
	enum xtt_status cst, sst;
	uint8_t msg[WIRE_SF_LEN], pt[WIRE_SF_PT_LEN] = { 0 }, nonce[12];
	const uint8_t *p;
	size_t n;

	if (xtt_client_new(&c, &w->ccfg) < 0 || xtt_server_new(&s, &w->scfg) < 0)
		abort();
	if (xtt_handshake_start(c, &cio) != XTT_WANT_WRITE)
		abort();
	sst = xtt_handshake_start(s, &sio);
	p = cio.buf;
	n = cio.len;
	sst = fuzz_drive(s, sst, &sio, &p, &n, WIRE_CI_LEN, 1);
	cst = xtt_handshake_io(c, cio.len, &cio);
	p = sio.buf;
	n = sio.len;
	cst = fuzz_drive(c, cst, &cio, &p, &n, WIRE_SIAA_LEN, 1);
	sst = xtt_handshake_io(s, sio.len, &sio);
	if (cst != XTT_WANT_WRITE || sst != XTT_WANT_READ)
		abort();
	cst = xtt_handshake_io(c, cio.len, &cio); /* ClientAttest "sent" */
	if (cst != XTT_WANT_READ)
		abort();
	/* ServerFinished with the fuzzer's plaintext; a key echo prefix if it asks for one. */
	memcpy(pt, data, size < sizeof(pt) ? size : sizeof(pt));
	if (size > 1 && data[0] == 0x20)
		memcpy(pt + XTT_ID_LEN, c->longterm_pub, XTT_ECDSA_PUB_LEN);
	wire_sf_ad_build(msg, (uint16_t)c->suite);
	suite_nonce(nonce, s->keys.server_iv, 1);
	suite_seal(c->suite, msg + WIRE_SF_AD_LEN, pt, sizeof(pt), msg, WIRE_SF_AD_LEN,
		   s->keys.server_key, nonce);
	p = msg;
	n = sizeof(msg);
	fuzz_drive(c, cst, &cio, &p, &n, sizeof(msg), 0);
	xtt_handshake_free(c);
	xtt_handshake_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1)
		sealed_finished(data + 1, size - 1);
	else
		raw_stream(data + 1, size - 1);
	return 0;
}
