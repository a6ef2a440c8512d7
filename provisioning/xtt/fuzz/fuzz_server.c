/* Fuzz target: the server state machine.  Mode 0 (first byte even): the input is the
 * client's byte stream, read in chunks of (second byte % 16 + 1).  Mode 1: a real client
 * runs ClientInit and the server answers, then the input becomes the plaintext of an
 * Identity_ClientAttest sealed with the real client key, so the parser behind the AEAD,
 * the long-term key checks and the group signature check see arbitrary contents. */
#include <stdlib.h>
#include <string.h>

#include "provisioning/xtt/fuzz/fuzz_common.h"
#include "provisioning/xtt/src/handshake.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void raw_stream(const uint8_t *data, size_t size)
{
	const struct fuzz_world *w = fuzz_world();
	struct xtt_handshake *s;
	struct xtt_io io;
	enum xtt_status st;
	size_t chunk = size ? (size_t)(data[0] % 16) + 1 : 1;

	if (xtt_server_new(&s, &w->scfg) < 0)
		abort();
	st = xtt_handshake_start(s, &io);
	if (size)
		data++, size--;
	st = fuzz_drive(s, st, &io, &data, &size, chunk, 0);
	if (st == XTT_WANT_READ)
		xtt_handshake_io(s, 0, &io);
	xtt_handshake_free(s);
}

static void sealed_attest(const uint8_t *data, size_t size)
{
	const struct fuzz_world *w = fuzz_world();
	struct xtt_handshake *c, *s;
	struct xtt_io cio, sio;
	enum xtt_status cst, sst;
	uint8_t msg[WIRE_CA_LEN], pt[WIRE_CA_PT_LEN] = { 0 }, nonce[12];
	const uint8_t *p;
	size_t n;

	if (xtt_client_new(&c, &w->ccfg) < 0 || xtt_server_new(&s, &w->scfg) < 0)
		abort();
	if (xtt_handshake_start(c, &cio) != XTT_WANT_WRITE)
		abort();
	sst = xtt_handshake_start(s, &sio);
	/* ClientInit to the server, ServerInitAndAttest to the client. */
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
	/* The fuzzer's bytes as the sealed ClientAttest body (header and cookie echo intact,
	 * or the fuzzer's when it gives more than a body). */
	memcpy(msg, cio.buf, WIRE_CA_AD_LEN);
	memcpy(pt, data, size < sizeof(pt) ? size : sizeof(pt));
	suite_nonce(nonce, c->keys.client_iv, 0);
	suite_seal(c->suite, msg + WIRE_CA_AD_LEN, pt, sizeof(pt), msg, WIRE_CA_AD_LEN,
		   c->keys.client_key, nonce);
	p = msg;
	n = sizeof(msg);
	fuzz_drive(s, sst, &sio, &p, &n, sizeof(msg), 0);
	xtt_handshake_free(c);
	xtt_handshake_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1)
		sealed_attest(data + 1, size - 1);
	else
		raw_stream(data + 1, size - 1);
	return 0;
}
